"""Account rules: registration, sign-in, settings, staff."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, literal, or_, select, update
from sqlalchemy.exc import IntegrityError

from rating import clock, pagecache
from rating.accounts import signed_in
from rating.accounts.models import User
from rating.accounts.passwords import dummy_verify, hash_password, password_problem, verify_password
from rating.businesses.categories import CATEGORIES
from rating.businesses.models import Business
from rating.database import UTCDateTime
from rating.errors import Invalid
from rating.extensions import db
from rating.moderation.holds import hold, screen_fields

HANDLE_RE = re.compile(r"[a-z0-9-]{3,30}")
LIMITS = {"display_name": 80, "name": 120, "city": 80, "description": 2000, "email": 254}


@dataclass
class BusinessDetails:
    name: str
    category: str
    city: str
    description: str = ""


@dataclass
class Registration:
    kind: str
    email: str
    password: str
    display_name: str
    handle: str
    business: BusinessDetails | None = None


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def normalize_handle(handle: str) -> str:
    return (handle or "").strip().lower()


def _text_problems(values: dict[str, str], prefix: str = "") -> dict[str, str]:
    problems = {}
    for name, value in values.items():
        limit = LIMITS[name]
        if not value.strip():
            problems[prefix + name] = _l("This field is required.")
        elif len(value) > limit:
            problems[prefix + name] = _l("Use at most %(n)d characters.", n=limit)
    return problems


def handle_problem(handle: str) -> str | None:
    if not HANDLE_RE.fullmatch(handle):
        return _l("Use 3 to 30 characters: lowercase letters, digits and hyphens.")
    taken = db.session.scalar(select(User.id).where(User.handle == handle)) or db.session.scalar(
        select(Business.id).where(Business.handle == handle)
    )
    if taken:
        return _l("This handle is taken; choose another.")
    return None


def email_problem(email: str) -> str | None:
    if len(email) > LIMITS["email"]:
        return _l("Use at most %(n)d characters.", n=LIMITS["email"])
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return _l("Enter a valid email address.")
    if db.session.scalar(select(User.id).where(User.email == email)):
        return _l("An account with this email already exists.")
    return None


def _check_new_account(email: str, password: str, display_name: str, handle: str) -> None:
    problems = _text_problems({"display_name": display_name})
    for field, problem in (
        ("email", email_problem(email)),
        ("password", password_problem(password)),
        ("handle", handle_problem(handle)),
    ):
        if problem:
            problems[field] = problem
    if problems:
        raise Invalid(fields=problems)


def _commit_new(*objects) -> None:
    """Commit, turning a lost race on a unique email or handle into Invalid."""
    db.session.add_all(objects)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        field = "email" if "email" in str(error.orig).lower() else "handle"
        raise Invalid(field, _l("This value was just taken; choose another.")) from error


def register(data: Registration) -> User:
    """Create a customer, or a business with its owner account.

    Raises Invalid with every problem found, keyed by field name.
    """
    email, handle = normalize_email(data.email), normalize_handle(data.handle)
    problems: dict[str, str] = {}
    held_words: list[str] = []
    if data.kind not in ("customer", "business"):
        problems["kind"] = _l("Choose customer or business.")
    if data.kind == "business":
        details = data.business or BusinessDetails("", "", "")
        problems |= _text_problems({"name": details.name, "city": details.city}, "business.")
        if details.category not in CATEGORIES:
            problems["business.category"] = _l("Choose a category.")
        if len(details.description) > LIMITS["description"]:
            problems["business.description"] = _l(
                "Use at most %(n)d characters.", n=LIMITS["description"]
            )
        else:
            held_words = _screen_description(details.description, problems)
    try:
        _check_new_account(email, data.password, data.display_name, handle)
    except Invalid as error:
        problems |= error.fields
    if problems:
        raise Invalid(fields=problems)

    user = User(
        kind=data.kind,
        email=email,
        password_hash=hash_password(data.password),
        display_name=data.display_name.strip(),
        handle=handle,
    )
    if data.kind == "business":
        details = data.business
        user.business = Business(
            handle=handle,
            name=details.name.strip(),
            category=details.category,
            city=details.city.strip(),
            description=details.description.strip(),
        )
        user.business_role = "owner"
        user.business.description_held = bool(held_words)
    _commit_new(user)
    if data.kind == "business" and held_words:
        hold("business", user.business_id, held_words, user.id)
        db.session.commit()
    return user


def _screen_description(description: str, problems: dict) -> list[str]:
    """Shouting and contact data refuse the description; abusive words hold it."""
    try:
        return screen_fields({"business.description": (description, True)})
    except Invalid as error:
        problems |= error.fields
        return []


def create_admin(email: str, password: str, display_name: str, handle: str) -> User:
    """Create a moderator account (command line only). Raises Invalid."""
    email, handle = normalize_email(email), normalize_handle(handle)
    _check_new_account(email, password, display_name, handle)
    user = User(
        kind="admin",
        email=email,
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        handle=handle,
        email_verified_at=clock.now(),  # the operator who runs the command vouches for it
    )
    _commit_new(user)
    return user


def add_staff(owner: User, email: str, password: str, display_name: str, handle: str) -> User:
    """Add a staff account to the owner's business. Raises Invalid."""
    email, handle = normalize_email(email), normalize_handle(handle)
    _check_new_account(email, password, display_name, handle)
    staff = User(
        kind="business",
        business_id=owner.business_id,
        business_role="staff",
        email=email,
        password_hash=hash_password(password),
        display_name=display_name.strip(),
        handle=handle,
    )
    _commit_new(staff)
    return staff


