"""Rebuild every aggregate from the rows (after bulk loads, or to repair)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import and_, delete, exists, insert, or_, select, update

from rating import clock
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.models import ALL_DIMENSIONS, Reply, Review, dimensions_of
from rating.scores import ledger
from rating.scores.models import ScoreAggregate, ScoreMonth
from rating.scores.services import COUNTERS
from rating.thanks.models import Thanks


@dataclass
class ReviewFacts:
    """The columns of a review the ledger needs, without loading ORM objects."""

    side: str
    values: dict
    recommend: bool | None
    would_serve_again: bool | None
    submitted_at: datetime
    reply: SimpleNamespace | None

    def scores(self) -> dict[str, int]:
        return {name: self.values[name] for name in dimensions_of(self.side)}

    def overall(self) -> float:
        scores = list(self.scores().values())
        return sum(scores) / len(scores)

    def overall_stars(self) -> int:
        return min(5, max(1, int(self.overall() + 0.5)))


def _revealed(now):
    return or_(Encounter.both_reviewed_at.is_not(None), Encounter.closes_at <= now)


def _mark_flags(now) -> None:
    confirmed_revealed = and_(Encounter.status == "confirmed", _revealed(now))
    db.session.execute(update(Review).values(counted=False))
    db.session.execute(update(Encounter).values(closure_counted=False))
    db.session.execute(update(Thanks).values(counted=False))
    db.session.execute(
        update(Review)
        .where(
            Review.visibility == "visible",
            exists().where(Encounter.id == Review.encounter_id, confirmed_revealed),
        )
        .values(counted=True)
    )
    db.session.execute(update(Encounter).where(confirmed_revealed).values(closure_counted=True))
    db.session.execute(
        update(Thanks)
        .where(
            Thanks.visibility == "visible",
            exists().where(
                Encounter.id == Thanks.encounter_id,
                Encounter.status.in_(("confirmed", "unconfirmed")),
            ),
        )
        .values(counted=True)
    )


def rebuild_all_aggregates(batch_size: int = 20000) -> int:
    """Recompute every aggregate and counted flag; returns the number of profiles."""
    now = clock.now()
    db.session.execute(delete(ScoreAggregate))
    db.session.execute(delete(ScoreMonth))
    _mark_flags(now)
    totals: dict[tuple[str, int], dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    months: dict[tuple[str, int, str], list] = defaultdict(lambda: [0, 0.0])

    columns = [
        Review.side,
        Review.recommend,
        Review.would_serve_again,
        Review.submitted_at,
        Encounter.business_id,
        Encounter.customer_id,
        Encounter.created_at,
        Reply.visibility,
        *[getattr(Review, n) for n in ALL_DIMENSIONS],
    ]
    rows = db.session.execute(
        select(*columns)
        .join(Encounter, Review.encounter_id == Encounter.id)
        .outerjoin(Reply, Reply.review_id == Review.id)
        .where(Review.counted.is_(True))
        .execution_options(yield_per=batch_size)
    )
    for row in rows:
        side, recommend, again, submitted, business_id, customer_id, created, reply_vis = row[:8]
        facts = ReviewFacts(
            side,
            dict(zip(ALL_DIMENSIONS, row[8:], strict=True)),
            recommend,
            again,
            submitted,
            SimpleNamespace(visibility=reply_vis) if reply_vis else None,
        )
        encounter = SimpleNamespace(
            business_id=business_id, customer_id=customer_id, created_at=created
        )
        about = ledger.subject_of(facts, encounter)
        _merge(totals[about], ledger.received_deltas(facts, 1))
        _merge(totals[ledger.author_of(facts, encounter)], ledger.given_deltas(facts, encounter, 1))
        month = months[(*about, submitted.strftime("%Y-%m"))]
        month[0] += 1
        month[1] += facts.overall()

    closed = db.session.execute(
        select(
            Encounter.business_id,
            Encounter.customer_id,
            exists().where(Review.encounter_id == Encounter.id, Review.side == "business"),
            exists().where(Review.encounter_id == Encounter.id, Review.side == "customer"),
        )
        .where(Encounter.closure_counted.is_(True))
        .execution_options(yield_per=batch_size)
    )
    for business_id, customer_id, business_reviewed, customer_reviewed in closed:
        sides = {
            s
            for s, done in (("business", business_reviewed), ("customer", customer_reviewed))
            if done
        }
        _merge(totals[("business", business_id)], ledger.closure_counters(sides, "business", 1))
        _merge(totals[("customer", customer_id)], ledger.closure_counters(sides, "customer", 1))

    thanks = db.session.execute(
        select(Thanks.side, Encounter.business_id, Encounter.customer_id)
        .join(Encounter, Thanks.encounter_id == Encounter.id)
        .where(Thanks.counted.is_(True))
    )
    for side, business_id, customer_id in thanks:
        recipient = ("business", business_id) if side == "customer" else ("customer", customer_id)
        totals[recipient]["thanks_received"] += 1

    _insert_batches(
        ScoreAggregate,
        [
            {"subject_type": kind, "subject_id": subject_id, **numbers}
            for (kind, subject_id), numbers in totals.items()
        ],
        batch_size,
    )
    _insert_batches(
        ScoreMonth,
        [
            {
                "subject_type": kind,
                "subject_id": subject_id,
                "month": month,
                "review_count": count,
                "overall_sum": total,
            }
            for (kind, subject_id, month), (count, total) in months.items()
        ],
        batch_size,
    )
    db.session.commit()
    return len(totals)


def _merge(numbers: dict, deltas: dict) -> None:
    for name, delta in deltas.items():
        numbers[name] += delta


def _insert_batches(model, rows: list[dict], batch_size: int) -> None:
    for start in range(0, len(rows), batch_size):
        db.session.execute(insert(model), rows[start : start + batch_size])
