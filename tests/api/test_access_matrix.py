"""Access matrix of the API: every route × method × role has an expected status.

Generated from the URL map: a route under /api/v1 without an entry fails
`test_every_api_route_has_an_entry`. Bodies are valid where a role's permission is what
is being tried, and empty (`{}`) where the shape check answers first.
"""

import pytest
from flask import url_for

from tests.api.conftest import ROLES, assert_error, build_world

MATRIX = {
    # endpoint, method: statuses in the order of ROLES
    # (anonymous, customer, stranger, owner, staff, other_business, admin)
    ("api.accounts.register", "POST"): (422, 422, 422, 422, 422, 422, 422),
    ("api.accounts.create_token", "POST"): (422, 422, 422, 422, 422, 422, 422),
    ("api.accounts.revoke_token", "DELETE"): (401, 204, 204, 204, 204, 204, 204),
    ("api.accounts.me", "GET"): (401, 200, 200, 200, 200, 200, 200),
    ("api.encounters.create_invitation", "POST"): (401, 403, 403, 201, 201, 201, 403),
    ("api.encounters.redeem_invitation", "POST"): (401, 201, 201, 403, 403, 403, 403),
    ("api.encounters.list_encounters", "GET"): (401, 200, 200, 200, 200, 200, 200),
    ("api.encounters.record_encounter", "POST"): (401, 422, 422, 422, 422, 422, 422),
    ("api.encounters.show_encounter", "GET"): (401, 200, 404, 200, 200, 404, 404),
    ("api.encounters.confirm_encounter", "POST"): (401, 200, 404, 403, 403, 404, 404),
    ("api.encounters.contest_encounter", "POST"): (401, 200, 404, 403, 403, 404, 404),
    ("api.reviews.put_review", "PUT"): (401, 422, 404, 422, 422, 404, 404),
    ("api.reviews.withdraw_review", "DELETE"): (401, 204, 404, 404, 404, 404, 404),
    ("api.reviews.encounter_reviews", "GET"): (401, 200, 404, 200, 200, 404, 404),
    ("api.reviews.reply", "POST"): (401, 403, 403, 201, 201, 403, 403),
    ("api.reviews.edit_reply", "PUT"): (401, 403, 403, 404, 404, 403, 403),
    ("api.thanks.thank", "POST"): (401, 201, 404, 201, 201, 404, 404),
    ("api.notifications.list_notifications", "GET"): (401, 200, 200, 200, 200, 200, 200),
    ("api.meta.openapi", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api.privacy.export", "GET"): (401, 200, 200, 200, 200, 200, 200),
    ("api.privacy.delete_account", "DELETE"): (401, 422, 422, 422, 422, 422, 422),
    ("api.moderation.flag", "POST"): (401, 201, 201, 201, 201, 201, 201),
    ("api.moderation.queue", "GET"): (401, 404, 404, 404, 404, 404, 200),
    ("api.moderation.act", "POST"): (401, 404, 404, 404, 404, 404, 201),
    ("api.moderation.audit", "GET"): (401, 404, 404, 404, 404, 404, 200),
    ("api.profiles.directory", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api.profiles.business", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api.profiles.business_reviews", "GET"): (200, 200, 200, 200, 200, 200, 200),
    ("api.profiles.customer", "GET"): (404, 200, 404, 200, 200, 404, 404),
    ("api.profiles.customer_reviews", "GET"): (404, 200, 404, 200, 200, 404, 404),
}

CHANGES_STATE = {
    "api.moderation.flag",
    "api.moderation.act",
    "api.encounters.redeem_invitation",
    "api.encounters.confirm_encounter",
    "api.encounters.contest_encounter",
    "api.reviews.withdraw_review",
    "api.reviews.reply",
    "api.thanks.thank",
}


def body_for(endpoint, method, world):
    """Valid where permission is what is tried; `{}` where the shape check answers first."""
    if method not in ("POST", "PUT", "DELETE"):
        return None
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


def url_args(endpoint, world):
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


def api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule.endpoint, method


def test_every_api_route_has_an_entry(app):
    missing = sorted(set(api_routes(app)) - set(MATRIX))
    assert not missing, f"add these API routes to the access matrix: {missing}"
    stale = sorted(set(MATRIX) - set(api_routes(app)))
    assert not stale, f"these entries name routes that no longer exist: {stale}"


def status_of(app, client, world, role, endpoint, method):
    with app.test_request_context():
        path = url_for(endpoint, **url_args(endpoint, world))
    headers = {} if role == "anonymous" else {"Authorization": f"Bearer {world['tokens'][role]}"}
    body = body_for(endpoint, method, world)
    response = client.open(path, method=method, headers=headers, json=body)
    if response.status_code >= 400:
        assert_error(response, response.status_code)
    return response.status_code


@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
def test_api_access(app, client, endpoint, method):
    """Each role in turn; a fresh world for each role where one role's success would
    change what the next one gets (a second reply is a conflict, not a permission)."""
    world = build_world(app)
    statuses = {}
    for role in ROLES:
        if endpoint in CHANGES_STATE and role != ROLES[0]:
            world = build_world(app)
        statuses[role] = status_of(app, client, world, role, endpoint, method)
    assert statuses == dict(zip(ROLES, MATRIX[(endpoint, method)], strict=True))
