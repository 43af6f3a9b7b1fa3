"""Every /api/v1 endpoint, fuzzed by hand-made odd inputs: JSON bodies of the wrong
types, missing and extra fields, huge numbers and strings, nested junk, NUL in strings,
bytes that are no JSON or no UTF-8, odd content types, odd path ids and query strings.

Whatever comes in, the API answers without a server error (no 5xx), every refusal (4xx)
comes in its JSON error shape, and leaves every row of every table as it was. An accepted
change is undone before the next example. (tests/api/test_schemathesis.py fuzzes from
the OpenAPI document; this adds the database check and inputs no document describes.)

An endpoint without an entry in ENDPOINTS fails `test_every_endpoint_is_fuzzed`.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from marshmallow import Schema

from rating import clock
from rating.api.schemas.accounts import BusinessInput, RegistrationInput, TokenRequest
from rating.api.schemas.common import PageArgs
from rating.api.schemas.encounters import (
    ContestInput,
    EncounterListArgs,
    InvitationInput,
    RecordInput,
    ThanksInput,
)
from rating.api.schemas.moderation import ActionInput, AuditArgs, FlagInput
from rating.api.schemas.profiles import DirectoryArgs
from rating.api.schemas.reviews import ReplyInput, ReviewInput
from rating.api.views.privacy import DeletionInput
from rating.extensions import db
from rating.moderation.models import ModerationItem
from tests import builders
from tests.routes import assert_listed, routes
from tests.security.fuzzing import (
    FUZZ,
    OUT_OF_RANGE,
    SIGN_IN_COUNTER,
    AnyWorld,
    Baseline,
    odd_bytes,
    odd_text,
    plain_text,
    short_odd_text,
)
from tests.worlds import build_world


def names(schema: type[Schema]) -> tuple[str, ...]:
    """The names a request schema reads, as sent (`data_key` when it has one)."""
    return tuple(
        sorted(
            (declared.data_key or name)
            for name, declared in schema._declared_fields.items()
            if not declared.dump_only
        )
    )


@dataclass(frozen=True)
class Endpoint:
    """Who calls it, its path arguments, the body and query fields it reads, and real
    values that let fuzzed requests get past the first checks."""

    role: str
    path: Callable[[dict], dict] = lambda world: {}
    body: tuple[str, ...] = ()
    query: tuple[str, ...] = ()
    real: Callable[[dict], dict[str, list]] = lambda world: {}
    # Columns a refusal of this endpoint may change, with the reason where defined.
    refusal_writes: frozenset = field(default_factory=frozenset)


def _stars(names_) -> dict[str, list]:
    return {name: [1, 3, 5] for name in names_}


ENDPOINTS = {
    ("api.accounts.register", "POST"): Endpoint(
        "anonymous",
        body=names(RegistrationInput),
        real=lambda w: {
            "kind": ["customer", "business"],
            "email": ["new@example.com", w["emails"]["customer"]],
            "password": [builders.PASSWORD],
            "display_name": ["New person"],
            "handle": ["new-handle", w["handles"]["customer"]],
            "business": [
                {"name": "New business", "category": "food", "city": "Madrid"},
                dict.fromkeys(names(BusinessInput), "\x00"),
            ],
        },
    ),
    ("api.accounts.create_token", "POST"): Endpoint(
        "anonymous",
        body=names(TokenRequest),
        real=lambda w: {"email": [w["emails"]["customer"]], "password": [builders.PASSWORD]},
        refusal_writes=SIGN_IN_COUNTER,
    ),
    ("api.accounts.revoke_token", "DELETE"): Endpoint("customer"),
    ("api.accounts.me", "GET"): Endpoint("customer"),
    ("api.privacy.export", "GET"): Endpoint("customer"),
    ("api.privacy.delete_account", "DELETE"): Endpoint(
        "customer", body=names(DeletionInput), real=lambda w: {"password": [builders.PASSWORD]}
    ),
    ("api.profiles.directory", "GET"): Endpoint(
        "anonymous",
        query=names(DirectoryArgs),
        real=lambda w: {"sort": ["score", "recent"], "category": ["food"], "page": [1, 2]},
    ),
    ("api.profiles.business", "GET"): Endpoint(
        "anonymous", path=lambda w: {"handle": w["business_handle"]}
    ),
    ("api.profiles.business_reviews", "GET"): Endpoint(
        "anonymous", path=lambda w: {"handle": w["business_handle"]}, query=names(PageArgs)
    ),
    ("api.profiles.customer", "GET"): Endpoint(
        "owner", path=lambda w: {"handle": w["handles"]["customer"]}
    ),
    ("api.profiles.customer_reviews", "GET"): Endpoint(
        "owner", path=lambda w: {"handle": w["handles"]["customer"]}, query=names(PageArgs)
    ),
    ("api.encounters.list_encounters", "GET"): Endpoint(
        "customer",
        query=names(EncounterListArgs),
        real=lambda w: {"status": ["confirmed", "unconfirmed"], "per_page": [1, 100]},
    ),
    ("api.encounters.record_encounter", "POST"): Endpoint(
        "customer",
        body=names(RecordInput),
        real=lambda w: {
            "with": [w["business_handle"], w["handles"]["customer"]],
            "occurred_on": [w["today"], "2024-02-30", "0001-01-01", "9999-12-31"],
        },
    ),
    ("api.encounters.show_encounter", "GET"): Endpoint(
        "customer", path=lambda w: {"encounter_id": w["revealed"]}
    ),
    ("api.encounters.confirm_encounter", "POST"): Endpoint(
        "customer", path=lambda w: {"encounter_id": w["unconfirmed"]}
    ),
    ("api.encounters.contest_encounter", "POST"): Endpoint(
        "customer", path=lambda w: {"encounter_id": w["unconfirmed"]}, body=names(ContestInput)
    ),
    ("api.encounters.create_invitation", "POST"): Endpoint("owner", body=names(InvitationInput)),
    ("api.encounters.redeem_invitation", "POST"): Endpoint(
        "customer", path=lambda w: {"code": w["code"]}
    ),
    ("api.reviews.put_review", "PUT"): Endpoint(
        "customer",
        path=lambda w: {"encounter_id": w["fresh"]},
        body=names(ReviewInput),
        real=lambda w: {
            **_stars(["attention", "proactivity", "promises_kept", "respect", "honesty"]),
            "recommend": [True, False],
        },
    ),
    ("api.reviews.withdraw_review", "DELETE"): Endpoint(
        "customer", path=lambda w: {"encounter_id": w["sealed"]}
    ),
    ("api.reviews.encounter_reviews", "GET"): Endpoint(
        "customer", path=lambda w: {"encounter_id": w["revealed"]}
    ),
    ("api.reviews.reply", "POST"): Endpoint(
        "owner", path=lambda w: {"review_id": w["customer_review"]}, body=names(ReplyInput)
    ),
    ("api.reviews.edit_reply", "PUT"): Endpoint(
        "owner", path=lambda w: {"review_id": w["customer_review"]}, body=names(ReplyInput)
    ),
    ("api.thanks.thank", "POST"): Endpoint(
        "customer", path=lambda w: {"encounter_id": w["fresh"]}, body=names(ThanksInput)
    ),
    ("api.notifications.list_notifications", "GET"): Endpoint("customer", query=names(PageArgs)),
    ("api.moderation.flag", "POST"): Endpoint(
        "stranger",
        body=names(FlagInput),
        real=lambda w: {
            "target_type": ["review", "business", "thanks"],
            "target_id": [w["customer_review"], 1],
            "reason": ["spam", "fake", "nonsense"],
        },
    ),
    ("api.moderation.queue", "GET"): Endpoint("admin", query=names(PageArgs)),
    ("api.moderation.act", "POST"): Endpoint(
        "admin",
        path=lambda w: {"item_id": w["contested_item"]},
        body=names(ActionInput),
        real=lambda w: {
            "action": ["void", "confirm", "suspend"],
            "reason": ["Never happened."],
            "days": [1, 365, 366, 0, None],
        },
    ),
    ("api.moderation.audit", "GET"): Endpoint(
        "admin", query=names(AuditArgs), real=lambda w: {"action": ["hide", "void"]}
    ),
    ("api.meta.openapi", "GET"): Endpoint("anonymous"),
}


def test_every_endpoint_is_fuzzed(app):
    found = routes(app, api=True)
    assert_listed(found, ENDPOINTS, f"ENDPOINTS in {__name__}")
    for key, arguments in found.items():
        assert set(ENDPOINTS[key].path(AnyWorld())) == set(arguments), key


def fuzz_world(app) -> dict:
    """The access matrices' world (tests/worlds.py), with API tokens."""
    world = build_world(app, tokens=True)
    with app.app_context():
        world["today"] = clock.now().date().isoformat()
        assert db.session.get(ModerationItem, world["contested_item"]).status == "open"
    return world


