"""Creating, checking and revoking API tokens."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from rating import clock
from rating.accounts.models import User
from rating.extensions import db
from rating.tokens.models import ApiToken

PREFIX = "rcp_"
DEFAULT_LIFETIME_SECONDS = 30 * 24 * 3600
# last_used_at is a hint for the owner, not an audit trail: one write a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw: str) -> str:
    """The stored form of a token: hex SHA-256 (the secret has 256 random bits)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _lifetime() -> timedelta:
    seconds = current_app.config.get("API_TOKEN_LIFETIME_SECONDS", DEFAULT_LIFETIME_SECONDS)
    return timedelta(seconds=int(seconds))


def create_token(user: User) -> tuple[ApiToken, str]:
    """A new token for the user: returns (stored token, secret). The secret is not kept."""
    raw = PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken(
        user_id=user.id,
        token_hash=hash_token(raw),
        session_version=user.session_version,
        created_at=now,
        expires_at=now + _lifetime(),
    )
    db.session.add(token)
    db.session.commit()
    return token, raw


def authenticate_token(raw: str | None) -> ApiToken | None:
    """The active token with this secret, or None (unknown, expired, revoked, or ended
    by a password change or account deletion). Records when it was last used."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = db.session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == hash_token(raw))
    )
    if token is None or not token.is_active():
        return None
    user = token.user
    if user is None or user.email is None or user.session_version != token.session_version:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token


def revoke_token(token: ApiToken) -> None:
    """End a token now (idempotent)."""
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        db.session.commit()


def delete_tokens(user: User) -> int:
    """Remove every token of the user (account deletion; no commit); returns how many."""
    return db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id)).rowcount
