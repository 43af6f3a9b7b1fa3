"""Bearer-token authentication. The API reads no session cookie: the token is the user."""

from functools import wraps

from flask import g, request
from flask_babel import lazy_gettext as _l

from rating.accounts.models import User
from rating.api import limits
from rating.api.errors import WWW_AUTHENTICATE, ApiError
from rating.extensions import login_manager
from rating.tokens.services import authenticate_token

BAD_TOKEN = _l("This API token is not valid: it is unknown, expired or revoked.")
NO_TOKEN = _l("Sign in first: send Authorization: Bearer <token> (get one from POST /tokens).")
BAD_SCHEME = _l("Use the Bearer scheme: Authorization: Bearer <token>.")


def load_token_user() -> None:
    """Resolve the Authorization header before every API view.

    Flask-Login's `current_user` is set to the token's user (or anonymous), so that
    nothing in the request can fall back to a session cookie. A token that is sent
    but not valid is refused everywhere, not silently treated as anonymous.
    """
    g.api_token = None
    g._login_user = login_manager.anonymous_user()
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, raw = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise ApiError(401, BAD_SCHEME, headers={"WWW-Authenticate": WWW_AUTHENTICATE})
    token = authenticate_token(raw.strip())
    if token is None:
        limits.check_request_limit()  # a wrong token spends its address's allowance
        raise ApiError(
            401,
            BAD_TOKEN,
            code="invalid_token",
            headers={"WWW-Authenticate": WWW_AUTHENTICATE + ', error="invalid_token"'},
        )
    g.api_token = token
    g._login_user = token.user


def api_user() -> User | None:
    """The token's user, or None for an anonymous request."""
    token = g.get("api_token")
    return token.user if token is not None else None


def require_token(view):
    """Refuse the view with 401 unless a valid token was sent."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.get("api_token") is None:
            raise ApiError(401, NO_TOKEN)
        return view(*args, **kwargs)

    return wrapper
