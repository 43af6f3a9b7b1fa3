"""Flags: anyone who can see an item may flag it once; enough distinct people hide it."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from rating.errors import Conflict, Invalid, NotFound
from rating.extensions import db
from rating.moderation.models import FLAG_REASONS, Flag, ModerationAction, ModerationItem
from rating.moderation.sanctions import ensure_can_post
from rating.moderation.targets import load_target
from rating.notifications.services import notify

NOTE_MAX = 1000


@dataclass
class FlagInput:
    target_type: str
    target_id: int
    reason: str
    note: str = ""


def counting_flaggers(target_type: str, target_id: int) -> int:
    """Distinct flaggers that count toward hiding: the subject only for personal data."""
    return db.session.scalar(
        select(func.count(func.distinct(Flag.user_id))).where(
            Flag.target_type == target_type,
            Flag.target_id == target_id,
            Flag.resolved_at.is_(None),
            (Flag.by_subject.is_(False)) | (Flag.reason == "personal_data"),
        )
    )


def flag_item(user, data: FlagInput) -> Flag:
    """Flag an item the user can see. Raises NotFound, NotAllowed, Conflict, Invalid."""
    target = load_target(data.target_type, data.target_id)
    if not target.visible_to(user):
        raise NotFound()
    ensure_can_post(user)
    problems = {}
    if data.reason not in FLAG_REASONS:
        problems["reason"] = _l("Choose a reason from the list.")
    note = (data.note or "").strip() if isinstance(data.note, str) else ""
    if len(note) > NOTE_MAX:
        problems["note"] = _l("Use at most %(n)d characters.", n=NOTE_MAX)
    if problems:
        raise Invalid(fields=problems)
    # One flag at a time per item (row lock until commit): each sees the others' flags, so
    # the queue gets one item and the threshold hides the item once.
    db.session.refresh(target.obj, with_for_update=True)
    by_subject = user.id in target.subject_ids()
    flag = Flag(
        target_type=target.kind,
        target_id=target.id,
        user_id=user.id,
        reason=data.reason,
        note=note,
        by_subject=by_subject,
    )
    db.session.add(flag)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict(_l("You have already flagged this.")) from error
    item = _queue_item(target, by_subject, data.reason)
    threshold = current_app.config["FLAG_HIDE_THRESHOLD"]
    if target.visibility == "visible" and counting_flaggers(target.kind, target.id) >= threshold:
        target.set_visibility("hidden")
        db.session.add(
            ModerationAction(
                action="auto_hide",
                target_type=target.kind,
                target_id=target.id,
                item_id=item.id,
                reason="flag threshold reached",
            )
        )
        notify(
            target.author_ids(),
            "item_hidden",
            item=target.kind,
            reason="flagged",  # worded in the reader's language: notifications.messages
        )
    db.session.commit()
    return flag


def _queue_item(target, by_subject: bool, reason: str) -> ModerationItem:
    item = db.session.scalar(
        select(ModerationItem).where(
            ModerationItem.kind == "flagged",
            ModerationItem.target_type == target.kind,
            ModerationItem.target_id == target.id,
            ModerationItem.status == "open",
        )
    )
    if item is None:
        item = ModerationItem(
            kind="flagged", target_type=target.kind, target_id=target.id, reasons=""
        )
        db.session.add(item)
    reasons = set(filter(None, item.reasons.split(", "))) | {reason}
    item.reasons = ", ".join(sorted(reasons))
    if by_subject:
        item.priority = 1
    db.session.flush()
    return item


def flags_of(target_type: str, target_id: int) -> list[Flag]:
    return list(
        db.session.scalars(
            select(Flag)
            .where(Flag.target_type == target_type, Flag.target_id == target_id)
            .order_by(Flag.id)
        )
    )


def resolve_flags(target_type: str, target_id: int, now) -> None:
    for flag in flags_of(target_type, target_id):
        if flag.resolved_at is None:
            flag.resolved_at = now
