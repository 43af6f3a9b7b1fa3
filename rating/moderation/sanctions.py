"""Suspensions and bans: who may not post, rate, flag or record right now."""

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from rating import clock
from rating.errors import NotAllowed


def is_banned(user) -> bool:
    return getattr(user, "banned_at", None) is not None


def is_suspended(user) -> bool:
    until = getattr(user, "suspended_until", None)
    return until is not None and clock.now() < until


def ensure_can_post(user) -> None:
    """Raise NotAllowed, with a clear message, when the user may not post right now.

    A sanction (suspension, ban) stops them; so does an unverified email where the
    configuration requires verification (production).
    """
    from rating.accounts.verification import ensure_email_verified

    ensure_email_verified(user)
    if is_banned(user):
        raise NotAllowed(_l("Your account is banned: you can read but not post, rate or flag."))
    if is_suspended(user):
        raise NotAllowed(
            _l(
                "Your account is suspended until %(when)s: until then you can read but not "
                "post, rate, flag or record encounters.",
                when=format_datetime(user.suspended_until, "short"),
            )
        )
