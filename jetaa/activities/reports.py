"""What the annual reports and the Grant-in-Aid summary list, and what each impact page shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from jetaa.activities.figures import (
    BranchRow,
    CategoryRow,
    CountryRow,
    Figures,
    PartnerRow,
    Scope,
    TimeRow,
    VolunteerValue,
    _figures,
    _sum,
    by_branch,
    by_category,
    by_country,
    by_month,
    counted,
    top_partners,
    totals,
    volunteer_value,
)
from jetaa.activities.models import (
    Activity,
    ActivityPartner,
    ActivityPhoto,
    ActivityReceipt,
    Category,
    FundingSource,
)
from jetaa.activities.periods import Period, japan_today
from jetaa.branches.models import Branch
from jetaa.core.cache import cached
from jetaa.extensions import db
from jetaa.memberships.models import Membership, MembershipStatus

# What a branch's annual report lists -------------------------------------------

def members_at(branch: Branch, days: Sequence[date]) -> list[int]:
    """Approximate head counts at the end of each day, in one query.

    Memberships keep no history, so a member counts from the time their membership was
    approved (its creation time when there is none) while it is still approved, or
    until the time it lapsed (a lapsed membership's decision time).
    """
    zone = ZoneInfo(branch.timezone)
    joined = sa.func.coalesce(Membership.decided_at, Membership.created_at)
    columns = []
    for day in days:
        cutoff = datetime.combine(day + timedelta(days=1), time(), zone)
        approved = sa.and_(Membership.status == MembershipStatus.APPROVED, joined < cutoff)
        lapsed_later = sa.and_(Membership.status == MembershipStatus.LAPSED,
                               Membership.created_at < cutoff, Membership.decided_at >= cutoff)
        columns.append(sa.func.count().filter(sa.or_(approved, lapsed_later)))
    row = db.session.execute(sa.select(*columns).where(Membership.branch_id == branch.id)).one()
    return [int(n) for n in row]


@dataclass
class ActivityLine:
    """One counted activity as a report lists it (its columns, not the ORM object)."""

    id: int
    title: str
    category: Category
    starts_on: date
    ends_on: date
    city: str
    country: str
    is_online: bool
    people: int
    tenths: int
    members: int
    currency: str
    raised: int
    spent: int
    funding_source: FundingSource | None
    host_id: int
    host_name: str
    partners: list[str] = field(default_factory=list)
    receipts: list[tuple[int, str]] = field(default_factory=list)  # (id, file name)

    @property
    def hours(self) -> Decimal:
        return Decimal(self.tenths) / 10


_LINE_COLUMNS = (Activity.id, Activity.title, Activity.category, Activity.starts_on,
                 Activity.ends_on, Activity.city, Activity.country, Activity.is_online,
                 Activity.people_reached, Activity.volunteer_tenths, Activity.members_involved,
                 Activity.currency, Activity.money_raised, Activity.money_spent,
                 Activity.funding_source, Activity.branch_id, Branch.name)


def activity_lines(where: sa.ColumnElement[bool], *, receipts: bool = False) -> list[ActivityLine]:
    """The activities matching `where`, by date, with their partners (and receipt file
    names): three queries however many there are."""
    lines = [ActivityLine(*row) for row in db.session.execute(
        sa.select(*_LINE_COLUMNS).join(Branch, Branch.id == Activity.branch_id)
        .where(where).order_by(Activity.starts_on, Activity.id))]
    by_id = {line.id: line for line in lines}
    if not lines:
        return lines
    for activity_id, name in db.session.execute(
            sa.select(ActivityPartner.activity_id, ActivityPartner.name)
            .join(Activity, Activity.id == ActivityPartner.activity_id)
            .where(where).order_by(ActivityPartner.name)):
        by_id[activity_id].partners.append(name)
    if receipts:
        for activity_id, receipt_id, filename in db.session.execute(
                sa.select(ActivityReceipt.activity_id, ActivityReceipt.id, ActivityReceipt.filename)
                .join(Activity, Activity.id == ActivityReceipt.activity_id)
                .where(where).order_by(ActivityReceipt.id)):
            by_id[activity_id].receipts.append((receipt_id, filename))
    return lines


@dataclass
class ReportPhoto:
    id: int
    activity_id: int
    caption: str
    width: int
    height: int
    activity_title: str


def report_photos(scope: Scope, period: Period, limit: int = 24) -> list[ReportPhoto]:
    """The photos the branch chose for its report (`in_report`), of counted activities."""
    rows = db.session.execute(
        sa.select(ActivityPhoto.id, ActivityPhoto.activity_id, ActivityPhoto.caption,
                  ActivityPhoto.width, ActivityPhoto.height, Activity.title)
        .join(Activity, Activity.id == ActivityPhoto.activity_id)
        .where(counted(scope, period), ActivityPhoto.in_report)
        .order_by(Activity.starts_on, ActivityPhoto.id).limit(limit))
    return [ReportPhoto(*row) for row in rows]


# The Grant-in-Aid spending summary ---------------------------------------------

@dataclass
class FundingGroup:
    source: FundingSource
    figures: Figures
    lines: list[ActivityLine]


@dataclass
class GrantReport:
    groups: list[FundingGroup]
    unfunded: int  # counted activities with no funding source recorded


def grant_report(scope: Scope, period: Period) -> GrantReport:
    """Per funding source, its counted activities with their figures, spending and receipts."""
    where = counted(scope, period)
    figures: dict[FundingSource | None, Figures] = {}
    for source, *row in db.session.execute(
            sa.select(Activity.funding_source, *_figures(), Activity.currency,
                      _sum(Activity.money_raised), _sum(Activity.money_spent))
            .where(where).group_by(Activity.funding_source, Activity.currency)):
        figures.setdefault(source, Figures()).add(*row)
    unfunded = figures.pop(None, Figures()).activities
    lines = activity_lines(sa.and_(where, Activity.funding_source.is_not(None)), receipts=True)
    groups = [FundingGroup(source, figures[source],
                           [line for line in lines if line.funding_source == source])
              for source in FundingSource if source in figures]
    return GrantReport(groups, unfunded)


# What each page shows -----------------------------------------------------------

def groupings() -> list[str]:
    """The regional groupings of branches (JETAA USA, JETAA Canada ...), by name: a
    reference list, kept for CACHE_TTL seconds like the others."""
    return cached("branches:groupings", lambda: list(db.session.scalars(
        sa.select(Branch.grouping).distinct().order_by(Branch.grouping))))


@dataclass
class Dashboard:
    totals: Figures
    categories: list[CategoryRow]
    months: list[TimeRow]
    partners: list[PartnerRow]
    volunteer: VolunteerValue
    branches: list[BranchRow] | None  # the comparison of branches, where the page has one


def dashboard(scope: Scope, period: Period, *, compare_branches: bool) -> Dashboard:
    """Six queries at most, whatever the number of activities and branches."""
    return Dashboard(totals(scope, period), by_category(scope, period), by_month(scope, period),
                     top_partners(scope, period), volunteer_value(scope, period),
                     by_branch(scope, period) if compare_branches else None)


@dataclass
class BranchReport:
    totals: Figures
    categories: list[CategoryRow]
    members: tuple[date, int, date, int]  # (start day, count, end day, count)
    lines: list[ActivityLine]
    partners: list[PartnerRow]
    volunteer: VolunteerValue
    photos: list[ReportPhoto]


def branch_report(branch: Branch, period: Period) -> BranchReport:
    scope = Scope.branch(branch)
    # A year still running: its members so far.
    end = max(period.start, min(period.end, japan_today()))
    members = members_at(branch, [period.start, end])
    return BranchReport(
        totals(scope, period), by_category(scope, period),
        (period.start, members[0], end, members[1]),
        activity_lines(counted(scope, period)), top_partners(scope, period, limit=100),
        volunteer_value(scope, period), report_photos(scope, period))


@dataclass
class FederationReport:
    totals: Figures
    categories: list[CategoryRow]
    branches: list[BranchRow]
    countries: list[CountryRow]
    volunteer: VolunteerValue
    partners: list[PartnerRow]


def federation_report(period: Period) -> FederationReport:
    scope = Scope.federation()
    return FederationReport(totals(scope, period), by_category(scope, period),
                            by_branch(scope, period), by_country(scope, period),
                            volunteer_value(scope, period), top_partners(scope, period, limit=25))