# ---------------------------------------------------------------------------------------
# What is sent
# ---------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from(OUT_OF_RANGE),
    st.floats(),  # NaN and infinities too: Python's JSON writes and reads them
    odd_text,
)
json_junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(plain_text, inner, max_size=3)
    ),
    max_leaves=6,
)
# Bodies no JSON object is: broken, deep, in other encodings, or numbers beyond limits.
RAW_BODIES = [
    b"",
    b"{",
    b'{"a": }',
    b"[1, 2",
    b"null",
    b"[]",
    b'"text"',
    b"\xef\xbb\xbf{}",  # a UTF-8 byte order mark
    b"[" * 100_000 + b"]" * 100_000,  # nested beyond any parser's recursion
    b'{"a": ' * 50_000 + b"1" + b"}" * 50_000,
    b"1" * 5_000,  # beyond Python's limit on digits in an integer
    b'{"page": 1e999999}',
    b'{"a": NaN, "b": -Infinity}',
    b'{"\xff": "\xfe"}',
    json.dumps({"k": "ñ"}).encode("utf-16"),
    json.dumps({"k": "ñ"}).encode("utf-32"),
    '{"k": "é"}'.encode("latin-1"),
]
JSON = "application/json"
CONTENT_TYPES = [
    JSON,
    "application/json; charset=latin-1",
    "application/merge-patch+json",
    "text/plain",
    "application/x-www-form-urlencoded",
    None,
]


