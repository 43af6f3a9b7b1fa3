"""Every HTML form, fuzzed: arbitrary text, numbers, missing, extra and repeated fields,
huge values and bodies in odd encodings, sent by a signed-in role allowed to use it.

Whatever comes in, the site answers without a server error (no 5xx), and a refusal (4xx)
leaves every row of every table as it was. An accepted change is undone before the next
example, so each example starts from the same world.

A POST route without an entry in FORMS fails `test_every_form_is_fuzzed`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import pytest
from flask import url_for
from hypothesis import example, given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms.fields.core import UnboundField

from rating import clock
from rating.accounts.forms import (
    ForgotPasswordForm,
    PasswordForm,
    RegisterForm,
    ResetPasswordForm,
    SettingsForm,
    SignInForm,
    StaffForm,
)
from rating.accounts.models import User
from rating.accounts.recovery import reset_token
from rating.encounters.forms import ContestForm, InvitationForm, RecordForm
from rating.extensions import db
from rating.moderation.forms import ActionForm, AppealForm, FlagForm
from rating.privacy.views import DeleteForm
from rating.reviews.forms import ReplyForm, review_form_class
from rating.thanks.forms import ThanksForm
from tests import builders
from tests.conftest import AuthActions
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


def names(form_class) -> tuple[str, ...]:
    """The field names a form reads (the CSRF token aside: CSRF is off in these tests)."""
    return tuple(
        sorted(
            name
            for name in dir(form_class)
            if isinstance(getattr(form_class, name), UnboundField) and name != "csrf_token"
        )
    )


@dataclass(frozen=True)
class Form:
    """How to reach a form: who sends it, its URL arguments, the fields it reads, and
    some real values that let fuzzed requests get past the first checks."""

    role: str
    fields: tuple[str, ...] = ()
    url: Callable[[dict], dict] = lambda world: {}
    real: Callable[[dict], dict[str, list[str]]] = lambda world: {}
    # Columns a refusal of this form may change, with the reason above their definition.
    refusal_writes: frozenset = field(default_factory=frozenset)


def _today() -> str:
    return clock.now().date().isoformat()


FORMS = {
    "pages.set_language": Form(
        "customer",
        ("language", "next"),
        real=lambda w: {"language": ["en", "es", "xx"], "next": ["/", "//evil.example"]},
    ),
    "accounts.register": Form(
        "anonymous",
        names(RegisterForm),
        real=lambda w: {
            "kind": ["customer", "business", "admin"],
            "email": ["new@example.com", w["emails"]["customer"]],
            "password": [builders.PASSWORD],
            "display_name": ["New person"],
            "handle": ["new-handle", w["handles"]["customer"]],
            "business_name": ["New business"],
            "category": ["food"],
            "city": ["Madrid"],
        },
    ),
    "accounts.sign_in": Form(
        "anonymous",
        names(SignInForm),
        real=lambda w: {"email": [w["emails"]["customer"]], "password": [builders.PASSWORD]},
        refusal_writes=SIGN_IN_COUNTER,
    ),
    "accounts.sign_out": Form("customer"),
    "accounts.settings": Form(
        "customer",
        names(SettingsForm),
        real=lambda w: {"display_name": ["Ana"], "language": ["en", "es", "de"]},
    ),
    "accounts.change_password": Form(
        "customer",
        names(PasswordForm),
        real=lambda w: {
            "current_password": [builders.PASSWORD],
            "new_password": ["another long passphrase"],
        },
    ),
    "accounts.resend_verification": Form("customer"),
    "accounts.forgot_password": Form(
        "anonymous",
        names(ForgotPasswordForm),
        real=lambda w: {"email": [w["emails"]["customer"]]},
    ),
    "accounts.reset_password": Form(
        "anonymous",
        names(ResetPasswordForm),
        url=lambda w: {"token": w["reset_token"]},
        real=lambda w: {"new_password": ["another long passphrase"]},
    ),
    "accounts.staff": Form(
        "owner",
        names(StaffForm),
        real=lambda w: {
            "display_name": ["New staff"],
            "handle": ["new-staff", w["handles"]["customer"]],
            "email": ["staff-new@example.com", w["emails"]["customer"]],
            "password": [builders.PASSWORD],
        },
    ),
    "encounters.record": Form(
        "customer",
        names(RecordForm),
        real=lambda w: {
            "with_handle": [w["business_handle"], w["handles"]["customer"]],
            "occurred_on": [_today(), "2024-02-30", "0001-01-01", "9999-12-31"],
        },
    ),
    "encounters.invitations": Form("owner", names(InvitationForm)),
    "encounters.redeem": Form("customer", url=lambda w: {"code": w["code"]}),
    "encounters.confirm": Form("customer", url=lambda w: {"encounter_id": w["unconfirmed"]}),
    "encounters.contest": Form(
        "customer", names(ContestForm), url=lambda w: {"encounter_id": w["unconfirmed"]}
    ),
    "reviews.edit": Form(
        "customer",
        names(review_form_class("customer")),
        url=lambda w: {"encounter_id": w["fresh"]},
        real=lambda w: {
            **{
                name: ["1", "3", "5"]
                for name in ("attention", "proactivity", "promises_kept", "respect", "honesty")
            },
            "recommend": ["yes", "no"],
            "mode": ["new", "edit"],
        },
    ),
    "reviews.withdraw": Form("customer", url=lambda w: {"encounter_id": w["sealed"]}),
    "reviews.reply": Form(
        "owner",
        names(ReplyForm),
        url=lambda w: {"review_id": w["customer_review"]},
        real=lambda w: {"mode": ["new", "edit"]},
    ),
    "reviews.thanks": Form(
        "customer", names(ThanksForm), url=lambda w: {"encounter_id": w["fresh"]}
    ),
    "notifications.mark_read": Form(
        "customer", url=lambda w: {"notification_id": w["notification"]}
    ),
    "notifications.mark_all_read": Form("customer"),
    "profiles.visibility": Form(
        "customer",
        ("public",),
        url=lambda w: {"handle": w["handles"]["customer"]},
        real=lambda w: {"public": ["1", "0"]},
    ),
    "moderation.act": Form(
        "admin",
        names(ActionForm),
        url=lambda w: {"item_id": w["contested_item"]},
        real=lambda w: {
            "action": ["void", "confirm", "suspend"],
            "reason": ["Never happened."],
            "days": ["1", "365", "366", "0"],
        },
    ),
    "moderation.flag": Form(
        "stranger",
        (*names(FlagForm), "next"),
        real=lambda w: {
            "target_type": ["review", "thanks", "business", "reply"],
            "target_id": [str(w["customer_review"]), str(w["business_review"])],
            "reason": ["spam", "fake", "nonsense"],
            "next": ["/", "//evil.example"],
        },
    ),
    "moderation.appeal": Form(
        "customer", names(AppealForm), url=lambda w: {"action_id": w["action"]}
    ),
    "privacy.delete": Form(
        "customer", names(DeleteForm), real=lambda w: {"password": [builders.PASSWORD]}
    ),
}


def website_routes(app, method: str) -> dict[str, list[str]]:
    """Endpoint -> the names of its URL arguments, for the website's routes of `method`."""
    found = routes(app, api=False)
    return {endpoint: args for (endpoint, verb), args in found.items() if verb == method}


