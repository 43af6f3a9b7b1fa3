"""Flags, the moderation queue, the append-only audit log, strikes and appeals."""

from datetime import datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from rating import clock
from rating.database import UTCDateTime
from rating.extensions import db

TARGET_TYPES = ("review", "reply", "thanks", "business")
FLAG_REASONS = ("abusive", "personal_data", "fake", "spam", "other")
ITEM_KINDS = ("held", "flagged", "contested", "appeal")
ACTIONS = ("approve", "hide", "warn", "suspend", "ban", "reinstate", "void", "confirm")


class Flag(db.Model):
    __tablename__ = "flags"
    __table_args__ = (
        # Its leading columns also find an item's flags.
        UniqueConstraint("target_type", "target_id", "user_id", name="uq_flags_one_per_user"),
        CheckConstraint(
            "target_type IN ('review', 'reply', 'thanks', 'business')", name="target_type"
        ),
        CheckConstraint(
            "reason IN ('abusive', 'personal_data', 'fake', 'spam', 'other')", name="reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    by_subject: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModerationItem(db.Model):
    """An entry of the queue: held text, flagged item, contested encounter or appeal."""

    __tablename__ = "moderation_items"
    __table_args__ = (
        CheckConstraint("kind IN ('held', 'flagged', 'contested', 'appeal')", name="kind"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        Index(
            "uq_moderation_items_open",
            "kind",
            "target_type",
            "target_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index("ix_moderation_items_queue", "status", "priority", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    target_type: Mapped[str] = mapped_column(String(10))  # review, reply, thanks, business,
    target_id: Mapped[int]  # encounter (contested) or action (appeal)
    status: Mapped[str] = mapped_column(String(6), default="open")
    priority: Mapped[int] = mapped_column(default=0)  # 1: flagged by its own subject
    reasons: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ModerationAction(db.Model):
    """The audit log: one row per action, never updated or deleted."""

    __tablename__ = "moderation_actions"
    __table_args__ = (
        CheckConstraint(
            "action IN ('approve', 'hide', 'warn', 'suspend', 'ban', 'reinstate', 'void',"
            " 'confirm', 'auto_hide', 'hold')",
            name="action",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    action: Mapped[str] = mapped_column(String(12), index=True)
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    affected_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("moderation_items.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    days: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, index=True)


# PostgreSQL itself refuses to change the audit log (the migration installs the same).
AUDIT_TRIGGER_FUNCTION = DDL(
    "CREATE OR REPLACE FUNCTION moderation_actions_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the moderation audit log is append-only'; END $$ "
    "LANGUAGE plpgsql"
)
AUDIT_TRIGGER = DDL(
    "CREATE TRIGGER moderation_actions_append_only BEFORE UPDATE OR DELETE "
    "ON moderation_actions FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only()"
)
event.listen(
    ModerationAction.__table__,
    "after_create",
    AUDIT_TRIGGER_FUNCTION.execute_if(dialect="postgresql"),
)
event.listen(
    ModerationAction.__table__, "after_create", AUDIT_TRIGGER.execute_if(dialect="postgresql")
)


class Strike(db.Model):
    """A sanction on an account, with its reason and the item behind it."""

    __tablename__ = "strikes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("moderation_actions.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # warn, suspend, ban
    reason: Mapped[str] = mapped_column(Text)
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Appeal(db.Model):
    """The author's one appeal against one action, within six months."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("moderation_actions.id"), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(10))  # granted, rejected
