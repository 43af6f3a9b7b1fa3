"""Session renewal at sign-in."""

from flask import session

# Harmless preferences that survive the renewal.
KEPT_KEYS = ("language",)


def renew_session() -> None:
    """Drop everything the session held before signing in (call just before login_user).

    A session planted by someone else (session fixation) then carries nothing of theirs
    into the signed-in session, and the CSRF token is a new one.
    """
    kept = {key: session[key] for key in KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)