def test_every_form_is_fuzzed(app):
    found = website_routes(app, "POST")
    assert_listed(found, FORMS, f"FORMS in {__name__}")
    for endpoint, arguments in found.items():
        assert set(FORMS[endpoint].url(AnyWorld())) == set(arguments), endpoint


def fuzz_world(app) -> dict:
    """The access matrices' world (tests/worlds.py), with a password reset link."""
    world = build_world(app, hidden_thanks=True)
    with app.app_context():
        customer = db.session.get(User, world["user_ids"]["customer"])
        world["reset_token"] = reset_token(customer)
    return world


# ---------------------------------------------------------------------------------------
# What is sent
# ---------------------------------------------------------------------------------------


@st.composite
def requests(draw, form: Form, world: dict) -> tuple[dict, dict, dict]:
    """URL arguments, body and query string of one POST.

    Half the examples are a valid-looking form with at most one field made odd
    (missing, repeated or wrong), so the fuzzing reaches the services and the database;
    the other half are odd through and through.
    """
    real = form.real(world)
    near_valid = draw(st.booleans())
    odd_one = draw(st.sampled_from([None, *form.fields]))

    def value(name):
        if near_valid and name != odd_one:
            return draw(st.sampled_from(real[name]) if real.get(name) else plain_text)
        choices = [plain_text, odd_text]
        if real.get(name):
            choices.append(st.sampled_from(real[name]))
        return draw(st.one_of(choices))

    pairs = []
    for name in form.fields:
        times = 1 if near_valid and name != odd_one else draw(st.sampled_from([1, 1, 0, 2]))
        pairs += [(name, value(name)) for _ in range(times)]
    extra_names = st.sampled_from(["csrf_token", "id", "user_id", "is_admin", "é\x00"])
    pairs += draw(st.lists(st.tuples(extra_names, odd_text), max_size=0 if near_valid else 2))
    if near_valid:
        return form.url(world), draw(bodies(pairs, ["form", "multipart"])), {}
    return (
        draw(st.one_of(st.just(form.url(world)), odd_ids(form, world))),
        draw(bodies(pairs, ENCODINGS)),
        draw(st.dictionaries(st.sampled_from(QUERY_NAMES), short_odd_text, max_size=2)),
    )


