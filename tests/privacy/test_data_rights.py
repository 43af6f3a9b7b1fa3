"""Download everything about you; delete your account (PRODUCT.md section 8)."""

import json

import pytest
from sqlalchemy import func, select

from rating.accounts.models import User
from rating.extensions import db
from rating.reviews.models import Review
from rating.scores.services import load_numbers
from tests import builders
from tests.builders import PASSWORD
from tests.scores.recompute import recompute


@pytest.fixture
def world(app):
    with app.app_context():
        owner = builders.make_business(handle="aurora")
        customer = builders.make_customer(handle="ana", email="ana@example.com")
        revealed = builders.make_encounter(owner, customer)
        builders.make_review(revealed, customer, comment="Lovely place")
        builders.make_review(revealed, owner, comment="Lovely customer", private_note="Psst")
        sealed = builders.make_encounter(owner, customer)
        builders.make_review(sealed, owner, comment="Sealed secret")
        return {"owner": owner.id, "business": owner.business_id, "customer": customer.id}


def test_export_has_everything_but_sealed_reviews_of_others(client, auth, world):
    auth.login("ana@example.com")
    response = client.get("/settings/data/export.json")
    assert response.status_code == 200
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == "ana@example.com"
    assert [r["comment"] for r in data["reviews_written"]] == ["Lovely place"]
    assert [r["comment"] for r in data["reviews_received"]] == ["Lovely customer"]
    assert "Sealed secret" not in response.get_data(as_text=True)
    assert len(data["encounters"]) == 2 and data["notifications"]


def test_delete_needs_the_password_and_changes_nothing_without(app, client, auth, world):
    auth.login("ana@example.com")
    response = client.post("/settings/delete", data={"password": "wrong-password"})
    assert response.status_code == 422
    assert "This is not your password." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, world["customer"]).email == "ana@example.com"


def test_delete_customer_erases_and_anonymises(app, client, auth, world):
    auth.login("ana@example.com")
    assert client.post("/settings/delete", data={"password": PASSWORD}).status_code == 302
    assert auth.login("ana@example.com").status_code == 422
    with app.app_context():
        user = db.session.get(User, world["customer"])
        assert (user.email, user.password_hash, user.handle) == (None, None, None)
        about_her = db.session.scalars(select(Review).where(Review.side == "business")).all()
        assert {(r.visibility, r.comment, r.private_note) for r in about_her} == {
            ("hidden", "", "")
        }
        subjects = [("business", world["business"])]
        stored, _ = load_numbers(subjects)
        assert stored[subjects[0]] == pytest.approx(recompute(*subjects[0]))
        assert stored[subjects[0]]["given_count"] == 0
    page = client.get("/businesses/aurora").get_data(as_text=True)
    assert "Lovely place" in page and "former customer" in page
    assert client.get("/customers/ana").status_code == 404


def test_delete_business_owner_makes_a_former_business(app, client, auth, world):
    with app.app_context():
        email = db.session.get(User, world["owner"]).email
    auth.login(email)
    assert client.post("/settings/delete", data={"password": PASSWORD}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.email == email)) == 0
    assert client.get("/businesses/aurora").status_code == 404


def test_delete_customer_takes_her_reply_out_of_her_figures(app, client, auth, world):
    from rating.reviews.services import reply_to_review

    with app.app_context():
        about_her = db.session.scalar(select(Review).where(Review.side == "business"))
        reply_to_review(db.session.get(User, world["customer"]), about_her.id, "Thank you!")
    auth.login("ana@example.com")
    assert client.post("/settings/delete", data={"password": PASSWORD}).status_code == 302
    with app.app_context():
        subjects = [("customer", world["customer"])]
        stored, _ = load_numbers(subjects)
        assert stored[subjects[0]] == pytest.approx(recompute(*subjects[0]))
