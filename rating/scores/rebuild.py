"""Rebuild every aggregate from the rows (after bulk loads, or to repair)."""

from collections import defaultdict
from types import SimpleNamespace

from sqlalchemy import and_, case, delete, exists, false, insert, select, true, update

from rating import clock
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.models import ALL_DIMENSIONS, Reply, Review, ScoredReview
from rating.scores import ledger
from rating.scores.models import ScoreAggregate, ScoreMonth
from rating.scores.services import COUNTERS
from rating.thanks.models import Thanks


class ReviewFacts(ScoredReview, SimpleNamespace):
    """The columns of a review the ledger needs, without loading ORM objects."""


def _set_flag(model, column, should) -> None:
    """Set a flag to `should` (an SQL condition), writing only the rows where it differs:
    after a bulk load that already marked them, this rewrites almost nothing."""
    should = case((should, true()), else_=false())
    db.session.execute(
        update(model).where(column.is_distinct_from(should)).values({column: should})
    )


def _mark_flags(now) -> None:
    confirmed_revealed = and_(Encounter.status == "confirmed", Encounter.revealed_by(now))
    _set_flag(
        Review,
        Review.counted,
        and_(
            Review.visibility == "visible",
            exists().where(Encounter.id == Review.encounter_id, confirmed_revealed),
        ),
    )
    _set_flag(Encounter, Encounter.closure_counted, confirmed_revealed)
    _set_flag(
        Thanks,
        Thanks.counted,
        and_(
            Thanks.visibility == "visible",
            exists().where(
                Encounter.id == Thanks.encounter_id,
                Encounter.status.in_(("confirmed", "unconfirmed")),
            ),
        ),
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
            side=side,
            recommend=recommend,
            would_serve_again=again,
            submitted_at=submitted,
            reply=SimpleNamespace(visibility=reply_vis) if reply_vis else None,
            **dict(zip(ALL_DIMENSIONS, row[8:], strict=True)),
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
