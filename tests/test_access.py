"""Access matrix: every route × method × role has an expected status.

A route added without an entry here fails `test_every_route_has_an_entry`. Forms are
posted empty, so a role that may act gets 422 (nothing valid to do) or does the action.
"""

import pytest
from flask import url_for

from rating.notifications.models import Notification
from tests import builders

ROLES = ("anonymous", "customer", "stranger", "owner", "staff", "other_business", "admin")


MATRIX = {
    # endpoint, method: statuses in the order of ROLES
    ("pages.home", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("pages.how_reviews_work", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("pages.set_language", "POST"): (302, 302, 302, 302, 302, 302, 302),
    ("accounts.register", "GET"): (200, 302, 302, 302, 302, 302, 302),
    ("accounts.register", "POST"): (422, 302, 302, 302, 302, 302, 302),
    ("accounts.sign_in", "GET"): (200, 302, 302, 302, 302, 302, 302),
    ("accounts.sign_in", "POST"): (422, 302, 302, 302, 302, 302, 302),
    ("accounts.sign_out", "POST"): (302, 302, 302, 302, 302, 302, 302),
    ("accounts.settings", "GET"): (302, 200, 200, 200, 200, 200, 200),
    ("accounts.settings", "POST"): (302, 422, 422, 422, 422, 422, 422),
    ("accounts.change_password", "POST"): (302, 422, 422, 422, 422, 422, 422),
    ("accounts.resend_verification", "POST"): (302, 302, 302, 302, 302, 302, 302),
    ("accounts.forgot_password", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("accounts.forgot_password", "POST"): (422, 422, 422, 422, 422, 422, 422),
    ("accounts.reset_password", "GET"): (302, 302, 302, 302, 302, 302, 302),
    ("accounts.reset_password", "POST"): (302, 302, 302, 302, 302, 302, 302),
    ("accounts.verify_email", "GET"): (302, 302, 302, 302, 302, 302, 302),
    ("accounts.staff", "GET"): (302, 404, 404, 200, 403, 200, 404),
    ("accounts.staff", "POST"): (302, 404, 404, 422, 403, 422, 404),
    ("encounters.dashboard", "GET"): (302, 200, 200, 200, 200, 200, 404),
    ("encounters.record", "GET"): (302, 200, 200, 200, 200, 200, 404),
    ("encounters.record", "POST"): (302, 422, 422, 422, 422, 422, 404),
    ("encounters.invitations", "GET"): (302, 404, 404, 200, 200, 200, 404),
    ("encounters.invitations", "POST"): (302, 404, 404, 302, 302, 302, 404),
    ("encounters.redeem", "GET"): (302, 200, 200, 200, 200, 200, 200),
    ("encounters.redeem", "POST"): (302, 302, 302, 403, 403, 403, 403),
    ("encounters.show", "GET"): (302, 200, 404, 200, 200, 404, 404),
    ("encounters.confirm", "POST"): (302, 302, 404, 403, 403, 404, 404),
    ("encounters.contest", "POST"): (302, 422, 404, 403, 403, 404, 404),
    ("reviews.edit", "GET"): (302, 200, 404, 200, 200, 404, 404),
    ("reviews.edit", "POST"): (302, 422, 404, 422, 422, 404, 404),
    ("reviews.withdraw", "POST"): (302, 302, 404, 404, 404, 404, 404),
    ("reviews.reply", "POST"): (302, 403, 403, 422, 422, 403, 403),
    ("reviews.thanks", "POST"): (302, 422, 404, 422, 422, 404, 404),
    ("notifications.index", "GET"): (302, 200, 200, 200, 200, 200, 200),
    ("notifications.mark_read", "POST"): (302, 302, 404, 404, 404, 404, 404),
    ("notifications.mark_all_read", "POST"): (302, 302, 302, 302, 302, 302, 302),
    ("api_docs.page", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("profiles.directory", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("profiles.business", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("profiles.customer", "GET"): (404, 200, 404, 200, 200, 404, 404),
    ("profiles.visibility", "POST"): (302, 302, 404, 403, 403, 404, 404),
    ("moderation.queue", "GET"): (302, 404, 404, 404, 404, 404, 200),
    ("moderation.item", "GET"): (302, 404, 404, 404, 404, 404, 200),
    ("moderation.act", "POST"): (302, 404, 404, 404, 404, 404, 422),
    ("moderation.audit", "GET"): (302, 404, 404, 404, 404, 404, 200),
    ("moderation.flag", "POST"): (302, 404, 404, 404, 404, 404, 404),
    ("moderation.appeal", "GET"): (302, 200, 404, 404, 404, 404, 404),
    ("moderation.appeal", "POST"): (302, 422, 404, 404, 404, 404, 404),
    ("privacy.data", "GET"): (302, 200, 200, 200, 200, 200, 200),
    ("privacy.export", "GET"): (302, 200, 200, 200, 200, 200, 200),
    ("privacy.delete", "POST"): (302, 422, 422, 422, 422, 422, 422),
}


def url_args(endpoint, world):
    """The URL arguments each endpoint is tried with."""
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
        "profiles.customer": {"handle": world["customer_handle"]},
        "profiles.visibility": {"handle": world["customer_handle"]},
        "moderation.item": {"item_id": world["item"]},
        "moderation.act": {"item_id": world["item"]},
        "moderation.appeal": {"action_id": world["action"]},
        "reviews.thanks": {"encounter_id": world["fresh"]},
        "notifications.mark_read": {"notification_id": world["notification"]},
    }.get(endpoint, {})


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.endpoint.startswith("api."):
            continue  # /api/v1 has its own matrix, in tests/api/test_access_matrix.py
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method


def test_every_route_has_an_entry(app):
    missing = sorted(set(routes(app)) - set(MATRIX))
    assert not missing, f"add these routes to the access matrix: {missing}"
    stale = sorted(set(MATRIX) - set(routes(app)))
    assert not stale, f"these entries name routes that no longer exist: {stale}"


@pytest.fixture
def world(app):
    """One of each role, and an encounter in each state the routes need."""
    with app.app_context():
        owner = builders.make_business()
        staff = builders.make_staff(owner)
        customer = builders.make_customer()
        users = {
            "customer": customer,
            "stranger": builders.make_customer(),
            "owner": owner,
            "staff": staff,
            "other_business": builders.make_business(),
            "admin": builders.make_admin(),
        }
        revealed = builders.make_encounter(owner, customer)
        customer_review = builders.make_review(revealed, customer)
        builders.make_review(revealed, staff)
        sealed = builders.make_encounter(owner, customer)
        builders.make_review(sealed, customer)
        unconfirmed = builders.make_encounter(owner, customer, status="unconfirmed")
        fresh = builders.make_encounter(owner, customer)
        from rating.encounters.services import create_invitation
        from rating.extensions import db

        code = create_invitation(owner).code
        from rating.moderation import actions
        from rating.moderation.flags import FlagInput, flag_item
        from rating.moderation.models import ModerationItem
        from rating.thanks.services import send_thanks

        thanks = send_thanks(customer, revealed.id, "Gracias")
        flag_item(users["stranger"], FlagInput("thanks", thanks.id, "spam"))
        item = db.session.scalar(db.select(ModerationItem.id))
        action = actions.act(users["admin"], item, "hide", "Spam").id
        notification = db.session.scalar(
            db.select(Notification.id).where(Notification.user_id == customer.id).limit(1)
        )
        return {
            "emails": {role: user.email for role, user in users.items()},
            "revealed": revealed.id,
            "customer_review": customer_review.id,
            "sealed": sealed.id,
            "unconfirmed": unconfirmed.id,
            "fresh": fresh.id,
            "code": code,
            "notification": notification,
            "business_handle": owner.business.handle,
            "customer_handle": customer.handle,
            "item": item,
            "action": action,
        }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
def test_access(app, client, auth, world, role, endpoint, method):
    if role != "anonymous":
        assert auth.login(world["emails"][role]).status_code == 302
    with app.test_request_context():
        path = url_for(endpoint, **url_args(endpoint, world))
    response = client.open(path, method=method, data={})
    expected = MATRIX[(endpoint, method)][ROLES.index(role)]
    assert response.status_code == expected, f"{role} {method} {path}"
