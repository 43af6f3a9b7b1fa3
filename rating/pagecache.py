"""Rendered fragments of the busiest pages, kept briefly and never served stale by a write.

A cached entry remembers the version of every profile it shows and the minute it was
rendered in. The versions are bumped right after any transaction commits that changed a
review, reply, thanks, encounter, business or a name shown beside them (session events
below), so the next request renders afresh. An entry is also renewed once the next review
window it concerns closes (the caller says when), and past its minute (bulk SQL
statements bypass the session events): the first request then renders it again while
the others are still served the entry, so that they do not all render it at once. Storage
is Flask-Caching's, in Redis (every worker sees the same versions); this process's
memory serves a single process. If the storage fails, pages are rendered as if there
were no cache, and it is tried again a little later.

Forms in a fragment carry the viewer's CSRF token: fragments are rendered with a
placeholder for `csrf_token()`, replaced for each viewer when served. The directory has
one version of its own, bumped with any business.
"""

import time
from collections.abc import Callable, Iterable
from datetime import datetime

from flask import current_app, has_app_context, render_template
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from rating import clock
from rating.extensions import cache

CSRF_HOLE = "\x00csrf\x00"  # cannot occur in stored text: NUL is refused on input
RETRY_AFTER_FAILURE_SECONDS = 30
DIRECTORY = ("directory", 0)
KNOWN_SUBJECTS_MAX = 10_000  # entries whose subjects this process remembers


def _state() -> dict:
    return current_app.extensions.setdefault("pagecache", {"broken_until": 0.0, "subjects": {}})


def enabled() -> bool:
    seconds = current_app.config.get("PAGE_CACHE_SECONDS", 0)
    return seconds > 0 and time.monotonic() >= _state()["broken_until"]


def storage_failed(error: Exception) -> None:
    current_app.logger.warning("page cache unreachable, rendering without it: %s", error)
    _state()["broken_until"] = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS


def version_key(subject: tuple[str, int]) -> str:
    return f"v:{subject[0]}:{subject[1]}"


def entry_key(parts: tuple, locale: str, signed_in: bool) -> str:
    return repr((parts, locale, signed_in))


def refresh_key(key: str) -> str:
    """Taken by the one request that renders an entry again once past its minute."""
    return f"refresh:{key}"


