"""`make bench`: Reciproca under gunicorn against a bare-Flask ceiling, loaded with wrk.

    .venv/bin/python -m bench.run [--databases postgresql,sqlite] [--rounds 3] [--duration 10]

Seeds (once) PostgreSQL at the default scale and SQLite at a tenth of it, starts the
ceiling app and then the app on each database with the same gunicorn settings, loads
every page of bench/pages.py in rounds, and prints a markdown table. Traffic goes to
127.0.0.1 only; every run is bounded in time.
"""

import argparse
import contextlib
import math
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench import client, report, wrk
from bench.database import DATA, ROOT, Target, prepare, targets
from bench.fresh import add_fresh_encounters
from bench.pages import (
    ACCOUNTS,
    BUSINESS_LARGE,
    BUSINESS_SMALL,
    CEILING_DEFAULT_BYTES,
    CEILING_SIZE_OF,
    PAGES,
    PASSWORD,
    Page,
)
from rating.seed.scale import ScaleSpec

DOC = ROOT / "docs" / "PERFORMANCE.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per round")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before the rounds")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--worker-connections", type=int, default=0, help="gunicorn's cap "
                        "on each worker's connections (default: twice its threads)")  # fmt: skip
    parser.add_argument("--pg-server", default=os.environ.get("BENCH_PG_URL",
                        "postgresql://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    parser.add_argument("--pg-scale", default="10000,200000,1000000", help="b,c,e")
    parser.add_argument("--sqlite-scale", default="1000,20000,100000", help="b,c,e")
    parser.add_argument("--only", default="", help="comma-separated page names (substring)")
    parser.add_argument("--update-docs", action="store_true", help=f"write the table to {DOC}")
    parser.add_argument("--prepare-only", action="store_true", help="seed the databases, stop")
    parser.add_argument("--wait-for-quiet", type=float, default=0.0, help="seconds to wait at "
                        "most for the load average to settle")  # fmt: skip
    return parser.parse_args(argv)


def spec(text: str) -> ScaleSpec:
    businesses, customers, encounters = (int(n) for n in text.split(","))
    return ScaleSpec(businesses, customers, encounters)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connections_per_worker(args) -> int:
    """gunicorn's gthread worker takes every connection it can accept, and wrk's keep-alive
    connections stay where they landed: without a cap one worker could hold 13 of the 16
    and queue them on its own GIL while the other idles, so each round's latency depended
    on the split. Twice the threads lets a worker keep a connection waiting per thread;
    the cap never leaves wrk's connections without a worker to take them."""
    serves_all = math.ceil(args.connections / args.workers)
    return args.worker_connections or max(2 * args.threads, serves_all)


@contextlib.contextmanager
def serve(app: str, env: dict, args):
    """gunicorn on 127.0.0.1 with the bench's settings; yields (base URL, process)."""
    port = free_port()
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(args.workers), "--worker-class", "gthread"]
    command += ["--threads", str(args.threads), "--keep-alive", "5", "--log-level", "warning"]
    command += ["--worker-connections", str(connections_per_worker(args))]
    process = subprocess.Popen([*command, app], cwd=ROOT, env=os.environ | env)  # noqa: S603 - our own gunicorn command line
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                client.Session(base).request("/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _worker_pids(master: int) -> list[str]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return children.read_text().split() if children.exists() else []


def _cpu_ticks(pids: list[str]) -> int:
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def _busy_queries(url: str | None) -> int:
    """Statements still running in the bench's PostgreSQL database (0 elsewhere)."""
    if not url or not url.startswith("postgresql"):
        return 0
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND state = 'active' AND pid <> pg_backend_pid()"
            ))  # fmt: skip
    finally:
        engine.dispose()


