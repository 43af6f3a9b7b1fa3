"""Profiles: the figures shown for a business or a customer (PRODUCT.md section 5)."""

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import selectinload

from rating import clock
from rating.encounters.models import Encounter
from rating.extensions import db
from rating.reviews.models import BUSINESS_DIMENSIONS, CUSTOMER_DIMENSIONS, Review
from rating.scores import ledger
from rating.scores.bayes import bayesian, share
from rating.scores.models import TIME_TO_REVIEW_BUCKETS, ScoreAggregate, ScoreMonth

COUNTERS = [
    c.name
    for c in ScoreAggregate.__table__.columns
    if c.name not in ("id", "subject_type", "subject_id")
]


def dimensions_about(subject_type: str) -> tuple[str, ...]:
    """The dimensions a profile is scored on: customers rate businesses, and back."""
    return CUSTOMER_DIMENSIONS if subject_type == "business" else BUSINESS_DIMENSIONS


@dataclass
class Profile:
    subject_type: str
    subject_id: int
    count: int
    scores: dict[str, float] | None  # per dimension; None below the minimum
    overall: float | None
    distribution: dict[int, int]
    trend: list[tuple[str, int, float]]  # (month, reviews, average overall)
    verdict_rate: float | None  # recommend rate (business) / would serve again (customer)
    thanks_received: int
    review_rate: float | None
    reply_rate: float | None
    median_time_to_review_hours: int | None  # upper bound of the median's bucket
    gives_average: float | None
    gives_count: int
    min_reviews: int = 3
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def has_score(self) -> bool:
        return self.scores is not None


def _stored(subjects: list[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    numbers = {subject: dict.fromkeys(COUNTERS, 0) for subject in subjects}
    if subjects:
        rows = db.session.scalars(
            select(ScoreAggregate).where(
                tuple_(ScoreAggregate.subject_type, ScoreAggregate.subject_id).in_(subjects)
            )
        )
        for row in rows:
            numbers[(row.subject_type, row.subject_id)] = {c: getattr(row, c) for c in COUNTERS}
    return numbers


def _apply(numbers: dict, deltas: dict) -> None:
    for name, delta in deltas.items():
        numbers[name] = numbers.get(name, 0) + delta


def _pending_encounters(subjects: list[tuple[str, int]]) -> list[Encounter]:
    """Confirmed encounters whose window closed but that nothing has folded in yet."""
    businesses = [i for kind, i in subjects if kind == "business"]
    customers = [i for kind, i in subjects if kind == "customer"]
    conditions = []
    if businesses:
        conditions.append(Encounter.business_id.in_(businesses))
    if customers:
        conditions.append(Encounter.customer_id.in_(customers))
    if not conditions:
        return []
    return list(
        db.session.scalars(
            select(Encounter)
            .where(
                Encounter.status == "confirmed",
                Encounter.closure_counted.is_(False),
                Encounter.closes_at <= clock.now(),
                or_(*conditions),
            )
            .options(selectinload(Encounter.reviews).selectinload(Review.reply))
        )
    )


def load_numbers(subjects: list[tuple[str, int]]) -> tuple[dict, dict]:
    """Stored aggregates plus what the deadline revealed since: (numbers, pending months)."""
    numbers = _stored(subjects)
    months: dict[tuple[str, int], dict[str, list]] = {s: {} for s in subjects}
    for encounter in _pending_encounters(subjects):
        sides = {r.side for r in encounter.reviews}
        for side, subject in (
            ("business", ("business", encounter.business_id)),
            ("customer", ("customer", encounter.customer_id)),
        ):
            if subject in numbers:
                _apply(numbers[subject], ledger.closure_counters(sides, side, 1))
        for review in encounter.reviews:
            if not ledger.review_counts(review, encounter):
                continue
            about = ledger.subject_of(review, encounter)
            author = ledger.author_of(review, encounter)
            if about in numbers:
                _apply(numbers[about], ledger.received_deltas(review, 1))
                month = months[about].setdefault(review.submitted_at.strftime("%Y-%m"), [0, 0.0])
                month[0] += 1
                month[1] += review.overall()
            if author in numbers:
                _apply(numbers[author], ledger.given_deltas(review, encounter, 1))
    return numbers, months


def _median_bucket(numbers: dict) -> int | None:
    counts = [numbers[f"ttr_{i}"] for i in range(1, len(TIME_TO_REVIEW_BUCKETS) + 2)]
    total = sum(counts)
    if not total:
        return None
    running = 0
    limits = [*TIME_TO_REVIEW_BUCKETS, TIME_TO_REVIEW_BUCKETS[-1] * 2]
    for count, limit in zip(counts, limits, strict=True):
        running += count
        if running * 2 >= total:
            return limit
    return limits[-1]


def _trend(subject: tuple[str, int], pending: dict[str, list], months: int = 12):
    rows = db.session.scalars(
        select(ScoreMonth)
        .where(ScoreMonth.subject_type == subject[0], ScoreMonth.subject_id == subject[1])
        .order_by(ScoreMonth.month.desc())
        .limit(months)
    )
    merged = {row.month: [row.review_count, row.overall_sum] for row in rows}
    for month, (count, total) in pending.items():
        merged.setdefault(month, [0, 0.0])
        merged[month][0] += count
        merged[month][1] += total
    return [(m, c, t / c) for m, (c, t) in sorted(merged.items())[-months:] if c > 0]


def build_profile(subject: tuple[str, int], numbers: dict, trend=None) -> Profile:
    cfg = current_app.config
    prior_mean, prior_weight = cfg["SCORE_PRIOR_MEAN"], cfg["SCORE_PRIOR_WEIGHT"]
    minimum = cfg["SCORE_MIN_REVIEWS"]
    count = numbers["review_count"]
    scores = overall = None
    if count >= minimum:
        scores = {
            name: bayesian(numbers[f"sum_{name}"], count, prior_mean, prior_weight)
            for name in dimensions_about(subject[0])
        }
        overall = sum(scores.values()) / len(scores)
    given = numbers["given_count"]
    return Profile(
        subject_type=subject[0],
        subject_id=subject[1],
        count=count,
        scores=scores,
        overall=overall,
        distribution={n: numbers[f"stars_{n}"] for n in range(1, 6)},
        trend=trend or [],
        verdict_rate=share(numbers["verdict_yes"], count),
        thanks_received=numbers["thanks_received"],
        review_rate=share(numbers["closed_reviewed"], numbers["closed_count"]),
        reply_rate=share(numbers["replied_count"], count) if subject[0] == "business" else None,
        median_time_to_review_hours=_median_bucket(numbers),
        gives_average=numbers["given_overall_sum"] / given if given else None,
        gives_count=given,
        min_reviews=minimum,
        raw=numbers,
    )


def profile(subject_type: str, subject_id: int) -> Profile:
    """The full profile of one business (by business id) or customer (by user id)."""
    subject = (subject_type, subject_id)
    numbers, pending_months = load_numbers([subject])
    return build_profile(subject, numbers[subject], _trend(subject, pending_months[subject]))


def profiles(subjects: list[tuple[str, int]]) -> dict[tuple[str, int], Profile]:
    """Profiles of many subjects at once (no trend), in a constant number of queries."""
    numbers, _ = load_numbers(subjects)
    return {subject: build_profile(subject, numbers[subject]) for subject in subjects}
