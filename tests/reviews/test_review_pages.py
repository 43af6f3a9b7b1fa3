"""Reviews through the web pages: double-blind, reveal, refusals with status and message."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from rating import clock
from rating.extensions import db
from rating.reviews.models import Reply, Review
from tests import builders

SECRET_COMMENT = "Zebra-comment-7731"
SECRET_NOTE = "Quokka-note-4410"
SEALED_SCORES = {
    "attention": "1",
    "proactivity": "1",
    "promises_kept": "1",
    "respect": "1",
    "honesty": "1",
    "recommend": "no",
    "comment": SECRET_COMMENT,
    "private_note": SECRET_NOTE,
}
BUSINESS_FORM = {
    "patience": "5",
    "clarity": "4",
    "respect": "5",
    "problem_reporting": "4",
    "would_serve_again": "yes",
    "comment": "Lovely customer.",
    "mode": "new",
}


@pytest.fixture
def world(app):
    with app.app_context():
        owner = builders.make_business()
        staff = builders.make_staff(owner)
        customer = builders.make_customer()
        encounter = builders.make_encounter(owner, customer)
        return {
            "owner": owner.email,
            "staff": staff.email,
            "customer": customer.email,
            "encounter": encounter.id,
        }


def pages_of_the_other_side(client, encounter_id):
    paths = [
        "/",
        "/encounters",
        f"/encounters/{encounter_id}",
        f"/encounters/{encounter_id}/review",
        "/notifications",
    ]
    return {path: client.get(path) for path in paths}


def review_count(app):
    with app.app_context():
        return db.session.scalar(select(func.count(Review.id)))


def test_double_blind_until_the_second_review(app, client, auth, world):
    eid = world["encounter"]
    auth.login(world["customer"])
    response = client.post(f"/encounters/{eid}/review", data={**SEALED_SCORES, "mode": "new"})
    assert response.status_code == 302
    auth.logout()

    for who in ("owner", "staff"):
        auth.login(world[who])
        for path, page in pages_of_the_other_side(client, eid).items():
            html = page.get_data(as_text=True)
            assert page.status_code == 200, path
            assert SECRET_COMMENT not in html and SECRET_NOTE not in html, path
            assert 'class="scores"' not in html, path  # no score list of theirs
        show = client.get(f"/encounters/{eid}").get_data(as_text=True)
        assert "They have submitted their review" in show
        auth.logout()

    auth.login(world["staff"])
    assert client.post(f"/encounters/{eid}/review", data=BUSINESS_FORM).status_code == 302
    show = client.get(f"/encounters/{eid}").get_data(as_text=True)
    assert SECRET_COMMENT in show and SECRET_NOTE in show  # the reviewed side sees the note
    auth.logout()

    auth.login(world["customer"])
    show = client.get(f"/encounters/{eid}").get_data(as_text=True)
    assert "Lovely customer." in show
    assert "The reviews of your encounter with" in client.get("/notifications").get_data(
        as_text=True
    )


def test_deadline_reveals_on_the_next_read(app, client, auth, world):
    eid = world["encounter"]
    auth.login(world["customer"])
    client.post(f"/encounters/{eid}/review", data={**SEALED_SCORES, "mode": "new"})
    auth.logout()
    auth.login(world["owner"])
    assert SECRET_COMMENT not in client.get(f"/encounters/{eid}").get_data(as_text=True)
    clock.travel(timedelta(days=14))
    assert SECRET_COMMENT in client.get(f"/encounters/{eid}").get_data(as_text=True)


def test_reviewing_someone_elses_encounter_is_404(app, client, auth, world, make_customer):
    stranger = make_customer()
    auth.login(stranger)
    response = client.post(
        f"/encounters/{world['encounter']}/review", data={**SEALED_SCORES, "mode": "new"}
    )
    assert response.status_code == 404
    assert review_count(app) == 0


def test_second_review_is_409_and_changes_nothing(app, client, auth, world):
    eid = world["encounter"]
    auth.login(world["owner"])
    client.post(f"/encounters/{eid}/review", data=BUSINESS_FORM)
    auth.logout()
    auth.login(world["staff"])
    response = client.post(f"/encounters/{eid}/review", data={**BUSINESS_FORM, "patience": "1"})
    assert response.status_code == 409
    assert "already reviewed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Review.patience)) == 5


def test_editing_after_reveal_is_409(app, client, auth, world):
    eid = world["encounter"]
    auth.login(world["customer"])
    client.post(f"/encounters/{eid}/review", data={**SEALED_SCORES, "mode": "new"})
    auth.logout()
    auth.login(world["owner"])
    client.post(f"/encounters/{eid}/review", data=BUSINESS_FORM)
    response = client.post(
        f"/encounters/{eid}/review", data={**BUSINESS_FORM, "patience": "1", "mode": "edit"}
    )
    assert response.status_code == 409
    assert "revealed and locked" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Review.patience).where(Review.side == "business")) == 5


def test_edit_and_withdraw_while_sealed(app, client, auth, world):
    eid = world["encounter"]
    auth.login(world["owner"])
    client.post(f"/encounters/{eid}/review", data=BUSINESS_FORM)
    form = client.get(f"/encounters/{eid}/review").get_data(as_text=True)
    assert 'value="edit"' in form and "Lovely customer." in form
    client.post(
        f"/encounters/{eid}/review", data={**BUSINESS_FORM, "patience": "2", "mode": "edit"}
    )
    with app.app_context():
        assert db.session.scalar(select(Review.patience)) == 2
    assert client.post(f"/encounters/{eid}/review/withdraw").status_code == 302
    assert review_count(app) == 0


@pytest.mark.parametrize("bad", ["0", "6"])
def test_score_out_of_range_is_422_next_to_the_field(app, client, auth, world, bad):
    auth.login(world["customer"])
    response = client.post(
        f"/encounters/{world['encounter']}/review",
        data={**SEALED_SCORES, "honesty": bad, "mode": "new"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="honesty-error"' in html and "Choose from 1 to 5 stars." in html
    assert SECRET_COMMENT in html  # the text is kept
    assert review_count(app) == 0


def test_a_comment_too_long_is_422_next_to_it_and_the_stars_are_kept(app, client, auth, world):
    auth.login(world["customer"])
    response = client.post(
        f"/encounters/{world['encounter']}/review",
        data={**SEALED_SCORES, "comment": "x" * 2001, "mode": "new"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="comment-error"' in html and "Use at most 2000 characters." in html
    assert '<input checked id="honesty-0" name="honesty" type="radio" value="1">' in html
    assert review_count(app) == 0


def test_unconfirmed_encounter_not_recorded_by_you_is_403(
    app, client, auth, make_business, make_customer
):
    owner = make_business()
    customer = make_customer()
    with app.app_context():
        from rating.accounts.models import User

        encounter = builders.make_encounter(
            db.session.get(User, owner.id),
            db.session.get(User, customer.id),
            status="unconfirmed",
            recorded_by="customer",
        )
        eid = encounter.id
    auth.login(owner)
    response = client.post(f"/encounters/{eid}/review", data=BUSINESS_FORM)
    assert response.status_code == 403
    assert "Confirm the encounter before reviewing it." in response.get_data(as_text=True)
    assert review_count(app) == 0


def test_replying_to_your_own_review_is_403(app, client, auth, world):
    eid = world["encounter"]
    auth.login(world["customer"])
    client.post(f"/encounters/{eid}/review", data={**SEALED_SCORES, "mode": "new"})
    auth.logout()
    auth.login(world["owner"])
    client.post(f"/encounters/{eid}/review", data=BUSINESS_FORM)
    with app.app_context():
        own = db.session.scalar(select(Review.id).where(Review.side == "business"))
        theirs = db.session.scalar(select(Review.id).where(Review.side == "customer"))
    response = client.post(f"/reviews/{own}/reply", data={"text": "Me again"})
    assert response.status_code == 403
    assert "Only the reviewed side can reply" in response.get_data(as_text=True)
    assert client.post(f"/reviews/{theirs}/reply", data={"text": "Sorry!"}).status_code == 302
    client.post(f"/reviews/{theirs}/reply", data={"text": "Sorry again!", "mode": "edit"})
    with app.app_context():
        assert db.session.scalar(select(Reply.text)) == "Sorry again!"


def test_used_and_expired_invitations_are_409(app, client, auth, make_business, make_customer):
    owner = make_business()
    first, second = make_customer(), make_customer()
    auth.login(owner)
    client.post("/invitations", data={"reference": "T-9"})
    with app.app_context():
        from rating.encounters.models import Invitation

        used_code = db.session.scalar(select(Invitation.code))
    client.post("/invitations", data={})
    with app.app_context():
        codes = set(db.session.scalars(select(Invitation.code)))
    (late_code,) = codes - {used_code}
    auth.logout()

    auth.login(first)
    assert client.post(f"/invite/{used_code}").status_code == 302
    auth.logout()
    auth.login(second)
    response = client.post(f"/invite/{used_code}")
    assert response.status_code == 409
    assert "already been used" in response.get_data(as_text=True)
    clock.travel(timedelta(days=31))
    response = client.post(f"/invite/{late_code}")
    assert response.status_code == 409
    assert "expired" in response.get_data(as_text=True)


def test_thanks_visible_at_once_and_only_once(app, client, auth, world):
    eid = world["encounter"]
    auth.login(world["customer"])
    assert (
        client.post(f"/encounters/{eid}/thanks", data={"message": "¡Gracias!"}).status_code == 302
    )
    again = client.post(f"/encounters/{eid}/thanks", data={"message": "Twice"})
    assert again.status_code == 409
    auth.logout()
    auth.login(world["owner"])
    assert "¡Gracias!" in client.get(f"/encounters/{eid}").get_data(as_text=True)


def test_record_confirm_and_contest_through_pages(app, client, auth, make_business, make_customer):
    owner = make_business(handle="aurora")
    customer = make_customer(handle="ana")
    auth.login(customer)
    today = clock.now().date().isoformat()
    response = client.post(
        "/encounters/new", data={"with_handle": "aurora", "occurred_on": today, "reference": "A1"}
    )
    assert response.status_code == 302
    bad = client.post("/encounters/new", data={"with_handle": "nobody", "occurred_on": today})
    assert bad.status_code == 422
    assert "No business has this handle." in bad.get_data(as_text=True)
    auth.logout()
    auth.login(owner)
    dashboard = client.get("/encounters").get_data(as_text=True)
    assert "To confirm" in dashboard
    eid = int(response.headers["Location"].rsplit("/", 1)[1])
    empty_reason = client.post(f"/encounters/{eid}/contest", data={"reason": ""})
    assert empty_reason.status_code == 422
    assert (
        client.post(f"/encounters/{eid}/contest", data={"reason": "Never came."}).status_code == 302
    )
    with app.app_context():
        from rating.encounters.models import Encounter

        assert db.session.get(Encounter, eid).status == "contested"


def test_notifications_bell_and_mark_read(app, client, auth, world):
    auth.login(world["owner"])  # the redeemed invitation notified the owner
    home = client.get("/").get_data(as_text=True)
    assert 'class="unread-count">1' in home
    client.post("/notifications/read-all")
    assert 'class="unread-count"' not in client.get("/").get_data(as_text=True)
