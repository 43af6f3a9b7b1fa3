"""The signed-in user's row and unread count come from the cache between requests
(rating/accounts/signed_in.py), and every change to them shows on the very next request,
bulk statements included."""

import re
from datetime import timedelta

import pytest

from rating import clock
from rating.accounts import recovery
from rating.accounts import services as accounts
from rating.accounts.models import User
from rating.extensions import cache, db
from rating.moderation import actions
from rating.moderation.flags import FlagInput, flag_item
from rating.moderation.models import ModerationItem
from rating.notifications import services as notifications
from tests import builders
from tests.queries import counting_queries, without_csrf_tokens


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "PAGE_CACHE_SECONDS": 60}


@pytest.fixture
def ana(app):
    with app.app_context():
        return builders.make_customer(handle="ana").id


def user(user_id) -> User:
    return db.session.get(User, user_id)


def unread_shown(client) -> int:
    page = client.get("/how-reviews-work").get_data(as_text=True)
    found = re.search(r'class="unread-count">(\d+)<', page)
    return int(found.group(1)) if found else 0


def sign_in(auth, app, user_id):
    with app.app_context():
        email = user(user_id).email
    assert auth.login(email).status_code == 302


def test_a_signed_in_page_asks_the_database_nothing_on_a_hit(app, client, auth, ana):
    with app.app_context():
        owner = builders.make_business(handle="aurora")
        builders.make_encounter(owner, user(ana))
    sign_in(auth, app, ana)
    client.get("/how-reviews-work")  # the "signed in" message is shown once
    into_minute = clock.now().timestamp() % 60
    clock.travel(timedelta(seconds=61 - into_minute))  # both visits in the same minute
    first = client.get("/businesses/aurora").get_data(as_text=True)
    with counting_queries(app) as statements:
        again = client.get("/businesses/aurora").get_data(as_text=True)
    assert "My etiquette" in again and "Sign out" in again
    assert without_csrf_tokens(again) == without_csrf_tokens(first)
    assert statements == []  # neither the user, nor the unread count, nor the page


@pytest.mark.parametrize("held", ["user", "business"])
def test_a_request_in_a_context_that_already_holds_the_user_or_business(app, client, auth, held):
    """The cached user joins the request's session without a query, also when an outer
    app context's session (a command's, a test's) holds that user or their business."""
    with app.app_context():
        owner_id = builders.make_business(handle="aurora").id
    sign_in(auth, app, owner_id)
    client.get("/how-reviews-work")  # the user is now in the cache
    with app.app_context():
        owner = user(owner_id)
        in_session = owner if held == "user" else owner.business
        if held == "business":
            db.session.expunge(owner)
        with counting_queries(app) as statements:
            page = client.get("/how-reviews-work").get_data(as_text=True)
        assert "Sign out" in page
        assert statements == []  # from the cache, as in a request of its own
        assert db.session.get(type(in_session), in_session.id) is in_session


def test_a_new_notification_and_reading_all_show_at_once(app, client, auth, ana):
    sign_in(auth, app, ana)
    assert unread_shown(client) == 0
    with app.app_context():
        notifications.notify([ana], "review_received", who="Aurora", closes="2026-12-01")
        notifications.notify([ana], "review_received", who="Boreal", closes="2026-12-02")
        db.session.commit()
    assert unread_shown(client) == 2
    with app.app_context():
        notifications.mark_all_read(user(ana))  # one bulk UPDATE: no flush sees it
    assert unread_shown(client) == 0


def test_a_password_reset_ends_other_sessions_at_once(app, client, auth, ana):
    sign_in(auth, app, ana)
    assert client.get("/settings").status_code == 200  # the row is now cached
    with app.app_context():
        token = recovery.reset_token(user(ana))
        recovery.reset_password(token, "a brand new passphrase 42")  # one bulk UPDATE
    answer = client.get("/settings")
    assert answer.status_code == 302 and "/sign-in" in answer.headers["Location"]


def test_a_suspension_applies_to_a_session_already_signed_in(app, client, auth, ana):
    with app.app_context():
        owner = builders.make_business(handle="aurora")
        encounter = builders.make_encounter(owner, user(ana))
        review = builders.make_review(encounter, user(ana), comment="Fine.")
        builders.make_review(encounter, owner)  # revealed: others can flag it
        encounter_id, review_id = encounter.id, review.id
    sign_in(auth, app, ana)
    assert client.get(f"/encounters/{encounter_id}").status_code == 200
    with app.app_context():
        flag_item(builders.make_customer(), FlagInput("review", review_id, "abusive"))
        item = db.session.scalar(db.select(ModerationItem.id))
        actions.act(builders.make_admin(), item, "suspend", "Insults.", days=7)
    answer = client.post(f"/encounters/{encounter_id}/thanks", data={"message": "Thanks!"})
    assert answer.status_code == 403
    assert "suspended" in answer.get_data(as_text=True).lower()


def test_a_language_chosen_elsewhere_applies_at_once(app, client, auth, ana):
    sign_in(auth, app, ana)
    assert 'lang="en"' in client.get("/how-reviews-work").get_data(as_text=True)
    with app.app_context():
        accounts.update_settings(user(ana), "Ana", "es")  # as from another device
    assert 'lang="es"' in client.get("/how-reviews-work").get_data(as_text=True)


def test_no_email_or_password_hash_is_kept_in_the_cache(app, client, auth, ana):
    sign_in(auth, app, ana)
    client.get("/how-reviews-work")  # the row is now cached
    with app.app_context():
        entry = cache.get(f"signed-in:{ana}")
        email = user(ana).email
    assert entry is not None and entry["user"]["id"] == ana
    assert "email" not in entry["user"] and "password_hash" not in entry["user"]
    assert email in client.get("/settings").get_data(as_text=True)  # read when needed
