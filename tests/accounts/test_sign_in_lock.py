"""Sign-in says nothing about which emails exist, and locks an account after failures."""

from datetime import timedelta

import argon2
import pytest
from sqlalchemy import select

from rating import clock
from rating.accounts import services
from rating.accounts.models import User
from rating.extensions import db
from tests.builders import PASSWORD

WRONG = "Wrong email or password."


def fail(auth, email, times):
    for _ in range(times):
        assert auth.login(email, "not-the-password").status_code == 422


def stored(app, user) -> User:
    with app.app_context():
        return db.session.scalar(select(User).where(User.id == user.id))


def test_five_failures_lock_the_account_for_fifteen_minutes(app, auth, make_customer):
    user = make_customer()
    fail(auth, user.email, 5)
    locked = auth.login(user)  # the right password
    assert locked.status_code == 422
    assert WRONG in locked.get_data(as_text=True)
    assert stored(app, user).locked_until is not None

    clock.travel(timedelta(minutes=14))
    assert auth.login(user).status_code == 422
    clock.travel(timedelta(minutes=1, seconds=1))
    assert auth.login(user).status_code == 302
    after = stored(app, user)
    assert (after.failed_sign_ins, after.locked_until) == (0, None)


def test_failures_spread_over_more_than_the_window_do_not_lock(auth, make_customer):
    user = make_customer()
    for _ in range(3):
        fail(auth, user.email, 2)
        clock.travel(timedelta(minutes=16))
    assert auth.login(user).status_code == 302


def test_a_successful_sign_in_starts_the_count_again(auth, make_customer):
    user = make_customer()
    fail(auth, user.email, 4)
    assert auth.login(user).status_code == 302
    auth.logout()
    fail(auth, user.email, 4)
    assert auth.login(user).status_code == 302


def test_the_lock_is_per_account(auth, make_customer):
    locked, other = make_customer(), make_customer()
    fail(auth, locked.email, 5)
    assert auth.login(other).status_code == 302


def test_unknown_wrong_and_locked_answer_alike(app, auth, make_customer):
    user, locked = make_customer(), make_customer()
    fail(auth, locked.email, 5)
    answers = [
        auth.login("nobody@example.com"),
        auth.login(user, "not-the-password"),
        auth.login(locked),
    ]
    pages = [response.get_data(as_text=True) for response in answers]
    assert {response.status_code for response in answers} == {422}
    for page in pages:
        assert WRONG in page
        assert "After 5 failed attempts, signing in to an account is paused for 15 minutes." in page
        assert "locked" not in page.lower()


@pytest.mark.parametrize("case", ["unknown", "wrong", "locked"])
def test_each_refusal_costs_one_password_hash(app, ctx, make_customer, monkeypatch, case):
    user = make_customer()
    if case == "locked":
        for _ in range(5):
            services.authenticate(user.email, "not-the-password")
    calls = []
    real_verify = argon2.PasswordHasher.verify

    def counting_verify(self, hash, password):
        calls.append(1)
        return real_verify(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting_verify)
    email = "nobody@example.com" if case == "unknown" else user.email
    password = PASSWORD if case == "locked" else "not-the-password"
    assert services.authenticate(email, password) is None
    assert len(calls) == 1


def test_sign_in_renews_the_session(app, client, auth, make_customer):
    user = make_customer()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        session["language"] = "es"
        session["csrf_token"] = "a-token-known-to-an-attacker"
    assert auth.login(user).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.get("csrf_token") != "a-token-known-to-an-attacker"
        assert session["language"] == "es"
        assert session["_user_id"].startswith(f"{user.id}:")
