"""CSRF protection is on for every POST form (the other tests switch it off)."""

import re

import pytest
from sqlalchemy import func, select

from rating.accounts.models import User
from rating.extensions import db


@pytest.fixture
def app_config():
    return {}


@pytest.mark.parametrize("path", ["/register", "/sign-in", "/sign-out"])
def test_post_without_csrf_token_is_a_400_and_changes_nothing(client, app, path):
    data = {
        "kind": "customer",
        "display_name": "Ana G.",
        "handle": "ana-g",
        "email": "ana@example.com",
        "password": "a long sentence here",
        "language": "es",
    }
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_visitor_switches_language_without_a_token(client):
    """A visitor's choice lives in their own session: nothing of anyone's to forge."""
    page = client.get("/").get_data(as_text=True)
    assert "csrf_token" not in page
    assert client.post("/language", data={"language": "es"}).status_code == 302
    assert 'lang="es"' in client.get("/").get_data(as_text=True)


def test_a_signed_in_language_switch_needs_the_token(client, app, make_customer):
    customer = make_customer()
    form = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    data = {"email": customer.email, "password": "correct-horse-battery", "csrf_token": token}
    assert client.post("/sign-in", data=data).status_code == 302
    response = client.post("/language", data={"language": "es"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, customer.id).language != "es"
