"""Access matrix of the API: every route × method × role has an expected status.

Generated from the URL map: a route under /api/v1 without an entry fails
`test_every_api_route_has_an_entry`. Bodies are valid where a role's permission is what
is being tried, and empty (`{}`) where the shape check answers first.

The roles are those of tests/worlds.py. "suspended" is the world's customer, with their
token, after an admin suspended them: they read what the customer reads, and every try to
post, rate, flag or record is refused with 403 (PRODUCT.md section 7), tried with a valid
body so that the shape check cannot answer first; what stays theirs to do with their
account (revoking the token, withdrawing a sealed review, deleting the account) stays
allowed. "deleted" is the customer's token from before they deleted their account: a
token sent but not valid is refused everywhere with 401, public routes included
(section 10; rating/api/auth.py).
"""

import pytest
from flask import url_for

from rating import clock
from tests import builders
from tests.api.conftest import assert_error, build_world
from tests.routes import assert_listed, routes
from tests.worlds import ACCOUNT_OF, ROLES, delete_customer, suspend_customer

MATRIX = {
    # endpoint, method: statuses in the order of ROLES: anonymous, customer, stranger,
    # owner, staff, other_business, admin, suspended, deleted
    ("api.accounts.register", "POST"): (422, 422, 422, 422, 422, 422, 422, 422, 401),
    ("api.accounts.create_token", "POST"): (422, 422, 422, 422, 422, 422, 422, 422, 401),
    ("api.accounts.revoke_token", "DELETE"): (401, 204, 204, 204, 204, 204, 204, 204, 401),
    ("api.accounts.me", "GET"): (401, 200, 200, 200, 200, 200, 200, 200, 401),
    ("api.encounters.create_invitation", "POST"): (401, 403, 403, 201, 201, 201, 403, 403, 401),
    ("api.encounters.redeem_invitation", "POST"): (401, 201, 201, 403, 403, 403, 403, 403, 401),
    ("api.encounters.list_encounters", "GET"): (401, 200, 200, 200, 200, 200, 200, 200, 401),
    ("api.encounters.record_encounter", "POST"): (401, 422, 422, 422, 422, 422, 422, 403, 401),
    ("api.encounters.show_encounter", "GET"): (401, 200, 404, 200, 200, 404, 404, 200, 401),
    ("api.encounters.confirm_encounter", "POST"): (401, 200, 404, 403, 403, 404, 404, 403, 401),
    ("api.encounters.contest_encounter", "POST"): (401, 200, 404, 403, 403, 404, 404, 403, 401),
    ("api.reviews.put_review", "PUT"): (401, 422, 404, 422, 422, 404, 404, 403, 401),
    ("api.reviews.withdraw_review", "DELETE"): (401, 204, 404, 404, 404, 404, 404, 204, 401),
    ("api.reviews.encounter_reviews", "GET"): (401, 200, 404, 200, 200, 404, 404, 200, 401),
    ("api.reviews.reply", "POST"): (401, 403, 403, 201, 201, 403, 403, 403, 401),
    ("api.reviews.edit_reply", "PUT"): (401, 403, 403, 404, 404, 403, 403, 403, 401),
    ("api.thanks.thank", "POST"): (401, 201, 404, 201, 201, 404, 404, 403, 401),
    ("api.notifications.list_notifications", "GET"): (401, 200, 200, 200, 200, 200, 200, 200, 401),
    ("api.meta.openapi", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("api.privacy.export", "GET"): (401, 200, 200, 200, 200, 200, 200, 200, 401),
    ("api.privacy.delete_account", "DELETE"): (401, 422, 422, 422, 422, 422, 422, 422, 401),
    ("api.moderation.flag", "POST"): (401, 201, 201, 201, 201, 201, 201, 403, 401),
    ("api.moderation.queue", "GET"): (401, 404, 404, 404, 404, 404, 200, 404, 401),
    ("api.moderation.act", "POST"): (401, 404, 404, 404, 404, 404, 201, 404, 401),
    ("api.moderation.audit", "GET"): (401, 404, 404, 404, 404, 404, 200, 404, 401),
    ("api.profiles.directory", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("api.profiles.business", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("api.profiles.business_reviews", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 401),
    ("api.profiles.customer", "GET"): (404, 200, 404, 200, 200, 404, 404, 200, 401),
    ("api.profiles.customer_reviews", "GET"): (404, 200, 404, 200, 200, 404, 404, 200, 401),
}


def body_for(endpoint, method, world, role):
    """Valid where permission is what is tried; `{}` where the shape check answers first."""
    if method not in ("POST", "PUT", "DELETE"):
        return None
    if role == "suspended" and endpoint in SUSPENDED_BODIES:
        return SUSPENDED_BODIES[endpoint](world)
    return {
        "api.encounters.contest_encounter": {"reason": "It never happened."},
        "api.reviews.reply": {"text": "Thank you."},
        "api.reviews.edit_reply": {"text": "Thank you."},
        "api.thanks.thank": {"message": "Thank you."},
        "api.moderation.flag": {
            "target_type": "review",
            "target_id": world["customer_review"],
            "reason": "spam",
        },
        "api.moderation.act": {"action": "confirm", "reason": "Both sides showed a receipt."},
        "api.privacy.delete_account": {"password": "not the password"},
    }.get(endpoint, {} if method != "DELETE" else None)


# Where `{}` would be refused by the shape check (422) before the suspension is looked at,
# the suspended customer sends what the customer could send.
SUSPENDED_BODIES = {
    "api.encounters.record_encounter": lambda world: {
        "with": world["business_handle"],
        "occurred_on": clock.now().date().isoformat(),
    },
    "api.reviews.put_review": lambda world: dict(builders.CUSTOMER_SCORES),
}


def url_args(endpoint, world, role):
    if role == "suspended" and endpoint in SUSPENDED_URL_ARGS:
        return SUSPENDED_URL_ARGS[endpoint](world)
    return {
        "api.encounters.redeem_invitation": {"code": world["code"]},
        "api.encounters.show_encounter": {"encounter_id": world["revealed"]},
        "api.encounters.confirm_encounter": {"encounter_id": world["unconfirmed"]},
        "api.encounters.contest_encounter": {"encounter_id": world["unconfirmed"]},
        "api.reviews.put_review": {"encounter_id": world["fresh"]},
        "api.reviews.withdraw_review": {"encounter_id": world["sealed"]},
        "api.reviews.encounter_reviews": {"encounter_id": world["revealed"]},
        "api.reviews.reply": {"review_id": world["customer_review"]},
        "api.reviews.edit_reply": {"review_id": world["customer_review"]},
        "api.thanks.thank": {"encounter_id": world["fresh"]},
        "api.moderation.act": {"item_id": world["contested_item"]},
        "api.profiles.business": {"handle": world["business_handle"]},
        "api.profiles.business_reviews": {"handle": world["business_handle"]},
        "api.profiles.customer": {"handle": world["handles"]["customer"]},
        "api.profiles.customer_reviews": {"handle": world["handles"]["customer"]},
    }.get(endpoint, {})


# The customer's own review is not theirs to answer (403 whether suspended or not): the
# suspended customer tries the review they may answer, the business's review of them.
SUSPENDED_URL_ARGS = {
    "api.reviews.reply": lambda world: {"review_id": world["business_review"]},
    "api.reviews.edit_reply": lambda world: {"review_id": world["business_review"]},
}


def test_every_api_route_has_an_entry(app):
    assert_listed(routes(app, api=True), MATRIX, "the API access matrix")


class Tries:
    """Tries one route as each role in turn, in as few worlds as stay honest.

    A world serves the next role only when the request before left it as it was: a GET
    or a refusal. After a success (a second reply is a conflict, not a permission) or an
    error raised, the next role gets a fresh world. "suspended" comes after the plain
    roles, so suspending the customer changes nothing they get; "deleted" comes last
    (the customer may be suspended by then, which must not matter: the token is nobody's).
    """

    def __init__(self, app, client, endpoint, method):
        self.app, self.client, self.endpoint, self.method = app, client, endpoint, method
        self.world = None

    def _world_for(self, role):
        if self.world is None:
            self.world = build_world(self.app)
        if role == "suspended" and not self.world["suspended"]:
            suspend_customer(self.app, self.world)
        return self.world

    def answer(self, role):
        """(the response to this role's request, its path)."""
        world = self._world_for(role)
        self.world = None  # until this request is known to have left it as it was
        if role == "deleted":
            delete_customer(self.app, world)  # the token was made before
        with self.app.test_request_context():
            path = url_for(self.endpoint, **url_args(self.endpoint, world, role))
        token = world["tokens"][ACCOUNT_OF.get(role, role)] if role != "anonymous" else None
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        body = body_for(self.endpoint, self.method, world, role)
        response = self.client.open(path, method=self.method, headers=headers, json=body)
        if self.method == "GET" or response.status_code >= 400:
            self.world = world
        return response, path


@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
def test_api_access(app, client, subtests, endpoint, method):
    """Each role is its own subtest, named by role and route, and reported on its own."""
    tries = Tries(app, client, endpoint, method)
    for role, expected in zip(ROLES, MATRIX[(endpoint, method)], strict=True):
        with subtests.test(msg=f"{role} {method} {endpoint}"):
            response, path = tries.answer(role)
            assert response.status_code == expected, (
                f"{role} {method} {path}: expected {expected}, got {response.status_code}: "
                f"{response.get_data(as_text=True)[:300]}"
            )
            if expected >= 400:
                assert_error(response, expected)


# Without the suspension, what the suspended customer sends is not refused (201, or 404
# where there is no reply to edit yet): the 403 in the matrix comes from the suspension.
UNSUSPENDED = {
    ("api.encounters.record_encounter", "POST"): 201,
    ("api.reviews.put_review", "PUT"): 201,
    ("api.reviews.reply", "POST"): 201,
    ("api.reviews.edit_reply", "PUT"): 404,
}


def test_what_the_suspended_customer_sends_is_refused_for_the_suspension(app, client):
    assert set(SUSPENDED_BODIES) | set(SUSPENDED_URL_ARGS) == {e for e, _ in UNSUSPENDED}
    for (endpoint, method), status in UNSUSPENDED.items():
        world = build_world(app)  # each in its own: a reply made would be there to edit
        headers = {"Authorization": f"Bearer {world['tokens']['customer']}"}
        with app.test_request_context():
            path = url_for(endpoint, **url_args(endpoint, world, "suspended"))
        body = body_for(endpoint, method, world, "suspended")
        response = client.open(path, method=method, headers=headers, json=body)
        assert response.status_code == status, f"customer {method} {path}: {response.data}"
