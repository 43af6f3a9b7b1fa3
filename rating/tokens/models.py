from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rating import clock
from rating.accounts.models import User
from rating.database import UTCDateTime
from rating.extensions import db


class ApiToken(db.Model):
    """A bearer token of the API. Only the SHA-256 hash of the secret is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Hex SHA-256 of the token; the token itself is shown once, when it is created.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The account's session version when the token was made: a password change ends it.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    def is_active(self) -> bool:
        return self.revoked_at is None and clock.now() < self.expires_at

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} of user {self.user_id}>"
