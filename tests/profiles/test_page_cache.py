"""The cached fragments of the business page, customer page and directory: served again
without the database, and never stale after a change commits (rating/pagecache.py)."""

import re
from datetime import timedelta

import pytest

from rating import clock, pagecache
from rating.accounts import services as accounts
from rating.accounts.models import User
from rating.businesses.models import Business
from rating.encounters.models import Encounter
from rating.extensions import cache, db
from rating.moderation import actions
from rating.moderation.flags import FlagInput, flag_item
from rating.moderation.models import ModerationItem
from rating.reviews.services import reply_to_review
from rating.thanks.services import send_thanks
from tests import builders
from tests.databases import REDIS_URL
from tests.queries import counting_queries


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": False, "PAGE_CACHE_SECONDS": 60}


@pytest.fixture
def met(app):
    """A business and a customer with one revealed encounter (both reviews)."""
    with app.app_context():
        owner = builders.make_business(handle="aurora")
        customer = builders.make_customer(handle="ana", display_name="Ana García")
        encounter = builders.make_encounter(owner, customer)
        review = builders.make_review(encounter, customer, comment="Lovely cakes.")
        builders.make_review(encounter, owner, comment="A patient customer.")
        return {
            "owner": owner.id,
            "owner_business": owner.business_id,
            "customer": customer.id,
            "review": review.id,
        }


def page(client, path="/businesses/aurora") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def user(user_id) -> User:
    return db.session.get(User, user_id)


def test_a_second_visit_is_served_from_the_cache(app, client, met):
    into_minute = clock.now().timestamp() % 60
    clock.travel(timedelta(seconds=61 - into_minute))  # both visits in the same minute
    first = page(client)
    with counting_queries(app) as statements:
        again = page(client)
    assert again == first
    assert statements == []  # not even the business's row


def test_a_new_revealed_review_shows_at_once(app, client, met):
    assert "Quick and kind." not in page(client)
    with app.app_context():
        owner, other = user(met["owner"]), builders.make_customer()
        encounter = builders.make_encounter(owner, other)
        builders.make_review(encounter, other, comment="Quick and kind.")
        sealed = page(client)
        builders.make_review(encounter, owner)
    assert "Quick and kind." not in sealed  # sealed until the business reviews too
    assert "Quick and kind." in page(client)


def test_reply_thanks_and_rename_show_at_once(app, client, met):
    page(client)
    with app.app_context():
        reply_to_review(user(met["owner"]), met["review"], "Thank you, Ana!")
    assert "Thank you, Ana!" in page(client)
    with app.app_context():
        encounter_id = builders.make_encounter(user(met["owner"]), user(met["customer"])).id
        send_thanks(user(met["customer"]), encounter_id, "Gracias por todo")
    assert "Gracias por todo" in page(client)
    with app.app_context():
        accounts.update_settings(user(met["customer"]), "Ana G.", None)
    shown = page(client)
    assert "Ana G." in shown and "Ana García" not in shown


def test_a_hidden_review_leaves_the_page_at_once(app, client, met):
    assert "Lovely cakes." in page(client)
    with app.app_context():
        flag_item(builders.make_customer(), FlagInput("review", met["review"], "abusive"))
        item = db.session.scalar(db.select(ModerationItem.id))
        actions.act(builders.make_admin(), item, "hide", "Insulting")
    assert "Lovely cakes." not in page(client)


def test_the_customer_page_follows_the_business_review(app, client, auth, met):
    with app.app_context():
        email = user(met["owner"]).email
    auth.login(email)
    assert "A patient customer." in page(client, "/customers/ana")
    with app.app_context():
        other = builders.make_business()
        encounter = builders.make_encounter(other, user(met["customer"]))
        builders.make_review(encounter, other, comment="Always on time.")
        builders.make_review(encounter, user(met["customer"]))
    assert "Always on time." in page(client, "/customers/ana")


def test_the_directory_shows_a_new_business_at_once(app, client, met):
    assert "Fjord Bikes" not in page(client, "/businesses")
    with app.app_context():
        details = accounts.BusinessDetails("Fjord Bikes", "food", "Bergen", "Bikes")
        builders.make_business(business=details)
    assert "Fjord Bikes" in page(client, "/businesses")


