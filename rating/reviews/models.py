from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rating import clock
from rating.database import UTCDateTime
from rating.encounters.models import Encounter
from rating.extensions import db

# The dimensions each side rates (PRODUCT.md section 3): field names of forms and API alike.
BUSINESS_DIMENSIONS = ("patience", "clarity", "respect", "problem_reporting")
CUSTOMER_DIMENSIONS = ("attention", "proactivity", "promises_kept", "respect", "honesty")
ALL_DIMENSIONS = tuple(dict.fromkeys(BUSINESS_DIMENSIONS + CUSTOMER_DIMENSIONS))
VISIBILITIES = ("visible", "held", "hidden")


def dimensions_of(side: str) -> tuple[str, ...]:
    """The dimensions a review written by `side` rates."""
    return BUSINESS_DIMENSIONS if side == "business" else CUSTOMER_DIMENSIONS


def _range_checks():
    return [
        CheckConstraint(f"{name} IS NULL OR ({name} BETWEEN 1 AND 5)", name=f"{name}_range")
        for name in ALL_DIMENSIONS
    ]


def _all_set(names) -> str:
    return " AND ".join(f"{n} IS NOT NULL" for n in names)


def _all_null(names) -> str:
    return " AND ".join(f"{n} IS NULL" for n in names)


_BUSINESS_ONLY = ("patience", "clarity", "problem_reporting", "would_serve_again")
_CUSTOMER_ONLY = ("attention", "proactivity", "promises_kept", "honesty", "recommend")


class ScoredReview:
    """What one side's scores add up to: for the model, and for rows read in bulk."""

    side: str

    def scores(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in dimensions_of(self.side)}

    def overall(self) -> float:
        values = list(self.scores().values())
        return sum(values) / len(values)

    def overall_stars(self) -> int:
        """The review's overall star level, 1–5 (half up)."""
        return min(5, max(1, int(self.overall() + 0.5)))


class Review(ScoredReview, db.Model):
    """One side's review of the other for one encounter; sealed until revealed."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("encounter_id", "side", name="uq_reviews_one_per_side"),
        CheckConstraint("side IN ('business', 'customer')", name="side"),
        CheckConstraint("visibility IN ('visible', 'held', 'hidden')", name="visibility"),
        CheckConstraint(
            f"(side = 'business' AND {_all_set(_BUSINESS_ONLY)} AND respect IS NOT NULL"
            f" AND {_all_null(_CUSTOMER_ONLY)})"
            f" OR (side = 'customer' AND {_all_set(_CUSTOMER_ONLY)} AND respect IS NOT NULL"
            f" AND {_all_null(_BUSINESS_ONLY)})",
            name="dimensions_of_side",
        ),
        *_range_checks(),
        # A profile's reviews, newest first, read from one index however many there are.
        Index("ix_reviews_business_newest", "business_id", "side", "submitted_at", "id"),
        Index("ix_reviews_customer_newest", "customer_id", "side", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Found by encounter through uq_reviews_one_per_side, which leads with it: no index of its own.
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id"))
    # The encounter's two parties, copied here (they never change) for the index above.
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(10))
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    patience: Mapped[int | None]
    clarity: Mapped[int | None]
    respect: Mapped[int | None]
    problem_reporting: Mapped[int | None]
    would_serve_again: Mapped[bool | None] = mapped_column(Boolean)
    attention: Mapped[int | None]
    proactivity: Mapped[int | None]
    promises_kept: Mapped[int | None]
    honesty: Mapped[int | None]
    recommend: Mapped[bool | None] = mapped_column(Boolean)

    comment: Mapped[str] = mapped_column(Text, default="")
    private_note: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[str] = mapped_column(String(8), default="visible")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Set while the review is folded into the score aggregates (see rating.scores.ledger).
    counted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    encounter: Mapped[Encounter] = relationship()
    reply: Mapped["Reply | None"] = relationship(back_populates="review", uselist=False)


class Reply(db.Model):
    """The reviewed side's one public answer under a revealed review."""

    __tablename__ = "replies"
    __table_args__ = (
        CheckConstraint("visibility IN ('visible', 'held', 'hidden')", name="visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id"), unique=True)
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(8), default="visible")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    review: Mapped[Review] = relationship(back_populates="reply")
