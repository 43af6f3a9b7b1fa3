"""Folding reviews, closures and thanks into the aggregates, one delta at a time.

Every change that can make a review count or stop counting (reveal, hide, restore,
void, confirm) calls `refresh_encounter` in its own transaction. Whether a review
counts is decided in one place, `review_counts`; the aggregates store only what has
been folded, and reads add what the deadline revealed since (see `pending`).
"""

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from rating import clock
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.models import Review
from rating.scores.models import TIME_TO_REVIEW_BUCKETS, ScoreAggregate, ScoreMonth
from rating.thanks.models import Thanks


def subject_of(review: Review, encounter: Encounter) -> tuple[str, int]:
    """Whom a review is about: the business, or the customer."""
    if review.side == "customer":
        return "business", encounter.business_id
    return "customer", encounter.customer_id


def author_of(review: Review, encounter: Encounter) -> tuple[str, int]:
    if review.side == "customer":
        return "customer", encounter.customer_id
    return "business", encounter.business_id


def review_counts(review: Review, encounter: Encounter) -> bool:
    """Counted, visible reviews: revealed, on a confirmed encounter, not held or hidden."""
    return (
        encounter.status == "confirmed"
        and review.visibility == "visible"
        and encounter.is_revealed()
    )


def closure_counts(encounter: Encounter) -> bool:
    """A confirmed encounter is closed once both reviewed or the window is over."""
    return encounter.status == "confirmed" and encounter.is_revealed()


def _insert(table):
    dialect = db.session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(table)


def _ensure_aggregate(subject_type: str, subject_id: int) -> None:
    db.session.execute(
        _insert(ScoreAggregate.__table__)
        .values(subject_type=subject_type, subject_id=subject_id)
        .on_conflict_do_nothing(index_elements=["subject_type", "subject_id"])
    )


def _add(subject: tuple[str, int], **deltas) -> None:
    """Add to an aggregate's counters in SQL (col = col + delta): no lost updates."""
    _ensure_aggregate(*subject)
    table = ScoreAggregate.__table__
    db.session.execute(
        update(table)
        .where(table.c.subject_type == subject[0], table.c.subject_id == subject[1])
        .values({name: table.c[name] + delta for name, delta in deltas.items()})
    )


def ttr_bucket(review: Review, encounter: Encounter) -> str:
    hours = (review.submitted_at - encounter.created_at).total_seconds() / 3600
    for index, limit in enumerate(TIME_TO_REVIEW_BUCKETS, start=1):
        if hours < limit:
            return f"ttr_{index}"
    return f"ttr_{len(TIME_TO_REVIEW_BUCKETS) + 1}"


def received_deltas(review: Review, sign: int) -> dict[str, float]:
    """What one review adds to (sign=+1) or takes from (-1) the profile it is about."""
    verdict = review.recommend if review.side == "customer" else review.would_serve_again
    deltas = {
        "review_count": sign,
        "verdict_yes": sign if verdict else 0,
        f"stars_{review.overall_stars()}": sign,
    }
    deltas |= {f"sum_{name}": sign * value for name, value in review.scores().items()}
    if review.reply is not None and review.reply.visibility == "visible":
        deltas["replied_count"] = sign
    return deltas


def given_deltas(review: Review, encounter: Encounter, sign: int) -> dict[str, float]:
    """What one review adds to its author's figures (how it rates, how fast)."""
    return {
        "given_count": sign,
        "given_overall_sum": sign * review.overall(),
        ttr_bucket(review, encounter): sign,
    }


def closure_counters(sides_reviewed: set[str], side: str, sign: int) -> dict[str, int]:
    return {"closed_count": sign, "closed_reviewed": sign if side in sides_reviewed else 0}


def review_deltas(review: Review, encounter: Encounter, sign: int) -> None:
    """Fold one review into (sign=+1) or out of (sign=-1) its subject and author."""
    subject = subject_of(review, encounter)
    _add(subject, **received_deltas(review, sign))
    _add(author_of(review, encounter), **given_deltas(review, encounter, sign))
    _add_month(subject, review, sign)


