"""The second factor (an authenticator app's secret, recovery codes) and security events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.db import Base, utcnow


class SecondFactor(Base):
    """A member's authenticator (TOTP, RFC 6238). Until `enabled_at` it is being set up."""

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    secret: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enabled_at: Mapped[datetime | None]
    # The last 30-second time step accepted: a code is good once (no replay).
    last_step: Mapped[int | None] = mapped_column(sa.BigInteger)


class RecoveryCode(Base):
    """One single-use code for a lost device, stored as a SHA-256 hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]


class SecurityEvent(Base):
    """A sign-in, a failure, a second-factor change, a refusal: who, from where, when."""

    __tablename__ = "security_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(sa.String(40), index=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    email: Mapped[str | None] = mapped_column(sa.String(254))
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(255))
    path: Mapped[str | None] = mapped_column(sa.String(255))
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    user: Mapped[User | None] = relationship()
