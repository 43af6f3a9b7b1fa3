"""Per-profile aggregates, kept up to date in the same transaction as every change.

A profile is one side seen from the other: a business (rated by customers) or a
customer (rated by businesses). Each row also keeps what the party gives (how it
rates the other side) and its commitment figures (review rate, replies, time to review).
"""

from sqlalchemy import CheckConstraint, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rating.extensions import db

# Buckets of the time an author took to review, in hours: the median is read from them.
TIME_TO_REVIEW_BUCKETS = (1, 6, 24, 48, 72, 168, 336)
SUMMED_DIMENSIONS = (
    "patience",
    "clarity",
    "respect",
    "problem_reporting",
    "attention",
    "proactivity",
    "promises_kept",
    "honesty",
)


class ScoreAggregate(db.Model):
    __tablename__ = "score_aggregates"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", name="uq_score_aggregates_subject"),
        CheckConstraint("subject_type IN ('business', 'customer')", name="subject_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int]

    # Reviews received that count (revealed, confirmed encounter, visible).
    review_count: Mapped[int] = mapped_column(default=0)
    sum_patience: Mapped[int] = mapped_column(default=0)
    sum_clarity: Mapped[int] = mapped_column(default=0)
    sum_respect: Mapped[int] = mapped_column(default=0)
    sum_problem_reporting: Mapped[int] = mapped_column(default=0)
    sum_attention: Mapped[int] = mapped_column(default=0)
    sum_proactivity: Mapped[int] = mapped_column(default=0)
    sum_promises_kept: Mapped[int] = mapped_column(default=0)
    sum_honesty: Mapped[int] = mapped_column(default=0)
    verdict_yes: Mapped[int] = mapped_column(default=0)
    stars_1: Mapped[int] = mapped_column(default=0)
    stars_2: Mapped[int] = mapped_column(default=0)
    stars_3: Mapped[int] = mapped_column(default=0)
    stars_4: Mapped[int] = mapped_column(default=0)
    stars_5: Mapped[int] = mapped_column(default=0)
    replied_count: Mapped[int] = mapped_column(default=0)
    thanks_received: Mapped[int] = mapped_column(default=0)

    # Reviews this party wrote that count: how it rates the other side.
    given_count: Mapped[int] = mapped_column(default=0)
    given_overall_sum: Mapped[float] = mapped_column(default=0.0)
    ttr_1: Mapped[int] = mapped_column(default=0)
    ttr_2: Mapped[int] = mapped_column(default=0)
    ttr_3: Mapped[int] = mapped_column(default=0)
    ttr_4: Mapped[int] = mapped_column(default=0)
    ttr_5: Mapped[int] = mapped_column(default=0)
    ttr_6: Mapped[int] = mapped_column(default=0)
    ttr_7: Mapped[int] = mapped_column(default=0)
    ttr_8: Mapped[int] = mapped_column(default=0)

    # Closed confirmed encounters of this party, and those in which it reviewed.
    closed_count: Mapped[int] = mapped_column(default=0)
    closed_reviewed: Mapped[int] = mapped_column(default=0)


class ScoreMonth(db.Model):
    """Counted reviews received per calendar month: the trend."""

    __tablename__ = "score_months"
    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "month", name="uq_score_months_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int]
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    review_count: Mapped[int] = mapped_column(default=0)
    overall_sum: Mapped[float] = mapped_column(default=0.0)
