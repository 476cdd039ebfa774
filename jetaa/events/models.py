"""Events, recurring series, RSVPs and private calendar feeds."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core.actions import Refused
from jetaa.db import Base, str_enum, utcnow
from jetaa.missions.models import Mission

# The longest an event may last (a festival week, a month-long exhibition). Known,
# it lets "not ended yet" be read as a short range of start times on an index.
MAX_EVENT_LENGTH = timedelta(days=31)


class EventError(Refused):
    """An event change or RSVP refused, with the reason (translated)."""


class Category(enum.StrEnum):
    NETWORKING = "networking"
    CULTURAL = "cultural"
    LANGUAGE_EXCHANGE = "language_exchange"
    CAREER = "career"
    RECRUITMENT = "recruitment"
    SOCIAL = "social"
    VOLUNTEERING = "volunteering"
    OTHER = "other"


class Audience(enum.StrEnum):
    PUBLIC = "public"  # anyone, including visitors and the public feeds
    FEDERATION = "federation"  # approved members of any branch
    BRANCH = "branch"  # approved members of the host and co-host branches


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Frequency(enum.StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"  # the same weekday of the month: "second Tuesday"


class RsvpStatus(enum.StrEnum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    NOT_GOING = "not_going"


event_cohosts = sa.Table(
    "event_cohosts",
    Base.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
)


class EventSeries(Base):
    """The rule of a recurring event, kept in local time so DST never moves it."""

    __tablename__ = "event_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id", ondelete="CASCADE"))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, "series_frequency"))
    # Wall-clock start of the first occurrence in `timezone` (naive on purpose).
    local_start: Mapped[datetime] = mapped_column(sa.DateTime(timezone=False))
    duration_minutes: Mapped[int]
    until: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def uid(self) -> str:
        return f"series-{self.id}@jetaa-connect"


class Event(Base):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("capacity IS NULL OR capacity >= seats_taken", name="within_capacity"),
        sa.CheckConstraint("seats_taken >= 0", name="seats_not_negative"),
        sa.Index("ix_events_starts_at_status", "starts_at", "status"),
        sa.Index("ix_events_branch_starts_at", "branch_id", "starts_at"),
        # The list view's "not ended yet, soonest first".
        sa.Index("ix_events_ends_at_starts_at", "ends_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("event_series.id", ondelete="CASCADE"), index=True
    )
    # For an occurrence: the start the series rule gave it (RECURRENCE-ID), even if moved.
    recurrence_start: Mapped[datetime | None]
    is_exception: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    title: Mapped[str] = mapped_column(sa.String(160))
    category: Mapped[Category] = mapped_column(str_enum(Category, "event_category"))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    timezone: Mapped[str] = mapped_column(sa.String(64))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    venue: Mapped[str] = mapped_column(sa.String(160), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    online_url: Mapped[str | None] = mapped_column(sa.String(300))
    image_name: Mapped[str | None] = mapped_column(sa.String(64))  # pictures/storage.py
    capacity: Mapped[int | None]
    # Confirmed seats (people going plus their guests), changed only by atomic UPDATEs.
    seats_taken: Mapped[int] = mapped_column(default=0, server_default="0")
    rsvp_deadline: Mapped[datetime | None]
    guests_allowed: Mapped[int] = mapped_column(default=0, server_default="0")
    audience: Mapped[Audience] = mapped_column(str_enum(Audience, "event_audience"))
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus, "event_status"), default=EventStatus.DRAFT
    )
    mission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("missions.id", ondelete="SET NULL"))
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")  # iCalendar SEQUENCE
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    branch: Mapped[Branch] = relationship()
    series: Mapped[EventSeries | None] = relationship()
    mission: Mapped[Mission | None] = relationship()
    cohosts: Mapped[list[Branch]] = relationship(secondary=event_cohosts, lazy="selectin",
                                                 order_by=Branch.name)

    @property
    def uid(self) -> str:
        return f"event-{self.id}@jetaa-connect"

    @property
    def host_branch_ids(self) -> set[int]:
        return {self.branch_id} | {b.id for b in self.cohosts}

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class Rsvp(Base):
    __tablename__ = "event_rsvps"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id", name="uq_event_rsvps_event_user"),
        sa.Index("ix_event_rsvps_event_status", "event_id", "status", "waitlisted_at"),
        sa.CheckConstraint("guests >= 0", name="guests_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RsvpStatus] = mapped_column(str_enum(RsvpStatus, "rsvp_status"))
    guests: Mapped[int] = mapped_column(default=0, server_default="0")
    waitlisted_at: Mapped[datetime | None]  # the place in the queue
    attended: Mapped[bool | None]
    reminded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()

    @property
    def seats(self) -> int:
        return 1 + self.guests


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def hash_feed_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedToken(Base):
    """The secret in a member's private calendar URL, stored only as its SHA-256 hash.

    The address is shown once, when it is made (events/feed_tokens.py); making a new one
    replaces the hash, so the old address stops working at once.
    """

    __tablename__ = "event_feed_tokens"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
