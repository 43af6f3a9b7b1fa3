"""The pg_dump and pg_restore invocations for the app's PostgreSQL database."""

import os
from pathlib import Path

from sqlalchemy.engine import URL


def libpq_target(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and the environment that carries it."""
    conninfo = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return conninfo, env


def dump_command(url: URL, target: Path) -> list[str]:
    conninfo, _ = libpq_target(url)
    return [
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--file={target}",
        f"--dbname={conninfo}",
    ]


def restore_command(url: URL, source: Path) -> list[str]:
    conninfo, _ = libpq_target(url)
    return [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={conninfo}",
        str(source),
    ]
