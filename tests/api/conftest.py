"""Fixtures of the API tests: a JSON client with bearer tokens, and a world of roles."""

import pytest

from rating.accounts.models import User
from rating.api import limits
from rating.extensions import db
from rating.tokens.services import create_token
from tests import worlds


class ApiClient:
    """Calls /api/v1 with JSON and, when given one, a bearer token."""

    def __init__(self, client):
        self.client = client

    def call(self, method, path, token=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path, token=None, **kwargs):
        return self.call("GET", path, token, **kwargs)

    def post(self, path, token=None, **kwargs):
        return self.call("POST", path, token, **kwargs)

    def put(self, path, token=None, **kwargs):
        return self.call("PUT", path, token, **kwargs)

    def delete(self, path, token=None, **kwargs):
        return self.call("DELETE", path, token, **kwargs)


@pytest.fixture
def api(client):
    return ApiClient(client)


@pytest.fixture
def token_for(app):
    """A fresh token (the secret) for a user built by the builders."""

    def make(user) -> str:
        with app.app_context():
            return create_token(db.session.get(User, user.id))[1]

    return make


@pytest.fixture
def fresh_limits(app):
    """Rate limits on, with empty counters (the API reads the config per request)."""
    app.config["RATELIMIT_ENABLED"] = True
    limits.reset(app)
    yield app
    limits.reset(app)


def assert_error(response, status: int, code: str | None = None, fields=()) -> dict:
    """The response is a refusal in the documented shape; returns its `error`."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    if code is not None:
        assert error["code"] == code
    for name in fields:
        assert name in error["fields"], error["fields"]
    if status == 401:
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    return error


@pytest.fixture
def world(app):
    """One account of each role with a token, and encounters in the states tests need."""
    return build_world(app)


def build_world(app) -> dict:
    """A world (tests/worlds.py) with a token per account; several may live side by side."""
    return worlds.build_world(app, tokens=True)
