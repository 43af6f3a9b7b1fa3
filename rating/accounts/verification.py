"""Email verification: a signed link mailed to the address proves the user reads it."""

import logging

from flask import current_app, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from rating import clock
from rating.accounts import links
from rating.accounts.models import User
from rating.errors import Invalid, NotAllowed
from rating.extensions import db
from rating.mail import MailError, send_mail

SALT = "reciproca.verify-email"
BAD_LINK = _l("This verification link is not valid or has expired. Send yourself a new one.")
NOT_VERIFIED = _l(
    "Please verify your email address first: follow the link we emailed you, "
    "or send a new one from your settings."
)

log = logging.getLogger(__name__)


def is_verified(user: User) -> bool:
    return user.email_verified_at is not None


def ensure_email_verified(user: User) -> None:
    """Raise NotAllowed when the config requires a verified email and this user has none."""
    if current_app.config["REQUIRE_EMAIL_VERIFICATION"] and not is_verified(user):
        raise NotAllowed(NOT_VERIFIED)


def verification_token(user: User) -> str:
    return links.make_token(SALT, {"user": user.id, "email": user.email})


def send_verification_email(user: User) -> bool:
    """Mail a verification link to the user's address (needs a request context or
    SERVER_NAME to build the link). Returns False, and logs why, when it could not be sent."""
    link = url_for("accounts.verify_email", token=verification_token(user), _external=True)
    with force_locale(user.language or str(get_locale())):
        subject = str(_l("Verify your email address for Reciproca"))
        body = render_template("accounts/email/verify_email.txt", user=user, link=link)
    try:
        send_mail(user.email, subject, body)
    except MailError:
        log.exception("could not send the verification email to user %s", user.id)
        return False
    return True


def verify_email(token: str) -> User:
    """Mark the address in a genuine, unexpired link as verified. Raises Invalid("token")."""
    payload = links.read_token(SALT, token, current_app.config["EMAIL_VERIFICATION_MAX_AGE"])
    user = db.session.get(User, payload["user"]) if payload and "user" in payload else None
    # The link names the address it was sent to: it cannot verify a changed one.
    if user is None or not user.email or user.email != payload.get("email"):
        raise Invalid("token", BAD_LINK)
    if user.email_verified_at is None:
        user.email_verified_at = clock.now()
        db.session.commit()
    return user
