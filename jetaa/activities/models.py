"""Grassroots activities: what the branches do for Japan, with their figures and evidence.

An activity is logged by a member (a draft until submitted), reviewed by the
officers of its host branch and, once verified, counted in every report.
Money is kept in minor units (cents, pence; yen have none) with its currency.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core.actions import Refused
from jetaa.db import Base, str_enum, utcnow


class ActivityError(Refused):
    """An activity change refused, with the reason (translated)."""


class Category(enum.StrEnum):
    LANGUAGE = "language"
    CULTURE = "culture"
    SCHOOLS = "schools"
    FESTIVALS = "festivals"
    DISASTER_RELIEF = "disaster_relief"
    SISTER_CITIES = "sister_cities"
    CAREERS = "careers"
    SPORTS = "sports"
    MENTORING = "mentoring"
    RECRUITMENT = "recruitment"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self])


# Spelled out (not built from the values) so that `pybabel extract` finds them.
CATEGORY_LABELS = {
    Category.LANGUAGE: _l("Japanese language"),
    Category.CULTURE: _l("Culture and arts"),
    Category.SCHOOLS: _l("School and university visits"),
    Category.FESTIVALS: _l("Community festivals and Japan-related events"),
    Category.DISASTER_RELIEF: _l("Disaster relief and fundraising"),
    Category.SISTER_CITIES: _l("Sister-city and local-government exchange"),
    Category.CAREERS: _l("Business and career networking"),
    Category.SPORTS: _l("Sports exchange"),
    Category.MENTORING: _l("Mentoring of departing and returning JETs"),
    Category.RECRUITMENT: _l("JET recruitment support"),
    Category.OTHER: _l("Other"),
}


class ActivityStatus(enum.StrEnum):
    DRAFT = "draft"  # the author is still writing it
    SUBMITTED = "submitted"  # waiting for an officer
    CHANGES_REQUESTED = "changes_requested"  # back with the author, with a comment
    VERIFIED = "verified"  # counts in every report
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    ActivityStatus.DRAFT: _l("Draft"),
    ActivityStatus.SUBMITTED: _l("Waiting for review"),
    ActivityStatus.CHANGES_REQUESTED: _l("Changes requested"),
    ActivityStatus.VERIFIED: _l("Verified"),
    ActivityStatus.REJECTED: _l("Rejected"),
}


class FundingSource(enum.StrEnum):
    CLAIR = "clair"  # CLAIR's Grant-in-Aid for JETAA chapters
    MISSION = "mission"  # the embassy or consulate-general
    OTHER_GRANT = "other_grant"
    OWN_FUNDS = "own_funds"

    @property
    def label(self) -> str:
        return str(FUNDING_LABELS[self])


FUNDING_LABELS = {
    FundingSource.CLAIR: _l("CLAIR Grant-in-Aid"),
    FundingSource.MISSION: _l("The Japanese mission"),
    FundingSource.OTHER_GRANT: _l("Another grant"),
    FundingSource.OWN_FUNDS: _l("The branch's own funds"),
}


activity_cohosts = sa.Table(
    "activity_cohosts",
    Base.metadata,
    sa.Column("activity_id", sa.ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class Activity(Base):
    __tablename__ = "activities"
    __table_args__ = (
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        sa.CheckConstraint("people_reached >= 0 AND volunteers >= 0 AND volunteer_tenths >= 0 "
                           "AND members_involved >= 0 AND money_raised >= 0 AND money_spent >= 0",
                           name="figures_not_negative"),
        # A branch's log and dashboards: its activities of a status, by date.
        sa.Index("ix_activities_branch_status_starts", "branch_id", "status", "starts_on"),
        # Federation and grouping dashboards: verified activities of a period.
        sa.Index("ix_activities_status_starts", "status", "starts_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(160))
    category: Mapped[Category] = mapped_column(str_enum(Category, "activity_category"))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    city: Mapped[str] = mapped_column(sa.String(120), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    is_online: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    description: Mapped[str] = mapped_column(sa.Text, default="")
    people_reached: Mapped[int] = mapped_column(default=0, server_default="0")
    volunteers: Mapped[int] = mapped_column(default=0, server_default="0")
    # Tenths of an hour: 2.5 hours is 25 (whole numbers sum exactly on every database).
    volunteer_tenths: Mapped[int] = mapped_column(default=0, server_default="0")
    members_involved: Mapped[int] = mapped_column(default=0, server_default="0")
    currency: Mapped[str] = mapped_column(sa.String(3), default="USD")
    # Minor units, in 64 bits: 100 million in a currency with cents is 10^10 of them.
    money_raised: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    money_spent: Mapped[int] = mapped_column(sa.BigInteger, default=0, server_default="0")
    funding_source: Mapped[FundingSource | None] = mapped_column(
        str_enum(FundingSource, "funding_source"))
    links: Mapped[str] = mapped_column(sa.Text, default="")  # one address a line
    status: Mapped[ActivityStatus] = mapped_column(
        str_enum(ActivityStatus, "activity_status", length=24), default=ActivityStatus.DRAFT)
    review_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    is_published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # Who last changed what the entry says (not its status): they may not also verify it.
    edited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    branch: Mapped[Branch] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    # Loaded when one activity asks for them: lists (logs, the branch page) never do.
    cohosts: Mapped[list[Branch]] = relationship(secondary=activity_cohosts, order_by=Branch.name)
    partners: Mapped[list[ActivityPartner]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityPartner.name")
    members: Mapped[list[ActivityMember]] = relationship(cascade="all, delete-orphan")
    photos: Mapped[list[ActivityPhoto]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityPhoto.id")
    receipts: Mapped[list[ActivityReceipt]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityReceipt.id")

    @property
    def host_branch_ids(self) -> set[int]:
        return {self.branch_id} | {b.id for b in self.cohosts}

    @property
    def volunteer_hours(self) -> float:
        return self.volunteer_tenths / 10

    @property
    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Activity {self.id} {self.title!r}>"


class ActivityPartner(Base):
    """A partner organisation of one activity (a school, a city, a society)."""

    __tablename__ = "activity_partners"
    __table_args__ = (sa.UniqueConstraint("activity_id", "name", name="uq_activity_partners_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(sa.ForeignKey("activities.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(160), index=True)


class ActivityMember(Base):
    """A member named as taking part; `hidden` when they declined being named."""

    __tablename__ = "activity_members"

    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    hidden: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    user: Mapped[User] = relationship()


class ActivityPhoto(Base):
    """A photo kept outside static/ under a name the server chose, with a thumbnail."""

    __tablename__ = "activity_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    width: Mapped[int]
    height: Mapped[int]
    size: Mapped[int]  # bytes of the stored image
    caption: Mapped[str] = mapped_column(sa.String(200), default="")
    in_report: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ActivityReceipt(Base):
    """A receipt (PDF or image) for the spending report: officers and admins only."""

    __tablename__ = "activity_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("activities.id", ondelete="CASCADE"), index=True)
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    filename: Mapped[str] = mapped_column(sa.String(160))  # as uploaded, for the download
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VolunteerRate(Base):
    """What an hour of volunteer time is worth in a country, as funders count it."""

    __tablename__ = "volunteer_rates"

    country: Mapped[str] = mapped_column(sa.String(2), primary_key=True)
    currency: Mapped[str] = mapped_column(sa.String(3))
    hourly_rate: Mapped[int]  # minor units
    year: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(300))
    source_url: Mapped[str] = mapped_column(sa.String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# The dashboards' monthly figures of the verified activities, kept in step with them by
# rollups.py (which says how they are read and written).
month_figures = sa.Table(
    "activity_month_figures",
    Base.metadata,
    # Month first: the federation's period is one range of the key.
    sa.Column("month", sa.Date, primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("host_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("category", str_enum(Category, "activity_category"), primary_key=True),
    sa.Column("currency", sa.String(3), primary_key=True),
    sa.Column("activities", sa.Integer, nullable=False),
    sa.Column("people", sa.BigInteger, nullable=False),
    sa.Column("tenths", sa.BigInteger, nullable=False),
    sa.Column("members", sa.BigInteger, nullable=False),
    sa.Column("raised", sa.BigInteger, nullable=False),
    sa.Column("spent", sa.BigInteger, nullable=False),
    sa.Index("ix_activity_month_figures_branch_month", "branch_id", "month"),
    sqlite_with_rowid=False,
)

month_partners = sa.Table(
    "activity_month_partners",
    Base.metadata,
    sa.Column("month", sa.Date, primary_key=True),
    sa.Column("branch_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("host_id", sa.ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("name_key", sa.String(160), primary_key=True),  # lower(name): names without case
    sa.Column("name", sa.String(160), nullable=False),  # the first of its spellings
    sa.Column("activities", sa.Integer, nullable=False),
    sa.Index("ix_activity_month_partners_branch_month", "branch_id", "month"),
    sqlite_with_rowid=False,
)
