"""Reveal notifications and reminders that depend on time passing.

Reveal itself never waits for this: a read after the deadline already sees reviews
revealed (`Encounter.is_revealed`). This only sends the notifications that say so, and
the neutral reminders; every send is deduplicated, so it is safe to run at any interval.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import exists, select

from rating import clock
from rating.encounters.models import Encounter
from rating.encounters.permissions import OPEN_STATUSES, may_write_on
from rating.encounters.services import display_name_of_side
from rating.extensions import db
from rating.notifications.services import notify_side
from rating.reviews.models import Review
from rating.reviews.services import announce_reveal
from rating.scores import ledger

FIRST_REMINDER_AFTER = timedelta(days=3)
LAST_REMINDER_BEFORE_CLOSE = timedelta(days=2)


@dataclass
class RevealReport:
    revealed: int = 0
    reminders: int = 0


def reveal_due(batch_size: int = 500) -> RevealReport:
    """Send due reveal notifications and review reminders; returns what was sent."""
    report = RevealReport()
    ledger.fold_due()
    now = clock.now()
    has_review = exists().where(Review.encounter_id == Encounter.id)
    due = select(Encounter).where(
        Encounter.reveal_notified_at.is_(None),
        Encounter.closes_at <= now,
        Encounter.status.in_(OPEN_STATUSES),
        has_review,
    )
    for encounter in db.session.scalars(due.limit(batch_size)).all():
        announce_reveal(encounter, now)
        report.revealed += 1
    db.session.commit()

    reminder_due = select(Encounter).where(
        Encounter.status.in_(OPEN_STATUSES),
        Encounter.closes_at > now,
        Encounter.created_at <= now - FIRST_REMINDER_AFTER,
    )
    for encounter in db.session.scalars(reminder_due).all():
        report.reminders += _remind(encounter, now)
    db.session.commit()
    return report


def _remind(encounter: Encounter, now) -> int:
    reviewed = set(
        db.session.scalars(select(Review.side).where(Review.encounter_id == encounter.id))
    )
    which = "closing" if now >= encounter.closes_at - LAST_REMINDER_BEFORE_CLOSE else "day3"
    sent = 0
    for side in ("business", "customer"):
        if side in reviewed or not may_write_on(side, encounter):
            continue
        sent += notify_side(
            encounter,
            side,
            f"reminder_{which}",
            dedupe=f"reminder-{which}:{encounter.id}",
            who=display_name_of_side(encounter, encounter.other_side(side)),
            closes=encounter.closes_at.date().isoformat(),
        )
    return sent
