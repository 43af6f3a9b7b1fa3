"""Backup and restore of a SQLite database through the online backup API."""

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine


class BackupError(Exception):
    pass


def backup_sqlite(engine: Engine, target: Path) -> None:
    """Copy the live database to `target`, replacing it only once the copy is complete."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    destination = sqlite3.connect(partial)
    try:
        raw = engine.raw_connection()
        try:
            raw.driver_connection.backup(destination)
        finally:
            raw.close()
        # One self-contained file, whatever journal mode the live database uses.
        destination.execute("PRAGMA journal_mode = DELETE")
    finally:
        destination.close()
    os.replace(partial, target)


def check_backup(source: Path) -> None:
    """Raise BackupError unless `source` is an intact SQLite database."""
    try:
        connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite database: {error}") from error
    if result != "ok":
        raise BackupError(f"{source} is damaged: {result}")


def restore_sqlite(engine: Engine, source: Path) -> None:
    """Replace the whole live database with the backup at `source`."""
    check_backup(source)
    engine.dispose()
    origin = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        raw = engine.raw_connection()
        try:
            origin.backup(raw.driver_connection)
        finally:
            raw.close()
    except sqlite3.Error as error:
        raise BackupError(f"could not restore {source}: {error}") from error
    finally:
        origin.close()
        engine.dispose()
