"""Access matrix: every route × method × role has an expected status.

A route added without an entry here fails `test_every_route_has_an_entry`.
"""

import pytest
from flask import url_for

ROLES = ("anonymous", "customer", "owner", "staff", "admin")

# (endpoint, method) -> status per role, in the order of ROLES.
# Forms are posted empty, so a role that may act gets 422 (nothing valid to do).
MATRIX = {
    ("pages.home", "GET"): (200, 200, 200, 200, 200),
    ("pages.how_reviews_work", "GET"): (200, 200, 200, 200, 200),
    ("pages.set_language", "POST"): (302, 302, 302, 302, 302),
    ("accounts.register", "GET"): (200, 302, 302, 302, 302),
    ("accounts.register", "POST"): (422, 302, 302, 302, 302),
    ("accounts.sign_in", "GET"): (200, 302, 302, 302, 302),
    ("accounts.sign_in", "POST"): (422, 302, 302, 302, 302),
    ("accounts.sign_out", "POST"): (302, 302, 302, 302, 302),
    ("accounts.settings", "GET"): (302, 200, 200, 200, 200),
    ("accounts.settings", "POST"): (302, 422, 422, 422, 422),
    ("accounts.change_password", "POST"): (302, 422, 422, 422, 422),
    ("accounts.staff", "GET"): (302, 404, 200, 403, 404),
    ("accounts.staff", "POST"): (302, 404, 422, 403, 404),
}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method


def test_every_route_has_an_entry(app):
    missing = sorted(set(routes(app)) - set(MATRIX))
    assert not missing, f"add these routes to the access matrix: {missing}"
    stale = sorted(set(MATRIX) - set(routes(app)))
    assert not stale, f"these entries name routes that no longer exist: {stale}"


@pytest.fixture
def signed_in_as(app, client, auth, make_customer, make_business, make_staff, make_admin):
    def sign_in(role):
        if role == "anonymous":
            return
        owner = make_business() if role in ("owner", "staff") else None
        user = {
            "customer": make_customer,
            "owner": lambda: owner,
            "staff": lambda: make_staff(owner),
            "admin": make_admin,
        }[role]()
        assert auth.login(user).status_code == 302

    return sign_in


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("endpoint", "method"), sorted(MATRIX))
def test_access(app, client, signed_in_as, role, endpoint, method):
    signed_in_as(role)
    with app.test_request_context():
        path = url_for(endpoint)
    response = client.open(path, method=method, data={})
    expected = MATRIX[(endpoint, method)][ROLES.index(role)]
    assert response.status_code == expected, f"{role} {method} {path}"
