"""Sending and reading in-app notifications."""

from sqlalchemy import func, select, update

from rating import clock, pagecache
from rating.accounts import signed_in
from rating.accounts.models import User
from rating.encounters.models import Encounter
from rating.errors import NotFound
from rating.extensions import db
from rating.notifications.models import Notification


def members_of_side(encounter: Encounter, side: str) -> list[int]:
    """The ids of the people who act for one side: the customer, or every member of the
    business."""
    if side == "customer":
        return [encounter.customer_id] if encounter.customer.email is not None else []
    return list(
        db.session.scalars(select(User.id).where(User.business_id == encounter.business_id))
    )


def notify(
    user_ids, kind: str, encounter: Encounter | None = None, dedupe: str | None = None, **params
) -> int:
    """Queue a notification for each user (added to the session, not committed).

    With `dedupe`, a notification whose key (dedupe + user id) was already sent is skipped,
    so commands that send notifications can run any number of times.
    """
    sent = 0
    for user_id in user_ids:
        key = f"{dedupe}:{user_id}" if dedupe else None
        if key and db.session.scalar(select(Notification.id).where(Notification.dedupe_key == key)):
            continue
        db.session.add(
            Notification(
                user_id=user_id,
                kind=kind,
                encounter_id=encounter.id if encounter else None,
                params={k: str(v) for k, v in params.items()},
                dedupe_key=key,
            )
        )
        sent += 1
    return sent


def notify_side(
    encounter: Encounter, side: str, kind: str, dedupe: str | None = None, **params
) -> int:
    return notify(members_of_side(encounter, side), kind, encounter, dedupe, **params)


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