def wait_idle(master: int, url: str | None = None, limit: float = 180.0) -> None:
    """Wait for the workers and the database to finish what the last run left queued
    (slow pages leave a backlog after wrk stops), so that it does not weigh on the next."""
    deadline = time.monotonic() + limit
    pids = _worker_pids(master)
    before = _cpu_ticks(pids)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _cpu_ticks(pids)
        # At most 20 ms of worker CPU in half a second, and no statement running: idle.
        if now - before <= 2 and not _busy_queries(url):
            return
        before = now


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (the master's children), in MB."""
    sizes = []
    for pid in _worker_pids(master):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
    return sizes


# Rate limits stay on (their cost is part of each request, as in production) but high
# enough for one user's bench load, under a key prefix of their own for each run.
BENCH_LIMITS = {
    name: "1000000 per minute"
    for name in ("SIGN_IN_RATE_LIMIT", "SIGN_IN_ACCOUNT_RATE_LIMIT", "WRITE_RATE_LIMIT")
}


def app_env(target: Target) -> dict:
    env = {"APP_ENV": "production", "SECRET_KEY": secrets.token_hex(16)}
    env |= {"DATABASE_URL": target.url, "RATELIMIT_KEY_PREFIX": f"bench-{secrets.token_hex(4)}"}
    env |= BENCH_LIMITS
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 6379), 1):
        env["REDIS_URL"] = "redis://127.0.0.1:6379/15"  # as in production: limits in Redis
    return env


class Loader:
    """Runs wrk for one page (or the ceiling): warm-up, then rounds."""

    def __init__(self, args, binary: str):
        self.args, self.binary = args, binary
        self.workdir = DATA / "wrk"
        self.expected_rps = 3000.0  # until the ceiling is measured: sizes the fresh id lists

    def load(self, row: report.Row, base: str, script, master: int, url=None) -> None:
        self.load_in_turns([(row, script)], base, master, url)

    def load_in_turns(self, loads, base: str, master: int, url=None) -> None:
        """Warm each (row, script) up, then run their rounds in turns: round 1 of each,
        round 2 of each..."""
        names = " + ".join(row.name for row, _ in loads)
        print(f"  {loads[0][0].database:<10} {names} ", end="", flush=True)
        for index in range(self.args.rounds + 1):
            seconds = self.args.warmup if index == 0 else self.args.duration
            for row, script in loads:
                self.round(row if index else None, base, script, master, url, seconds)
            print(".", end="", flush=True)
        wait_idle(master, url)
        for row, _ in loads:
            errors = f", {row.errors} errors" if row.errors else ""
            print(f"\n    {row.name}: {row.rps:,.0f} req/s, p50 {row.p50:.1f} ms, "
                  f"p99 {row.p99:.1f} ms{errors}", end="")  # fmt: skip
        print(flush=True)

    def round(self, row, base: str, script, master: int, url, seconds: float) -> None:
        """One wrk run; its result goes to `row` (None: a warm-up)."""
        # The last round's requests in flight commit first, so that no encounter they
        # reviewed is handed out again; the script's fresh encounters are written before
        # waiting for calm.
        wait_idle(master, url)
        lua = script(seconds)
        wait_idle(master, url)
        result = wrk.run(self.binary, base, lua, self.workdir, seconds,
                         self.args.connections, self.args.wrk_threads)  # fmt: skip
        if row is not None:
            row.rounds.append(result)
            row.errors += result.status_errors + result.socket_errors


@dataclass
class Ceiling:
    """The ceiling app, kept running through the whole run: measured first, then once
    before and once after each page, so that each page is compared with the ceiling of
    the same minutes (a shared machine's speed drifts over a run)."""

    loader: Loader
    base: str
    master: int
    row: report.Row = field(default_factory=lambda: report.Row(None, "none"))

    def script(self, seconds: float) -> str:
        return wrk.script("GET", "/", {"User-Agent": client.USER_AGENT}, "", [], 1)

    def measure(self) -> None:
        self.loader.load(self.row, self.base, self.script, self.master)
        self.loader.expected_rps = self.row.rps

    def alongside(self, measure):
        """Run `measure()` (which gives rows) between two ceiling rounds; the rows keep
        them as their reference."""
        reference = report.Row(None, "none")
        seconds = self.loader.args.duration
        self.loader.round(reference, self.base, self.script, self.master, None, seconds)
        rows = measure()
        if any(row.rounds for row in rows):
            self.loader.round(reference, self.base, self.script, self.master, None, seconds)
            self.row.rounds += reference.rounds
            shares = ", ".join(f"{row.rps / reference.rps:.2f}" for row in rows if row.rounds)
            print(f"      ceiling alongside: {reference.rps:,.0f} req/s; × ceiling {shares}",
                  flush=True)  # fmt: skip
            for row in rows:
                row.reference = reference
        return rows


