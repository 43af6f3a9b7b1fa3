"""Security headers on every kind of response; session cookie flags."""

import re
from pathlib import Path

import pytest

from config import Production
from rating import create_app
from rating.security.headers import CONTENT_SECURITY_POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def assert_secure_headers(response):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, name


ANONYMOUS = [
    ("GET", "/", 200),
    ("GET", "/how-reviews-work", 200),
    ("GET", "/sign-in", 200),
    ("GET", "/register", 200),
    ("GET", "/forgot-password", 200),
    ("GET", "/settings", 302),
    ("GET", "/no-such-page", 404),
    ("POST", "/", 405),
    ("GET", "/static/css/app.css", 200),
    ("GET", "/api/v1/openapi.json", 200),
    ("GET", "/api/v1/me", 401),
    ("GET", "/api/v1/no-such-thing", 404),
    ("GET", "/api/docs", 200),
]


@pytest.mark.parametrize(("method", "path", "status"), ANONYMOUS)
def test_every_response_carries_the_headers(client, method, path, status):
    response = client.open(path, method=method)
    response.close()
    assert response.status_code == status
    assert_secure_headers(response)
    assert "Strict-Transport-Security" not in response.headers


def test_signed_in_pages_and_posts_carry_the_headers(client, auth, make_business):
    owner = make_business()
    assert_secure_headers(auth.login(owner))
    for path in ("/settings", "/encounters", "/invitations", "/business/staff"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_secure_headers(response)
    assert_secure_headers(client.post("/settings", data={"display_name": ""}))


def test_csrf_refusal_carries_the_headers(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/sign-in", data={})
    assert response.status_code == 400
    assert_secure_headers(response)


def test_constant_matches_the_policy():
    assert EXPECTED["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.fixture
def production_app(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    return create_app(Production, SQLALCHEMY_DATABASE_URI="sqlite://")


def test_production_adds_hsts_and_secure_cookies(production_app):
    response = production_app.test_client().get("/sign-in")  # stores a CSRF token
    assert_secure_headers(response)
    assert response.headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains")
    cookie = response.headers["Set-Cookie"]
    assert "; Secure" in cookie and "; HttpOnly" in cookie and "; SameSite=Lax" in cookie


def test_session_cookie_is_httponly_and_lax_outside_production(app):
    app.config["WTF_CSRF_ENABLED"] = True
    response = app.test_client().get("/sign-in")
    cookie = response.headers["Set-Cookie"]
    assert "; HttpOnly" in cookie and "; SameSite=Lax" in cookie
    assert "; Secure" not in cookie


INLINE = re.compile(
    r"""<style\b|\sstyle\s*=|\son[a-z]+\s*=|<script(?![^>]*\bsrc=)[^>]*>|javascript:""",
    re.IGNORECASE,
)


def test_no_template_uses_inline_script_or_style():
    """The policy refuses them: they would silently stop working in browsers."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []
