"""Password reset by a signed, single-use, expiring link sent by email.

The token holds the account id and a fingerprint of the current password hash: once the
password changes (by this link or otherwise) every earlier link stops working.
"""

import hashlib
import logging

from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select, update

from rating import clock, pagecache
from rating.accounts import links, signed_in
from rating.accounts.models import User
from rating.accounts.passwords import hash_password, password_problem
from rating.accounts.services import normalize_email
from rating.database import UTCDateTime
from rating.errors import Invalid
from rating.extensions import db
from rating.mail import MailError, send_after_response

SALT = "reciproca.password-reset"
BAD_LINK = _l("This password reset link is not valid, was already used or has expired.")

log = logging.getLogger(__name__)


def password_fingerprint(user: User) -> str:
    """Changes whenever the password does; reveals nothing of the hash."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    return links.make_token(SALT, {"user": user.id, "pw": password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Mail a reset link if an account has this email; do and say the same either way.

    The mail leaves after the answer, and a mail server failure is logged, not shown:
    either would tell the visitor that the account exists.
    """
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None or not user.password_hash:
        return
    link = url_for("accounts.reset_password", token=reset_token(user), _external=True)
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE"] // 60
    with force_locale(user.language or str(get_locale())):
        subject = str(_l("Reset your Reciproca password"))
        body = render_template(
            "accounts/email/password_reset.txt", user=user, link=link, minutes=minutes
        )
    user_id = user.id

    def failed(_error: MailError) -> None:
        log.exception("could not send a password reset email to user %s", user_id)

    # After the answer: how long the mail server takes must not tell who has an account.
    send_after_response(user.email, subject, body, on_failure=failed)


def user_for_reset_token(token: str) -> User:
    """The account a genuine, unused, unexpired reset link is for. Raises Invalid("token")."""
    payload = links.read_token(SALT, token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, payload["user"]) if payload and "user" in payload else None
    if user is None or not user.password_hash or payload.get("pw") != password_fingerprint(user):
        raise Invalid("token", BAD_LINK)
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link, end every session and lift a sign-in lock.

    Raises Invalid("token") for a bad link, Invalid("new_password") for a weak password.
    """
    user = user_for_reset_token(token)
    problem = password_problem(new_password)
    if problem:
        raise Invalid("new_password", problem)
    # Only if the password is still the one the link was made for: of two uses of the
    # same link at once, one wins and the other is refused.
    changed = db.session.execute(
        update(User)
        .where(User.id == user.id, User.password_hash == user.password_hash)
        .values(
            password_hash=hash_password(new_password),
            session_version=User.session_version + 1,
            failed_sign_ins=0,
            failed_sign_ins_since=None,
            locked_until=None,
            # The link reached the address: that proves it as a verification link would.
            email_verified_at=func.coalesce(
                User.email_verified_at, literal(clock.now(), UTCDateTime)
            ),
        )
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        raise Invalid("token", BAD_LINK)
    pagecache.touch(db.session, [signed_in.user_subject(user.id)])  # signs every session out
    db.session.commit()
    return user
