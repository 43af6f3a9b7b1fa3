"""Faults in production: the database restarts under load, Redis stops.

Real gunicorn servers (tests/security/server.py), a PostgreSQL cluster and a Redis server
of the test's own (the machine's shared ones are never touched), and real HTTP.

"Failing cleanly" while the database is out of reach means: every request gets an answer
within its timeout (no reset connection, no hang), and that answer is the app's own
503 "try again" (an error page on the web, the API's error shape under /api/v1, with
Retry-After), never a 500 or a traceback. Afterwards the same app processes serve again
by themselves, and nothing is half saved: every write is there whole or not at all, and
the scores equal a recomputation. The restart is `pg_ctl stop -m fast` (open connections
cut), an outage held until every kind of request has met it, then `pg_ctl start`.
"""

import json
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import cycle
from pathlib import Path

import pytest
import redis
from flask import request_finished
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import NullPool

from config import Testing
from rating import create_app
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.notifications.models import Notification
from rating.reviews.models import Review
from rating.scores.services import load_numbers
from rating.thanks.models import Thanks
from tests import builders
from tests.builders import BUSINESS_SCORES, CUSTOMER_SCORES, PASSWORD
from tests.databases import postgres_required
from tests.scores.recompute import recompute
from tests.security.server import Servers, browser, create_tables, free_port, request

REQUEST_TIMEOUT = 20  # seconds: an answer later than this counts as a hang
PHASE_TIMEOUT = 60  # seconds the load may take to reach each step before the test fails
UNAVAILABLE = "The service is briefly unavailable. Please try again in a moment."
SECRET = "test-only"  # noqa: S105 - a throwaway key for a test server


def missing(what: str):
    """Skip where the server programs are not installed; CI=true requires them."""
    if postgres_required():
        pytest.fail(f"CI=true requires {what}")
    pytest.skip(f"{what} is not installed here")


@pytest.fixture
def servers(tmp_path):
    started = Servers(tmp_path)
    yield started
    started.stop()


def server_settings(database: str, **more) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database,
        "WTF_CSRF_ENABLED": False,
        "SECRET_KEY": SECRET,
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
        **more,
    }


# --- PostgreSQL -----------------------------------------------------------------------


