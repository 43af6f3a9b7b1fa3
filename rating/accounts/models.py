from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rating import clock
from rating.businesses.models import Business
from rating.database import UTCDateTime
from rating.extensions import db

KINDS = ("customer", "business", "admin")
BUSINESS_ROLES = ("owner", "staff")


class User(UserMixin, db.Model):
    """An account: a customer, a person acting for a business, or an admin."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("kind IN ('customer', 'business', 'admin')", name="kind"),
        CheckConstraint(
            "(kind = 'business' AND business_id IS NOT NULL"
            " AND business_role IN ('owner', 'staff'))"
            " OR (kind <> 'business' AND business_id IS NULL AND business_role IS NULL)",
            name="business_link",
        ),
        # A business has exactly one owner account.
        Index(
            "uq_users_business_owner",
            "business_id",
            unique=True,
            sqlite_where=text("business_role = 'owner'"),
            postgresql_where=text("business_role = 'owner'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Stored lower-cased, so uniqueness is case-insensitive on every database.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    handle: Mapped[str | None] = mapped_column(String(30), unique=True)
    language: Mapped[str | None] = mapped_column(String(8))
    business_id: Mapped[int | None] = mapped_column(ForeignKey("businesses.id"), index=True)
    business_role: Mapped[str | None] = mapped_column(String(8))
    # Bumped on password change so that other signed-in sessions end.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    # Sanctions (moderation): a suspended or banned account can sign in and read only.
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    banned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A customer may make their etiquette page public (a "good customer" card).
    profile_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Set when the owner of the address follows the link mailed to it.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Failed sign-ins since failed_sign_ins_since; too many lock sign-in until locked_until.
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    failed_sign_ins_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    business: Mapped[Business | None] = relationship(lazy="joined")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_customer(self) -> bool:
        return self.kind == "customer"

    @property
    def is_business(self) -> bool:
        return self.kind == "business"

    @property
    def is_admin(self) -> bool:
        return self.kind == "admin"

    @property
    def is_owner(self) -> bool:
        return self.kind == "business" and self.business_role == "owner"

    def __repr__(self) -> str:
        return f"<User {self.kind} {self.handle}>"
