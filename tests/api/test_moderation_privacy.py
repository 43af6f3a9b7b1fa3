"""Flags, moderation, data export and account deletion through the API."""

from tests import builders
from tests.api.conftest import assert_error


def flag(api, world, role, **overrides):
    data = {"target_type": "review", "target_id": world["customer_review"], "reason": "spam"}
    return api.post("/flags", token=world["tokens"][role], json={**data, **overrides})


def test_flag_once(api, world):
    response = flag(api, world, "stranger", note="Looks copied.")
    assert response.status_code == 201
    body = response.get_json()
    assert (body["target_type"], body["reason"], body["note"]) == (
        "review",
        "spam",
        "Looks copied.",
    )
    assert_error(flag(api, world, "stranger"), 409, "conflict")


def test_flag_refusals(api, world):
    assert_error(flag(api, world, "stranger", reason="boring"), 422, fields=("reason",))
    assert_error(flag(api, world, "stranger", target_type="user"), 404)
    assert_error(flag(api, world, "stranger", target_id=999999), 404)
    assert_error(flag(api, world, "stranger", target_id=0), 422, fields=("target_id",))
    # a sealed review is seen by its author only: nobody else can even flag it
    assert_error(flag(api, world, "stranger", target_id=world["sealed_review"]), 404)
    assert_error(api.post("/flags", json={}), 401)


def test_enough_flags_hide_a_review(api, app, world):
    handle = world["business_handle"]
    assert api.get(f"/businesses/{handle}/reviews").get_json()["total"] == 1
    with app.app_context():
        from rating.tokens.services import create_token

        strangers = [create_token(builders.make_customer())[1] for _ in range(3)]
    for token in strangers:
        data = {"target_type": "review", "target_id": world["customer_review"], "reason": "fake"}
        assert api.post("/flags", token=token, json=data).status_code == 201
    assert api.get(f"/businesses/{handle}/reviews").get_json()["total"] == 0


def test_queue_is_for_admins(api, world):
    flag(api, world, "stranger")
    body = api.get("/moderation/queue", token=world["tokens"]["admin"]).get_json()
    kinds = {item["kind"]: item for item in body["items"]}
    assert kinds["contested"]["target_type"] == "encounter"
    assert kinds["contested"]["target_id"] == world["contested"]
    assert kinds["flagged"]["flag_count"] == 1
    assert kinds["flagged"]["reasons"] == ["spam"]
    for role in ("customer", "owner", "stranger"):
        assert_error(api.get("/moderation/queue", token=world["tokens"][role]), 404)


def test_admin_acts_and_the_audit_log_records_it(api, world):
    token = world["tokens"]["admin"]
    path = f"/moderation/items/{world['contested_item']}/actions"
    assert_error(api.post(path, token=token, json={"action": "ban"}), 422, fields=("action",))
    assert_error(api.post(path, token=token, json={"action": "void"}), 422, fields=("reason",))
    response = api.post(path, token=token, json={"action": "void", "reason": "No such visit."})
    assert response.status_code == 201
    entry = response.get_json()
    assert (entry["action"], entry["target_type"], entry["target_id"]) == (
        "void",
        "encounter",
        world["contested"],
    )
    assert_error(api.post(path, token=token, json={"action": "confirm"}), 409)
    audit = api.get("/moderation/audit?action=void", token=token).get_json()
    assert [row["id"] for row in audit["items"]] == [entry["id"]]
    assert_error(api.get("/moderation/audit?action=delete", token=token), 422)
    shown = api.get(f"/encounters/{world['contested']}", token=world["tokens"]["customer"])
    assert shown.get_json()["status"] == "voided"


def test_export_has_my_data_only(api, world):
    response = api.get("/me/export", token=world["tokens"]["customer"])
    assert response.status_code == 200
    body = response.get_json()
    assert body["account"]["handle"] == world["handles"]["customer"]
    assert "Secret until reveal." in str(body)  # the customer's own sealed review
    owner = api.get("/me/export", token=world["tokens"]["owner"]).get_json()
    assert "Secret until reveal." not in str(owner)  # theirs, still sealed


def test_delete_account(api, world):
    token = world["tokens"]["customer"]
    wrong = api.delete("/me", token=token, json={"password": "not my password"})
    assert_error(wrong, 422, fields=("password",))
    assert_error(api.delete("/me", token=token, json={}), 422, fields=("password",))
    response = api.delete("/me", token=token, json={"password": builders.PASSWORD})
    assert response.status_code == 204
    assert_error(api.get("/me", token=token), 401, "invalid_token")
    assert_error(api.get(f"/customers/{world['handles']['customer']}"), 404)
