"""Announcements and who each was delivered to."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core.actions import Refused
from jetaa.db import Base, str_enum, utcnow


class AnnouncementError(Refused):
    """An announcement change or send refused, with the reason (translated)."""


class Scope(enum.StrEnum):
    BRANCH = "branch"  # every approved member of the branch
    SEGMENT = "segment"  # the branch's approved members matching `segment`
    FEDERATION = "federation"  # every approved member of any branch (admins only)


class AnnouncementStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"


class Announcement(Base):
    __tablename__ = "announcements"
    __table_args__ = (sa.Index("ix_announcements_status_send_at", "status", "send_at"),
                      sa.Index("ix_announcements_branch_created", "branch_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    # None: a federation announcement.
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id",
                                                                ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    image_name: Mapped[str | None] = mapped_column(sa.String(64))
    scope: Mapped[Scope] = mapped_column(str_enum(Scope, "announcement_scope"),
                                         default=Scope.BRANCH)
    # For Scope.SEGMENT: {"topic", "jet_role", "year_from", "year_to", "city", "event_id",
    # "rsvp"} (each optional), see announcements/audience.py.
    segment: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    is_public: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    status: Mapped[AnnouncementStatus] = mapped_column(
        str_enum(AnnouncementStatus, "announcement_status"), default=AnnouncementStatus.DRAFT)
    send_at: Mapped[datetime | None]  # when sending starts (now or scheduled)
    finished_at: Mapped[datetime | None]
    recipient_count: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    branch: Mapped[Branch | None] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_editable(self) -> bool:
        return self.status in (AnnouncementStatus.DRAFT, AnnouncementStatus.SCHEDULED)

    @property
    def was_sent(self) -> bool:
        return self.status in (AnnouncementStatus.SENDING, AnnouncementStatus.SENT,
                               AnnouncementStatus.CANCELLED) and self.recipient_count > 0


class Delivery(Base):
    """One recipient of one announcement: the unique pair is what "never twice" rests on."""

    __tablename__ = "announcement_deliveries"
    __table_args__ = (sa.UniqueConstraint("announcement_id", "user_id",
                                          name="uq_announcement_deliveries_announcement_user"),
                      sa.Index("ix_announcement_deliveries_digest", "user_id", "digested_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(sa.ForeignKey("announcements.id",
                                                               ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # None for someone who reads announcements in the weekly digest.
    outbox_message_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("outbox_messages.id", ondelete="SET NULL"))
    in_digest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    digested_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