def _add_month(subject: tuple[str, int], review: Review, sign: int) -> None:
    month = review.submitted_at.strftime("%Y-%m")
    db.session.execute(
        _insert(ScoreMonth.__table__)
        .values(subject_type=subject[0], subject_id=subject[1], month=month)
        .on_conflict_do_nothing(index_elements=["subject_type", "subject_id", "month"])
    )
    table = ScoreMonth.__table__
    db.session.execute(
        update(table)
        .where(
            table.c.subject_type == subject[0],
            table.c.subject_id == subject[1],
            table.c.month == month,
        )
        .values(
            review_count=table.c.review_count + sign,
            overall_sum=table.c.overall_sum + sign * review.overall(),
        )
    )


def closure_deltas(encounter: Encounter, sides_reviewed: set[str], sign: int) -> None:
    _add(("business", encounter.business_id), **closure_counters(sides_reviewed, "business", sign))
    _add(("customer", encounter.customer_id), **closure_counters(sides_reviewed, "customer", sign))


def _lock_parties(encounter: Encounter) -> None:
    """Lock both parties' aggregates in one order (business, then customer) before any
    change: two encounters of the same two parties revealed at once would otherwise each
    hold the row the other needs (a deadlock)."""
    for subject in (("business", encounter.business_id), ("customer", encounter.customer_id)):
        _ensure_aggregate(*subject)
        db.session.execute(
            select(ScoreAggregate.id)
            .where(ScoreAggregate.subject_type == subject[0])
            .where(ScoreAggregate.subject_id == subject[1])
            .with_for_update()
        )


def refresh_encounter(encounter: Encounter) -> None:
    """Bring the aggregates in line with this encounter's current state (no commit)."""
    reviews = list(db.session.scalars(select(Review).where(Review.encounter_id == encounter.id)))
    changed = [r for r in reviews if review_counts(r, encounter) != r.counted]
    should_close = closure_counts(encounter)
    if not changed and should_close == encounter.closure_counted:
        db.session.flush()
        return
    _lock_parties(encounter)
    for review in changed:
        should = not review.counted
        review_deltas(review, encounter, +1 if should else -1)
        review.counted = should
    if should_close != encounter.closure_counted:
        closure_deltas(encounter, {r.side for r in reviews}, +1 if should_close else -1)
        encounter.closure_counted = should_close
    db.session.flush()


def refresh_reply(review: Review, was_counted_reply: bool) -> None:
    """A reply appeared, was hidden or restored under a counted review."""
    if not review.counted:
        return
    now_counted = review.reply is not None and review.reply.visibility == "visible"
    if now_counted != was_counted_reply:
        _add(subject_of(review, review.encounter), replied_count=1 if now_counted else -1)


def thanks_counts(thanks: Thanks) -> bool:
    return thanks.visibility == "visible" and thanks.encounter.status in (
        "confirmed",
        "unconfirmed",
    )


def refresh_thanks(thanks: Thanks) -> None:
    should = thanks_counts(thanks)
    if should != thanks.counted:
        encounter = thanks.encounter
        recipient = (
            ("business", encounter.business_id)
            if thanks.side == "customer"
            else ("customer", encounter.customer_id)
        )
        _add(recipient, thanks_received=1 if should else -1)
        thanks.counted = should
        db.session.flush()


def refresh_encounter_and_thanks(encounter: Encounter) -> None:
    refresh_encounter(encounter)
    for thanks in db.session.scalars(select(Thanks).where(Thanks.encounter_id == encounter.id)):
        refresh_thanks(thanks)


def fold_due(limit: int = 1000) -> int:
    """Fold encounters whose window has closed since (for reveal-due); returns how many."""
    now = clock.now()
    due = db.session.scalars(
        select(Encounter)
        .where(
            Encounter.status == "confirmed",
            Encounter.closure_counted.is_(False),
            Encounter.closes_at <= now,
        )
        .limit(limit)
    ).all()
    for encounter in due:
        refresh_encounter(encounter)
    return len(due)
