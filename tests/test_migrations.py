"""The migrations build exactly the schema the models describe, up and down, on both databases."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from config import Testing
from rating import create_app
from rating.extensions import db
from tests.databases import drop_postgres_database, fresh_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        url = fresh_postgres_database("migrations")
        yield url
        drop_postgres_database(url)


def schema_differences(engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def table_names(engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_migrations_match_models_up_and_down(empty_database):
    app = create_app(Testing, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade()
        assert schema_differences(db.engine) == []
        assert table_names(db.engine) == set(db.metadata.tables)

        downgrade(revision="base")
        assert table_names(db.engine) == set()

        upgrade()
        assert schema_differences(db.engine) == []
        db.engine.dispose()


def test_a_model_change_without_migration_is_detected(empty_database):
    from sqlalchemy import Column, Integer, Table

    app = create_app(Testing, SQLALCHEMY_DATABASE_URI=empty_database)
    with app.app_context():
        upgrade()
        extra = Table("not_migrated", db.metadata, Column("id", Integer, primary_key=True))
        try:
            assert schema_differences(db.engine) != []
        finally:
            db.metadata.remove(extra)
            db.engine.dispose()
