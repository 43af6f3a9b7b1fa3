"""The backup and restore commands (see the package docstring)."""

import shlex
import shutil
import subprocess
from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from rating.backup import postgres
from rating.backup.sqlite import BackupError, backup_sqlite, restore_sqlite
from rating.extensions import db


def row_count() -> int:
    return sum(
        db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    )


def run_postgres(command: list[str], print_only: bool) -> None:
    """Show the command (without password), then run it with pg_dump/pg_restore if present."""
    click.echo("$ " + shlex.join(command))
    if print_only:
        return
    if shutil.which(command[0]) is None:
        raise click.ClickException(
            f"{command[0]} is not installed here: run the command above where it is "
            "(with PGPASSWORD set when the database needs a password)."
        )
    _, env = postgres.libpq_target(db.engine.url)
    result = subprocess.run(command, env=env, check=False)  # noqa: S603 - fixed argv, no shell
    if result.returncode != 0:
        raise click.ClickException(f"{command[0]} failed with exit code {result.returncode}.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--print-only", is_flag=True, help="PostgreSQL: only print the pg_dump command.")
@with_appcontext
def backup_command(path: Path, print_only: bool) -> None:
    """Copy the whole database to PATH; safe while the app is serving."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        backup_sqlite(db.engine, path)
    elif url.get_backend_name() == "postgresql":
        run_postgres(postgres.dump_command(url, path), print_only)
        if print_only:
            return
    else:
        raise click.ClickException(f"No backup for {url.get_backend_name()} databases.")
    click.echo(f"Backed up {row_count()} rows to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--print-only", is_flag=True, help="PostgreSQL: only print the pg_restore command.")
@with_appcontext
def restore_command(path: Path, yes: bool, print_only: bool) -> None:
    """Replace every row of the database with the backup at PATH."""
    url = db.engine.url
    backend = url.get_backend_name()
    if backend == "postgresql" and print_only:
        run_postgres(postgres.restore_command(url, path), print_only=True)
        return
    if backend not in ("sqlite", "postgresql"):
        raise click.ClickException(f"No restore for {backend} databases.")
    if not yes:
        click.confirm(f"Replace everything in {url.render_as_string()} with {path}?", abort=True)
    db.session.remove()
    if backend == "sqlite":
        try:
            restore_sqlite(db.engine, path)
        except BackupError as error:
            raise click.ClickException(str(error)) from error
    else:
        db.engine.dispose()
        run_postgres(postgres.restore_command(url, path), print_only=False)
    click.echo(
        f"Restored {row_count()} rows from {path}. "
        "If the backup comes from an older version of the app, run `flask db upgrade`."
    )


def register_backup_commands(app: Flask) -> None:
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
