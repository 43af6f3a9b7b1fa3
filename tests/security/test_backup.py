"""`flask backup` and `flask restore`: every row comes back."""

import sqlite3

import pytest
from sqlalchemy import func, select

from config import Testing
from rating import create_app
from rating.extensions import db
from rating.thanks.services import send_thanks
from tests import builders
from tests.databases import drop_postgres_database, empty_all_tables, fresh_postgres_database


def row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def fill(app) -> dict[str, int]:
    """Accounts, a business, encounters, reviews, thanks, notifications; their row counts."""
    with app.app_context():
        db.create_all()
        owner = builders.make_business()
        builders.make_staff(owner)
        customer = builders.make_customer()
        builders.make_admin()
        encounter = builders.make_encounter(owner, customer)
        builders.make_review(encounter, customer)
        builders.make_review(encounter, owner)
        builders.make_encounter(owner, customer, status="unconfirmed")
        send_thanks(customer, encounter.id, "Thank you for the warm welcome.")
        counts = row_counts()
        db.session.remove()
    for table in ("users", "businesses", "encounters", "reviews", "thanks", "notifications"):
        assert counts[table] > 0, table
    return counts


def wipe(app) -> None:
    with app.app_context():
        empty_all_tables(db.engine, db.metadata)
        assert sum(row_counts().values()) == 0
        db.session.remove()


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(Testing, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'live.db'}")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_sqlite_backup_then_restore_brings_back_every_row(sqlite_app, tmp_path):
    before = fill(sqlite_app)
    runner = sqlite_app.test_cli_runner()
    backup = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert f"Backed up {sum(before.values())} rows" in result.output
    # A single self-contained file.
    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"

    wipe(sqlite_app)
    result = runner.invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code == 0, result.output
    with sqlite_app.app_context():
        assert row_counts() == before
        # The live database keeps its settings.
        assert db.session.execute(db.text("PRAGMA journal_mode")).scalar() == "wal"


def test_backup_is_consistent_while_another_connection_writes(sqlite_app, tmp_path):
    before = fill(sqlite_app)
    with sqlite_app.app_context():
        writer = db.engine.raw_connection()
        cursor = writer.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        cursor.execute("DELETE FROM thanks")  # not committed while the backup runs
        result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.db")])
        writer.rollback()
        writer.close()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "b.db") as copy:
        assert copy.execute("SELECT count(*) FROM thanks").fetchone()[0] == before["thanks"]


def test_restore_asks_first_and_refuses_what_is_not_a_backup(sqlite_app, tmp_path):
    before = fill(sqlite_app)
    runner = sqlite_app.test_cli_runner()
    backup = tmp_path / "backup.db"
    runner.invoke(args=["backup", str(backup)])
    wipe(sqlite_app)
    result = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
    not_a_database = tmp_path / "notes.txt"
    not_a_database.write_text("hello " * 1000)
    result = runner.invoke(args=["restore", "--yes", str(not_a_database)])
    assert result.exit_code == 1
    assert "is not a SQLite database" in result.output
    with sqlite_app.app_context():
        assert sum(row_counts().values()) == 0
    assert runner.invoke(args=["restore", "--yes", str(backup)]).exit_code == 0
    with sqlite_app.app_context():
        assert row_counts() == before


@pytest.fixture
def postgres_app():
    url = fresh_postgres_database("backup")
    app = create_app(Testing, SQLALCHEMY_DATABASE_URI=url)
    yield app
    with app.app_context():
        db.engine.dispose()
    drop_postgres_database(url)


def test_postgres_commands_are_printed_without_the_password(tmp_path):
    app = create_app(
        Testing, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://app:s3cret@db.internal:5432/rating"
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", "--print-only", str(tmp_path / "x.dump")])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        f"$ pg_dump --format=custom --no-owner --no-privileges --file={tmp_path / 'x.dump'} "
        "--dbname=postgresql://app@db.internal:5432/rating"
    )
    (tmp_path / "x.dump").write_bytes(b"")
    result = runner.invoke(args=["restore", "--print-only", str(tmp_path / "x.dump")])
    assert "pg_restore --clean --if-exists" in result.output
    assert "s3cret" not in result.output


def test_postgres_backup_then_restore_brings_back_every_row(postgres_app, tmp_path):
    import shutil

    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    before = fill(postgres_app)
    runner = postgres_app.test_cli_runner()
    backup = tmp_path / "backup.dump"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    wipe(postgres_app)
    result = runner.invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code == 0, result.output
    with postgres_app.app_context():
        assert row_counts() == before
