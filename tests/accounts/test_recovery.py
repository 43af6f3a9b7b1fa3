"""Password reset by an emailed, signed, single-use, expiring link (real SMTP server)."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from rating import clock
from rating.accounts import recovery, verification
from rating.accounts.models import User
from rating.accounts.passwords import verify_password
from rating.errors import Invalid
from rating.extensions import db
from tests.builders import PASSWORD

NEW_PASSWORD = "a fresh long secret"
LINK = re.compile(r"http://localhost/reset-password/(\S+)")


@pytest.fixture
def app_config(mail_config):
    return mail_config


def request_link(client, smtp_server, email) -> str:
    response = client.post("/forgot-password", data={"email": email})
    assert response.status_code == 302
    response.close()  # as a WSGI server does once the answer is sent
    [message] = smtp_server.to(email)
    assert message["Subject"] == "Reset your Reciproca password"
    assert message["From"] == "Reciproca <no-reply@reciproca.example>"
    return LINK.search(message.get_content()).group(0)


def test_sign_in_page_links_to_the_reset_form(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/forgot-password">Forgot your password?</a>' in page


def test_reset_by_the_emailed_link(app, client, auth, smtp_server, make_customer):
    user = make_customer(display_name="Ana G.")
    other_device = app.test_client()
    signed_in = other_device.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302

    link = request_link(client, smtp_server, user.email)
    [message] = smtp_server.messages
    assert "Hello Ana G.," in message.get_content()
    assert "within 60 minutes" in message.get_content()
    form = client.get(link)
    assert form.status_code == 200
    assert form.headers["Cache-Control"] == "no-store"
    assert "Choose a new password" in form.get_data(as_text=True)

    response = client.post(link, data={"new_password": NEW_PASSWORD}, follow_redirects=True)
    assert "Your password is changed. Sign in with your new password." in response.get_data(
        as_text=True
    )
    assert auth.login(user, PASSWORD).status_code == 422
    assert auth.login(user, NEW_PASSWORD).status_code == 302
    assert other_device.get("/settings").status_code == 302  # its session has ended


def test_the_link_works_once(client, smtp_server, make_customer):
    user = make_customer()
    link = request_link(client, smtp_server, user.email)
    assert client.post(link, data={"new_password": NEW_PASSWORD}).status_code == 302
    again = client.post(link, data={"new_password": "yet another long secret"})
    assert again.status_code == 302
    assert again.headers["Location"] == "/forgot-password"
    page = client.get("/forgot-password").get_data(as_text=True)
    assert "This password reset link is not valid, was already used or has expired." in page


def test_the_link_expires_after_an_hour(client, smtp_server, make_customer):
    user = make_customer()
    link = request_link(client, smtp_server, user.email)
    clock.travel(timedelta(minutes=59))
    assert client.get(link).status_code == 200
    clock.travel(timedelta(minutes=1, seconds=2))
    assert client.get(link).headers["Location"] == "/forgot-password"


def test_an_earlier_link_dies_when_the_password_changes(client, auth, smtp_server, make_customer):
    user = make_customer()
    link = request_link(client, smtp_server, user.email)
    auth.login(user)
    client.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": "changed in settings"},
    )
    assert client.get(link).headers["Location"] == "/forgot-password"


def test_unknown_email_gets_the_same_answer_and_no_mail(client, smtp_server, make_customer):
    make_customer(email="ana@example.com")
    known = client.post("/forgot-password", data={"email": "ana@example.com"})
    unknown = client.post("/forgot-password", data={"email": "nobody@example.com"})
    known.close(), unknown.close()
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/sign-in"
    assert len(smtp_server.messages) == 1
    page = client.get("/sign-in").get_data(as_text=True)
    assert "If an account uses nobody@example.com, we have emailed it a link" in page


def test_forged_or_foreign_tokens_are_refused(app, client, make_customer):
    user = make_customer()
    with app.app_context():
        account = db.session.get(User, user.id)
        verify_token = verification.verification_token(account)
        genuine = recovery.reset_token(account)
    for token in ("garbage", verify_token, genuine[:-2] + "xx"):
        response = client.get(f"/reset-password/{token}")
        assert response.headers["Location"] == "/forgot-password", token


def test_a_weak_password_is_refused_and_the_link_still_works(client, smtp_server, make_customer):
    user = make_customer()
    link = request_link(client, smtp_server, user.email)
    response = client.post(link, data={"new_password": "password123"})
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)
    assert client.post(link, data={"new_password": NEW_PASSWORD}).status_code == 302


def test_reset_lifts_a_sign_in_lock_and_proves_the_email(
    app, client, auth, smtp_server, make_customer
):
    user = make_customer()
    for _ in range(5):
        auth.login(user, "not-the-password")
    link = request_link(client, smtp_server, user.email)
    client.post(link, data={"new_password": NEW_PASSWORD})
    assert auth.login(user, NEW_PASSWORD).status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id).email_verified_at is not None


def test_mail_server_down_gives_the_same_answer(app, client, make_customer, caplog):
    user = make_customer()
    app.config["MAIL_PORT"] = 1  # nothing listens there
    response = client.post("/forgot-password", data={"email": user.email})
    assert response.status_code == 302 and response.headers["Location"] == "/sign-in"
    response.close()
    assert "could not send a password reset email" in caplog.text


def test_the_mail_leaves_after_the_answer(client, smtp_server, make_customer):
    """The answer is complete before the mail server is spoken to: its delay cannot tell
    a visitor that the account exists."""
    user = make_customer()
    response = client.post("/forgot-password", data={"email": user.email})
    assert response.status_code == 302
    assert smtp_server.to(user.email) == []  # answered, nothing sent yet
    response.close()
    assert len(smtp_server.to(user.email)) == 1


def test_the_request_form_checks_its_shape(client):
    response = client.post("/forgot-password", data={"email": ""})
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)


def test_two_uses_of_one_link_at_once_change_the_password_once(ctx, make_customer, monkeypatch):
    user = make_customer()
    account = db.session.scalar(select(User).where(User.id == user.id))
    token = recovery.reset_token(account)
    # The second use checked the link before the first one wrote the new password.
    seen_before = SimpleNamespace(id=account.id, password_hash=account.password_hash)
    recovery.reset_password(token, NEW_PASSWORD)
    monkeypatch.setattr(recovery, "user_for_reset_token", lambda token: seen_before)
    with pytest.raises(Invalid) as refused:
        recovery.reset_password(token, "another long secret")
    assert "token" in refused.value.fields
    db.session.expire_all()
    assert verify_password(db.session.get(User, user.id).password_hash, NEW_PASSWORD)