@st.composite
def requests(draw, endpoint: Endpoint, world: dict) -> dict:
    """Path arguments, query string, body and content type of one call.

    Half the examples are a valid-looking call with at most one field made odd, so the
    fuzzing reaches the services and the database; the other half are odd throughout.
    """
    real = endpoint.real(world)
    near_valid = draw(st.booleans())
    odd_one = draw(st.sampled_from([None, *endpoint.body, *endpoint.query]))

    def value(name, junk=json_junk):
        if near_valid and name != odd_one:
            return draw(st.sampled_from(real[name]) if real.get(name) else plain_text)
        choices = [junk]
        if real.get(name):
            choices.append(st.sampled_from(real[name]))
        return draw(st.one_of(choices))

    def present(name):
        return (near_valid and name != odd_one) or draw(st.booleans())

    body = {name: value(name) for name in endpoint.body if present(name)}
    query = [(name, value(name, short_odd_text)) for name in endpoint.query if present(name)]
    call = {
        "path": endpoint.path(world),
        "query": [(k, v if isinstance(v, str) else json.dumps(v)) for k, v in query],
        "data": json.dumps(body) if endpoint.body else None,
        "content_type": JSON,
    }
    if near_valid:
        return call
    call["path"] = draw(odd_path(endpoint, world))
    call["query"] += draw(st.lists(st.tuples(short_odd_text, short_odd_text), max_size=2))
    if draw(st.booleans()):
        body.update(draw(st.dictionaries(odd_text, json_junk, max_size=2)))
        call["data"] = json.dumps(body)
    how = draw(st.sampled_from(["json", "raw", "junk", "content type", "none"]))
    if how == "raw":
        call["data"] = draw(st.one_of(st.sampled_from(RAW_BODIES), odd_bytes))
    elif how == "junk":  # a JSON document, but not an object
        call["data"] = json.dumps(draw(json_junk))
    elif how == "content type":
        call["content_type"] = draw(st.sampled_from(CONTENT_TYPES))
    elif how == "none":
        call["data"] = None
    return call


