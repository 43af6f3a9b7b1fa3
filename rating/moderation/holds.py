"""Screening on submit: refuse (with the text kept) or accept and hold for a moderator."""

from sqlalchemy import select

from rating import clock
from rating.errors import Invalid
from rating.extensions import db
from rating.moderation.models import ModerationAction, ModerationItem
from rating.moderation.screening import screen
from rating.notifications.services import notify


def screen_fields(fields: dict[str, tuple[str, bool]]) -> list[str]:
    """Screen each field (name → (text, public)); raise Invalid on refusal.

    Returns the abusive words found: a non-empty list means the text must be held.
    """
    problems, held = {}, []
    for name, (value, public) in fields.items():
        verdict = screen(value or "", public=public)
        if verdict.outcome == "refuse":
            problems[name] = verdict.message
        elif verdict.outcome == "hold":
            held.extend(verdict.matches)
    if problems:
        raise Invalid(fields=problems)
    return held


def hold(target_type: str, target_id: int, words: list[str], author_id: int) -> None:
    """Queue a held item for a moderator, write the hold to the audit log (the system's
    action, as a hide by flags is; not a decision, so not one to appeal: a moderator
    decides the item) and tell its author (added to the session)."""
    item = _open_hold(target_type, target_id)
    reasons = ", ".join(sorted(set(words)))
    if item is None:
        item = ModerationItem(
            kind="held", target_type=target_type, target_id=target_id, reasons=reasons
        )
        db.session.add(item)
        db.session.flush()  # the audit entry names the item
    else:
        item.reasons = reasons
    db.session.add(
        ModerationAction(
            action="hold",
            target_type=target_type,
            target_id=target_id,
            item_id=item.id,
            reason=reasons,
        )
    )
    notify([author_id], "item_held", item=target_type)


def release(target_type: str, target_id: int) -> None:
    """Held text edited into text the screening accepts: nothing is left for a moderator
    to decide, so its queue item closes (added to the session)."""
    item = _open_hold(target_type, target_id)
    if item is not None:
        item.status, item.closed_at = "closed", clock.now()


def _open_hold(target_type: str, target_id: int) -> ModerationItem | None:
    return db.session.scalar(
        select(ModerationItem).where(
            ModerationItem.kind == "held",
            ModerationItem.target_type == target_type,
            ModerationItem.target_id == target_id,
            ModerationItem.status == "open",
        )
    )
