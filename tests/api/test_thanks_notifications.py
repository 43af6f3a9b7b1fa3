"""Thanks and notifications through the API."""

from tests.api.conftest import assert_error


def test_thanks_once_per_side(api, world):
    path = f"/encounters/{world['fresh']}/thanks"
    response = api.post(path, token=world["tokens"]["customer"], json={"message": "Gracias!"})
    assert response.status_code == 201
    body = response.get_json()
    assert (body["side"], body["message"], body["encounter_id"]) == (
        "customer",
        "Gracias!",
        world["fresh"],
    )
    assert_error(api.post(path, token=world["tokens"]["customer"], json={"message": "x"}), 409)
    assert (
        api.post(path, token=world["tokens"]["staff"], json={"message": "Thanks"}).status_code
        == 201
    )


def test_thanks_refusals(api, world):
    fresh = f"/encounters/{world['fresh']}/thanks"
    token = world["tokens"]["customer"]
    assert_error(api.post(fresh, token=token, json={"message": " "}), 422, fields=("message",))
    assert_error(api.post(fresh, token=token, json={"message": "x" * 281}), 422)
    assert_error(api.post(fresh, token=world["tokens"]["stranger"], json={"message": "x"}), 404)
    unconfirmed = f"/encounters/{world['unconfirmed']}/thanks"
    assert_error(api.post(unconfirmed, token=token, json={"message": "Thanks"}), 403)
    assert_error(api.post(fresh, json={"message": "x"}), 401)


def test_notifications_newest_first_with_read_state(api, world):
    body = api.get("/notifications?per_page=2", token=world["tokens"]["staff"]).get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert body["per_page"] == 2 and len(body["items"]) == 2 and body["total"] >= 3
    first, second = body["items"]
    assert first["created_at"] >= second["created_at"]
    assert set(first) == {"id", "kind", "text", "encounter_id", "created_at", "read"}
    assert first["read"] is False
    assert first["text"]


def test_notifications_are_own_only(api, world):
    body = api.get("/notifications", token=world["tokens"]["stranger"]).get_json()
    assert body["total"] == 0
    assert_error(api.get("/notifications"), 401)


def test_review_received_notification_has_no_content(api, world):
    body = api.get("/notifications?per_page=100", token=world["tokens"]["owner"]).get_json()
    received = [item for item in body["items"] if item["kind"] == "review_received"]
    assert received
    assert all("Secret" not in item["text"] for item in received)