JSON = "application/json"
QUERY_NAMES = ["next", "with", "page", "new"]
ENCODINGS = [
    *("form", "multipart", "latin-1", "utf-16", "raw bytes", "json"),
    *("no content type", "text/plain", "broken multipart"),
]


def _urlencoded(pairs, encoding: str) -> bytes:
    return urlencode(
        [(k.encode(encoding, "replace"), v.encode(encoding, "replace")) for k, v in pairs]
    ).encode("ascii")


@st.composite
def bodies(draw, pairs: list[tuple[str, str]], encodings: list[str]) -> dict:
    """The request's body and content type, in one of `encodings`."""
    how = draw(st.sampled_from(encodings))
    urlencoded = "application/x-www-form-urlencoded"
    if how == "form":
        return {"data": _urlencoded(pairs, "utf-8"), "content_type": urlencoded}
    if how == "multipart":
        return {"data": MultiDict(pairs), "content_type": "multipart/form-data"}
    if how in ("latin-1", "utf-16"):
        return {
            "data": _urlencoded(pairs, how),
            "content_type": f"{urlencoded}; charset={how}",
        }
    if how == "raw bytes":  # bytes that are no UTF-8, unescaped, in the field values
        parts = [quote(name).encode() + b"=" + draw(odd_bytes) for name, _ in pairs]
        return {"data": b"&".join(parts) or draw(odd_bytes), "content_type": urlencoded}
    if how == "json":
        return {"data": json.dumps(dict(pairs)), "content_type": JSON}
    if how == "broken multipart":
        return {"data": draw(odd_bytes), "content_type": "multipart/form-data; boundary=x"}
    content_type = "text/plain" if how == "text/plain" else None
    return {"data": _urlencoded(pairs, "utf-8"), "content_type": content_type}


def known_troubles(form: Form, world: dict) -> list[tuple[dict, dict, dict]]:
    """Inputs that broke these forms once, tried on every form before the random ones:
    NUL in text, ids beyond any column, numbers beyond any float, a JSON body."""
    url = form.url(world)
    huge_ids = {name: 2**63 if isinstance(value, int) else value for name, value in url.items()}
    urlencoded = "application/x-www-form-urlencoded"

    def filled(value):
        pairs = [(name, value) for name in form.fields] or [("x", value)]
        return {"data": _urlencoded(pairs, "utf-8"), "content_type": urlencoded}

    return [
        (url, filled("a\x00b"), {"next": "\x00"}),
        (huge_ids, filled(str(10**400)), {}),
        (url, {"data": json.dumps(dict.fromkeys(form.fields, [1])), "content_type": JSON}, {}),
    ]


def odd_ids(form: Form, world: dict):
    """The form's URL with ids no row has, some beyond any integer column."""
    odd_id = st.sampled_from([n for n in OUT_OF_RANGE if n >= 0])
    return st.fixed_dictionaries(
        {
            name: odd_id if isinstance(value, int) else st.just(value)
            for name, value in form.url(world).items()
        }
    )


# ---------------------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", sorted(FORMS))
def test_form_survives_fuzzing(app, auth, client, endpoint):
    form = FORMS[endpoint]
    world = fuzz_world(app)
    cookie = None
    if form.role != "anonymous":
        assert auth.login(world["emails"][form.role]).status_code == 302
        cookie = client.get_cookie("session").value
    baseline = Baseline(app)
    seen = []

    def send(request):
        url_args, body, query = request
        with app.test_request_context():
            path = url_for(endpoint, **url_args)
        browser = app.test_client()  # a new browser holding only the signed-in session
        if cookie:
            browser.set_cookie("session", cookie)
        try:
            status = browser.post(path, query_string=query, **body).status_code
            seen.append(status)
            assert status < 500, f"{status} for POST {path} {body!r:.300}"
            if status >= 400:
                changes = baseline.refusal_changes(form.refusal_writes)
                assert not changes, f"{status} for POST {path} changed: {changes}"
        finally:
            baseline.reset()

    test = given(request=requests(form, world))(send)
    for request in known_troubles(form, world):
        test = example(request=request)(test)
    FUZZ(test)()
    # The fuzzing got past the first check: not every answer was the same refusal.
    assert len(set(seen)) >= 2, seen


