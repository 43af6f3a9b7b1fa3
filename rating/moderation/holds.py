"""Screening on submit: refuse (with the text kept) or accept and hold for a moderator."""

from rating.errors import Invalid
from rating.extensions import db
from rating.moderation.models import ModerationItem
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
    """Queue a held item for a moderator and tell its author (added to the session)."""
    from sqlalchemy import select

    existing = db.session.scalar(
        select(ModerationItem).where(
            ModerationItem.kind == "held",
            ModerationItem.target_type == target_type,
            ModerationItem.target_id == target_id,
            ModerationItem.status == "open",
        )
    )
    reasons = ", ".join(sorted(set(words)))
    if existing is None:
        db.session.add(
            ModerationItem(
                kind="held", target_type=target_type, target_id=target_id, reasons=reasons
            )
        )
    else:
        existing.reasons = reasons
    notify([author_id], "item_held", item=target_type)
