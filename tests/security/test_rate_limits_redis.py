"""Limits counted in Redis are shared by every app process.

Real gunicorn servers in subprocesses, as in production. Without Redis (down at start, or
stopping while the app runs) the app serves on: see test_faults.py.
"""

import pytest
import redis

from tests.databases import REDIS_URL
from tests.security.server import Servers, create_tables, request


@pytest.fixture
def database(tmp_path):
    """A database of this test's own, its tables made before any server starts."""
    url = f"sqlite:///{tmp_path / 'servers.db'}"
    create_tables(url)
    return url


@pytest.fixture
def servers(tmp_path):
    started = Servers(tmp_path)
    yield started
    started.stop()


def settings(database: str, storage: str, prefix: str) -> dict:
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


def test_two_app_processes_share_the_limits_in_redis(redis_prefix, database, servers):
    first, second = servers.start(2, settings(database, REDIS_URL, redis_prefix))
    statuses = [request(base + "/sign-in", ATTEMPT).status for base in (first, second) * 2]
    assert statuses == [422, 422, 422, 422]
    # The fifth attempt is refused by either process: they count together.
    for base in (first, second):
        refused = request(base + "/sign-in", ATTEMPT)
        assert refused.status == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
    keys = redis.Redis.from_url(REDIS_URL).keys(f"*{redis_prefix}*")
    assert keys, "the counts should live in Redis"
