"""Sending and reading in-app notifications."""

import functools

from sqlalchemy import (
    JSON,
    Integer,
    String,
    and_,
    bindparam,
    cast,
    exists,
    func,
    insert,
    null,
    select,
    update,
)

from rating import clock, pagecache
from rating.accounts import signed_in
from rating.accounts.models import User
from rating.encounters.models import Encounter
from rating.errors import NotFound
from rating.extensions import db
from rating.notifications.models import Notification

USERS = User.__table__
NOTIFICATIONS = Notification.__table__


def notify(
    user_ids, kind: str, encounter: Encounter | None = None, dedupe: str | None = None, **params
) -> int:
    """Send a notification to each user, in the current transaction; returns how many.

    With `dedupe`, a notification whose key (dedupe + user id) was already sent is skipped,
    so commands that send notifications can run any number of times.
    """
    return _send({"ids": list(user_ids)}, kind, encounter, dedupe, params)


def notify_side(
    encounter: Encounter, side: str, kind: str, dedupe: str | None = None, **params
) -> int:
    """Notify the people who act for one side: the customer (unless their account is
    deleted), or every member of the business."""
    if side == "customer":
        recipients = {"customer_id": encounter.customer_id}
    else:
        recipients = {"business_id": encounter.business_id}
    return _send(recipients, kind, encounter, dedupe, params)


def _send(recipients: dict, kind: str, encounter, dedupe: str | None, params: dict) -> int:
    """One INSERT ... SELECT over the recipients (`ids`, `customer_id` or `business_id`):
    who they are is never read back first."""
    db.session.flush()  # the selection reads the database: pending changes go first
    [chosen_by] = recipients
    values = {
        **recipients,
        "kind": kind,
        "encounter_id": encounter.id if encounter else None,
        "params": {name: str(value) for name, value in params.items()},
        "created_at": clock.now(),
    }
    if dedupe:
        values["dedupe"] = f"{dedupe}:"
    sent = db.session.scalars(_insert_for(chosen_by, bool(dedupe)), values).all()
    # No flush sees these rows: the recipients' unread counts are bumped here.
    pagecache.touch(db.session, [signed_in.user_subject(user_id) for user_id in sent])
    return len(sent)


@functools.cache
def _insert_for(chosen_by: str, deduped: bool):
    """The statement, built once per shape: building it costs more than running it."""
    if chosen_by == "ids":
        chosen = USERS.c.id.in_(bindparam("ids", expanding=True))
    elif chosen_by == "customer_id":
        chosen = and_(USERS.c.id == bindparam("customer_id"), USERS.c.email.is_not(None))
    else:
        chosen = USERS.c.business_id == bindparam("business_id")
    key = bindparam("dedupe", type_=String) + cast(USERS.c.id, String) if deduped else null()
    rows = select(
        USERS.c.id,
        bindparam("kind", type_=String),
        bindparam("encounter_id", type_=Integer),
        bindparam("params", type_=JSON),
        key,
        bindparam("created_at", type_=NOTIFICATIONS.c.created_at.type),
    ).where(chosen)
    if deduped:
        rows = rows.where(~exists().where(NOTIFICATIONS.c.dedupe_key == key))
    columns = ["user_id", "kind", "encounter_id", "params", "dedupe_key", "created_at"]
    return insert(NOTIFICATIONS).from_select(columns, rows).returning(NOTIFICATIONS.c.user_id)


def unread_count(user) -> int:
    known = signed_in.unread_count(user)
    if known is not None:
        return known
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def notifications_for(user, page: int = 1, per_page: int = 30):
    """The user's notifications, newest first: (items, total)."""
    query = select(Notification).where(Notification.user_id == user.id)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return items, total


def mark_read(user, notification_id: int) -> None:
    """Mark one of the user's notifications read. Raises NotFound for anyone else's."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user.id:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = clock.now()
    db.session.commit()


def mark_all_read(user) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    pagecache.touch(db.session, [signed_in.user_subject(user.id)])  # no flush sees updates
    db.session.commit()