def prepare_page(args, loader, target: Target, base: str, page: Page, sessions):
    """The page's row and its wrk script, once a first request answered as it should
    (else the row says why, and there is no script)."""
    row = report.Row(page, target.name)
    session = sessions(page.auth) if page.auth else client.Session(base)
    headers, body = {"User-Agent": client.USER_AGENT}, ""
    if page.fresh:
        probe_id = add_fresh_encounters(target.url, 1)[0]
        path = page.path.replace("{id}", str(probe_id))
        form = {**page.form, "csrf_token": session.csrf_token(path)}  # may renew the cookie
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode(form)
        # The probe's flash message stays out of the cookie that wrk sends.
        answer = client.Session(base, dict(session.cookies)).request(path, form)
        if answer.status != 302:
            row.problem = f"POST answered {answer.status}, not 302"
    else:
        answer = session.request(page.path)
        if answer.status == 404:
            row.problem = "missing (404)"
        elif answer.status != 200:
            row.problem = f"answered {answer.status} {answer.location}".strip()
    if row.problem:
        print(f"  {target.name:<10} {page.name}: {row.problem}", flush=True)
        return row, None
    if session.cookies:
        headers["Cookie"] = session.cookie_header

    def script(seconds: float) -> str:
        ids = []
        if page.fresh:
            # As many as the page's own last round could post (the ceiling's rate until
            # it has one), with a margin: each run leaves what it did not use behind.
            rate = row.rounds[-1].rps if row.rounds else loader.expected_rps
            count = int(rate * seconds * 1.5) + 500
            ids = add_fresh_encounters(target.url, count)
        return wrk.script(page.method, page.path, headers, body, ids, args.wrk_threads)

    return row, script


def measure_pages(args, loader, target: Target, base: str, master: int, pages, sessions):
    """Load the pages, their rounds taking turns when there are several (so that a
    comparison between them does not depend on when each ran)."""
    prepared = [prepare_page(args, loader, target, base, page, sessions) for page in pages]
    ready = [(row, script) for row, script in prepared if script is not None]
    if ready:
        loader.load_in_turns(ready, base, master, target.url)
    return [row for row, _ in prepared]


def safely(args, loader, target: Target, base: str, master: int, pages, sessions):
    """A failure (a 500 on sign-in, a crash) is reported on the pages' rows, not fatal."""
    try:
        return measure_pages(args, loader, target, base, master, pages, sessions)
    except Exception as error:  # noqa: BLE001 - any failure becomes the rows' verdict
        message = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        for page in pages:
            print(f"  {target.name:<10} {page.name}: failed: {message}", flush=True)
        return [report.Row(page, target.name, problem=f"failed: {message}") for page in pages]


def page_size(base: str) -> int:
    answer = client.Session(base).request(CEILING_SIZE_OF.path)
    return len(answer.body) if answer.status == 200 else CEILING_DEFAULT_BYTES


def measure_target(args, loader, ceiling: Ceiling, target: Target, base: str, process):
    """Every chosen page on one database's app, each alongside the ceiling."""
    wanted = [p for p in PAGES if not args.only or any(o in p.name for o in args.only.split(","))]
    signed_in: dict[str, client.Session] = {}

    def sessions(key: str) -> client.Session:
        if key not in signed_in:
            signed_in[key] = client.Session(base)
            signed_in[key].sign_in(ACCOUNTS[key], PASSWORD)
        return signed_in[key]

    # The two business pages are compared with each other: their rounds take turns.
    pair = [BUSINESS_LARGE, BUSINESS_SMALL]
    groups = [pair] if all(p in wanted for p in pair) else []
    groups += [[p] for p in wanted if not (groups and p in pair)]
    measured = []
    for group in groups:
        measured += ceiling.alongside(
            lambda group=group: safely(args, loader, target, base, process.pid, group, sessions)
        )
    by_path = {row.page.path: row for row in measured}
    large_vs_small = report.large_vs_small(
        by_path.get(BUSINESS_LARGE.path), by_path.get(BUSINESS_SMALL.path)
    )
    notes = [report.rss_line(target.name, worker_rss_mb(process.pid))]
    notes.append(f"{target.name}: {large_vs_small}")
    if all(page in wanted for page in pair):
        notes.append(f"{target.name}: {uncached_large_vs_small(args, target)}")
    return measured, notes