# ---------------------------------------------------------------------------------------
# Forms sent by GET: search, filters and paging read from the query string
# ---------------------------------------------------------------------------------------

PAGES = {
    # endpoint: the role that may see it, and its URL arguments
    "pages.home": ("anonymous", lambda w: {}),
    "pages.how_reviews_work": ("anonymous", lambda w: {}),
    "api_docs.page": ("anonymous", lambda w: {}),
    "accounts.register": ("anonymous", lambda w: {}),
    "accounts.sign_in": ("anonymous", lambda w: {}),
    "accounts.forgot_password": ("anonymous", lambda w: {}),
    "accounts.reset_password": ("anonymous", lambda w: {"token": w["reset_token"]}),
    "accounts.verify_email": ("anonymous", lambda w: {"token": w["reset_token"]}),
    "accounts.settings": ("customer", lambda w: {}),
    "accounts.staff": ("owner", lambda w: {}),
    "encounters.dashboard": ("customer", lambda w: {}),
    "encounters.record": ("customer", lambda w: {}),
    "encounters.invitations": ("owner", lambda w: {}),
    "encounters.redeem": ("customer", lambda w: {"code": w["code"]}),
    "encounters.show": ("customer", lambda w: {"encounter_id": w["revealed"]}),
    "reviews.edit": ("customer", lambda w: {"encounter_id": w["fresh"]}),
    "notifications.index": ("customer", lambda w: {}),
    "profiles.directory": ("anonymous", lambda w: {}),
    "profiles.business": ("anonymous", lambda w: {"handle": w["business_handle"]}),
    "profiles.customer": ("owner", lambda w: {"handle": w["handles"]["customer"]}),
    "moderation.queue": ("admin", lambda w: {}),
    "moderation.item": ("admin", lambda w: {"item_id": w["item"]}),
    "moderation.audit": ("admin", lambda w: {}),
    "moderation.appeal": ("customer", lambda w: {"action_id": w["action"]}),
    "privacy.data": ("customer", lambda w: {}),
    "privacy.export": ("customer", lambda w: {}),
}
# Every name a page reads from its query string, with values no page expects.
QUERY_READ = ("page", "q", "city", "category", "sort", "action", "before", "with", "new", "next")
ODD_QUERIES = [
    {"page": str(2**63), "before": str(2**63), "sort": "🙂", "category": "' OR 1=1 --"},
    {"page": "9" * 5_000, "before": "-1"},
    dict.fromkeys(QUERY_READ, "a\x00b"),
    dict.fromkeys(QUERY_READ, "é" * 3_000),
]


def test_every_page_is_fuzzed(app):
    assert_listed(website_routes(app, "GET"), PAGES, f"PAGES in {__name__}")


def test_pages_survive_odd_queries(app):
    """Odd query strings and path values on every page: no server error, and a refused
    request (4xx) changes nothing."""
    world = fuzz_world(app)
    cookies = {}
    for role in {role for role, _ in PAGES.values()} - {"anonymous"}:
        signing_in = app.test_client()
        assert AuthActions(signing_in).login(world["emails"][role]).status_code == 302
        cookies[role] = signing_in.get_cookie("session").value
    baseline = Baseline(app)
    for endpoint, (role, url_args) in sorted(PAGES.items()):
        real = url_args(world)
        odd = {k: 2**63 if isinstance(v, int) else "a\x00b" for k, v in real.items()}
        for args, query in [(real, q) for q in ODD_QUERIES] + [(odd, {})] * bool(real):
            browser = app.test_client()
            if role in cookies:
                browser.set_cookie("session", cookies[role])
            with app.test_request_context():
                path = url_for(endpoint, **args)
            try:
                status = browser.get(path, query_string=query).status_code
                assert status < 500, f"{status} for GET {path} {query!r:.80}"
                if status >= 400:
                    changes = baseline.refusal_changes()
                    assert not changes, f"{status} for GET {path} changed: {changes}"
            finally:
                baseline.reset()
