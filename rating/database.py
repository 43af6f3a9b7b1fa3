"""Declarative base and column types shared by every feature's models."""

import sqlite3
import time
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, make_transient_to_detached
from sqlalchemy.types import TypeDecorator

# Named constraints so that migrations can alter them, SQLite batch mode included.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def as_loaded(model, columns: dict):
    """An instance holding `columns` as if a query had just read them (the others load
    when first used), to be added to a session: no events, no history, no flush, unlike
    the model's constructor. Nor does it configure the mappers as the constructor would:
    `create_app` does that once for the process."""
    obj = model.__mapper__.class_manager.new_instance()
    obj.__dict__.update(columns)  # where a query's loader puts them: no attribute events
    make_transient_to_detached(obj)  # and that marks them as the committed state
    return obj


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes as UTC and always returns them aware.

    SQLite has no time zones, so values are normalised to naive UTC on the way in
    and marked UTC on the way out; PostgreSQL gets the same treatment so that both
    databases behave alike.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use rating.clock.now()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite enforces foreign keys and waits for locks only when asked to."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 5000")
        cursor.execute("PRAGMA journal_mode = WAL")
        # With WAL, NORMAL is safe against corruption and spares an fsync per commit.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()


_IDLE_SINCE = "reciproca_idle_since"  # in each pooled connection's `info`


def ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    """Ping a pooled connection before handing it out only when it has sat unused for
    `idle_seconds`: that is when a server restart or an idle timeout may have dropped it
    unseen. SQLAlchemy's pool_pre_ping pings on every checkout, a round trip before each
    request's first statement, although a connection in steady use was just seen alive.

    A connection that fails its ping is replaced along with every older one, as with
    pool_pre_ping. One dropped while in steady use fails its first statement instead:
    that request answers 503 "try again" and SQLAlchemy replaces the pool's connections.
    A new connection (its `info` is cleared) is not pinged.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from_now(_dbapi_connection, record) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return
        dialect = engine.dialect
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.InvalidatePoolError() from error  # the pool reconnects
            raise
