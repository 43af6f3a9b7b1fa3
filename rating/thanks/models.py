from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rating import clock
from rating.database import UTCDateTime
from rating.encounters.models import Encounter
from rating.extensions import db


class Thanks(db.Model):
    """A short thank-you from one side to the other; not sealed, visible at once."""

    __tablename__ = "thanks"
    __table_args__ = (
        UniqueConstraint("encounter_id", "side", name="uq_thanks_one_per_side"),
        CheckConstraint("side IN ('business', 'customer')", name="side"),
        CheckConstraint("visibility IN ('visible', 'held', 'hidden')", name="visibility"),
        Index("ix_thanks_business_newest", "business_id", "side", "created_at", "id"),
        # The newest thanks from customers (the home page), read without sorting them all.
        Index("ix_thanks_side_newest", "side", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Found by encounter through uq_thanks_one_per_side, which leads with it: no index of its own.
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id"))
    # The encounter's two parties, copied here (they never change) for the index above.
    business_id: Mapped[int] = mapped_column(ForeignKey("businesses.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    side: Mapped[str] = mapped_column(String(10))
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    message: Mapped[str] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(8), default="visible")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Set while folded into the recipient's thanks count.
    counted: Mapped[bool] = mapped_column(default=False, server_default=false())

    encounter: Mapped[Encounter] = relationship()
