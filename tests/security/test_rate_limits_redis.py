"""Limits counted in Redis are shared by every app process; without Redis the app serves on.

Each test starts real gunicorn servers in subprocesses, as in production.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis

from tests.databases import postgres_required

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/13"  # a database of its own, emptied of our keys after


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_prefix():
    """A key prefix of this test's own; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        if postgres_required():  # CI=true: the Redis tests are required too
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")
    prefix = f"reciproca-test-{uuid.uuid4().hex}"
    yield prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def database(tmp_path):
    return f"sqlite:///{tmp_path / 'servers.db'}"


@pytest.fixture
def start_servers(tmp_path):
    """Start gunicorn servers with the given settings, side by side; returns their URLs."""
    processes = []

    def start(count: int, **settings) -> list[str]:
        env = {**os.environ, "RECIPROCA_TEST_SETTINGS": json.dumps(settings)}
        ports = [free_port() for _ in range(count)]
        for port in ports:
            log = tmp_path / f"server-{port}.log"
            command = [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--no-control-socket",
                "tests.security.server:build()",
            ]
            with log.open("w") as out:
                process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
            processes.append(process)
            process.log = log
        for port, process in zip(ports, processes[-count:], strict=True):
            wait_for(port, process)
        return [f"http://127.0.0.1:{port}" for port in ports]

    yield start
    for process in processes:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(port: int, process: subprocess.Popen) -> None:
    """Until the server answers a page (the first request also loads what is lazy)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited: {process.log.read_text()}")
        try:
            if request(f"http://127.0.0.1:{port}/sign-in")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"server did not answer within 60 seconds: {process.log.read_text()}")


def request(url: str, data: dict | None = None) -> tuple[int, dict]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with urllib.request.urlopen(url, data=body, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def settings(database: str, storage: str, prefix: str = "reciproca-test") -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": database,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage,
        "RATELIMIT_KEY_PREFIX": prefix,
        "WTF_CSRF_ENABLED": False,
        "SIGN_IN_RATE_LIMIT": "4 per minute",
        "SECRET_KEY": "test-only",
        "ARGON2_TIME_COST": 1,
        "ARGON2_MEMORY_COST": 1024,
        "ARGON2_PARALLELISM": 1,
    }


ATTEMPT = {"email": "nobody@example.com", "password": "wrong-password"}


def test_two_app_processes_share_the_limits_in_redis(redis_prefix, database, start_servers):
    first, second = start_servers(2, **settings(database, REDIS_URL, redis_prefix))
    statuses = [request(base + "/sign-in", ATTEMPT)[0] for base in (first, second) * 2]
    assert statuses == [422, 422, 422, 422]
    # The fifth attempt is refused by either process: they count together.
    for base in (first, second):
        status, headers = request(base + "/sign-in", ATTEMPT)
        assert status == 429
        assert 1 <= int(headers["Retry-After"]) <= 60
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{redis_prefix}*")
    assert keys, "the counts should live in Redis"


def test_the_app_serves_on_when_redis_is_unreachable(database, start_servers):
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    [base] = start_servers(1, **settings(database, closed))
    started = time.monotonic()
    assert request(base + "/")[0] == 200
    assert [request(base + "/sign-in", ATTEMPT)[0] for _ in range(4)] == [422] * 4
    # Counting goes on in the process's memory meanwhile.
    assert request(base + "/sign-in", ATTEMPT)[0] == 429
    assert time.monotonic() - started < 20
