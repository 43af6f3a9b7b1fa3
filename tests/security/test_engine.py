"""Engine settings per database: a bounded pool and timeouts on PostgreSQL, and a pooled
connection checked before use only once it has sat idle."""

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from config import Testing, engine_options
from rating import create_app
from rating.extensions import db

PG = "postgresql+psycopg://u@h/db"


def settings(url: str, **overrides) -> dict:
    names = [name for name in dir(Testing) if name.isupper()]
    return {
        **{name: getattr(Testing, name) for name in names},
        **overrides,
        "SQLALCHEMY_DATABASE_URI": url,
    }


def test_postgresql_gets_a_bounded_pool_and_timeouts():
    options = engine_options(settings(PG))
    assert options == {
        "pool_size": 5,
        "max_overflow": 10,
        "pool_timeout": 10,
        "pool_recycle": 1800,
        "connect_args": {"connect_timeout": 5, "options": "-c statement_timeout=30000"},
    }


def test_sqlite_keeps_sqlalchemy_pool():
    assert engine_options(settings("sqlite:///x.db")) == {}


def test_given_options_win_and_libpq_options_add_up():
    given = {"pool_size": 2, "connect_args": {"options": "-c synchronous_commit=off"}}
    options = engine_options(settings(PG, SQLALCHEMY_ENGINE_OPTIONS=given))
    assert options["pool_size"] == 2
    assert options["connect_args"] == {
        "connect_timeout": 5,
        "options": "-c statement_timeout=30000 -c synchronous_commit=off",
    }


def test_statement_timeout_zero_means_none():
    options = engine_options(settings(PG, DATABASE_STATEMENT_TIMEOUT_MS=0))
    assert options["connect_args"] == {"connect_timeout": 5}


def test_the_running_engine_uses_them(app):
    with app.app_context():
        engine = db.engine
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                assert engine.pool.size() == 5
                assert conn.execute(text("SHOW statement_timeout")).scalar() == "30s"
            else:
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
                assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def app_pinging_after(database_url: str, idle_seconds: float):
    return create_app(
        Testing,
        SQLALCHEMY_DATABASE_URI=database_url,
        DATABASE_PING_AFTER_IDLE_SECONDS=idle_seconds,
        PAGE_CACHE_SECONDS=0,  # every directory request reads the database
    )


def drop_the_pooled_connection(app, database_url: str) -> None:
    """The server ends the one connection sitting in the app's pool (as a restart or an
    idle timeout would), unseen by the app."""
    with app.app_context(), db.engine.connect() as pooled:
        pid = pooled.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    killer = create_engine(database_url, poolclass=NullPool)
    with killer.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()


def postgresql_only(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a server dropping a connection is a PostgreSQL matter: SQLite has none")


def test_a_connection_dropped_while_idle_is_replaced_before_use(database_url):
    postgresql_only(database_url)
    app = app_pinging_after(database_url, 0)  # any pause counts as idle
    client = app.test_client()
    assert client.get("/businesses").status_code == 200
    drop_the_pooled_connection(app, database_url)
    assert client.get("/businesses").status_code == 200  # pinged, found dead, replaced
    with app.app_context():
        db.engine.dispose()


def test_a_connection_dropped_in_steady_use_costs_one_503_then_heals(database_url):
    postgresql_only(database_url)
    app = app_pinging_after(database_url, 60)  # never idle long enough to be pinged
    client = app.test_client()
    assert client.get("/businesses").status_code == 200
    drop_the_pooled_connection(app, database_url)
    answer = client.get("/businesses")
    assert answer.status_code == 503  # the app's own "try again", not a 500
    assert answer.headers["Retry-After"] == "5"
    assert client.get("/businesses").status_code == 200
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(("idle_seconds", "pings"), [(60, 0), (0, 3)])
def test_a_connection_in_steady_use_is_not_pinged(database_url, monkeypatch, idle_seconds, pings):
    app = app_pinging_after(database_url, idle_seconds)
    client = app.test_client()
    assert client.get("/businesses").status_code == 200  # the pool's connection is made
    with app.app_context():
        dialect = db.engine.dialect
    done = []
    ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: done.append(1) or ping(connection))
    for _ in range(3):
        assert client.get("/businesses").status_code == 200
    assert len(done) == pings
    with app.app_context():
        db.engine.dispose()
