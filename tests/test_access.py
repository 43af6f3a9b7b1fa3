"""Access matrix: every route × method × role has an expected status.

A route added without an entry here fails `test_every_route_has_an_entry`. Forms are
posted empty (except where `form_for` says), so a role that may act gets 422 (nothing valid to
do) or does the action, and a role that may not gets 403 or 404.

The roles are those of tests/worlds.py. "suspended" is the world's customer after an
admin suspended them: they read what the customer reads, and every try to post, rate,
flag or record is refused with 403 (PRODUCT.md section 7); what stays theirs to do with
their account (settings, password, notifications, profile visibility, withdrawing a
sealed review, appealing, deleting the account) stays allowed. "deleted" is the
customer's session from before they deleted their account: it is nobody's now, so it
gets exactly what anonymous gets (section 8).
"""

from urllib.parse import urlsplit

import pytest
from flask import url_for

from tests import builders
from tests.routes import assert_listed, routes
from tests.worlds import ACCOUNT_OF, ROLES, build_world, delete_customer, suspend_customer

MATRIX = {
    # endpoint, method: statuses in the order of ROLES: anonymous, customer, stranger,
    # owner, staff, other_business, admin, suspended, deleted
    ("pages.home", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("pages.how_reviews_work", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("pages.set_language", "POST"): (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts.register", "GET"): (200, 302, 302, 302, 302, 302, 302, 302, 200),
    ("accounts.register", "POST"): (422, 302, 302, 302, 302, 302, 302, 302, 422),
    ("accounts.sign_in", "GET"): (200, 302, 302, 302, 302, 302, 302, 302, 200),
    ("accounts.sign_in", "POST"): (422, 302, 302, 302, 302, 302, 302, 302, 422),
    ("accounts.sign_out", "POST"): (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts.settings", "GET"): (302, 200, 200, 200, 200, 200, 200, 200, 302),
    ("accounts.settings", "POST"): (302, 422, 422, 422, 422, 422, 422, 422, 302),
    ("accounts.change_password", "POST"): (302, 422, 422, 422, 422, 422, 422, 422, 302),
    ("accounts.resend_verification", "POST"): (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts.forgot_password", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("accounts.forgot_password", "POST"): (422, 422, 422, 422, 422, 422, 422, 422, 422),
    ("accounts.reset_password", "GET"): (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts.reset_password", "POST"): (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts.verify_email", "GET"): (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("accounts.staff", "GET"): (302, 404, 404, 200, 403, 200, 404, 404, 302),
    ("accounts.staff", "POST"): (302, 404, 404, 422, 403, 422, 404, 404, 302),
    ("encounters.dashboard", "GET"): (302, 200, 200, 200, 200, 200, 404, 200, 302),
    ("encounters.record", "GET"): (302, 200, 200, 200, 200, 200, 404, 200, 302),
    ("encounters.record", "POST"): (302, 422, 422, 422, 422, 422, 404, 403, 302),
    ("encounters.invitations", "GET"): (302, 404, 404, 200, 200, 200, 404, 404, 302),
    ("encounters.invitations", "POST"): (302, 404, 404, 302, 302, 302, 404, 404, 302),
    ("encounters.redeem", "GET"): (302, 200, 200, 200, 200, 200, 200, 200, 302),
    ("encounters.redeem", "POST"): (302, 302, 302, 403, 403, 403, 403, 403, 302),
    ("encounters.show", "GET"): (302, 200, 404, 200, 200, 404, 404, 200, 302),
    ("encounters.confirm", "POST"): (302, 302, 404, 403, 403, 404, 404, 403, 302),
    ("encounters.contest", "POST"): (302, 422, 404, 403, 403, 404, 404, 403, 302),
    ("reviews.edit", "GET"): (302, 200, 404, 200, 200, 404, 404, 200, 302),
    ("reviews.edit", "POST"): (302, 422, 404, 422, 422, 404, 404, 403, 302),
    ("reviews.withdraw", "POST"): (302, 302, 404, 404, 404, 404, 404, 302, 302),
    ("reviews.reply", "POST"): (302, 403, 403, 422, 422, 403, 403, 403, 302),
    ("reviews.thanks", "POST"): (302, 422, 404, 422, 422, 404, 404, 403, 302),
    ("notifications.index", "GET"): (302, 200, 200, 200, 200, 200, 200, 200, 302),
    ("notifications.mark_read", "POST"): (302, 302, 404, 404, 404, 404, 404, 302, 302),
    ("notifications.mark_all_read", "POST"): (302, 302, 302, 302, 302, 302, 302, 302, 302),
    ("api_docs.page", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("profiles.directory", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("profiles.business", "GET"): (200, 200, 200, 200, 200, 200, 200, 200, 200),
    ("profiles.customer", "GET"): (404, 200, 404, 200, 200, 404, 404, 200, 404),
    ("profiles.visibility", "POST"): (302, 302, 404, 403, 403, 404, 404, 302, 302),
    ("moderation.queue", "GET"): (302, 404, 404, 404, 404, 404, 200, 404, 302),
    ("moderation.item", "GET"): (302, 404, 404, 404, 404, 404, 200, 404, 302),
    ("moderation.act", "POST"): (302, 404, 404, 404, 404, 404, 422, 404, 302),
    ("moderation.audit", "GET"): (302, 404, 404, 404, 404, 404, 200, 404, 302),
    ("moderation.flag", "POST"): (302, 302, 302, 302, 302, 302, 302, 403, 302),
    ("moderation.appeal", "GET"): (302, 200, 404, 404, 404, 404, 404, 200, 302),
    ("moderation.appeal", "POST"): (302, 422, 404, 404, 404, 404, 404, 422, 302),
    ("privacy.data", "GET"): (302, 200, 200, 200, 200, 200, 200, 200, 302),
    ("privacy.export", "GET"): (302, 200, 200, 200, 200, 200, 200, 200, 302),
    ("privacy.delete", "POST"): (302, 422, 422, 422, 422, 422, 422, 422, 302),
}


def url_args(endpoint, world, role):
    """The URL arguments each endpoint is tried with."""
    if role == "suspended" and endpoint in SUSPENDED_URL_ARGS:
        return SUSPENDED_URL_ARGS[endpoint](world)
    return {
        "accounts.reset_password": {"token": "not-a-valid-token"},
        "accounts.verify_email": {"token": "not-a-valid-token"},
        "encounters.redeem": {"code": world["code"]},
        "encounters.show": {"encounter_id": world["revealed"]},
        "encounters.confirm": {"encounter_id": world["unconfirmed"]},
        "encounters.contest": {"encounter_id": world["unconfirmed"]},
        "reviews.edit": {"encounter_id": world["fresh"]},
        "reviews.withdraw": {"encounter_id": world["sealed"]},
        "reviews.reply": {"review_id": world["customer_review"]},
        "profiles.business": {"handle": world["business_handle"]},
        "profiles.customer": {"handle": world["handles"]["customer"]},
        "profiles.visibility": {"handle": world["handles"]["customer"]},
        "moderation.item": {"item_id": world["item"]},
        "moderation.act": {"item_id": world["item"]},
        "moderation.appeal": {"action_id": world["action"]},
        "reviews.thanks": {"encounter_id": world["fresh"]},
        "notifications.mark_read": {"notification_id": world["notification"]},
    }.get(endpoint, {})


# The customer's own review is not theirs to reply to (403 whether suspended or not): the
# suspended customer tries the review they may answer, the business's review of them.
SUSPENDED_URL_ARGS = {
    "reviews.reply": lambda world: {"review_id": world["business_review"]},
}


def form_for(endpoint, world):
    """An empty form, except where an empty one cannot reach the permission check."""
    if endpoint == "moderation.flag":  # a flag names what it flags, or there is nothing
        return {"target_type": "review", "target_id": world["customer_review"], "reason": "spam"}
    return {}


def test_every_route_has_an_entry(app):
    # /api/v1 has its own matrix, in tests/api/test_access_matrix.py
    assert_listed(routes(app, api=False), MATRIX, "the access matrix")


class Tries:
    """Tries one route as each role in turn, in as few worlds as stay honest.

    A world serves the next role only when the request before left it as it was: a GET,
    or a refusal (an error status, or the redirect to the sign-in page). After any other
    answer, or an error raised, the next role gets a fresh world. "suspended" comes after
    the plain roles, so suspending the customer changes nothing they get; "deleted" comes
    last and signs in before the account is deleted (the customer may be suspended by
    then, which must not matter: the old session is nobody's).
    """

    def __init__(self, app, endpoint, method):
        self.app, self.endpoint, self.method = app, endpoint, method
        self.world = None
        with app.test_request_context():
            self.sign_in_path = url_for("accounts.sign_in")

    def _world_for(self, role):
        if self.world is None:
            self.world = build_world(self.app, hidden_thanks=True)
        if role == "suspended" and not self.world["suspended"]:
            suspend_customer(self.app, self.world)
        return self.world

    def _left_as_it_was(self, response) -> bool:
        if self.method == "GET" or response.status_code >= 400:
            return True
        location = response.headers.get("Location", "")
        return response.status_code == 302 and urlsplit(location).path == self.sign_in_path

    def answer(self, role):
        """(the response to this role's request, its path)."""
        world = self._world_for(role)
        self.world = None  # until this request is known to have left it as it was
        client = self.app.test_client()
        if role != "anonymous":
            email = world["emails"][ACCOUNT_OF.get(role, role)]
            signed_in = client.post(
                "/sign-in", data={"email": email, "password": builders.PASSWORD}
            )
            assert signed_in.status_code == 302, f"{role} could not sign in"
        if role == "deleted":
            delete_customer(self.app, world)
        with self.app.test_request_context():
            path = url_for(self.endpoint, **url_args(self.endpoint, world, role))
        response = client.open(path, method=self.method, data=form_for(self.endpoint, world))
        if self._left_as_it_was(response):
            self.world = world
        return response, path


@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
def test_access(app, subtests, endpoint, method):
    """Each role is its own subtest, named by role and route, and reported on its own."""
    tries = Tries(app, endpoint, method)
    for role, expected in zip(ROLES, MATRIX[(endpoint, method)], strict=True):
        with subtests.test(msg=f"{role} {method} {endpoint}"):
            response, path = tries.answer(role)
            where = response.headers.get("Location", "")
            assert response.status_code == expected, (
                f"{role} {method} {path}: expected {expected}, got {response.status_code} {where}"
            )


def test_what_the_suspended_customer_tries_is_refused_for_the_suspension(app):
    """Where the suspended role tries another target, the customer without a suspension
    is not refused there: the 403 in the matrix comes from the suspension."""
    world = build_world(app, hidden_thanks=True)
    client = app.test_client()
    email = world["emails"]["customer"]
    assert (
        client.post("/sign-in", data={"email": email, "password": builders.PASSWORD}).status_code
        == 302
    )
    for endpoint in SUSPENDED_URL_ARGS:
        with app.test_request_context():
            path = url_for(endpoint, **url_args(endpoint, world, "suspended"))
        response = client.post(path, data=form_for(endpoint, world))
        assert response.status_code == 422, f"customer POST {path}: {response.status_code}"
