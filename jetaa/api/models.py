"""Personal access tokens: a member's key to the API, stored only as a SHA-256 hash."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.db import Base, str_enum, utcnow

PREFIX = "jetaa_"


class Scope(enum.StrEnum):
    READ = "read"  # GET requests only
    WRITE = "write"  # reading and changing (RSVPs, requests, activities)


def new_token() -> str:
    """The secret shown once: a fixed prefix (so leaked tokens are easy to spot) and 256 bits."""
    return PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    scope: Mapped[Scope] = mapped_column(str_enum(Scope, "api_token_scope"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The first characters after the prefix, shown in the list so a member can tell tokens apart.
    hint: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.name!r}>"
