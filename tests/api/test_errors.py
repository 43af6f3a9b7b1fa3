"""The error shape and status codes of section 10 on every path of /api/v1."""

from rating import clock
from tests import builders
from tests.api.conftest import assert_error


def test_unknown_path_is_json_404(api, world):
    for path in ("/nope", "/encounters/abc", "/encounters/-1", "/encounters/99999999999"):
        assert_error(api.get(path, token=world["tokens"]["customer"]), 404, "not_found")
    assert_error(api.post("/nothing/here", json={}), 404, "not_found")
    assert_error(api.call("GET", ""), 404)


def test_wrong_method_is_json_405_with_allow(api):
    error = assert_error(api.call("PATCH", "/me"), 405, "method_not_allowed")
    assert error["fields"] == {}
    assert api.call("PATCH", "/me").headers["Allow"] == "DELETE, GET, HEAD, OPTIONS"
    assert_error(api.put("/accounts", json={}), 405)


def test_malformed_json_is_400(api):
    response = api.post("/tokens", data='{"email": ', content_type="application/json")
    assert_error(response, 400, "bad_request")


def test_wrong_content_type_is_400(api):
    response = api.post("/tokens", data="email=a&password=b")
    assert_error(response, 400, "not_json")
    response = api.post("/tokens", data='{"email": "a"}', content_type="text/plain")
    assert_error(response, 400, "not_json")


def test_oversized_body_is_413(api, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = api.post("/tokens", json={"email": "a" * 2000, "password": "x"})
    assert_error(response, 413, "payload_too_large")


def test_validation_is_422_with_fields(api, world):
    error = assert_error(
        api.put(f"/encounters/{world['fresh']}/review", token=world["tokens"]["customer"], json={}),
        422,
        "invalid",
        fields=("attention", "recommend"),
    )
    assert error["message"] == "Some of what you sent is not valid."


def test_bad_query_parameters_are_422(api, world):
    token = world["tokens"]["customer"]
    assert_error(api.get("/encounters?per_page=101", token=token), 422, fields=("per_page",))
    assert_error(api.get("/encounters?page=0", token=token), 422, fields=("page",))
    assert_error(api.get("/encounters?status=lost", token=token), 422, fields=("status",))


def test_rate_limit_per_token_is_429(api, app, world, fresh_limits):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    token = world["tokens"]["customer"]
    for _ in range(3):
        response = api.get("/me", token=token)
        assert response.status_code == 200
    assert response.headers["X-RateLimit-Remaining"] == "0"
    refused = api.get("/me", token=token)
    assert_error(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) >= 1
    # another token has its own budget
    assert api.get("/me", token=world["tokens"]["owner"]).status_code == 200


def test_wrong_tokens_are_limited_per_address(api, app, fresh_limits):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    for n in range(2):
        assert_error(api.get("/me", token=f"rcp_wrong-{n}"), 401, "invalid_token")
    assert_error(api.get("/me", token="rcp_wrong-2"), 429, "rate_limited")


def test_sign_in_is_limited_per_address(api, app, fresh_limits, make_customer):
    app.config["SIGN_IN_RATE_LIMIT"] = "2 per minute"
    customer = make_customer()
    login = {"email": customer.email, "password": builders.PASSWORD}
    assert api.post("/tokens", json=login).status_code == 201
    assert api.post("/tokens", json=login).status_code == 201
    assert_error(api.post("/tokens", json=login), 429, "rate_limited")


def test_sign_in_is_limited_per_account_across_addresses(api, app, fresh_limits, make_customer):
    app.config["SIGN_IN_ACCOUNT_RATE_LIMIT"] = "2 per hour"
    customer, other = make_customer(), make_customer()

    def sign_in(user, n, password=builders.PASSWORD):
        login = {"email": user.email.upper(), "password": password}
        return api.post("/tokens", json=login, environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})

    assert sign_in(customer, 1, password="not the passphrase").status_code == 401
    assert sign_in(customer, 2).status_code == 201
    refused = sign_in(customer, 3)  # a third address, the same account
    assert_error(refused, 429, "rate_limited")
    assert "token" not in refused.get_json()
    assert sign_in(other, 4).status_code == 201  # another account has its own budget


def test_registration_is_limited_per_address(api, app, fresh_limits):
    app.config["REGISTER_RATE_LIMIT"] = "1 per hour"
    assert_error(api.post("/accounts", json={}), 422)
    assert_error(api.post("/accounts", json={}), 429, "rate_limited")


def test_limits_are_off_when_disabled(api, app, world):
    app.config.update(RATELIMIT_ENABLED=False, API_RATE_LIMIT="1 per minute")
    for _ in range(3):
        assert api.get("/me", token=world["tokens"]["customer"]).status_code == 200


def test_daily_record_quota_is_429(api, app, world):
    app.config["UNCONFIRMED_RECORDS_PER_DAY"] = 1
    token = world["tokens"]["stranger"]
    record = {"with": world["business_handle"], "occurred_on": clock.now().date().isoformat()}
    assert api.post("/encounters", token=token, json=record).status_code == 201
    assert_error(api.post("/encounters", token=token, json=record), 429, "quota_exceeded")


def test_web_pages_keep_their_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
