"""Rate limits of the web pages (memory storage; Redis has its own tests)."""

import re

from flask import jsonify

from rating.extensions import limiter
from tests.builders import PASSWORD

ELSEWHERE = {"REMOTE_ADDR": "127.0.0.2"}
THIRD = {"REMOTE_ADDR": "127.0.0.3"}


def sign_in(client, email, password="wrong-password", environ=None):  # noqa: S107 - a wrong password, on purpose
    return client.post(
        "/sign-in", data={"email": email, "password": password}, environ_base=environ or {}
    )


def retry_after(response) -> int:
    return int(response.headers["Retry-After"])


def test_sign_in_is_limited_per_address(limited_app):
    client = limited_app(SIGN_IN_RATE_LIMIT="3 per minute").test_client()
    for _ in range(3):
        assert sign_in(client, "nobody@example.com").status_code == 422
    refused = sign_in(client, "nobody@example.com")
    assert refused.status_code == 429
    assert 1 <= retry_after(refused) <= 60
    page = refused.get_data(as_text=True)
    assert re.search(r"Too many attempts\. Please try again in \d+ seconds?\.", page)
    assert "Error 429" in page
    # Another address is not affected.
    assert sign_in(client, "nobody@example.com", environ=ELSEWHERE).status_code == 422


def test_sign_in_is_limited_per_account_across_addresses(limited_app, make_customer):
    ana, bob = make_customer(), make_customer()
    client = limited_app(SIGN_IN_ACCOUNT_RATE_LIMIT="2 per minute").test_client()
    assert sign_in(client, ana.email).status_code == 422
    assert sign_in(client, ana.email.upper(), environ=ELSEWHERE).status_code == 422
    # Third try on the same account from a third address: refused, even with the password.
    assert sign_in(client, ana.email, PASSWORD, environ=THIRD).status_code == 429
    assert sign_in(client, bob.email, PASSWORD).status_code == 302


def test_registration_is_limited_per_address(limited_app):
    client = limited_app(REGISTER_RATE_LIMIT="2 per hour").test_client()
    for _ in range(2):
        assert client.post("/register", data={}).status_code == 422
    refused = client.post("/register", data={})
    assert refused.status_code == 429
    assert retry_after(refused) > 3000
    assert re.search(r"Please try again in 6[01] minutes\.", refused.get_data(as_text=True))


def test_password_reset_requests_are_limited(limited_app):
    client = limited_app(PASSWORD_RESET_RATE_LIMIT="2 per hour").test_client()
    data = {"email": "ana@example.com"}
    assert client.post("/forgot-password", data=data).status_code == 302
    assert client.post("/forgot-password", data=data, environ_base=ELSEWHERE).status_code == 302
    # Same email from a third address (per email), and another email from the first (per address).
    assert client.post("/forgot-password", data=data, environ_base=THIRD).status_code == 429
    other = {"email": "bob@example.com"}
    assert client.post("/forgot-password", data=other).status_code == 302
    assert client.post("/forgot-password", data=other).status_code == 429


def test_writes_are_limited_per_signed_in_user(limited_app, make_customer):
    ana, bob = make_customer(), make_customer()
    app = limited_app(WRITE_RATE_LIMIT="3 per minute")
    ana_client, bob_client = app.test_client(), app.test_client()
    # Signing in is a write of the (still anonymous) address.
    assert sign_in(ana_client, ana.email, PASSWORD, environ=ELSEWHERE).status_code == 302
    assert sign_in(bob_client, bob.email, PASSWORD, environ=THIRD).status_code == 302
    settings = {"display_name": "Ana", "language": ""}
    for _ in range(3):
        assert ana_client.post("/settings", data=settings).status_code == 302
    refused = ana_client.post("/settings", data=settings)
    assert refused.status_code == 429
    assert 1 <= retry_after(refused) <= 60
    # Reading goes on; another user, and anonymous visitors, have their own budgets.
    for _ in range(5):
        assert ana_client.get("/settings").status_code == 200
    assert bob_client.post("/settings", data={"display_name": "Bob"}).status_code == 302
    anonymous = app.test_client()
    assert anonymous.post("/language", data={"language": "es"}).status_code == 302


def test_anonymous_writes_are_limited_per_address(limited_app):
    client = limited_app(WRITE_RATE_LIMIT="2 per minute").test_client()
    for _ in range(2):
        assert client.post("/language", data={"language": "es"}).status_code == 302
    assert client.post("/language", data={"language": "es"}).status_code == 429
    assert client.post("/language", data={}, environ_base=ELSEWHERE).status_code == 302


def test_api_paths_get_the_api_error_shape(limited_app):
    app = limited_app()

    @limiter.limit("1 per minute")
    def probe():
        return jsonify({"ok": True})

    app.add_url_rule("/api/v1/test-probe", "test_probe", probe, methods=["POST"])
    client = app.test_client()
    assert client.post("/api/v1/test-probe").status_code == 200
    refused = client.post("/api/v1/test-probe")
    assert refused.status_code == 429
    assert refused.is_json
    body = refused.get_json()
    assert body["error"]["code"] == "rate_limited"
    assert body["error"]["fields"] == {}
    assert "Please try again in" in body["error"]["message"]
    assert 1 <= retry_after(refused) <= 60


def test_the_api_is_not_counted_in_the_web_write_budget(limited_app):
    # The API counts its own requests per token (rating/api/limits.py).
    client = limited_app(WRITE_RATE_LIMIT="1 per minute").test_client()
    for _ in range(3):
        assert client.post("/api/v1/tokens", json={}).status_code != 429


def test_an_app_with_limits_off_stays_unlimited(limited_app, client):
    """One Limiter serves every app of a process: another app's settings must not leak."""
    limited_app(SIGN_IN_RATE_LIMIT="1 per minute")
    for _ in range(5):
        assert sign_in(client, "nobody@example.com").status_code == 422