def test_the_home_page_lists_are_cached_and_follow_thanks_and_names(app, client, met):
    into_minute = clock.now().timestamp() % 60
    clock.travel(timedelta(seconds=61 - into_minute))  # the visits in the same minute
    page(client, "/")
    with counting_queries(app) as statements:
        page(client, "/")
    assert statements == []  # most recommended and recent thanks from the cache
    with app.app_context():
        encounter_id = builders.make_encounter(user(met["owner"]), user(met["customer"])).id
        send_thanks(user(met["customer"]), encounter_id, "Gracias por el pastel")
    shown = page(client, "/")
    assert "Gracias por el pastel" in shown and "Ana García" in shown
    with app.app_context():
        accounts.update_settings(user(met["customer"]), "Ana G.", None)
    shown = page(client, "/")
    assert "Ana G.," in shown and "Ana García" not in shown


def test_each_signed_in_viewer_gets_their_own_form_token(app, met):
    """Flag forms in a cached fragment carry the token of whoever is looking."""
    app.config["WTF_CSRF_ENABLED"] = True
    tokens = []
    for n in range(2):
        client = app.test_client()
        with app.app_context():
            email = builders.make_customer(handle=f"viewer-{n}").email
        sign_in = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', sign_in).group(1)
        data = {"email": email, "password": builders.PASSWORD, "csrf_token": token}
        assert client.post("/sign-in", data=data).status_code == 302
        shown = page(client)
        found = set(re.findall(r'name="csrf_token" value="([^"]+)"', shown))
        assert len(found) == 1 and "\x00" not in shown
        tokens.append(found.pop())
        flag = {"target_type": "review", "target_id": met["review"], "reason": "spam"}
        answer = client.post("/flags", data={**flag, "csrf_token": tokens[-1], "next": "/"})
        assert answer.status_code == 302  # the token from the cached page is accepted
    assert tokens[0] != tokens[1]


