"""Invitations and encounters through the API."""

from rating import clock
from tests.api.conftest import assert_error


def today() -> str:
    return clock.now().date().isoformat()


def test_invitation_then_redeem(api, world):
    created = api.post("/invitations", token=world["tokens"]["staff"], json={"reference": "A-1"})
    assert created.status_code == 201
    invitation = created.get_json()
    assert set(invitation) == {"code", "url", "expires_at"}
    assert invitation["url"].endswith(f"/invite/{invitation['code']}")
    redeemed = api.post(
        f"/invitations/{invitation['code']}/redeem", token=world["tokens"]["stranger"]
    )
    assert redeemed.status_code == 201
    encounter = redeemed.get_json()
    assert encounter["status"] == "confirmed"
    assert encounter["reference"] == "A-1"
    assert encounter["side"] == "customer"
    assert encounter["business"]["handle"] == world["business_handle"]
    assert (encounter["my_review"], encounter["their_review"]) == ("none", "none")
    assert encounter["closes_at"] > encounter["created_at"]
    # single use
    again = api.post(f"/invitations/{invitation['code']}/redeem", token=world["tokens"]["customer"])
    assert_error(again, 409, "conflict")


def test_invitation_without_body(api, world):
    assert api.post("/invitations", token=world["tokens"]["owner"]).status_code == 201


def test_invitation_refusals(api, world):
    assert_error(api.post("/invitations", token=world["tokens"]["customer"]), 403, "forbidden")
    assert_error(api.post("/invitations", token=world["tokens"]["admin"]), 403)
    assert_error(api.post("/invitations"), 401)
    long = {"reference": "x" * 81}
    assert_error(api.post("/invitations", token=world["tokens"]["owner"], json=long), 422)


def test_redeem_refusals(api, world):
    code = world["code"]
    assert_error(api.post(f"/invitations/{code}/redeem", token=world["tokens"]["owner"]), 403)
    assert_error(
        api.post("/invitations/no-such-code/redeem", token=world["tokens"]["customer"]), 404
    )
    assert_error(api.post(f"/invitations/{code}/redeem"), 401)


def test_record_encounter(api, world):
    data = {"with": world["handles"]["stranger"], "occurred_on": today(), "reference": "T-9"}
    response = api.post("/encounters", token=world["tokens"]["staff"], json=data)
    assert response.status_code == 201
    encounter = response.get_json()
    assert encounter["status"] == "unconfirmed"
    assert encounter["recorded_by_side"] == "business"
    assert encounter["can_review"] is True
    assert encounter["to_confirm"] is False
    assert encounter["customer"] == {
        "handle": world["handles"]["stranger"],
        "display_name": encounter["customer"]["display_name"],
    }
    assert "email" not in str(encounter)


def test_record_refusals(api, world):
    token = world["tokens"]["customer"]
    unknown = {"with": "no-such-business", "occurred_on": today()}
    assert_error(api.post("/encounters", token=token, json=unknown), 422, fields=("with",))
    future = {"with": world["business_handle"], "occurred_on": "2999-01-01"}
    assert_error(api.post("/encounters", token=token, json=future), 422, fields=("occurred_on",))
    bad_date = {"with": world["business_handle"], "occurred_on": "yesterday"}
    assert_error(api.post("/encounters", token=token, json=bad_date), 422, fields=("occurred_on",))
    assert_error(api.post("/encounters", token=token, json={}), 422, fields=("with", "occurred_on"))
    admin = {"with": world["business_handle"], "occurred_on": today()}
    assert_error(api.post("/encounters", token=world["tokens"]["admin"], json=admin), 403)


def test_list_encounters_with_states_and_pages(api, world):
    token = world["tokens"]["staff"]
    body = api.get("/encounters", token=token).get_json()
    assert set(body) == {"items", "page", "per_page", "total"}
    assert (body["page"], body["per_page"], body["total"]) == (1, 20, 5)
    states = {item["id"]: (item["my_review"], item["their_review"]) for item in body["items"]}
    assert states[world["revealed"]] == ("revealed", "revealed")
    assert states[world["sealed"]] == ("none", "sealed")
    assert states[world["fresh"]] == ("none", "none")
    page = api.get("/encounters?page=2&per_page=3", token=token).get_json()
    assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (2, 3, 5, 2)
    filtered = api.get("/encounters?status=unconfirmed", token=token).get_json()
    assert [item["id"] for item in filtered["items"]] == [world["unconfirmed"]]


def test_list_is_own_encounters_only(api, world):
    for role in ("stranger", "other_business", "admin"):
        body = api.get("/encounters", token=world["tokens"][role]).get_json()
        assert body["total"] == 0 and body["items"] == []


def test_show_encounter_to_its_sides_only(api, world):
    path = f"/encounters/{world['revealed']}"
    for role in ("customer", "owner", "staff"):
        assert api.get(path, token=world["tokens"][role]).status_code == 200
    for role in ("stranger", "other_business", "admin"):
        assert_error(api.get(path, token=world["tokens"][role]), 404, "not_found")


def test_confirm_by_the_other_side(api, world):
    path = f"/encounters/{world['unconfirmed']}/confirm"
    assert_error(api.post(path, token=world["tokens"]["owner"]), 403)  # the recorder
    assert_error(api.post(path, token=world["tokens"]["stranger"]), 404)
    response = api.post(path, token=world["tokens"]["customer"])
    assert response.status_code == 200
    assert response.get_json()["status"] == "confirmed"
    assert_error(api.post(path, token=world["tokens"]["customer"]), 409, "conflict")


def test_contest_by_the_other_side(api, world):
    path = f"/encounters/{world['unconfirmed']}/contest"
    token = world["tokens"]["customer"]
    assert_error(api.post(path, token=token, json={"reason": " "}), 422, fields=("reason",))
    assert_error(api.post(path, token=token, json={}), 422, fields=("reason",))
    assert_error(api.post(path, token=world["tokens"]["staff"], json={"reason": "No."}), 403)
    response = api.post(path, token=token, json={"reason": "I was never there."})
    assert response.status_code == 200
    assert response.get_json()["status"] == "contested"
    assert_error(api.post(path, token=token, json={"reason": "Again."}), 409)
