"""The outbox: every message is stored with the change that caused it."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jetaa.db import Base, str_enum, utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
                      # "Does this address bounce?" (notifications/rules.py)
                      sa.Index("ix_outbox_messages_to_status", "to_address", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    template: Mapped[str] = mapped_column(sa.String(80))
    calendar_ics: Mapped[str | None] = mapped_column(sa.Text)  # sent as invite.ics
    # The unsubscribe address of a bulk message: List-Unsubscribe (RFC 8058) headers.
    list_unsubscribe: Mapped[str | None] = mapped_column(sa.String(500))
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status", length=12),
        default=OutboxStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # Set by the first failure: transient failures are retried until then.
    retry_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
