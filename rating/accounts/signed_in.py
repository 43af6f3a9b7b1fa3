"""The signed-in user behind each request: their row, their business's and their unread
count, kept in the page cache's storage so that a signed-in page asks the database
nothing to know who is asking.

An entry is stored with the version of ("user", id) read before the database is; a
commit that changes the user, their business or their notifications bumps that version
(rating/pagecache.py), as do the services whose bulk statements no flush sees. A hit is
one cache read; an entry lives a few seconds at most in any case (`_lifetime`). Without a
cache, or while it fails, the row comes from the database as before.
"""

from flask import current_app, g, has_app_context
from sqlalchemy import event, func, select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from rating import pagecache
from rating.accounts.models import User
from rating.businesses.models import Business
from rating.database import as_loaded
from rating.extensions import cache, db
from rating.notifications.models import Notification

MAX_LIFETIME_SECONDS = 10


def user_subject(user_id: int) -> tuple[str, int]:
    return ("user", user_id)


def load_user(user_id: int) -> User | None:
    """The user with this id (attached to the session), or None."""
    if not pagecache.enabled():
        return _from_database(user_id)
    key = _entry_key(user_id)
    try:
        entry, version = cache.get_many(key, pagecache.version_key(user_subject(user_id)))
        if entry is not None and version is not None and entry["version"] == version:
            return _attach(entry)
        (version,) = pagecache.versions([user_subject(user_id)], create=True)
    except Exception as error:  # noqa: BLE001 - any storage failure: ask the database
        pagecache.storage_failed(error)
        return _from_database(user_id)
    user = _from_database(user_id)
    if user is not None:
        try:
            cache.set(key, _entry(user, version), timeout=_lifetime())
        except Exception as error:  # noqa: BLE001 - as above
            pagecache.storage_failed(error)
    return user


def _lifetime() -> int:
    """Seconds an entry may live. Versions make it current; this only bounds the case
    where a bump was lost (the cache failing just after a commit): a suspension or a
    password change then still applies within seconds, not at the page cache's minute."""
    return min(current_app.config["PAGE_CACHE_SECONDS"], MAX_LIFETIME_SECONDS)


def unread_count(user: User) -> int | None:
    """The unread count read along with the user in this request, if it was."""
    known = g.get("signed_in_unread")
    return known[1] if known and known[0] == user.id else None


def _entry_key(user_id: int) -> str:
    return f"signed-in:{user_id}"


def _from_database(user_id: int) -> User | None:
    unread = (
        select(func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    row = db.session.execute(select(User, unread).where(User.id == user_id)).first()
    if row is None:
        return None
    g.signed_in_unread = (user_id, row[1])
    return row[0]


# Not kept outside the database (as rate-limit keys keep no address): read if ever used.
NOT_CACHED = {"email", "password_hash"}


def _columns(obj) -> dict:
    names = (attr.key for attr in db.inspect(type(obj)).column_attrs)
    return {name: getattr(obj, name) for name in names if name not in NOT_CACHED}


def _entry(user: User, version) -> dict:
    business = _columns(user.business) if user.business is not None else None
    return {
        "version": version,
        "user": _columns(user),
        "business": business,
        "unread": g.signed_in_unread[1],
    }


def _attach(entry: dict) -> User:
    """The stored row as a persistent User of this session, without a query."""
    user = as_loaded(User, entry["user"])
    if entry["business"] is not None:
        set_committed_value(user, "business", as_loaded(Business, entry["business"]))
    g.signed_in_unread = (user.id, entry["unread"])
    try:
        db.session.add(user)
    except InvalidRequestError:  # the session holds this user already (an outer context's)
        return db.session.merge(user, load=False)
    return user


@event.listens_for(Session, "after_commit")
def _forget_unread(_session):
    # A commit may have changed the count: the header asks the database again.
    if has_app_context():
        g.pop("signed_in_unread", None)
