"""The moderation area through the web, as an admin uses it."""

import re

import pytest
from sqlalchemy import select

from rating.extensions import db
from rating.moderation.models import ModerationAction, ModerationItem
from rating.reviews.models import Review
from tests import builders


@pytest.fixture
def world(app):
    with app.app_context():
        owner = builders.make_business(handle="aurora")
        customer = builders.make_customer()
        encounter = builders.make_encounter(owner, customer)
        review = builders.make_review(encounter, customer, comment="Slow but kind.")
        builders.make_review(encounter, owner)
        flaggers = [builders.make_customer().email for _ in range(3)]
        return {
            "review": review.id,
            "flaggers": flaggers,
            "admin": builders.make_admin().email,
            "customer": customer.email,
        }


def test_flags_hide_then_admin_approves_through_pages(app, client, auth, world):
    for email in world["flaggers"]:
        auth.login(email)
        response = client.post(
            "/flags",
            data={
                "target_type": "review",
                "target_id": world["review"],
                "reason": "fake",
                "next": "/businesses/aurora",
            },
        )
        assert response.status_code == 302
        auth.logout()
    assert "Slow but kind." not in client.get("/businesses/aurora").get_data(as_text=True)

    auth.login(world["admin"])
    queue = client.get("/moderation").get_data(as_text=True)
    assert (
        "review #" in queue and "Fake: this encounter did not happen" in queue
    )  # the reason, worded
    assert re.search(r"<td>3</td>", queue)  # how many flags, as the API says
    with app.app_context():
        item_id = db.session.scalar(select(ModerationItem.id))
    page = client.get(f"/moderation/items/{item_id}").get_data(as_text=True)
    assert "Slow but kind." in page and "3 flags" in page
    missing_reason = client.post(
        f"/moderation/items/{item_id}/actions", data={"action": "hide", "reason": ""}
    )
    assert missing_reason.status_code == 422
    assert "Give the reason" in missing_reason.get_data(as_text=True)
    assert (
        client.post(
            f"/moderation/items/{item_id}/actions",
            data={"action": "approve", "reason": "Fair review"},
        ).status_code
        == 302
    )
    assert "Slow but kind." in client.get("/businesses/aurora").get_data(as_text=True)
    audit = client.get("/moderation/audit").get_data(as_text=True)
    assert "approve" in audit and "Fair review" in audit


def test_held_review_through_the_page_tells_the_author(
    app, client, auth, make_business, make_customer
):
    owner = make_business()
    customer = make_customer()
    with app.app_context():
        from rating.accounts.models import User

        encounter = builders.make_encounter(
            db.session.get(User, owner.id), db.session.get(User, customer.id)
        )
        eid = encounter.id
    auth.login(customer)
    data = {
        "attention": "2",
        "proactivity": "2",
        "promises_kept": "2",
        "respect": "2",
        "honesty": "2",
        "recommend": "no",
        "comment": "The clerk was an idiot",
        "mode": "new",
    }
    assert client.post(f"/encounters/{eid}/review", data=data).status_code == 302
    notes = client.get("/notifications").get_data(as_text=True)
    assert "a moderator will check it before others can see it" in notes
    with app.app_context():
        assert db.session.scalar(select(Review.visibility)) == "held"


def test_shouting_is_refused_with_the_text_kept(app, client, auth, make_business, make_customer):
    owner = make_business()
    customer = make_customer()
    with app.app_context():
        from rating.accounts.models import User

        eid = builders.make_encounter(
            db.session.get(User, owner.id), db.session.get(User, customer.id)
        ).id
    auth.login(customer)
    shout = "NOBODY ANSWERED MY CALLS FOR A WEEK"
    data = {
        "attention": "1",
        "proactivity": "1",
        "promises_kept": "1",
        "respect": "1",
        "honesty": "1",
        "recommend": "no",
        "comment": shout,
        "mode": "new",
    }
    response = client.post(f"/encounters/{eid}/review", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert shout in page and "calmly" in page
    with app.app_context():
        assert db.session.scalar(select(Review.id)) is None
        assert db.session.scalar(select(ModerationAction.id)) is None
