"""Engine settings per database: a bounded pool and timeouts on PostgreSQL."""

from sqlalchemy import text

from config import Testing, engine_options
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
        "pool_pre_ping": True,
        "pool_size": 5,
        "max_overflow": 10,
        "pool_timeout": 10,
        "pool_recycle": 1800,
        "connect_args": {"connect_timeout": 5, "options": "-c statement_timeout=30000"},
    }


def test_sqlite_keeps_sqlalchemy_pool():
    assert engine_options(settings("sqlite:///x.db")) == {"pool_pre_ping": True}


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
