"""Who sees a customer's etiquette page: exactly PRODUCT.md section 6."""

import pytest

from rating.accounts.models import User
from rating.extensions import db
from tests import builders


@pytest.fixture
def people(app):
    with app.app_context():
        met = builders.make_business()
        staff = builders.make_staff(met)
        not_met = builders.make_business()
        voided_only = builders.make_business()
        customer = builders.make_customer(handle="ana")
        builders.make_encounter(met, customer)
        builders.make_encounter(voided_only, customer, status="voided", recorded_by="business")
        return {
            "customer": customer.email,
            "other customer": builders.make_customer().email,
            "business with an encounter": met.email,
            "staff of that business": staff.email,
            "business without": not_met.email,
            "business with only a voided encounter": voided_only.email,
            "admin": builders.make_admin().email,
        }


EXPECTED = {
    "anonymous": 404,
    "customer": 200,
    "other customer": 404,
    "business with an encounter": 200,
    "staff of that business": 200,
    "business without": 404,
    "business with only a voided encounter": 404,
    "admin": 404,
}


@pytest.mark.parametrize(("who", "status"), EXPECTED.items())
def test_customer_page_visibility(client, auth, people, who, status):
    if who != "anonymous":
        auth.login(people[who])
    response = client.get("/customers/ana")
    assert response.status_code == status
    if status == 200:
        assert response.headers["X-Robots-Tag"] == "noindex"
        assert 'content="noindex, nofollow"' in response.get_data(as_text=True)


@pytest.mark.parametrize("who", EXPECTED)
def test_after_opt_in_everyone_sees_it(app, client, auth, people, who):
    auth.login(people["customer"])
    assert client.post("/customers/ana/visibility", data={"public": "1"}).status_code == 302
    auth.logout()
    if who != "anonymous":
        auth.login(people[who])
    assert client.get("/customers/ana").status_code == 200


def test_only_the_customer_can_change_visibility(client, auth, people):
    auth.login(people["business with an encounter"])
    assert client.post("/customers/ana/visibility", data={"public": "1"}).status_code == 403
    auth.logout()
    assert client.get("/customers/ana").status_code == 404


def test_unknown_and_business_handles_are_404(client, auth, people, app):
    auth.login(people["customer"])
    assert client.get("/customers/nobody").status_code == 404
    with app.app_context():
        business_handle = db.session.scalar(
            db.select(User.handle).where(User.email == people["business without"])
        )
    assert client.get(f"/customers/{business_handle}").status_code == 404


def test_own_view_frames_it_as_feedback(client, auth, people):
    auth.login(people["customer"])
    page = client.get("/customers/ana").get_data(as_text=True)
    assert "Would I be glad to serve a customer like me?" in page
