from sqlalchemy import select

from rating.accounts.models import User
from rating.extensions import db
from tests.builders import PASSWORD


def test_sign_in_and_sign_out(client, auth, make_customer):
    user = make_customer(display_name="Ana G.")
    response = auth.login(user)
    assert response.status_code == 302
    assert "Signed in as Ana G." in client.get("/").get_data(as_text=True)
    assert auth.logout().status_code == 302
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_sign_in_ignores_email_case(client, auth, make_customer):
    make_customer(email="ana@example.com")
    assert auth.login("ANA@Example.com").status_code == 302


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth, make_customer):
    user = make_customer()
    wrong = auth.login(user, "not-the-password")
    unknown = auth.login("nobody@example.com")
    assert wrong.status_code == unknown.status_code == 422
    for response in (wrong, unknown):
        assert "Wrong email or password." in response.get_data(as_text=True)
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)


def test_sign_in_follows_only_local_next(client, auth, make_customer):
    user = make_customer()
    response = client.post(
        "/sign-in?next=https://evil.example.com/",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"
    auth.logout()
    response = client.post(
        "/sign-in?next=/settings", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/settings"


def test_settings_change_display_name_and_language(client, auth, app, make_customer):
    user = make_customer()
    auth.login(user)
    response = client.post(
        "/settings", data={"display_name": "Ana García", "language": "es"}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert '<html lang="es">' in page and "<h1>Ajustes</h1>" in page
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert (stored.display_name, stored.language) == ("Ana García", "es")


def test_settings_refuse_empty_name_and_keep_the_old_one(client, auth, app, make_customer):
    user = make_customer(display_name="Ana G.")
    auth.login(user)
    response = client.post("/settings", data={"display_name": "", "language": ""})
    assert response.status_code == 422
    assert "This field is required." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).display_name == "Ana G."


def test_password_change_needs_the_current_password(client, auth, app, make_customer):
    user = make_customer()
    auth.login(user)
    response = client.post(
        "/settings/password",
        data={"current_password": "wrong-password", "new_password": "another long secret"},
    )
    assert response.status_code == 422
    assert "This is not your current password." in response.get_data(as_text=True)
    auth.logout()
    assert auth.login(user).status_code == 302


def test_password_change_refuses_a_common_password(client, auth, make_customer):
    user = make_customer()
    auth.login(user)
    response = client.post(
        "/settings/password", data={"current_password": PASSWORD, "new_password": "password123"}
    )
    assert response.status_code == 422
    assert "too common" in response.get_data(as_text=True)


def test_password_change_keeps_this_session_and_ends_the_others(app, auth, make_customer):
    user = make_customer()
    other = app.test_client()
    other.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert other.get("/settings").status_code == 200

    auth.login(user)
    response = auth.client.post(
        "/settings/password",
        data={"current_password": PASSWORD, "new_password": "a brand new secret"},
    )
    assert response.status_code == 302
    assert auth.client.get("/settings").status_code == 200
    assert other.get("/settings").status_code == 302  # sent back to sign in
    auth.logout()
    assert auth.login(user, "a brand new secret").status_code == 302


def test_password_is_never_stored_in_clear(app, make_customer):
    user = make_customer()
    with app.app_context():
        stored = db.session.scalar(select(User).where(User.id == user.id))
        assert PASSWORD not in stored.password_hash
