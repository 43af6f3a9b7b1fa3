"""Rate limits of the API: per token (or per address without one), from the config.

Built on `limits`, the engine under Flask-Limiter, with the same storage
(RATELIMIT_STORAGE_URI: Redis in production) and the same switch (RATELIMIT_ENABLED).
The limits are read from the config at each request, so a test can lower them.
When the storage is out of reach (Redis down), the counts go on in this process's memory
and the storage is tried again STORAGE_RETRY_SECONDS later: the API serves on, as the web.
"""

import time
from functools import wraps

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from rating.api.errors import ApiError
from rating.security.limits import hashed_email_key

DEFAULT_API_RATE_LIMIT = "300 per minute"
EXTENSION = "reciproca-api-limits"
FALLBACK = "reciproca-api-limits-in-memory"
STORAGE_RETRY_SECONDS = 30
TOO_MANY = _l("Too many requests. Please wait a moment and try again.")


def _strategy() -> FixedWindowRateLimiter:
    strategy = current_app.extensions.get(EXTENSION)
    if strategy is None:
        uri = current_app.config.get("RATELIMIT_STORAGE_URI") or "memory://"
        options = current_app.config.get("RATELIMIT_STORAGE_OPTIONS") or {}
        strategy = FixedWindowRateLimiter(storage_from_string(uri, wrap_exceptions=True, **options))
        current_app.extensions[EXTENSION] = strategy
    return strategy


def _fallback() -> dict:
    """The in-memory counts used while the storage is down, and until when it is."""
    return current_app.extensions.setdefault(
        FALLBACK, {"strategy": FixedWindowRateLimiter(MemoryStorage()), "until": 0.0}
    )


def _count(item, scope: str, key: str) -> tuple[bool, float, int]:
    fallback = _fallback()
    if time.monotonic() >= fallback["until"]:
        strategy = _strategy()
        try:
            allowed = strategy.hit(item, scope, key)
            return (allowed, *strategy.get_window_stats(item, scope, key))
        except StorageError as error:
            current_app.logger.warning("API rate-limit storage unreachable: %s", error)
            fallback["until"] = time.monotonic() + STORAGE_RETRY_SECONDS
    strategy = fallback["strategy"]
    allowed = strategy.hit(item, scope, key)
    return (allowed, *strategy.get_window_stats(item, scope, key))


def enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def reset(app) -> None:
    """Forget every count (tests)."""
    strategy = app.extensions.get(EXTENSION)
    if strategy is not None:
        strategy.storage.reset()
    app.extensions.pop(FALLBACK, None)


def hit(limit: str, scope: str, key: str) -> tuple[int, int, int] | None:
    """Count one request; raise ApiError(429) past the limit. Returns (limit, left, reset)."""
    if not enabled():
        return None
    item = parse(limit)
    allowed, reset_at, remaining = _count(item, scope, key)
    if not allowed:
        retry_after = max(1, int(reset_at - time.time()) + 1)
        raise ApiError(429, TOO_MANY, headers={"Retry-After": str(retry_after)})
    return item.amount, remaining, int(reset_at)


def caller_key() -> str:
    token = g.get("api_token")
    if token is not None:
        return f"token:{token.token_hash}"
    return f"address:{request.remote_addr}"


def check_request_limit() -> None:
    """The general per-token limit (API_RATE_LIMIT), checked once the token is known."""
    limit = current_app.config.get("API_RATE_LIMIT", DEFAULT_API_RATE_LIMIT)
    g.api_rate = hit(limit, "api", caller_key())


def add_rate_headers(response):
    rate = g.get("api_rate")
    if rate is not None:
        limit, remaining, reset_at = rate
        response.headers["X-RateLimit-Limit"] = str(limit)
        response.headers["X-RateLimit-Remaining"] = str(remaining)
        response.headers["X-RateLimit-Reset"] = str(reset_at)
    return response


def per_account(config_key: str, email: str | None) -> None:
    """An extra limit per account, whatever the address: exchanging one account's password
    for a token counts with SIGN_IN_ACCOUNT_RATE_LIMIT, as signing in on the web does."""
    hit(current_app.config[config_key], f"account:{config_key}", hashed_email_key(email))


def per_address(config_key: str):
    """An extra limit per client address, e.g. on exchanging a password for a token
    (the web's SIGN_IN_RATE_LIMIT and REGISTER_RATE_LIMIT apply to the API too)."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            hit(current_app.config[config_key], f"address:{config_key}", request.remote_addr or "")
            return view(*args, **kwargs)

        return wrapper

    return decorator