def staff_of(business_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.business_id == business_id)
            .order_by(User.business_role, User.id)
        )
    )


def authenticate(email: str, password: str) -> User | None:
    """The account with these credentials, or None: unknown email, wrong password and a
    locked account look alike and cost one password hash each.

    SIGN_IN_MAX_FAILURES failures within SIGN_IN_FAILURE_WINDOW_SECONDS lock the account
    for SIGN_IN_LOCK_SECONDS; while locked, even the right password is refused.
    """
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    now = clock.now()
    if user is None or is_locked(user, now):
        dummy_verify(password)
        return None
    if not verify_password(user.password_hash, password):
        _count_failure(user.id, now)
        return None
    if user.failed_sign_ins or user.locked_until:
        user.failed_sign_ins, user.failed_sign_ins_since, user.locked_until = 0, None, None
        db.session.commit()
    return user


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _count_failure(user_id: int, now: datetime) -> None:
    """Count a failed sign-in in one UPDATE (concurrent failures all count); lock the
    account when the count reaches the maximum."""
    cfg = current_app.config
    window_start = now - timedelta(seconds=cfg["SIGN_IN_FAILURE_WINDOW_SECONDS"])
    stamp = literal(now, UTCDateTime)
    new_window = or_(
        User.failed_sign_ins_since.is_(None), User.failed_sign_ins_since < window_start
    )
    failures = db.session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            failed_sign_ins=case((new_window, 1), else_=User.failed_sign_ins + 1),
            failed_sign_ins_since=case((new_window, stamp), else_=User.failed_sign_ins_since),
        )
        .returning(User.failed_sign_ins)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if failures >= cfg["SIGN_IN_MAX_FAILURES"]:
        db.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(
                failed_sign_ins=0,
                failed_sign_ins_since=None,
                locked_until=now + timedelta(seconds=cfg["SIGN_IN_LOCK_SECONDS"]),
            )
            .execution_options(synchronize_session=False)
        )
    pagecache.touch(db.session, [signed_in.user_subject(user_id)])  # no flush sees updates
    db.session.commit()


def load_session_user(session_id: str) -> User | None:
    """The user behind a Flask-Login id of the form "<id>:<session_version>"."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = signed_in.load_user(int(user_id))
    if user is None or user.session_version != int(version):
        return None
    return user


def update_settings(user: User, display_name: str, language: str | None) -> None:
    """Change the display name and language (None: follow the browser). Raises Invalid."""
    problems = _text_problems({"display_name": display_name})
    if language not in (None, "en", "es"):
        problems["language"] = _l("Choose a language from the list.")
    if problems:
        raise Invalid(fields=problems)
    user.display_name = display_name.strip()
    user.language = language
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password and end other sessions. Raises Invalid."""
    if not verify_password(user.password_hash, current):
        raise Invalid("current_password", _l("This is not your current password."))
    problem = password_problem(new)
    if problem:
        raise Invalid("new_password", problem)
    user.password_hash = hash_password(new)
    user.session_version += 1
    db.session.commit()