def fragments(
    subjects: Callable[[], list[tuple[str, int]]],
    parts: tuple,
    templates: dict[str, str],
    context: Callable[[], dict],
    cacheable: bool = True,
    good_until: Callable[[datetime], datetime | None] | None = None,
) -> dict[str, Markup]:
    """The `templates` ({name: template}) rendered with `context()`, from the cache when
    this viewer's kind and language, the key `parts` and the versions of the page's
    `subjects()` ("business"/"customer", id) are those it was rendered with (and when
    `cacheable`: a page with forms of this viewer's own is not).

    A hit costs one cache read and no database query: the entry remembers its subjects,
    and this process the subjects of the entries it has seen (`_entry_and_versions`).
    On a miss, `subjects()` is called first and their versions read before `context()`
    reads the database, so a change committed meanwhile is never stored as current.
    `good_until(since)`, asked after `context()`, says when the page would change with
    the clock alone (the next review window to close after `since`, the time taken before
    `context()` read the database): from then on, the next request renders it again.
    """
    if not (cacheable and enabled()):
        return _uncached(subjects, templates, context)
    signed_in = current_user.is_authenticated
    key = entry_key(parts, str(get_locale()), signed_in)
    now = clock.now()
    minute = int(now.timestamp() // 60)
    try:
        entry, current = _entry_and_versions(key)
        # Past its minute or its `until`, the entry is still served to all but the one
        # request that renders it again: they do not all render it at once (and wait for
        # each other). The directory and the home page pass their `until` each time a
        # review window closes anywhere on the site.
        if entry is not None and current == entry["versions"]:
            timely = entry["until"] is None or now < entry["until"]
            if (timely and entry["minute"] == minute) or not cache.add(
                refresh_key(key), 1, timeout=10
            ):
                return _fill_csrf(entry["html"], signed_in)
    except Exception as error:  # noqa: BLE001 - any storage failure: serve without cache
        storage_failed(error)
        return _uncached(subjects, templates, context)
    shown = subjects()
    try:
        entry = {"subjects": shown, "versions": versions(shown, create=True), "minute": minute}
    except Exception as error:  # noqa: BLE001 - as above
        storage_failed(error)
        return _render(templates, context(), csrf_token=generate_csrf)
    entry["html"] = _render(templates, context(), csrf_token=lambda: CSRF_HOLE)
    entry["until"] = good_until(now) if good_until else None
    try:
        cache.set(key, entry, timeout=current_app.config["PAGE_CACHE_SECONDS"] + 60)
        cache.delete(refresh_key(key))
    except Exception as error:  # noqa: BLE001 - as above
        storage_failed(error)
    _remember_subjects(key, shown)
    return _fill_csrf(entry["html"], signed_in)


def _entry_and_versions(key: str) -> tuple[dict | None, list]:
    """The entry stored under `key` and the current versions of its subjects, read
    together when this process knows them already (a page's subjects seldom change);
    a second read follows when it does not, or when they changed."""
    known = _state()["subjects"].get(key, [])
    entry, *found = cache.get_many(key, *(version_key(s) for s in known))
    if entry is None:
        return None, []
    if entry["subjects"] != known:
        _remember_subjects(key, entry["subjects"])
        found = versions(entry["subjects"])
    return entry, found


def _remember_subjects(key: str, subjects: list[tuple[str, int]]) -> None:
    known = _state()["subjects"]
    if len(known) >= KNOWN_SUBJECTS_MAX:
        known.clear()  # bounded memory; they are learnt again at one more read each
    known[key] = subjects


def _uncached(subjects, templates, context) -> dict[str, Markup]:
    subjects()  # may refuse (NotFound), as on a miss
    return _render(templates, context(), csrf_token=generate_csrf)


def versions(subjects: list[tuple[str, int]], create: bool = False) -> list:
    """The subjects' versions. A version the storage lost (evicted) reads as None, which
    no entry is stored with: `create` gives it a new one first."""
    keys = [version_key(s) for s in subjects]
    found = list(cache.get_many(*keys)) if keys else []
    if create and None in found:
        for key, version in zip(keys, found, strict=True):
            if version is None:
                cache.add(key, time.time_ns(), timeout=0)  # unless another request just did
        found = list(cache.get_many(*keys))
    return found


def _fill_csrf(html: dict[str, str], signed_in: bool) -> dict[str, Markup]:
    """Forms were rendered with a placeholder: put this viewer's token in."""
    if not signed_in:
        return html
    token = generate_csrf()  # URL-safe characters only
    return {
        name: Markup(str(part).replace(CSRF_HOLE, token))  # noqa: S704 - rendered templates
        for name, part in html.items()
    }


def _render(templates: dict[str, str], context: dict, **extra) -> dict[str, Markup]:
    return {
        name: Markup(render_template(template, **context, **extra))  # noqa: S704 - autoescaped
        for name, template in templates.items()
    }


def bump(subjects: Iterable[tuple[str, int]]) -> None:
    """A new version for each subject: cached fragments showing it are no longer used."""
    if current_app.config.get("PAGE_CACHE_SECONDS", 0) <= 0:
        return
    try:
        _store_forever({version_key(s): time.time_ns() for s in subjects})
    except Exception as error:  # noqa: BLE001 - the entry's minute bounds staleness
        storage_failed(error)


def _store_forever(values: dict[str, int]) -> None:
    """In Redis, one MSET: Flask-Caching's set_many sends a pipeline of one SET per key,
    which costs a review submission more Python than its own INSERT (each commit bumps)."""
    backend = cache.cache
    client = getattr(backend, "_write_client", None)
    if client is None:  # kept in this process's memory
        cache.set_many(values, timeout=0)
        return
    prefix = backend._get_prefix()
    client.mset({prefix + key: backend.serializer.dumps(value) for key, value in values.items()})


# What a transaction touched, gathered at each flush and bumped once it commits. ----------


def _names_changed(obj, names: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _touched_by(session: Session, changed: Iterable) -> set[tuple[str, int]]:
    from rating.accounts.models import User
    from rating.businesses.models import Business
    from rating.encounters.models import Encounter
    from rating.notifications.models import Notification
    from rating.reviews.models import Reply, Review
    from rating.thanks.models import Thanks

    touched: set[tuple[str, int]] = set()
    renamed_customers, renamed_businesses, replies, businesses = set(), set(), set(), set()
    for obj in changed:
        if isinstance(obj, Review | Thanks | Encounter):
            touched |= {("business", obj.business_id), ("customer", obj.customer_id)}
        elif isinstance(obj, Reply):
            replies.add(obj.review_id)
        elif isinstance(obj, Business):
            touched.add(("business", obj.id))
            businesses.add(obj.id)
            if _names_changed(obj, ("name",)):
                renamed_businesses.add(obj.id)
        elif isinstance(obj, User):
            touched |= {("customer", obj.id), ("user", obj.id)}
            if _names_changed(obj, ("display_name", "email")):
                renamed_customers.add(obj.id)
        elif isinstance(obj, Notification):
            touched.add(("user", obj.user_id))  # the unread count beside the signed-in user
    # session.connection(), not session.execute: no autoflush from inside a flush.
    needed = replies or renamed_customers or businesses
    connection = session.connection() if needed else None
    if businesses:  # every member's signed-in row carries the business
        members = select(User.id).where(User.business_id.in_(businesses))
        touched |= {("user", i) for i in connection.scalars(members)}
    if replies:
        rows = connection.execute(
            select(Review.business_id, Review.customer_id).where(Review.id.in_(replies))
        )
        for business_id, customer_id in rows:
            touched |= {("business", business_id), ("customer", customer_id)}
    # A name is shown on the other side's pages (profile, dashboard) beside the encounters,
    # reviews and thanks of its owner; every review and thanks has an encounter of the
    # same two parties, so the encounters name them all.
    if renamed_customers:
        found = select(Encounter.business_id).where(Encounter.customer_id.in_(renamed_customers))
        touched |= {("business", i) for i in connection.scalars(found.distinct())}
    if renamed_businesses:
        found = select(Encounter.customer_id).where(Encounter.business_id.in_(renamed_businesses))
        touched |= {("customer", i) for i in connection.scalars(found.distinct())}
    if any(kind == "business" for kind, _ in touched):
        touched.add(DIRECTORY)
    return touched


def touch(session: Session, subjects: Iterable[tuple[str, int]]) -> None:
    """Subjects changed by a bulk statement (which no flush sees): bumped on commit."""
    session.info.setdefault("pagecache_touched", set()).update(subjects)


def touch_rows(session: Session, changed: Iterable) -> None:
    """Model objects written by a Core statement (which no flush sees): what shows them is
    bumped on commit, as if a flush had written them."""
    touch(session, _touched_by(session, changed))


# Every session of the app (and of commands) reports what it touched.
@event.listens_for(Session, "after_flush")
def _gather(session, _context):
    touch_rows(session, (*session.new, *session.dirty, *session.deleted))


@event.listens_for(Session, "after_commit")
def _publish(session):
    touched = session.info.pop("pagecache_touched", None)
    if touched and has_app_context():
        bump(touched)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop("pagecache_touched", None)
