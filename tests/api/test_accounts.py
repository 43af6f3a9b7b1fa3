"""POST /accounts and GET /me."""

from tests.api.conftest import assert_error

CUSTOMER = {
    "kind": "customer",
    "email": "Ana@Example.com",
    "password": "a long unusual passphrase",
    "display_name": "Ana G.",
    "handle": "ana-g",
}
BUSINESS = {
    "kind": "business",
    "email": "owner@aurora.example",
    "password": "a long unusual passphrase",
    "display_name": "Marta R.",
    "handle": "cafe-aurora",
    "business": {"name": "Café Aurora", "category": "food", "city": "Madrid"},
}


def test_register_customer(api):
    response = api.post("/accounts", json=CUSTOMER)
    assert response.status_code == 201
    body = response.get_json()
    assert body["kind"] == "customer"
    assert body["email"] == "ana@example.com"
    assert body["business"] is None
    assert "password" not in body and "password_hash" not in body


def test_register_business(api):
    response = api.post("/accounts", json=BUSINESS)
    assert response.status_code == 201
    body = response.get_json()
    assert body["business_role"] == "owner"
    assert body["business"] == {
        "handle": "cafe-aurora",
        "name": "Café Aurora",
        "category": "food",
        "city": "Madrid",
        "description": "",
    }


def test_register_refusals_name_each_field(api):
    assert api.post("/accounts", json=CUSTOMER).status_code == 201
    again = {**CUSTOMER, "password": "password123", "display_name": " "}
    error = assert_error(
        api.post("/accounts", json=again),
        422,
        "invalid",
        fields=("email", "handle", "password", "display_name"),
    )
    assert "taken" in error["fields"]["handle"]


def test_register_business_needs_its_details(api):
    data = {key: value for key, value in BUSINESS.items() if key != "business"}
    assert_error(api.post("/accounts", json=data), 422, fields=("business.name", "business.city"))
    data["business"] = {"name": "X", "category": "spaceships", "city": "Oslo"}
    assert_error(api.post("/accounts", json=data), 422, fields=("business.category",))


def test_register_shape_errors(api):
    assert_error(api.post("/accounts", json={}), 422, fields=("kind", "email", "handle"))
    assert_error(api.post("/accounts", json={**CUSTOMER, "admin": True}), 422, fields=("admin",))
    assert_error(api.post("/accounts", json={**CUSTOMER, "handle": 12}), 422, fields=("handle",))
    assert_error(api.post("/accounts", json=[CUSTOMER]), 422, fields=("body",))
    nul = {**CUSTOMER, "display_name": "Ana\u0000"}
    assert_error(api.post("/accounts", json=nul), 422, fields=("display_name",))


def test_me(api, world):
    body = api.get("/me", token=world["tokens"]["staff"]).get_json()
    assert body["kind"] == "business"
    assert body["business_role"] == "staff"
    assert body["business"]["handle"] == world["business_handle"]
    assert body["created_at"].endswith("+00:00")


def test_me_needs_a_token(api):
    assert_error(api.get("/me"), 401, "unauthorized")
