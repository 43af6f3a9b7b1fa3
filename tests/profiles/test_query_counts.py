"""Pages issue a constant number of queries, however many reviews exist."""

from datetime import timedelta

import pytest
from sqlalchemy import insert

from rating import clock
from rating.accounts.models import User
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.models import Reply, Review
from rating.scores.rebuild import rebuild_all_aggregates
from rating.thanks.models import Thanks
from tests import builders
from tests.queries import counting_queries


@pytest.fixture
def app_config():
    """What a page costs when rendered: the page cache (tested on its own) is off."""
    return {"WTF_CSRF_ENABLED": False, "PAGE_CACHE_SECONDS": 0}


def add_reviewed_encounters(business_id: int, count: int, start: int) -> None:
    """Bulk rows: customers, revealed encounters with both reviews, replies and thanks."""
    now = clock.now()
    users = [
        {
            "kind": "customer",
            "email": f"bulk{start + i}@example.com",
            "display_name": f"Bulk {i}",
            "handle": f"bulk-{start + i}",
            "session_version": 1,
            "created_at": now,
            "profile_public": False,
        }
        for i in range(count)
    ]
    db.session.execute(insert(User), users)
    ids = [
        u.id
        for u in db.session.scalars(
            db.select(User).where(User.handle.in_([u["handle"] for u in users]))
        )
    ]
    encounters = [
        {
            "business_id": business_id,
            "customer_id": cid,
            "status": "confirmed",
            "origin": "record",
            "recorded_by_side": "customer",
            "recorded_by_user_id": cid,
            "occurred_on": now.date(),
            "created_at": now - timedelta(days=2),
            "closes_at": now + timedelta(days=12),
            "both_reviewed_at": now,
            "closure_counted": False,
        }
        for cid in ids
    ]
    db.session.execute(insert(Encounter), encounters)
    parties = {
        eid: {"business_id": business_id, "customer_id": cid}
        for eid, cid in db.session.execute(
            db.select(Encounter.id, Encounter.customer_id).where(Encounter.customer_id.in_(ids))
        )
    }
    encounter_ids = list(parties)
    reviews = []
    for n, eid in enumerate(encounter_ids):
        reviews.append(
            {
                "encounter_id": eid,
                **parties[eid],
                "side": "customer",
                "author_user_id": ids[n],
                "attention": 1 + n % 5,
                "proactivity": 4,
                "promises_kept": 4,
                "respect": 5,
                "honesty": 4,
                "recommend": n % 3 != 0,
                "comment": f"Review {n}",
                "private_note": "",
                "visibility": "visible",
                "submitted_at": now - timedelta(hours=n),
                "updated_at": now,
                "counted": False,
            }
        )
        reviews.append(
            {
                "encounter_id": eid,
                **parties[eid],
                "side": "business",
                "author_user_id": ids[n],
                "patience": 4,
                "clarity": 4,
                "respect": 4,
                "problem_reporting": 3,
                "would_serve_again": True,
                "comment": "",
                "private_note": "",
                "visibility": "visible",
                "submitted_at": now,
                "updated_at": now,
                "counted": False,
            }
        )
    db.session.execute(insert(Review), reviews)
    review_ids = list(
        db.session.scalars(
            db.select(Review.id).where(
                Review.encounter_id.in_(encounter_ids), Review.side == "customer"
            )
        )
    )
    db.session.execute(
        insert(Reply),
        [
            {
                "review_id": rid,
                "author_user_id": ids[0],
                "text": "Thanks!",
                "visibility": "visible",
                "created_at": now,
                "updated_at": now,
            }
            for rid in review_ids[::2]
        ],
    )
    db.session.execute(
        insert(Thanks),
        [
            {
                "encounter_id": eid,
                **parties[eid],
                "side": "customer",
                "author_user_id": ids[0],
                "message": "Gracias",
                "visibility": "visible",
                "created_at": now,
                "counted": False,
            }
            for eid in encounter_ids[::3]
        ],
    )
    db.session.commit()
    rebuild_all_aggregates()


@pytest.fixture
def business(app):
    with app.app_context():
        owner = builders.make_business(handle="popular", business=None)
        customer = builders.make_customer(handle="seen")
        builders.make_encounter(owner, customer)
        add_reviewed_encounters(owner.business_id, 5, 0)
        return owner.business_id, owner.email


PAGES = [
    "/businesses/popular",
    "/businesses?q=business&city=madrid&sort=score",
    "/businesses?sort=reviews",
    "/",
]


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_same_queries_with_5_and_500_reviews(app, client, business, path):
    with counting_queries(app) as few:
        assert client.get(path).status_code == 200
    with app.app_context():
        add_reviewed_encounters(business[0], 495, 5)
    with counting_queries(app) as many:
        assert client.get(path).status_code == 200
    assert len(few) == len(many), (few, many)


def test_customer_page_seen_by_a_business_same_queries(app, client, auth, business):
    auth.login(business[1])
    with counting_queries(app) as few:
        assert client.get("/customers/seen").status_code == 200
    with app.app_context():
        add_reviewed_encounters(business[0], 495, 5)
    with counting_queries(app) as many:
        assert client.get("/customers/seen").status_code == 200
    assert len(few) == len(many)


def test_dashboard_same_queries_and_one_page_with_5_and_500_encounters(app, client, auth, business):
    auth.login(business[1])
    with counting_queries(app) as few:
        first = client.get("/encounters").get_data(as_text=True)
    with app.app_context():
        add_reviewed_encounters(business[0], 495, 5)
    with counting_queries(app) as many:
        page = client.get("/encounters").get_data(as_text=True)
    assert len(few) == len(many)
    assert "Older encounters" not in first
    assert page.count('class="encounter-row"') == 50
    assert "Older encounters" in page and "Newer encounters" not in page


def test_dashboard_older_pages_reach_the_first_encounter(app, client, auth, business):
    auth.login(business[1])
    with app.app_context():
        add_reviewed_encounters(business[0], 95, 5)  # 101 encounters: pages of 50, 50, 1
        oldest = db.session.scalar(
            db.select(User.display_name)
            .join(Encounter, Encounter.customer_id == User.id)
            .order_by(Encounter.created_at, Encounter.id)
            .limit(1)
        )
    last = client.get("/encounters?page=3").get_data(as_text=True)
    assert last.count('class="encounter-row"') == 1
    assert f"<strong>{oldest}</strong>" in last
    assert "Newer encounters" in last and "Older encounters" not in last
    assert client.get("/encounters?page=nonsense").status_code == 200


def test_a_review_submission_costs_four_statements(app, client, auth, business):
    """Who is asking, the encounter locked, the review, the notifications: the reviews
    are not read first, and the signed-in user is not read again after the commit."""
    with app.app_context():
        customer = db.session.scalar(db.select(User).where(User.handle == "seen"))
        encounter_id = db.session.scalar(
            db.select(Encounter.id).where(Encounter.customer_id == customer.id)
        )
        email = customer.email
    auth.login(email)
    form = {"mode": "new", "attention": "4", "proactivity": "5", "promises_kept": "4"}
    form |= {"respect": "5", "honesty": "5", "recommend": "yes"}
    with counting_queries(app) as statements:
        answer = client.post(f"/encounters/{encounter_id}/review", data=form)
    assert answer.status_code == 302
    assert len(statements) == 4, statements
