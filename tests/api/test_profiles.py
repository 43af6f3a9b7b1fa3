"""The directory and profiles through the API."""

from tests import builders
from tests.api.conftest import assert_error


def test_directory_lists_businesses_with_figures(api, world):
    body = api.get("/businesses").get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert body["total"] == 2
    item = next(i for i in body["items"] if i["handle"] == world["business_handle"])
    assert item["scores"]["count"] == 1
    assert item["scores"]["overall"] is None  # below the minimum: no score, only the count
    assert set(item["scores"]) == {
        "attention",
        "proactivity",
        "promises_kept",
        "respect",
        "honesty",
        "overall",
        "count",
    }
    assert item["enough_reviews"] is False
    assert item["recommend_rate"] == 1.0


def test_directory_filters_and_refusals(api, world):
    assert api.get("/businesses?q=no-such-name").get_json()["total"] == 0
    assert api.get("/businesses?city=Madrid&category=food&sort=recent").get_json()["total"] == 2
    assert_error(api.get("/businesses?sort=loudest"), 422, fields=("sort",))
    assert_error(api.get("/businesses?category=spaceships"), 422, fields=("category",))


def test_business_profile(api, world):
    body = api.get(f"/businesses/{world['business_handle']}").get_json()
    assert body["handle"] == world["business_handle"]
    assert body["thanks_count"] == 0
    assert "email" not in str(body)
    assert_error(api.get("/businesses/no-such-business"), 404)


def test_business_reviews_are_revealed_only_and_without_private_notes(api, world, app):
    with app.app_context():
        from rating.extensions import db
        from rating.reviews.models import Review

        db.session.get(Review, world["customer_review"]).private_note = "Just for you."
        db.session.commit()
    body = api.get(f"/businesses/{world['business_handle']}/reviews").get_json()
    assert [review["id"] for review in body["items"]] == [world["customer_review"]]
    review = body["items"][0]
    assert review["author"].startswith("Customer")
    assert review["recommend"] is True and "would_serve_again" not in review
    assert "private_note" not in review
    assert "Just for you." not in str(body)
    assert "Secret until reveal." not in str(body)  # the sealed review


def test_scores_appear_from_the_minimum(api, app, world):
    with app.app_context():
        from rating.accounts.models import User
        from rating.extensions import db

        owner = db.session.get(User, world["user_ids"]["owner"])
        for _ in range(2):
            customer = builders.make_customer()
            encounter = builders.make_encounter(owner, customer)
            builders.make_review(encounter, customer)
            builders.make_review(encounter, owner)
    scores = api.get(f"/businesses/{world['business_handle']}").get_json()["scores"]
    assert scores["count"] == 3
    assert 3.5 < scores["overall"] < 5


def test_customer_profile_follows_who_may_see_it(api, world):
    handle = world["handles"]["customer"]
    for role in ("customer", "owner", "staff"):
        response = api.get(f"/customers/{handle}", token=world["tokens"][role])
        assert response.status_code == 200
    body = response.get_json()
    assert body["handle"] == handle and "would_serve_again_rate" in body
    for role in ("stranger", "other_business", "admin"):
        assert_error(api.get(f"/customers/{handle}", token=world["tokens"][role]), 404)
    assert_error(api.get(f"/customers/{handle}"), 404)
    reviews = api.get(f"/customers/{handle}/reviews", token=world["tokens"]["owner"]).get_json()
    assert [review["id"] for review in reviews["items"]] == [world["business_review"]]