def test_pages_render_when_the_cache_storage_is_down(app, database_url, met):
    from config import Testing
    from rating import create_app
    from tests.conftest import fast_commits

    broken = create_app(
        Testing,
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS=fast_commits(database_url),
        CACHE_TYPE="RedisCache",
        CACHE_REDIS_URL="redis://127.0.0.1:1/0",  # nothing listens there
        CACHE_OPTIONS={"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    )
    try:
        client = broken.test_client()
        assert "Lovely cakes." in page(client)
        assert "Lovely cakes." in page(client)
        assert "Business" in page(client, "/businesses")
    finally:
        with broken.app_context():
            db.engine.dispose()


@pytest.fixture
def redis_app(database_url, redis_prefix):
    """As in production: entries and versions in Redis, each commit's bump one MSET."""
    from config import Testing
    from rating import create_app
    from tests.conftest import fast_commits

    shared = create_app(
        Testing,
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS=fast_commits(database_url),
        PAGE_CACHE_SECONDS=60,
        CACHE_TYPE="RedisCache",
        CACHE_REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"{redis_prefix}:",
    )
    yield shared
    with shared.app_context():
        db.engine.dispose()


def add_revealed_review(owner_id: int, comment: str) -> None:
    owner, other = user(owner_id), builders.make_customer()
    encounter = builders.make_encounter(owner, other)
    builders.make_review(encounter, other, comment=comment)
    builders.make_review(encounter, owner)


def test_a_change_shows_at_once_with_the_cache_in_redis(redis_app, met):
    client = redis_app.test_client()
    assert "Quick and kind." not in page(client)
    with redis_app.app_context():
        (version,) = pagecache.versions([("business", met["owner_business"])])
        add_revealed_review(met["owner"], "Quick and kind.")
        (bumped,) = pagecache.versions([("business", met["owner_business"])])
    assert isinstance(bumped, int) and bumped != version
    assert "Quick and kind." in page(client)


def test_a_hit_is_one_read_of_redis_and_a_wrong_guess_is_never_served(redis_app, met, monkeypatch):
    """The process remembers which profiles a cached page shows, so the entry and their
    versions come in one read; if it remembers wrong, a second read checks them."""
    clock.travel(timedelta(seconds=61 - clock.now().timestamp() % 60))  # visits in one minute
    client = redis_app.test_client()
    first = page(client)  # rendered and stored
    with redis_app.app_context():
        redis = cache.cache._read_client
    sent = []
    execute = redis.execute_command
    monkeypatch.setattr(
        redis, "execute_command", lambda *args, **kw: sent.append(args[0]) or execute(*args, **kw)
    )
    assert page(client) == first
    assert sent == ["MGET"]

    remembered = redis_app.extensions["pagecache"]["subjects"]

    def misremember():
        for key in remembered:
            remembered[key] = [("business", met["owner_business"] + 1000)]

    sent.clear()
    misremember()
    assert page(client) == first
    assert sent == ["MGET", "MGET"]

    misremember()
    with redis_app.app_context():
        add_revealed_review(met["owner"], "Quick and kind.")
    assert "Quick and kind." in page(client)


def one_request_renders_while_others_are_served(app, client, news: str) -> None:
    """Aurora's cached page is due to be rendered again: while another request renders it
    (holding its refresh key), this one is served the entry, without `news`; once that
    key is free, the next request renders the page, with `news`."""
    parts = ("business", "http://localhost/", "/businesses/aurora?")
    refresh = pagecache.refresh_key(pagecache.entry_key(parts, "en", False))
    with app.app_context():
        assert cache.add(refresh, 1, timeout=10)  # another request is rendering it afresh
    assert news not in page(client)  # so this one is served the entry
    with app.app_context():
        cache.delete(refresh)
    assert news in page(client)


def cache_the_page_then_pass_a_deadline(app, client, met) -> None:
    """The business page cached with a sealed review in it (not shown), then the clock one
    second past that review's deadline, within the minute the page was cached in."""
    clock.travel(timedelta(seconds=90 - clock.now().timestamp() % 60))  # :30 of a minute
    with app.app_context():
        other = builders.make_customer()
        encounter = builders.make_encounter(user(met["owner"]), other)
        builders.make_review(encounter, other, comment="Worth the wait.")
        closes_at = encounter.closes_at
    clock.travel(closes_at - clock.now() - timedelta(seconds=1))
    assert "Worth the wait." not in page(client)  # sealed: the business has not reviewed
    clock.travel(timedelta(seconds=2))


def test_a_review_revealed_by_its_deadline_shows_at_once(app, client, met):
    """Within the minute a page was cached in, the window closing still shows the review."""
    cache_the_page_then_pass_a_deadline(app, client, met)
    assert "Worth the wait." in page(client)


def test_past_a_window_closing_one_request_renders_the_page_while_others_are_served(
    app, client, met
):
    """A deadline does not make every request render the page at once: the first one past
    it does, and the others are served the entry while it renders."""
    cache_the_page_then_pass_a_deadline(app, client, met)
    one_request_renders_while_others_are_served(app, client, "Worth the wait.")


def test_a_customer_page_cached_for_one_business_is_not_shown_to_others(app, met):
    """Who may see a private customer page is part of the key: a hit checks nothing."""
    with app.app_context():
        owner, ana = user(met["owner"]), user(met["customer"])
        viewers = {
            "owner": owner.email,
            "staff": builders.make_staff(owner).email,
            "stranger business": builders.make_business().email,
            "other customer": builders.make_customer().email,
            "admin": builders.make_admin().email,
        }
        assert not ana.profile_public
    expected = {"owner": 200, "staff": 200}
    for role, email in viewers.items():
        client = app.test_client()
        client.post("/sign-in", data={"email": email, "password": builders.PASSWORD})
        for _ in range(2):  # the second visit would be a hit
            answer = client.get("/customers/ana")
            assert answer.status_code == expected.get(role, 404), role
    assert app.test_client().get("/customers/ana").status_code == 404  # visitors


def test_losing_sight_of_a_customer_page_applies_at_once(app, client, auth, met):
    with app.app_context():
        owner, ana = user(met["owner"]), user(met["customer"])
        ana.profile_public = True
        db.session.commit()
        owner_email = owner.email
    visitor = app.test_client()
    assert visitor.get("/customers/ana").status_code == 200  # public: cached for visitors
    auth.login(owner_email)
    assert page(client, "/customers/ana")
    with app.app_context():
        user(met["customer"]).profile_public = False
        db.session.commit()
    assert visitor.get("/customers/ana").status_code == 404
    assert client.get("/customers/ana").status_code == 200  # they met
    with app.app_context():
        for encounter in db.session.scalars(db.select(Encounter)):
            encounter.status = "voided"
        db.session.commit()
    assert client.get("/customers/ana").status_code == 404


def test_past_its_minute_one_request_renders_the_page_while_others_are_served(app, client, met):
    """Bulk SQL (here a renamed business) shows within a minute, rendered by one request."""
    into_minute = clock.now().timestamp() % 60
    clock.travel(timedelta(seconds=61 - into_minute))
    assert "Aurora Bakery" not in page(client)
    with app.app_context():
        db.session.execute(
            db.update(Business).where(Business.handle == "aurora").values(name="Aurora Bakery")
        )  # no session event sees it: the page is a minute behind at most
        db.session.info.pop("pagecache_touched", None)
        db.session.commit()
    assert "Aurora Bakery" not in page(client)
    clock.travel(timedelta(seconds=60))
    one_request_renders_while_others_are_served(app, client, "Aurora Bakery")
