"""Sealed reviews, reveal, withdraw and replies through the API."""

from datetime import timedelta

from rating import clock
from tests.api.conftest import assert_error
from tests.builders import BUSINESS_SCORES, CUSTOMER_SCORES

SECRET = "Secret until reveal."


def test_double_blind_before_reveal(api, world):
    """The other side sees that a review exists (`sealed`), never any of its content."""
    token = world["tokens"]["staff"]
    reviews = api.get(f"/encounters/{world['sealed']}/reviews", token=token)
    assert reviews.status_code == 200
    body = reviews.get_json()
    assert body == {
        "side": "business",
        "my_state": "none",
        "their_state": "sealed",
        "mine": None,
        "theirs": None,
    }
    listing = api.get("/encounters", token=token).get_json()
    row = next(item for item in listing["items"] if item["id"] == world["sealed"])
    assert row["their_review"] == "sealed"
    shown = api.get(f"/encounters/{world['sealed']}", token=token).get_data(as_text=True)
    for text in (listing, body, shown):
        assert SECRET not in str(text)
        assert '"attention"' not in str(text) and "'attention'" not in str(text)
    # its author sees it
    mine = api.get(f"/encounters/{world['sealed']}/reviews", token=world["tokens"]["customer"])
    assert mine.get_json()["mine"]["comment"] == SECRET
    assert mine.get_json()["mine"]["state"] == "sealed"


def test_second_review_reveals_both(api, world):
    path = f"/encounters/{world['sealed']}/review"
    response = api.put(path, token=world["tokens"]["owner"], json=BUSINESS_SCORES)
    assert response.status_code == 201
    review = response.get_json()
    assert review["state"] == "revealed"
    assert review["side"] == "business"
    assert "attention" not in review and review["patience"] == 4
    body = api.get(f"/encounters/{world['sealed']}/reviews", token=world["tokens"]["staff"])
    theirs = body.get_json()["theirs"]
    assert theirs["comment"] == SECRET
    assert body.get_json()["their_state"] == "revealed"


def test_reveal_at_the_deadline(api, world):
    clock.travel(timedelta(days=15))
    body = api.get(f"/encounters/{world['sealed']}/reviews", token=world["tokens"]["staff"])
    assert body.get_json()["theirs"]["comment"] == SECRET


def test_put_creates_then_edits(api, world):
    path = f"/encounters/{world['fresh']}/review"
    token = world["tokens"]["customer"]
    created = api.put(path, token=token, json={**CUSTOMER_SCORES, "comment": "Good."})
    assert created.status_code == 201
    assert created.get_json()["state"] == "sealed"
    edited = api.put(path, token=token, json={**CUSTOMER_SCORES, "honesty": 3})
    assert edited.status_code == 200
    assert edited.get_json()["honesty"] == 3
    assert edited.get_json()["id"] == created.get_json()["id"]


def test_put_refusals(api, world):
    token = world["tokens"]["customer"]
    revealed = f"/encounters/{world['revealed']}/review"
    assert_error(api.put(revealed, token=token, json=CUSTOMER_SCORES), 409, "conflict")
    # the side that did not record an unconfirmed encounter must confirm it first
    unconfirmed = f"/encounters/{world['unconfirmed']}/review"
    assert_error(api.put(unconfirmed, token=token, json=CUSTOMER_SCORES), 403, "forbidden")
    fresh = f"/encounters/{world['fresh']}/review"
    assert_error(api.put(fresh, token=world["tokens"]["stranger"], json=CUSTOMER_SCORES), 404)
    assert_error(api.put(fresh, token=world["tokens"]["admin"], json=CUSTOMER_SCORES), 404)
    out_of_range = {**CUSTOMER_SCORES, "attention": 6, "honesty": 0}
    assert_error(
        api.put(fresh, token=token, json=out_of_range), 422, fields=("attention", "honesty")
    )
    wrong_types = {**CUSTOMER_SCORES, "attention": "5", "recommend": "yes"}
    assert_error(
        api.put(fresh, token=token, json=wrong_types), 422, fields=("attention", "recommend")
    )
    long = {**CUSTOMER_SCORES, "comment": "x" * 2001}
    assert_error(api.put(fresh, token=token, json=long), 422, fields=("comment",))
    assert_error(api.put(fresh, json=CUSTOMER_SCORES), 401)
    clock.travel(timedelta(days=15))
    assert_error(api.put(fresh, token=token, json=CUSTOMER_SCORES), 409)


def test_withdraw_sealed_review(api, world):
    path = f"/encounters/{world['sealed']}/review"
    assert_error(api.delete(path, token=world["tokens"]["owner"]), 404)  # nothing to withdraw
    assert api.delete(path, token=world["tokens"]["customer"]).status_code == 204
    assert_error(api.delete(path, token=world["tokens"]["customer"]), 404)
    revealed = f"/encounters/{world['revealed']}/review"
    assert_error(api.delete(revealed, token=world["tokens"]["customer"]), 409)


def test_reviews_of_an_encounter_are_for_its_sides(api, world):
    path = f"/encounters/{world['revealed']}/reviews"
    for role in ("stranger", "other_business", "admin"):
        assert_error(api.get(path, token=world["tokens"][role]), 404)
    body = api.get(path, token=world["tokens"]["customer"]).get_json()
    assert body["mine"]["recommend"] is True
    assert body["theirs"]["would_serve_again"] is True
    assert body["theirs"]["reply"] is None


def test_reply_and_edit(api, world):
    path = f"/reviews/{world['customer_review']}/reply"
    token = world["tokens"]["staff"]
    created = api.post(path, token=token, json={"text": "Thank you!"})
    assert created.status_code == 201
    assert created.get_json()["text"] == "Thank you!"
    assert_error(api.post(path, token=token, json={"text": "Again"}), 409)
    edited = api.put(path, token=token, json={"text": "Thank you, really."})
    assert edited.status_code == 200
    assert edited.get_json()["id"] == created.get_json()["id"]
    seen = api.get(f"/encounters/{world['revealed']}/reviews", token=world["tokens"]["customer"])
    assert seen.get_json()["mine"]["reply"]["text"] == "Thank you, really."


def test_reply_refusals(api, world):
    path = f"/reviews/{world['customer_review']}/reply"
    # the author of the review cannot reply to it; strangers may see it but not reply
    assert_error(api.post(path, token=world["tokens"]["customer"], json={"text": "Hi"}), 403)
    assert_error(api.post(path, token=world["tokens"]["stranger"], json={"text": "Hi"}), 403)
    assert_error(api.post(path, token=world["tokens"]["owner"], json={"text": ""}), 422)
    assert_error(api.put(path, token=world["tokens"]["owner"], json={"text": "Hi"}), 404)
    sealed = f"/reviews/{world['sealed_review']}/reply"
    assert_error(api.post(sealed, token=world["tokens"]["owner"], json={"text": "Hi"}), 404)
    assert_error(api.post("/reviews/999999/reply", token=world["tokens"]["owner"], json={}), 422)
    missing = api.post("/reviews/999999/reply", token=world["tokens"]["owner"], json={"text": "x"})
    assert_error(missing, 404)
