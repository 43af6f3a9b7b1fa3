"""Rate limits of the web pages, on Flask-Limiter (`rating.extensions.limiter`).

- sign-in: per address (SIGN_IN_RATE_LIMIT) and per account (SIGN_IN_ACCOUNT_RATE_LIMIT);
- registration: per address (REGISTER_RATE_LIMIT);
- password-reset requests: per address and per email (PASSWORD_RESET_RATE_LIMIT);
- every POST/PUT/PATCH/DELETE of the web: per signed-in user, else per address
  (WRITE_RATE_LIMIT). The JSON API counts its own requests per token (rating/api/limits.py).

Limits are read from the config at each request. Storage, fallback when Redis is down and
the key prefix are Flask-Limiter settings in config.py (RATELIMIT_*).
"""

import hashlib
import math
import time
from collections.abc import Callable

from flask import Flask, current_app, jsonify, make_response, render_template, request
from flask_babel import ngettext
from flask_limiter import ApplicationLimit, RateLimitExceeded
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from rating.accounts.services import normalize_email
from rating.extensions import limiter

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
API_PREFIX = "/api/"
DEFAULT_RETRY_SECONDS = 60


def configured(name: str) -> Callable[[], str]:
    """A limit that reads its "N per period" string from the app's config when checked."""

    def limit() -> str:
        return current_app.config[name]

    return limit


def address_key() -> str:
    return f"address:{request.remote_addr or 'unknown'}"


def email_key() -> str:
    """The account a sign-in or reset is for (the form's email)."""
    return hashed_email_key(request.form.get("email"))


def hashed_email_key(email: str | None) -> str:
    """The account as sign-in finds it (normalized), hashed so no address sits in Redis."""
    return "email:" + hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


def writer_key() -> str:
    user = current_user._get_current_object()
    if user.is_authenticated:
        return f"user:{user.id}"
    return address_key()


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


@limiter.request_filter
def limits_off_for_this_app() -> bool:
    # One Limiter serves every app of the process (tests build several): each app's own
    # RATELIMIT_ENABLED decides, not the last one initialised.
    return not current_app.config.get("RATELIMIT_ENABLED", True)


# One budget of writes shared by every web route. Limiter takes application limits at
# construction or from RATELIMIT_APPLICATION (which cannot name a key function), so the
# limit is handed to its limit manager here, once per process.
limiter.limit_manager.set_application_limits(
    [
        ApplicationLimit(
            configured("WRITE_RATE_LIMIT"),
            key_function=writer_key,
            scope="writes",
            methods=WRITE_METHODS,
            exempt_when=is_api_request,
        ).bind(limiter)
    ]
)


def retry_after_seconds() -> int:
    """Seconds until the limit just exceeded lets requests through again."""
    try:
        window_ends_at = limiter.current_limit.window[0]  # (`reset_at` is that plus one)
    except Exception:  # noqa: BLE001 - no limit in context, or its storage is unreachable
        return DEFAULT_RETRY_SECONDS
    return max(1, math.ceil(window_ends_at - time.time()))


def retry_message(seconds: int) -> str:
    if seconds < 90:
        return ngettext(
            "Too many attempts. Please try again in %(num)d second.",
            "Too many attempts. Please try again in %(num)d seconds.",
            seconds,
        )
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Too many attempts. Please try again in %(num)d minute.",
        "Too many attempts. Please try again in %(num)d minutes.",
        minutes,
    )


def rate_limited(error: RateLimitExceeded):
    """429 with Retry-After: a page on the web, the API's error shape under /api/."""
    seconds = retry_after_seconds()
    message = retry_message(seconds)
    if is_api_request():
        body = {"error": {"code": "rate_limited", "message": message, "fields": {}}}
        response = jsonify(body)
    else:
        response = make_response(render_template("errors/error.html", code=429, message=message))
    response.status_code = 429
    response.headers["Retry-After"] = str(seconds)
    return response


def register_rate_limits(app: Flask) -> None:
    """The 429 answer, and the client's real address when behind trusted proxies."""
    app.register_error_handler(RateLimitExceeded, rate_limited)
    proxies = app.config.get("PROXY_COUNT", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
