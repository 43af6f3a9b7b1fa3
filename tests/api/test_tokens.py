"""Bearer tokens: random, stored as a hash, expiring, revocable; no session cookies."""

import hashlib
from datetime import timedelta

from sqlalchemy import select

from rating import clock
from rating.accounts.models import User
from rating.accounts.services import change_password
from rating.extensions import db
from rating.tokens.models import ApiToken
from rating.tokens.services import authenticate_token, create_token, delete_tokens
from tests import builders
from tests.api.conftest import assert_error


def test_token_is_stored_only_as_its_hash(ctx):
    user = builders.make_customer()
    token, raw = create_token(user)
    assert raw.startswith("rcp_") and len(raw) > 40
    stored = db.session.get(ApiToken, token.id)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.token_hash, str(stored.id)}
    assert stored.expires_at > clock.now() + timedelta(days=29)
    assert authenticate_token(raw).user_id == user.id
    assert authenticate_token(raw + "x") is None
    assert authenticate_token("") is None


def test_expired_token_is_refused(ctx):
    _, raw = create_token(builders.make_customer())
    clock.travel(timedelta(days=31))
    assert authenticate_token(raw) is None


def test_password_change_ends_tokens(ctx):
    user = builders.make_customer()
    _, raw = create_token(user)
    change_password(user, builders.PASSWORD, "another-long-passphrase")
    assert authenticate_token(raw) is None


def test_delete_tokens(ctx):
    user = builders.make_customer()
    raws = [create_token(user)[1] for _ in range(2)]
    assert delete_tokens(user) == 2
    assert all(authenticate_token(raw) is None for raw in raws)


def test_last_used_is_recorded(ctx):
    token, raw = create_token(builders.make_customer())
    assert token.last_used_at is None
    authenticate_token(raw)
    assert db.session.get(ApiToken, token.id).last_used_at is not None


def test_post_tokens_gives_a_working_token(api, make_customer):
    customer = make_customer()
    response = api.post("/tokens", json={"email": customer.email, "password": builders.PASSWORD})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    assert body["expires_at"].endswith("+00:00")
    assert response.headers["Cache-Control"] == "no-store"
    me = api.get("/me", token=body["token"])
    assert me.status_code == 200
    assert me.get_json()["handle"] == customer.handle


def test_post_tokens_refuses_wrong_password(api, make_customer):
    customer = make_customer()
    response = api.post("/tokens", json={"email": customer.email, "password": "wrong-password!"})
    assert_error(response, 401, "invalid_credentials")
    response = api.post("/tokens", json={"email": "nobody@example.com", "password": "whatever-1"})
    assert_error(response, 401, "invalid_credentials")


def test_post_tokens_validates(api):
    assert_error(api.post("/tokens", json={}), 422, "invalid", fields=("email", "password"))


def test_delete_current_revokes_only_that_token(api, make_customer, token_for, app):
    customer = make_customer()
    first, second = token_for(customer), token_for(customer)
    response = api.delete("/tokens/current", token=first)
    assert response.status_code == 204
    assert response.data == b""
    assert_error(api.get("/me", token=first), 401, "invalid_token")
    assert api.get("/me", token=second).status_code == 200
    with app.app_context():
        revoked = db.session.scalars(select(ApiToken).where(ApiToken.revoked_at.is_not(None)))
        assert len(revoked.all()) == 1


def test_delete_current_needs_a_token(api):
    assert_error(api.delete("/tokens/current"), 401, "unauthorized")


def test_bad_tokens_are_refused_everywhere(api, make_customer, token_for):
    customer = make_customer()
    good = token_for(customer)
    for header in (f"Basic {good}", "Bearer", "Bearer rcp_unknown", f"Bearer {good}x"):
        response = api.get("/me", headers={"Authorization": header})
        assert_error(response, 401)
    # also on endpoints anyone may call: a token that is sent must be valid
    assert_error(api.get("/openapi.json", headers={"Authorization": "Bearer nope"}), 401)


def test_expired_token_answers_401(api, make_customer, token_for):
    token = token_for(make_customer())
    clock.travel(timedelta(days=31))
    error = assert_error(api.get("/me", token=token), 401, "invalid_token")
    assert "expired" in error["message"]


def test_session_cookie_is_not_accepted(api, auth, make_customer):
    customer = make_customer()
    assert auth.login(customer).status_code == 302
    # signed in on the web, the same client has no say on the API without a token
    assert_error(api.get("/me"), 401)
    assert_error(api.get("/encounters"), 401)


def test_token_user_wins_over_a_session_cookie(api, auth, make_customer, token_for):
    signed_in, other = make_customer(), make_customer()
    assert auth.login(signed_in).status_code == 302
    assert api.get("/me", token=token_for(other)).get_json()["handle"] == other.handle


def test_api_posts_need_no_csrf_token(app, api, make_customer):
    app.config["WTF_CSRF_ENABLED"] = True
    customer = make_customer()
    response = api.post("/tokens", json={"email": customer.email, "password": builders.PASSWORD})
    assert response.status_code == 201


def test_messages_follow_the_token_users_language(api, app, make_customer, token_for):
    customer = make_customer()
    with app.app_context():
        db.session.get(User, customer.id).language = "es"
        db.session.commit()
    error = assert_error(api.get("/encounters/999999", token=token_for(customer)), 404)
    assert error["message"] == "Este encuentro no existe."
    english = assert_error(api.get("/encounters/999999", token=token_for(make_customer())), 404)
    assert english["message"] == "This encounter does not exist."
    assert error["code"] == english["code"] == "not_found"