def known_troubles(endpoint: Endpoint, world: dict) -> list[dict]:
    """Tried on every endpoint before the random examples: NUL in text, numbers beyond
    any column or any float, and two bodies that once gave a 500 (JSON nested too
    deeply; an integer of 5,000 digits)."""
    path = endpoint.path(world)
    calls = [
        {
            "path": {name: odd if isinstance(odd, str) else 2**63 for name in path},
            "query": [(name, str(odd)) for name in endpoint.query],
            "data": json.dumps(dict.fromkeys(endpoint.body, odd)),
            "content_type": JSON,
        }
        for odd in ("a\x00b", 10**400)
    ]
    digits = "9" * 5_000  # beyond the 4,300 digits Python turns into an integer
    calls.append(
        {
            "path": path,
            "query": [(name, digits) for name in endpoint.query],
            "data": f'{{"a": {digits}}}',
            "content_type": JSON,
        }
    )
    deep = b"[" * 100_000 + b"]" * 100_000
    calls.append({"path": path, "query": [], "data": deep, "content_type": JSON})
    return calls


def odd_path(endpoint: Endpoint, world: dict):
    """The real path arguments, or ids no row has (some beyond any integer column), or
    odd text where the path holds a handle or a code."""
    odd_id = st.sampled_from([n for n in OUT_OF_RANGE if n >= 0])
    return st.fixed_dictionaries(
        {
            name: st.one_of(st.just(value), odd_id if isinstance(value, int) else short_odd_text)
            for name, value in endpoint.path(world).items()
        }
    )


def url(rule: str, path: dict) -> str:
    """The rule with its <arguments> filled in, quoted; unlike url_for, ids beyond what
    the route accepts are allowed."""
    for name, value in path.items():
        rule = re.sub(rf"<(?:[^<>:]+:)?{name}>", quote(str(value), safe=""), rule)
    return rule


# ---------------------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------------------


def _rule(app, endpoint: str, method: str) -> str:
    return next(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint == endpoint and method in rule.methods
    )


@pytest.mark.parametrize(("name", "method"), sorted(ENDPOINTS))
def test_endpoint_survives_fuzzing(app, client, name, method):
    endpoint = ENDPOINTS[(name, method)]
    world = fuzz_world(app)
    rule = _rule(app, name, method)
    headers = {}
    if endpoint.role != "anonymous":
        headers["Authorization"] = f"Bearer {world['tokens'][endpoint.role]}"
    baseline = Baseline(app)
    seen = []

    def send(call):
        path = url(rule, call["path"])
        what = f"{method} {path} {call['query']!r:.200} {call['data']!r:.300}"
        try:
            response = client.open(
                path,
                method=method,
                query_string=call["query"],
                data=call["data"],
                content_type=call["content_type"] if call["data"] is not None else None,
                headers=headers,
            )
            status = response.status_code
            seen.append(status)
            assert status < 500, f"{status} for {what}"
            if status >= 400:
                assert response.mimetype == "application/json", f"{status} for {what}"
                error = response.get_json()["error"]
                assert set(error) == {"code", "message", "fields"}, f"{status} for {what}"
                changes = baseline.refusal_changes(endpoint.refusal_writes)
                assert not changes, f"{status} for {what} changed: {changes}"
        finally:
            baseline.reset()

    test = given(call=requests(endpoint, world))(send)
    for call in known_troubles(endpoint, world):
        test = example(call=call)(test)
    FUZZ(test)()
    if endpoint.body or endpoint.query or endpoint.path(world):
        # The fuzzing got past the first check: not every answer was the same.
        assert len(set(seen)) >= 2, seen
