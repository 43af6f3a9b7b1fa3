from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, false, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rating import clock
from rating.accounts.models import User
from rating.businesses.models import Business
from rating.database import UTCDateTime
from rating.extensions import db

STATUSES = ("unconfirmed", "confirmed", "contested", "voided")
SIDES = ("business", "customer")


class Encounter(db.Model):
    """One service contact between one business and one customer: the moment of truth."""

    __tablename__ = "encounters"
    __table_args__ = (
        CheckConstraint(
            "status IN ('unconfirmed', 'confirmed', 'contested', 'voided')", name="status"
        ),
        CheckConstraint("recorded_by_side IN ('business', 'customer')", name="recorded_by_side"),
        CheckConstraint("origin IN ('invitation', 'record')", name="origin"),
        CheckConstraint("closes_at > created_at", name="window"),
        Index("ix_encounters_recorder_day", "recorded_by_user_id", "created_at"),
        # Each party's encounters newest first (dashboards), and those whose window
        # closed but are not folded into the scores yet (read with every profile).
        Index("ix_encounters_business_newest", "business_id", "created_at", "id"),
        Index("ix_encounters_customer_newest", "customer_id", "created_at", "id"),
        Index(
            "ix_encounters_business_pending",
            "business_id",
            "status",
            "closure_counted",
            "closes_at",
        ),
        Index(
            "ix_encounters_customer_pending",
            "customer_id",
            "status",
            "closure_counted",
            "closes_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), index=True)
    origin: Mapped[str] = mapped_column(String(12))
    recorded_by_side: Mapped[str] = mapped_column(String(10))
    recorded_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contest_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the second review lands; reveal at the deadline is computed, not stored.
    both_reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set once the "reviews revealed" notifications went out (by submit or by reveal-due).
    reveal_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Set while this closed encounter is folded into both parties' review rates.
    closure_counted: Mapped[bool] = mapped_column(default=False, server_default=false())

    business: Mapped[Business] = relationship()
    customer: Mapped[User] = relationship(foreign_keys=[customer_id])
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_user_id])
    reviews: Mapped[list["Review"]] = relationship(  # noqa: F821 - defined in rating.reviews
        "Review", viewonly=True, order_by="Review.side"
    )

    def other_side(self, side: str) -> str:
        return "customer" if side == "business" else "business"

    def revealed_at(self) -> datetime | None:
        """When both reviews became visible: the second review, or the deadline."""
        now = clock.now()
        if self.both_reviewed_at is not None:
            return self.both_reviewed_at
        return self.closes_at if now >= self.closes_at else None

    @hybrid_method
    def revealed_by(self, now: datetime) -> bool:
        """The one rule of reveal, in Python and in SQL: both reviewed, or the deadline."""
        return self.both_reviewed_at is not None or now >= self.closes_at

    @revealed_by.expression
    def revealed_by(cls, now: datetime):  # noqa: N805 - SQLAlchemy passes the class
        return or_(cls.both_reviewed_at.is_not(None), cls.closes_at <= now)

    def is_revealed(self) -> bool:
        return self.revealed_by(clock.now())

    def window_open(self) -> bool:
        return clock.now() < self.closes_at

    def __repr__(self) -> str:
        return f"<Encounter {self.id} {self.status}>"


class Invitation(db.Model):
    """A single-use code a business hands to a customer; redeeming it confirms an encounter."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"), index=True)
    created_by_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reference: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"), unique=True)

    business: Mapped[Business] = relationship()
    encounter: Mapped[Encounter | None] = relationship()
