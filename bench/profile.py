"""Where one page's time goes: requests it in-process against the bench database, under
pyinstrument (pinned in requirements-dev.txt), or counts its CPU instructions per request
(`--instructions`, valgrind's callgrind: bench/instructions.py).

    .venv/bin/python -m bench.profile /businesses/scale-top
    .venv/bin/python -m bench.profile /customers/scale-regular --as business --repeat 50
    .venv/bin/python -m bench.profile /encounters/{id}/review --as writer   # POSTs reviews
    .venv/bin/python -m bench.profile /encounters/{id}/review --as writer --instructions

Run `make bench` (or `--prepare-only`) first: it seeds `reciproca_bench`.
"""

import argparse
import contextlib
import os
import secrets
import socket
import sys

from pyinstrument import Profiler
from sqlalchemy.engine import make_url

from bench import instructions
from bench.client import CSRF_RE
from bench.fresh import add_fresh_encounters
from bench.pages import ACCOUNTS, PASSWORD, REVIEW_FORM
from bench.run import BENCH_LIMITS
from config import Production, database_url
from rating import create_app

PG_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"  # as bench/run.py


def served_as_in_the_bench() -> dict:
    """CSRF checks, rate limits and the page cache as `make bench` serves the app: in
    Redis when it answers (BENCH_LIMITS keep the limits out of the way)."""
    settings = {"RATELIMIT_KEY_PREFIX": f"bench-profile-{secrets.token_hex(4)}", **BENCH_LIMITS}
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 6379), 1):
        redis_url = "redis://127.0.0.1:6379/15"
        settings |= {"RATELIMIT_STORAGE_URI": redis_url, "CACHE_TYPE": "RedisCache"}
        settings |= {"CACHE_REDIS_URL": redis_url, "PAGE_CACHE_SECONDS": 60}
    return settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="account", choices=sorted(ACCOUNTS), default=None)
    parser.add_argument("--repeat", type=int, default=30, help="requests profiled")
    parser.add_argument("--pg-server", default=os.environ.get("BENCH_PG_URL", PG_SERVER))
    parser.add_argument("--instructions", action="store_true", help="count CPU instructions "
                        "per request under callgrind instead of profiling")  # fmt: skip
    args = parser.parse_args()
    if args.instructions and not instructions.under_callgrind():
        per_request = instructions.count(sys.argv[1:], args.repeat)
        print(f"{args.path}: {per_request:,} instructions per request ({args.repeat} requests)")
        return

    url = make_url(database_url(args.pg_server)).set(database="reciproca_bench")
    os.environ.setdefault("SECRET_KEY", secrets.token_hex(16))  # a throwaway process
    app = create_app(
        Production,
        SQLALCHEMY_DATABASE_URI=url.render_as_string(hide_password=False),
        SESSION_COOKIE_SECURE=False,  # the test client speaks plain HTTP
        **served_as_in_the_bench(),
    )
    client = app.test_client()
    if args.account:
        token = CSRF_RE.search(client.get("/sign-in").get_data(as_text=True)).group(1)
        answer = client.post(
            "/sign-in",
            data={"email": ACCOUNTS[args.account], "password": PASSWORD, "csrf_token": token},
        )
        assert answer.status_code == 302, answer.status_code  # noqa: S101 - a tool's sanity check
        token = CSRF_RE.search(client.get("/").get_data(as_text=True)).group(1)  # signed in
    if "{id}" in args.path:  # review submission, each to a fresh encounter
        wanted = args.repeat + 1 + instructions.WARM_REQUESTS
        fresh = iter(add_fresh_encounters(app.config["SQLALCHEMY_DATABASE_URI"], wanted))

        signed_in = client.get_cookie("session")

        def request():
            # As wrk does: every request carries the cookie of the sign-in, so the flashed
            # messages of the earlier answers do not pile up in the session.
            client.set_cookie("session", signed_in.value)
            form = {**REVIEW_FORM, "csrf_token": token}
            return client.post(args.path.format(id=next(fresh)), data=form)
    else:

        def request():
            return client.get(args.path)

    status = request().status_code  # warm: templates compiled, pool filled
    counting = instructions.under_callgrind()
    doing = "counting the instructions of" if counting else "profiling"
    print(f"{args.path} -> {status}; {doing} {args.repeat} requests", flush=True)
    if counting:
        with instructions.measured(request):
            for _ in range(args.repeat):
                request()
        return
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.repeat):
            request()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
