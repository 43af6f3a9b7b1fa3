from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from rating import clock
from rating.database import UTCDateTime
from rating.extensions import db


class Notification(db.Model):
    """An in-app message to one user. Text is rendered from `kind` and `params` when shown."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Found by user through ix_notifications_user_unread, which leads with it.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounters.id"))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Makes sending idempotent: the same key is never sent twice (reminders, reveals).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
