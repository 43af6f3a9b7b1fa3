"""Email verification: a link mailed at registration, resent from settings."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from rating import clock
from rating.accounts import verification
from rating.accounts.models import User
from rating.errors import NotAllowed
from rating.extensions import db

LINK = re.compile(r"http://localhost/verify-email/(\S+)")
CUSTOMER = {
    "kind": "customer",
    "display_name": "Ana G.",
    "handle": "ana-g",
    "email": "ana@example.com",
    "password": "a long sentence here",
}


@pytest.fixture
def app_config(mail_config):
    return mail_config


def account(app, email="ana@example.com") -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def test_registration_mails_a_link_that_verifies_the_email(app, client, smtp_server):
    response = client.post("/register", data=CUSTOMER, follow_redirects=True)
    assert "We have sent you a link to verify your email address." in response.get_data(
        as_text=True
    )
    assert account(app).email_verified_at is None
    [message] = smtp_server.to("ana@example.com")
    assert message["Subject"] == "Verify your email address for Reciproca"
    link = LINK.search(message.get_content()).group(0)

    response = client.get(link, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Thank you: your email address is verified." in page
    assert "Your email address is verified." in page  # the settings page
    assert account(app).email_verified_at is not None
    # Following it again does no harm.
    assert client.get(link).status_code == 302


def test_settings_resends_the_link(app, client, auth, smtp_server, make_customer):
    user = make_customer()
    auth.login(user)
    page = client.get("/settings").get_data(as_text=True)
    assert "Your email address is not verified yet" in page
    assert "Send a new verification link" in page
    response = client.post("/settings/verify-email", follow_redirects=True)
    assert f"We have sent a new link to {user.email}." in response.get_data(as_text=True)
    [message] = smtp_server.to(user.email)
    client.get(LINK.search(message.get_content()).group(0))
    response = client.post("/settings/verify-email", follow_redirects=True)
    assert "Your email address is already verified." in response.get_data(as_text=True)
    assert len(smtp_server.messages) == 1


def test_bad_expired_or_stale_links_are_refused(app, client, make_customer):
    user = make_customer()
    with app.app_context():
        token = verification.verification_token(db.session.get(User, user.id))
    clock.travel(timedelta(days=7, seconds=2))
    for bad in ("garbage", token):
        response = client.get(f"/verify-email/{bad}", follow_redirects=True)
        assert "This verification link is not valid or has expired." in response.get_data(
            as_text=True
        )
    clock.reset()
    with app.app_context():  # the address changed since the link was sent
        db.session.get(User, user.id).email = "new@example.com"
        db.session.commit()
    client.get(f"/verify-email/{token}")
    assert account(app, "new@example.com").email_verified_at is None


def test_registration_goes_on_when_the_mail_server_is_down(app, client):
    app.config["MAIL_PORT"] = 1  # nothing listens there
    response = client.post("/register", data=CUSTOMER, follow_redirects=True)
    assert "We could not send the verification email" in response.get_data(as_text=True)
    assert account(app) is not None


def test_ensure_email_verified_follows_the_config(app, ctx, make_customer):
    user = db.session.get(User, make_customer().id)
    app.config["REQUIRE_EMAIL_VERIFICATION"] = False
    verification.ensure_email_verified(user)
    app.config["REQUIRE_EMAIL_VERIFICATION"] = True
    with pytest.raises(NotAllowed, match="Please verify your email address first"):
        verification.ensure_email_verified(user)
    user.email_verified_at = clock.now()
    verification.ensure_email_verified(user)


def test_admins_created_on_the_command_line_are_verified(app, make_admin):
    assert account(app, make_admin().email).email_verified_at is not None


def test_the_console_backend_prints_the_message(app, ctx, make_customer, capsys):
    app.config["MAIL_BACKEND"] = "console"
    user = db.session.get(User, make_customer().id)
    with app.test_request_context():
        assert verification.send_verification_email(user)
    printed = capsys.readouterr().out
    assert f"To: {user.email}" in printed
    assert "http://localhost/verify-email/" in printed


def test_registration_through_the_api_mails_the_link_too(app, client, smtp_server):
    response = client.post("/api/v1/accounts", json=CUSTOMER)
    assert response.status_code == 201
    [message] = smtp_server.to("ana@example.com")
    assert LINK.search(message.get_content())