def postgres_programs() -> Path | None:
    """The newest installed server's bin directory (Debian layout, else on PATH)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda path: int(path.parts[-3]) if path.parts[-3].isdigit() else 0,
    )
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).resolve().parent if pg_ctl else None


class PrivatePostgres:
    """A throwaway cluster on a free port, owned by `postgres` when the tests run as root
    (the server refuses to run as root)."""

    def __init__(self, programs: Path, home: Path, as_owner: list[str]):
        self.programs, self.home, self.as_owner = programs, home, as_owner
        self.data = home / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, program: str, *args: str) -> None:
        command = [*self.as_owner, str(self.programs / program), *args]
        subprocess.run(command, check=True, capture_output=True, timeout=PHASE_TIMEOUT)  # noqa: S603 - our own pg_ctl command line

    def create(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def pg_ctl(self, *args: str) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "-t", str(PHASE_TIMEOUT), *args)

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c max_connections=50 -c shared_buffers=16MB"
        )
        self.pg_ctl("-l", str(self.home / "server.log"), "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """`fast`: open connections are cut, as in a restart by the operator."""
        self.pg_ctl("-m", mode, "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(subprocess.CalledProcessError):  # already gone
                self.stop("immediate")
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture
def private_postgres(request):
    programs = postgres_programs()
    if programs is None:
        missing("PostgreSQL's server programs (initdb, pg_ctl)")
    as_owner: list[str] = []
    home = Path(tempfile.mkdtemp(prefix="reciproca-pg-"))
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(home)
            missing("a `postgres` system user to run PostgreSQL as")
        os.chown(home, owner.pw_uid, owner.pw_gid)
        as_owner = ["runuser", "-u", "postgres", "--"]
    cluster = PrivatePostgres(programs, home, as_owner)
    request.addfinalizer(cluster.remove)  # stopped and removed, whatever happens
    cluster.create()
    cluster.start()
    return cluster


@dataclass
class Outcome:
    who: str
    path: str
    sent: str  # the phase when the request left …
    received: str = ""  # … and when its answer came
    status: int | None = None
    headers: dict = field(default_factory=dict)
    body: str = ""
    error: str = ""  # a transport error: reset, refused, timed out


class Load:
    """Visitors acting in threads while the main thread restarts the database.

    Phases: before → stopping → outage → starting → after.
    """

    def __init__(self, base: str):
        self.base = base
        self.phase = "before"
        self.outcomes: list[Outcome] = []
        self.writes: dict[tuple[str, str], list[Outcome]] = {}
        self.stopped = threading.Event()
        self.writers_done = threading.Event()

    def send(self, who: str, tab, path: str, data: dict | None = None) -> Outcome:
        outcome = Outcome(who, path, self.phase)
        try:
            answer = request(self.base + path, data, tab, timeout=REQUEST_TIMEOUT)
            outcome.status, outcome.headers, outcome.body = answer
        except OSError as error:
            outcome.error = repr(error)
        outcome.received = self.phase
        self.outcomes.append(outcome)
        return outcome

    def signed_in_tab(self, email: str):
        tab = browser()
        answer = request(self.base + "/sign-in", {"email": email, "password": PASSWORD}, tab)
        assert answer.status == 302, email
        return tab

    def writer(self, email: str, writes: list, halfway: threading.Barrier) -> None:
        """Send each form until it is stored, like a person pressing again after an error.
        Half-way, wait for the database to go down."""
        tab = self.signed_in_tab(email)
        for index, (path, data) in enumerate(writes):
            if index == len(writes) // 2:
                halfway.wait(timeout=PHASE_TIMEOUT)
                self.stopped.wait(timeout=PHASE_TIMEOUT)
            attempts = self.writes.setdefault((email, path), [])
            deadline = time.monotonic() + PHASE_TIMEOUT
            while time.monotonic() < deadline:
                attempts.append(self.send(email, tab, path, data))
                if attempts[-1].status != 503:
                    break
                time.sleep(0.1)

    def reader(self, who: str, tab, paths: list[str]) -> None:
        """Read until the writers are done, and at least once after the restart."""
        read_after = False
        for path in cycle(paths):
            if self.writers_done.is_set() and read_after:
                return
            read_after = read_after or self.send(who, tab, path).sent == "after"
            time.sleep(0.05)

    def between(self, sent: str, received: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.sent == sent and o.received == received]


def review_data(side: str, encounter_id: int) -> dict:
    scores = CUSTOMER_SCORES if side == "customer" else BUSINESS_SCORES
    data = {name: str(value) for name, value in scores.items() if not isinstance(value, bool)}
    data |= {name: "yes" for name, value in scores.items() if value is True}
    return {**data, "mode": "new", "comment": f"Review {encounter_id} by the {side}"}


def forms_of(side: str, encounter_ids: list[int]) -> list:
    """A review and a thanks for each encounter."""
    forms = []
    for encounter_id in encounter_ids:
        forms.append((f"/encounters/{encounter_id}/review", review_data(side, encounter_id)))
        message = {"message": f"Thanks {encounter_id} from the {side}"}
        forms.append((f"/encounters/{encounter_id}/thanks", message))
    return forms


def seed(url: str) -> dict:
    """One business, three customers with three confirmed encounters each, a reader."""
    app = create_app(Testing, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        owner = builders.make_business()
        customers = [builders.make_customer() for _ in range(3)]
        encounters = {
            customer.email: [builders.make_encounter(owner, customer).id for _ in range(3)]
            for customer in customers
        }
        reader = builders.make_customer()
        builders.make_encounter(owner, reader)  # so that the reader has a dashboard
        world = {
            "owner": owner.email,
            "encounters": encounters,
            "reader": reader.email,
            "subjects": [("business", owner.business_id)]
            + [("customer", c.id) for c in [*customers, reader]],
        }
        db.session.remove()
        db.engine.dispose()
    return world


def assert_clean_unavailable(outcome: Outcome) -> None:
    assert outcome.status == 503, outcome
    assert outcome.headers.get("Retry-After") == "5", outcome
    assert "Traceback" not in outcome.body
    if outcome.path.startswith("/api/"):
        error = json.loads(outcome.body)["error"]
        assert (error["code"], error["message"]) == ("unavailable", UNAVAILABLE)
    else:
        assert "Error 503" in outcome.body
        assert UNAVAILABLE in outcome.body


def test_a_database_restart_under_load_fails_cleanly_and_heals(private_postgres, servers):
    create_tables(private_postgres.url)
    world = seed(private_postgres.url)
    workers = 2
    [base] = servers.start(
        1, server_settings(private_postgres.url, RATELIMIT_ENABLED=False), workers, threads=4
    )
    load = Load(base)
    every_encounter = [i for ids in world["encounters"].values() for i in ids]
    writers = {world["owner"]: forms_of("business", every_encounter)}
    writers |= {email: forms_of("customer", ids) for email, ids in world["encounters"].items()}
    halfway = threading.Barrier(len(writers) + 1)
    threads = [
        threading.Thread(target=load.writer, args=(email, forms, halfway))
        for email, forms in writers.items()
    ]
    readers = [
        ("reader", load.signed_in_tab(world["reader"]), ["/encounters", "/"]),
        ("visitor", browser(), ["/api/v1/businesses", "/businesses"]),
    ]
    threads += [threading.Thread(target=load.reader, args=reader) for reader in readers]
    for thread in threads:
        thread.start()
    try:
        halfway.wait(timeout=PHASE_TIMEOUT)  # every writer is half-way, the database up
        load.phase = "stopping"
        private_postgres.stop()
        load.phase = "outage"
        load.stopped.set()
        # Keep the database down until writes, web pages and the API have met the outage.
        deadline = time.monotonic() + PHASE_TIMEOUT
        while time.monotonic() < deadline:
            met = load.between("outage", "outage")
            if {o.who for o in met} >= {*writers, "reader", "visitor"} and {
                o.path for o in met
            } >= {"/encounters", "/api/v1/businesses"}:
                break
            time.sleep(0.05)
        load.phase = "starting"
        private_postgres.start()
        load.phase = "after"
    finally:  # on failure too: release the writers, so that nothing waits for ever
        halfway.abort()
        load.stopped.set()
        for thread in threads[: len(writers)]:
            thread.join(timeout=2 * PHASE_TIMEOUT)
        load.writers_done.set()
        for thread in threads:
            thread.join(timeout=PHASE_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "the load hung"

    # Every request was answered in time, by the app, with nothing but these statuses.
    assert [o for o in load.outcomes if o.error] == []
    assert {o.status for o in load.outcomes} <= {200, 302, 409, 503}
    # Readers only ever see their page or 503: the signed-in reader was never sent to sign
    # in again, so the 503 pages kept the session.
    assert {o.status for o in load.outcomes if o.who in ("reader", "visitor")} <= {200, 503}
    # While the database was down: the app's own 503 "try again", on pages, forms and API.
    outage = load.between("outage", "outage")
    assert {o.who for o in outage} == {*writers, "reader", "visitor"}
    assert {o.path for o in outage} >= {"/encounters", "/api/v1/businesses"}
    for outcome in load.outcomes:
        if outcome.status == 503:
            assert_clean_unavailable(outcome)
    # Before the stop, and from the restart on, the same processes serve normally.
    for outcome in load.between("before", "before"):
        assert outcome.status in (200, 302), outcome
    for outcome in load.outcomes:
        if outcome.sent == "after":  # 409: see the writes below
            assert outcome.status in (200, 302, 409), outcome
    assert {o.who for o in load.outcomes if o.sent == "after"} >= {"reader", "visitor"}
    log = servers.processes[0].log.read_text()
    assert log.count("Booting worker") == workers, "a worker died and was replaced"
    # Each form was stored by its first success, or by an attempt whose answer was lost
    # with the connection (the next press then hears "already done", 409).
    for (email, path), attempts in load.writes.items():
        statuses = [attempt.status for attempt in attempts]
        assert statuses[-1] == 302 or (statuses[-1] == 409 and 503 in statuses), (email, path)

    app = create_app(Testing, SQLALCHEMY_DATABASE_URI=private_postgres.url)
    with app.app_context():
        for encounter in db.session.scalars(select(Encounter)):
            if encounter.id not in every_encounter:
                continue
            reviews = {
                r.side: r
                for r in db.session.scalars(select(Review).filter_by(encounter_id=encounter.id))
            }
            assert {side: r.comment for side, r in reviews.items()} == {
                side: f"Review {encounter.id} by the {side}" for side in ("business", "customer")
            }
            thanks = db.session.scalars(select(Thanks).filter_by(encounter_id=encounter.id))
            assert sorted(t.message for t in thanks) == [
                f"Thanks {encounter.id} from the {side}" for side in ("business", "customer")
            ]
            assert encounter.both_reviewed_at is not None
            revealed = db.session.scalars(
                select(Notification.user_id).filter_by(
                    kind="reviews_revealed", encounter_id=encounter.id
                )
            ).all()
            assert len(revealed) == len(set(revealed)) == 2  # the owner and the customer
        with_pending, _ = load_numbers(world["subjects"])
        for subject in world["subjects"]:
            assert with_pending[subject] == pytest.approx(recompute(*subject)), subject
        db.session.remove()
        db.engine.dispose()


# --- Redis ----------------------------------------------------------------------------


class PrivateRedis:
    def __init__(self, home: Path):
        binary = shutil.which("redis-server")
        if binary is None:
            missing("redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        command = [binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(home)]
        self.process = subprocess.Popen(  # noqa: S603 - our own redis-server command line
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + PHASE_TIMEOUT
        while True:
            try:
                self.client.ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=PHASE_TIMEOUT)


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    yield server
    server.stop()


ATTEMPT = {"email": "nobody@example.com", "password": "wrong-password"}


def test_the_app_serves_on_when_redis_stops_or_is_down_at_start(private_redis, servers, tmp_path):
    database = f"sqlite:///{tmp_path / 'redis-fault.db'}"
    create_tables(database)
    app = create_app(Testing, SQLALCHEMY_DATABASE_URI=database)
    with app.app_context():
        email = builders.make_customer().email
        db.session.remove()
        db.engine.dispose()
    settings = server_settings(
        database,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=private_redis.url,
        SIGN_IN_RATE_LIMIT="3 per minute",
    )
    [base] = servers.start(1, settings)
    tab = browser()
    # With Redis: the counts live there.
    assert request(base + "/sign-in", {"email": email, "password": PASSWORD}, tab).status == 302
    assert request(base + "/api/v1/businesses").status == 200
    assert private_redis.client.keys("*"), "the counts should live in Redis"

    private_redis.stop()

    # Pages, the API and writes go on.
    assert request(base + "/").status == 200
    assert request(base + "/api/v1/businesses").status == 200
    saved = request(base + "/settings", {"display_name": "Ana Redis", "language": ""}, tab)
    assert saved.status == 302
    assert "Ana Redis" in request(base + "/settings", opener=tab).body
    # Limits go on too, counted in the process's memory meanwhile (config.py): from zero.
    assert [request(base + "/sign-in", ATTEMPT).status for _ in range(3)] == [422] * 3
    refused = request(base + "/sign-in", ATTEMPT)
    assert refused.status == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60

    # A server started while Redis is down serves as well, with limits of its own.
    [late] = servers.start(1, settings)
    assert request(late + "/").status == 200
    assert [request(late + "/sign-in", ATTEMPT).status for _ in range(4)] == [422] * 3 + [429]


# --- The 503 itself ---------------------------------------------------------------------


def test_pages_and_api_answer_503_while_the_database_is_out_of_reach():
    """Cheap and everywhere: a PostgreSQL URL where nothing listens, in this process."""
    nowhere = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/reciproca"
    app = create_app(Testing, SQLALCHEMY_DATABASE_URI=nowhere, DATABASE_CONNECT_TIMEOUT=1)
    client = app.test_client()
    for path in ("/", "/businesses", "/api/v1/businesses"):
        answer = client.get(path)
        outcome = Outcome("visitor", path, "outage")
        outcome.status, outcome.headers = answer.status_code, dict(answer.headers)
        outcome.body = answer.get_data(as_text=True)
        assert_clean_unavailable(outcome)
    with client.session_transaction() as session:
        session["_user_id"] = "1:0"  # signed in (Flask-Login's key), loaded from the database
    answer = client.get("/encounters")
    assert answer.status_code == 503
    assert "Sign in" in answer.get_data(as_text=True)  # drawn as for a visitor …
    with client.session_transaction() as session:
        assert session["_user_id"] == "1:0"  # … and still signed in afterwards
    with app.app_context():
        db.engine.dispose()


def test_an_answer_ready_when_the_database_leaves_is_still_sent(app, client, database_url):
    """The database goes away between the view and the end of the request (a restart):
    the closing ROLLBACK fails, and the answer, already complete, is sent all the same."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a server cutting a connection is a PostgreSQL matter: SQLite has none")
    app.config["PAGE_CACHE_SECONDS"] = 0  # the directory reads the database
    killer = create_engine(database_url, poolclass=NullPool)

    def cut_the_connection(sender, response, **_):
        pid = db.session.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with killer.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    with request_finished.connected_to(cut_the_connection, app):
        answer = client.get("/businesses")
    killer.dispose()
    assert answer.status_code == 200
    assert client.get("/businesses").status_code == 200  # and the next request is served
