"""The two databases every test runs on: SQLite always, PostgreSQL when reachable."""

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import database_url

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of the tests' own; their keys are deleted


def postgres_required() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def worker_suffix() -> str:
    """Unique per test process, so that concurrent test runs never share a database."""
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def fresh_postgres_database(label: str) -> str:
    """Create (or recreate) a database for this worker; skip or fail if unreachable."""
    base = make_url(database_url(os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT))
    name = f"reciproca_{label}_{worker_suffix()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # noqa: BLE001 - any failure to reach the server
        reason = f"PostgreSQL not reachable at {base.render_as_string()}: {error}"
        if postgres_required():
            pytest.fail(f"CI=true requires PostgreSQL. {reason}")
        pytest.skip(reason)
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def empty_all_tables(engine, metadata) -> None:
    """Remove every row, leaving the schema: the per-test clean slate.

    DELETE beats TRUNCATE on tables this small (TRUNCATE rewrites files on PostgreSQL).
    """
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # The audit log's trigger refuses deletes; tests may start from scratch.
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())