def uncached_large_vs_small(args, target: Target, warm: int = 3, count: int = 30) -> str:
    """The two business pages rendered from the database (the page cache off), one request
    at a time in turns: their own work, which a popular page's first visit after a change
    costs, without the queueing of 16 connections."""
    env = app_env(target) | {"PAGE_CACHE_SECONDS": "0"}
    with serve("wsgi:app", env, args) as (base, _process):
        session = client.Session(base)
        times: dict[str, list[float]] = {BUSINESS_LARGE.path: [], BUSINESS_SMALL.path: []}
        for index in range(warm + count):
            for path, kept in times.items():
                start = time.perf_counter()
                status = session.request(path).status
                if status != 200:
                    return report.uncached_line(None, None, f"{path} answered {status}")
                if index >= warm:
                    kept.append((time.perf_counter() - start) * 1000)
    return report.uncached_line(times[BUSINESS_LARGE.path], times[BUSINESS_SMALL.path])


def main(argv=None) -> int:
    args = parse(argv)
    binary = wrk.ensure_installed()
    chosen = [name.strip() for name in args.databases.split(",") if name.strip()]
    runs = targets(args.pg_server, spec(args.pg_scale), spec(args.sqlite_scale), chosen)
    for target in runs:
        prepare(target)
    if args.prepare_only:
        return 0
    load_before = wait_for_quiet(args.wait_for_quiet)
    loader, ceiling, rows, notes, size = Loader(args, binary), None, [], [], 0
    with contextlib.ExitStack() as stack:
        for target in runs:
            with serve("wsgi:app", app_env(target), args) as (base, process):
                if ceiling is None:
                    size = page_size(base)
                    ceiling_env = {"CEILING_PAGE_BYTES": str(size)}
                    ceiling_base, server = stack.enter_context(
                        serve("bench.ceiling:app", ceiling_env, args)
                    )
                    ceiling = Ceiling(loader, ceiling_base, server.pid)
                    ceiling.measure()
                measured, found = measure_target(args, loader, ceiling, target, base, process)
                rows += measured
                notes += found
    ceiling = ceiling.row if ceiling else None
    load = f"Load average (1 min) {load_before:.2f} before, {os.getloadavg()[0]:.2f} after."
    if load_before > QUIET_LOAD:
        load += " Other processes were busy: numbers are low and noisy."
    setup = describe(args, runs, size) + "\n" + load
    output = "\n".join([setup, "", report.table(rows, ceiling), "", *[f"- {n}" for n in notes]])
    print("\n" + output)
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "latest.md").write_text(output + "\n")
    if args.update_docs:
        update_docs(output)
    return 0


QUIET_LOAD = 0.5  # 1-minute load average under which the machine counts as idle


def wait_for_quiet(seconds: float) -> float:
    """Wait (at most `seconds`) for other work on the machine to stop; the load then."""
    deadline = time.monotonic() + seconds
    while os.getloadavg()[0] > QUIET_LOAD and time.monotonic() < deadline:
        time.sleep(5)
    load = os.getloadavg()[0]
    if load > QUIET_LOAD:
        print(f"warning: load average {load:.2f}: other processes share the CPU", flush=True)
    return load


def describe(args, runs: list[Target], size: int) -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    lines = [
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} "
        f"cores ({cpu}), Python {platform.python_version()}.",
        f"gunicorn: {args.workers} workers × {args.threads} threads (gthread), at most "
        f"{connections_per_worker(args)} connections each, same for the ceiling; "
        f"wrk: {args.wrk_threads} threads, {args.connections} connections, "
        f"{args.rounds} rounds of {args.duration:g} s after {args.warmup:g} s of warm-up "
        "(req/s and p50: median of the rounds; p99: the worst round).",
        f"Ceiling page: {size:,} bytes (the size of {CEILING_SIZE_OF.path}, or a default when "
        "that page is missing). × ceiling: against one ceiling round just before and one just "
        "after the page's rounds, the machine's speed drifting over a run; the ceiling row is "
        "the median of all its rounds. The two business pages' rounds take turns.",
    ]
    for target in runs:
        how = "reused" if target.reused else "seeded now"
        spent = f"{target.seed_seconds:.0f} s" if target.seed_seconds else "?"
        lines.append(f"{target.name}: {target.spec.businesses:,} businesses, "
                     f"{target.spec.customers:,} customers, {target.spec.encounters:,} "
                     f"encounters (seed {spent}, {how}).")  # fmt: skip
    return "\n".join(lines)


def update_docs(output: str) -> None:
    text = DOC.read_text()
    if BEGIN not in text or END not in text:
        print(f"{DOC} has no {BEGIN} … {END} section; not updated", file=sys.stderr)
        return
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(f"{head}{BEGIN}\n{output}\n{END}{tail}")
    print(f"updated {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
