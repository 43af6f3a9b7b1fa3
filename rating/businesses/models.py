from datetime import datetime

from sqlalchemy import String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from rating import clock
from rating.database import UTCDateTime
from rating.extensions import db


class Business(db.Model):
    __tablename__ = "businesses"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    category: Mapped[str] = mapped_column(String(40), index=True)
    city: Mapped[str] = mapped_column(String(80), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # Screening held the description for a moderator: stored, not shown.
    description_held: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    def __repr__(self) -> str:
        return f"<Business {self.handle}>"
