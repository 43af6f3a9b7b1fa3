"""Schema-driven fuzzing: schemathesis against a live server, on every operation.

Data that fits the OpenAPI document and data that does not, with a seeded world and the
tokens of several roles: the server must answer no 5xx, and every status code, content
type, documented header and body must be what the document says. Derandomized and
bounded (MAX_EXAMPLES per operation and mode), so the run is repeatable and short.

schemathesis' own pytest loader (`from_fixture`) does not run on pytest 9.2, so the
operations are driven here with Hypothesis directly, as its documentation shows.
"""

import collections
import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.generation.modes import GenerationMode

from rating.accounts.models import User
from rating.extensions import db
from rating.tokens.services import create_token

MAX_EXAMPLES = 15
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
ROLES = ("customer", "owner", "staff", "stranger", "admin")
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


class Caller:
    """Sends each case with a token taken in turn, and real ids in half of the paths."""

    def __init__(self, app, world):
        self.app = app
        self.world = world
        self.roles = itertools.cycle(ROLES)
        self.turn = itertools.count()
        self.pools = {
            "encounter_id": itertools.cycle(
                [world["revealed"], world["sealed"], world["unconfirmed"], world["fresh"]]
            ),
            "review_id": itertools.cycle([world["customer_review"], world["business_review"]]),
            "code": itertools.cycle([world["code"]]),
            "handle": itertools.cycle([world["business_handle"], world["handles"]["customer"]]),
            "item_id": itertools.cycle([world["contested_item"]]),
        }
        self.calls = 0
        self.statuses = collections.Counter()

    def token(self, case) -> str:
        role = next(self.roles)
        if case.method.upper() == "DELETE" and case.path == "/api/v1/tokens/current":
            # revoking a shared token would end the run: revoke one made for this call
            with self.app.app_context():
                return create_token(db.session.get(User, self.world["user_ids"][role]))[1]
        return self.world["tokens"][role]

    def __call__(self, case) -> None:
        params = case.path_parameters or {}
        for name, pool in self.pools.items():
            if name in params and next(self.turn) % 2 == 0:
                params[name] = next(pool)
        headers = {"Authorization": f"Bearer {self.token(case)}"}
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        self.statuses[(case.operation.label, response.status_code)] += 1
        self.calls += 1


def fuzz(strategy, caller) -> None:
    @FUZZ
    @given(case=strategy)
    def run(case):
        caller(case)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_document(app, world, live_server, mode):
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    schema.config.update(base_url=live_server)
    schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
    caller = Caller(app, world)
    nothing_to_break = []
    operations = [result.ok() for result in schema.get_all_operations()]
    documented = {
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items()
        for method in item
        if method != "parameters"
    }
    # schemathesis leaves out the operation that serves the document itself
    assert {operation.label for operation in operations} == documented - {
        "GET /api/v1/openapi.json"
    }
    for operation in operations:
        strategies = [operation.as_strategy(generation_mode=mode)]
        if mode is GenerationMode.POSITIVE:
            strategies += schema.get_strategies_from_examples(operation)
        try:
            fuzz(st.one_of(strategies), caller)
        except Unsatisfiable:
            # Nothing in it can be made invalid (no body, no query, free-text path).
            assert mode is GenerationMode.NEGATIVE, operation.label
            assert "requestBody" not in operation.definition.raw, operation.label
            nothing_to_break.append(operation.label)
    assert caller.calls >= len(operations) * 5
    assert len(nothing_to_break) < len(operations) // 2, nothing_to_break
    if mode is GenerationMode.POSITIVE:  # the seeded ids let valid data reach the rules
        succeeded = {label for (label, status) in caller.statuses if status < 300}
        assert len(succeeded) >= len(operations) // 2, caller.statuses
