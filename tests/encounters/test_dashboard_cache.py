"""The encounter dashboard is served from the page cache for each business or customer,
and shows every change at once: new encounters, reviews, names, closing windows."""

from datetime import timedelta

import pytest

from rating import clock
from rating.accounts import services as accounts
from rating.accounts.models import User
from rating.encounters.models import Encounter
from rating.extensions import db
from tests import builders
from tests.queries import counting_queries, without_csrf_tokens


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "PAGE_CACHE_SECONDS": 60}


@pytest.fixture
def people(app):
    with app.app_context():
        owner = builders.make_business(handle="aurora")
        return {
            "owner": owner.id,
            "staff": builders.make_staff(owner).id,
            "other owner": builders.make_business(handle="boreal").id,
            "ana": builders.make_customer(handle="ana", display_name="Ana García").id,
        }


def user(user_id) -> User:
    return db.session.get(User, user_id)


def dashboard_of(app, user_id) -> str:
    with app.app_context():
        email = user(user_id).email
    client = app.test_client()
    client.post("/sign-in", data={"email": email, "password": builders.PASSWORD})
    client.get("/how-reviews-work")  # the "signed in" message is shown once

    def page() -> str:
        answer = client.get("/encounters")
        assert answer.status_code == 200
        return answer.get_data(as_text=True)

    return page


def test_a_second_visit_asks_the_database_nothing(app, people):
    with app.app_context():
        builders.make_encounter(user(people["owner"]), user(people["ana"]))
    page = dashboard_of(app, people["owner"])
    into_minute = clock.now().timestamp() % 60
    clock.travel(timedelta(seconds=61 - into_minute))  # both visits in the same minute
    first = page()
    with counting_queries(app) as statements:
        assert without_csrf_tokens(page()) == without_csrf_tokens(first)
    assert statements == []


def test_each_business_and_customer_sees_only_their_own(app, people):
    with app.app_context():
        builders.make_encounter(user(people["owner"]), user(people["ana"]))
        aurora, boreal = (user(people[k]).business.name for k in ("owner", "other owner"))
    owner, staff = dashboard_of(app, people["owner"]), dashboard_of(app, people["staff"])
    other, ana = dashboard_of(app, people["other owner"]), dashboard_of(app, people["ana"])
    assert "Ana García" in owner() and "Ana García" in staff()  # the same cached page
    assert "Ana García" not in other() and "No encounters yet" in other()
    assert aurora in ana() and boreal not in ana()


def test_encounters_names_and_reviews_show_at_once(app, people):
    owner, ana = dashboard_of(app, people["owner"]), dashboard_of(app, people["ana"])
    assert "No encounters yet" in owner() and "No encounters yet" in ana()
    with app.app_context():
        encounter_id = builders.make_encounter(user(people["owner"]), user(people["ana"])).id
    assert "Ana García" in owner() and "No encounters yet" not in ana()
    with app.app_context():  # no review or thanks yet: only the encounter shows her name
        accounts.update_settings(user(people["ana"]), "Ana G.", None)
    assert "Ana G." in owner() and "Ana García" not in owner()
    with app.app_context():
        builders.make_review(db.session.get(Encounter, encounter_id), user(people["ana"]))
    assert "Theirs: sealed" in owner() and "Yours: sealed" in ana()


def test_a_closing_window_shows_without_any_write(app, people):
    with app.app_context():
        encounter = builders.make_encounter(user(people["owner"]), user(people["ana"]))
        left = encounter.closes_at - clock.now()
    owner = dashboard_of(app, people["owner"])
    assert "left to review" in owner()
    clock.travel(left - timedelta(seconds=1))
    assert "left to review" in owner()  # a second before the window closes
    clock.travel(timedelta(seconds=2))
    assert "left to review" not in owner()  # the cached page ended with the window
