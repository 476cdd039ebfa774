"""What a person chose to receive by e-mail. No row: the defaults (everything, one by one)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jetaa.db import Base, utcnow


class NotificationSettings(Base):
    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    event_mail: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    recruitment_mail: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    announcement_mail: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    # Announcements gathered in one weekly message instead of one message each.
    weekly_digest: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class BranchOptOut(Base):
    """No announcements from this branch (the unsubscribe link of its messages)."""

    __tablename__ = "notification_branch_optouts"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id", ondelete="CASCADE"),
                                           primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TopicOptIn(Base):
    """A topic the member wants announcements about (segments select on it)."""

    __tablename__ = "notification_topics"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(40), primary_key=True, index=True)
