"""The bench's own databases: created, seeded at scale once, and reused while unchanged.

A marker table records a signature of the data set (sizes, seed, schema, generator
source); a database whose marker matches is reused, anything else is rebuilt. Only the
bench's databases are touched: `reciproca_bench` on PostgreSQL, a file under bench/.data.
"""

import hashlib
import inspect
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateIndex, CreateTable

import rating.models  # noqa: F401  (every table on the metadata)
from config import database_url
from rating.extensions import db
from rating.seed import scale

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"


@dataclass
class Target:
    name: str  # "PostgreSQL", "SQLite"
    url: str  # SQLAlchemy URL
    spec: scale.ScaleSpec
    seed_seconds: float | None = None
    reused: bool = False


def targets(pg_server: str, pg_spec: scale.ScaleSpec, sqlite_spec: scale.ScaleSpec, which):
    pg = make_url(database_url(pg_server)).set(database="reciproca_bench")
    found = {
        "postgresql": Target("PostgreSQL", pg.render_as_string(hide_password=False), pg_spec),
        "sqlite": Target("SQLite", f"sqlite:///{DATA / 'bench-sqlite.db'}", sqlite_spec),
    }
    return [found[name] for name in which]


def signature(target: Target) -> str:
    engine = create_engine(target.url)
    parts = [repr(target.spec), engine.dialect.name, inspect.getsource(scale)]
    # The aggregates are built by the scores feature at the end of the seed.
    parts += [path.read_text() for path in sorted((ROOT / "rating" / "scores").glob("*.py"))]
    for table in db.metadata.sorted_tables:
        parts.append(str(CreateTable(table).compile(engine)))
        parts += sorted(str(CreateIndex(index).compile(engine)) for index in table.indexes)
    engine.dispose()
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _marker(target: Target) -> tuple[str, float] | None:
    if target.url.startswith("sqlite") and not (DATA / "bench-sqlite.db").exists():
        return None
    engine = create_engine(target.url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text("SELECT signature, seed_seconds FROM bench_marker")
            ).first()
    except Exception:  # noqa: BLE001 - no database or no marker: build it
        row = None
    finally:
        engine.dispose()
    return tuple(row) if row else None


def _recreate(target: Target) -> None:
    if target.url.startswith("sqlite"):
        DATA.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DATA / 'bench-sqlite.db'}{suffix}").unlink(missing_ok=True)
    else:
        url = make_url(target.url)
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
        admin.dispose()
    engine = create_engine(target.url)
    db.metadata.create_all(engine)
    engine.dispose()


def prepare(target: Target) -> None:
    """Seed the target's database at its scale, unless it already holds that data set."""
    wanted = signature(target)
    marker = _marker(target)
    if marker and marker[0] == wanted:
        target.seed_seconds, target.reused = marker[1], True
        print(f"{target.name}: reusing the seeded bench database ({target.spec})", flush=True)
        return
    print(f"{target.name}: seeding {target.spec} ...", flush=True)
    _recreate(target)
    spec = target.spec
    command = [str(ROOT / ".venv" / "bin" / "flask"), "seed", "scale"]
    command += ["--businesses", str(spec.businesses), "--customers", str(spec.customers)]
    command += ["--encounters", str(spec.encounters), "--seed", str(spec.seed)]
    env = os.environ | {
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": target.url,
        "APP_ENV": "development",
    }
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own command
    target.seed_seconds = time.perf_counter() - started
    engine = create_engine(target.url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE bench_marker (signature TEXT, seed_seconds FLOAT)"))
        connection.execute(
            text("INSERT INTO bench_marker VALUES (:signature, :seconds)"),
            {"signature": wanted, "seconds": target.seed_seconds},
        )
    engine.dispose()
