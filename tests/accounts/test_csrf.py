"""CSRF protection is on for every POST form (the other tests switch it off)."""

import pytest
from sqlalchemy import func, select

from rating.accounts.models import User
from rating.extensions import db


@pytest.fixture
def app_config():
    return {}


@pytest.mark.parametrize("path", ["/register", "/sign-in", "/sign-out", "/language"])
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
