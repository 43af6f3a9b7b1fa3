import uuid

import pytest
import redis
from sqlalchemy import create_engine

from config import Testing
from rating import clock, create_app
from rating.extensions import cache, db
from tests import builders
from tests.databases import (
    REDIS_URL,
    drop_postgres_database,
    empty_all_tables,
    fresh_postgres_database,
    postgres_required,
)

pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    """Each test runs once per database; the schema is built once per worker."""
    import rating.models  # noqa: F401 - registers every table on the metadata

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
    else:
        url = fresh_postgres_database("test")
    engine = create_engine(url)
    db.metadata.create_all(engine)
    engine.dispose()
    yield url
    if request.param == "postgresql":
        drop_postgres_database(url)


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own in the machine's Redis; its keys are deleted after."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if postgres_required():  # CI=true: the Redis tests are required too
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    prefix = f"reciproca-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def app_config():
    """Config overrides; a test module may redefine this fixture."""
    return {"WTF_CSRF_ENABLED": False}


def fast_commits(url: str) -> dict:
    """Test databases are thrown away, so commits need not wait for the disk."""
    if url.startswith("postgresql"):
        return {"connect_args": {"options": "-c synchronous_commit=off"}}
    return {}


@pytest.fixture(scope="session")
def shared_app(database_url):
    """One app per database and worker: templates compile once, engines are reused."""
    app = create_app(
        Testing,
        SQLALCHEMY_DATABASE_URI=database_url,
        SQLALCHEMY_ENGINE_OPTIONS=fast_commits(database_url),
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(shared_app, app_config):
    """The app for one test: its config changes are undone and every table emptied after."""
    saved = dict(shared_app.config)
    shared_app.config.update(app_config)
    yield shared_app
    shared_app.config.clear()
    shared_app.config.update(saved)
    with shared_app.app_context():
        db.session.remove()
        empty_all_tables(db.engine, db.metadata)
        cache.clear()  # ids are reused once tables are emptied
    clock.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app context for tests that call services directly."""
    with app.app_context():
        yield


class AuthActions:
    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password=builders.PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self.client.post("/sign-in", data={"email": email, "password": password})

    def logout(self):
        return self.client.post("/sign-out")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def make_customer(app):
    def build(**overrides):
        with app.app_context():
            user = builders.make_customer(**overrides)
            db.session.refresh(user)
            db.session.expunge_all()
            return user

    return build


@pytest.fixture
def make_business(app):
    def build(**overrides):
        with app.app_context():
            user = builders.make_business(**overrides)
            db.session.refresh(user)
            db.session.expunge_all()
            return user

    return build


@pytest.fixture
def make_staff(app):
    def build(owner, **overrides):
        with app.app_context():
            user = builders.make_staff(owner, **overrides)
            db.session.refresh(user)
            db.session.expunge_all()
            return user

    return build


@pytest.fixture
def make_admin(app):
    def build(**overrides):
        with app.app_context():
            user = builders.make_admin(**overrides)
            db.session.refresh(user)
            db.session.expunge_all()
            return user

    return build


def pytest_terminal_summary(terminalreporter):
    """Say plainly which databases and browser the suite ran on."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("passed", []):
        for label in ("sqlite", "postgresql", "chromium"):
            if f"[{label}" in report.nodeid or f"-{label}" in report.nodeid:
                counts[label] = counts.get(label, 0) + 1
    skipped = len(terminalreporter.stats.get("skipped", []))
    terminalreporter.write_sep("-", "where the tests ran")
    terminalreporter.write_line(
        f"passed on SQLite: {counts.get('sqlite', 0)}, on PostgreSQL: "
        f"{counts.get('postgresql', 0)}, in Chromium: {counts.get('chromium', 0)}; "
        f"skipped: {skipped}"
    )
