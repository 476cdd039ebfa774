"""What the impact dashboards and annual reports count, aggregated in the database.

Each figure is one GROUP BY query over the verified activities of a `Scope` (which
host branches) and a `Period` (which start dates), so a page runs the same number of
queries whatever the number of activities or branches.

Counting rules, said on the pages too:
- only verified activities count; an activity belongs to the period its start date is in;
- totals count a co-hosted activity once; per-branch figures count it for each host;
- volunteer time is valued at the hourly rate of the host branch's country.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from babel.dates import format_skeleton
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from jetaa.activities.models import (
    Activity,
    ActivityPartner,
    ActivityPhoto,
    ActivityReceipt,
    ActivityStatus,
    Category,
    FundingSource,
    VolunteerRate,
    activity_cohosts,
)
from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.memberships.models import Membership, MembershipStatus

TOKYO = ZoneInfo("Asia/Tokyo")
FIRST_YEAR, LAST_YEAR = 1900, 2200  # dates a period may use
REPORT_YEARS = range(1990, 2201)  # years an annual report exists for
MAX_SPAN_DAYS = 11 * 366  # a dashboard's period: at most about eleven years
MONTHLY_UP_TO = 36  # longer periods are charted by year instead of by month
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


# Periods -------------------------------------------------------------------

class BadPeriod(ValueError):
    """A period the address asks for that cannot be shown; the message is translated."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    basis: str = "custom"  # "fiscal" (Japan's, April to March), "calendar" or "custom"
    year: int | None = None

    @classmethod
    def fiscal_year(cls, year: int) -> Period:
        return cls(date(year, 4, 1), date(year + 1, 3, 31), "fiscal", year)

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), "calendar", year)

    @property
    def label(self) -> str:
        span = _("%(start)s to %(end)s", start=format_date(self.start, "long"),
                 end=format_date(self.end, "long"))
        if self.basis == "fiscal":
            return _("Fiscal year %(year)s (%(span)s)", year=self.year, span=span)
        if self.basis == "calendar":
            return _("Calendar year %(year)s", year=self.year)
        return span

    @property
    def slug(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def clause(self) -> sa.ColumnElement[bool]:
        return Activity.starts_on.between(self.start, self.end)

    def month_count(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def japan_today() -> date:
    return datetime.now(TOKYO).date()


def current_fiscal_year(today: date | None = None) -> int:
    """Japan's fiscal year runs from April 1 to March 31 and is named by its first year."""
    today = today or japan_today()
    return today.year if today.month >= 4 else today.year - 1


def _parse_day(text: str, name: str) -> date:
    if not _ISO_DATE.fullmatch(text):
        raise BadPeriod(_("The %(name)s date must be written as YYYY-MM-DD.", name=name))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise BadPeriod(_("The %(name)s date does not exist.", name=name)) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise BadPeriod(_("Dates must be between the years %(first)s and %(last)s.",
                          first=FIRST_YEAR, last=LAST_YEAR))
    return day


def parse_period(start_text: str | None, end_text: str | None,
                 today: date | None = None) -> Period:
    """The period of a dashboard's `from` and `to`; a missing one is the current fiscal
    year's. Raises BadPeriod with a message for the reader."""
    default = Period.fiscal_year(current_fiscal_year(today))
    start_text, end_text = (start_text or "").strip(), (end_text or "").strip()
    if not start_text and not end_text:
        return default
    start = _parse_day(start_text, _("start")) if start_text else default.start
    end = _parse_day(end_text, _("end")) if end_text else default.end
    if start > end:
        raise BadPeriod(_("The start date must be on or before the end date."))
    if (end - start).days >= MAX_SPAN_DAYS:
        raise BadPeriod(_("A period can be at most eleven years long."))
    for whole_year in (Period.fiscal_year(start.year), Period.calendar_year(start.year)):
        if (whole_year.start, whole_year.end) == (start, end):
            return whole_year  # named as such on the page
    return Period(start, end)


def report_period(year: int, basis: str | None) -> Period:
    """The period of an annual report: Japan's fiscal year unless `basis=calendar`."""
    if basis in (None, "", "fiscal"):
        return Period.fiscal_year(year)
    if basis == "calendar":
        return Period.calendar_year(year)
    raise BadPeriod(_("The basis of a report is either fiscal or calendar."))


# Scopes --------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """Whose activities count: those hosted or co-hosted by these branches (a list of ids
    or a SELECT of them); None is the whole federation."""

    branch_ids: Sequence[int] | sa.Select | None = None

    @classmethod
    def federation(cls) -> Scope:
        return cls(None)

    @classmethod
    def branch(cls, branch: Branch) -> Scope:
        return cls((branch.id,))

    @classmethod
    def grouping(cls, name: str) -> Scope:
        return cls(sa.select(Branch.id).where(Branch.grouping == name))

    @classmethod
    def mission(cls, mission: Any) -> Scope:
        return cls(sa.select(Branch.id).where(Branch.mission_id == mission.id))

    def hosted(self) -> sa.ColumnElement[bool]:
        if self.branch_ids is None:
            return sa.true()
        ids = self.branch_ids if isinstance(self.branch_ids, sa.Select) else list(self.branch_ids)
        cohosted = sa.select(activity_cohosts.c.activity_id).where(
            activity_cohosts.c.branch_id.in_(ids))
        return sa.or_(Activity.branch_id.in_(ids), Activity.id.in_(cohosted))

    def includes_branch(self, column: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
        if self.branch_ids is None:
            return sa.true()
        ids = self.branch_ids if isinstance(self.branch_ids, sa.Select) else list(self.branch_ids)
        return column.in_(ids)


def counted(scope: Scope, period: Period) -> sa.ColumnElement[bool]:
    """The activities a figure counts: verified, starting in the period, of the scope."""
    return sa.and_(Activity.status == ActivityStatus.VERIFIED, period.clause(), scope.hosted())


def _sum(column: Any) -> Any:
    return sa.func.coalesce(sa.func.sum(column), 0)


def _figures() -> list[Any]:
    return [sa.func.count(), _sum(Activity.people_reached), _sum(Activity.volunteer_tenths),
            _sum(Activity.members_involved)]


# Figures -------------------------------------------------------------------

@dataclass
class Figures:
    """Counts of activities with their people, volunteer time (tenths of an hour),
    members and money (minor units by currency)."""

    activities: int = 0
    people: int = 0
    tenths: int = 0
    members: int = 0
    raised: dict[str, int] = field(default_factory=dict)
    spent: dict[str, int] = field(default_factory=dict)

    @property
    def hours(self) -> Decimal:
        return Decimal(self.tenths) / 10

    def add(self, activities: int, people: int, tenths: int, members: int, currency: str = "",
            raised: int = 0, spent: int = 0) -> None:
        self.activities += int(activities)
        self.people += int(people)
        self.tenths += int(tenths)
        self.members += int(members)
        if raised:
            self.raised[currency] = self.raised.get(currency, 0) + int(raised)
        if spent:
            self.spent[currency] = self.spent.get(currency, 0) + int(spent)


def totals(scope: Scope, period: Period) -> Figures:
    """Every counted activity once, its money summed per currency."""
    rows = db.session.execute(
        sa.select(*_figures(), Activity.currency, _sum(Activity.money_raised),
                  _sum(Activity.money_spent))
        .where(counted(scope, period)).group_by(Activity.currency))
    result = Figures()
    for row in rows:
        result.add(*row)
    return result


@dataclass
class CategoryRow:
    category: Category
    figures: Figures


def by_category(scope: Scope, period: Period) -> list[CategoryRow]:
    rows = db.session.execute(
        sa.select(Activity.category, *_figures())
        .where(counted(scope, period)).group_by(Activity.category))
    result = [CategoryRow(Category(category), Figures(int(n), int(p), int(t), int(m)))
              for category, n, p, t, m in rows]
    return sorted(result, key=lambda r: (-r.figures.activities, r.category.label))


@dataclass
class TimeRow:
    first_day: date
    by_year: bool
    figures: Figures

    @property
    def label(self) -> str:
        if self.by_year:
            return str(self.first_day.year)
        return format_skeleton("yMMMM", self.first_day, locale=get_locale())  # June 2024, 2024年6月

    @property
    def short_label(self) -> str:
        return str(self.first_day.year) if self.by_year else format_date(self.first_day, "MMM")


def by_month(scope: Scope, period: Period) -> list[TimeRow]:
    """Activities by the month (by the year for long periods) they start in, every month
    of the period listed, empty ones too."""
    by_year = period.month_count() > MONTHLY_UP_TO
    buckets = [sa.extract("year", Activity.starts_on)]
    if not by_year:
        buckets.append(sa.extract("month", Activity.starts_on))
    rows = db.session.execute(
        sa.select(*_figures(), *buckets).where(counted(scope, period)).group_by(*buckets))
    found = {(int(y), int(m[0]) if m else 1): Figures(int(n), int(p), int(t), int(mem))
             for n, p, t, mem, y, *m in rows}
    result = []
    y, m = period.start.year, 1 if by_year else period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        result.append(TimeRow(date(y, m, 1), by_year, found.get((y, m), Figures())))
        y, m = (y + 1, 1) if by_year or m == 12 else (y, m + 1)
    return result


@dataclass
class PartnerRow:
    name: str
    activities: int


def top_partners(scope: Scope, period: Period, limit: int = 10) -> list[PartnerRow]:
    """Partner organisations by the number of counted activities they joined (names
    compared without case)."""
    key = sa.func.lower(ActivityPartner.name)
    n = sa.func.count(sa.distinct(ActivityPartner.activity_id))
    rows = db.session.execute(
        sa.select(sa.func.min(ActivityPartner.name), n)
        .join(Activity, Activity.id == ActivityPartner.activity_id)
        .where(counted(scope, period)).group_by(key).order_by(n.desc(), key).limit(limit))
    return [PartnerRow(name, int(count)) for name, count in rows]


@dataclass
class CountryValue:
    country: str
    country_name: str
    tenths: int
    rate: VolunteerRate | None

    @property
    def hours(self) -> Decimal:
        return Decimal(self.tenths) / 10

    @property
    def value(self) -> int | None:
        """Minor units of the rate's currency, rounded to the nearest unit."""
        if self.rate is None:
            return None
        return (self.tenths * self.rate.hourly_rate + 5) // 10


@dataclass
class VolunteerValue:
    countries: list[CountryValue]

    @property
    def totals(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for c in self.countries:
            if c.rate is not None:
                result[c.rate.currency] = result.get(c.rate.currency, 0) + c.value
        return result

    @property
    def without_rate(self) -> list[CountryValue]:
        return [c for c in self.countries if c.rate is None]


def volunteer_value(scope: Scope, period: Period) -> VolunteerValue:
    """Volunteer hours by the host branch's country, with that country's hourly rate."""
    rate = sa.orm.aliased(VolunteerRate)
    rows = db.session.execute(
        sa.select(Branch.country, sa.func.min(Branch.country_name),
                  _sum(Activity.volunteer_tenths), rate)
        .select_from(Activity).join(Branch, Branch.id == Activity.branch_id)
        .outerjoin(rate, rate.country == Branch.country)
        .where(counted(scope, period), Activity.volunteer_tenths > 0)
        .group_by(Branch.country, rate.country, rate.currency, rate.hourly_rate, rate.year,
                  rate.source, rate.source_url, rate.updated_at)
        .order_by(sa.func.min(Branch.country_name)))
    return VolunteerValue([CountryValue(code, name, int(tenths), r)
                           for code, name, tenths, r in rows])


# Comparisons -----------------------------------------------------------------

@dataclass
class BranchRow:
    id: int
    slug: str
    name: str
    country: str
    country_name: str
    grouping: str
    figures: Figures = field(default_factory=Figures)


def _host_pairs(where: sa.ColumnElement[bool]) -> sa.Subquery:
    """(activity_id, branch_id) for the host and for each co-host of the counted activities."""
    own = sa.select(Activity.id.label("activity_id"), Activity.branch_id.label("branch_id"))
    cohosts = (sa.select(activity_cohosts.c.activity_id, activity_cohosts.c.branch_id)
               .join(Activity, Activity.id == activity_cohosts.c.activity_id)
               .where(activity_cohosts.c.branch_id != Activity.branch_id))
    return sa.union_all(own.where(where), cohosts.where(where)).subquery("hosts")


def by_branch(scope: Scope, period: Period) -> list[BranchRow]:
    """One row per host branch of the scope: a co-hosted activity counts for each host."""
    hosts = _host_pairs(counted(scope, period))
    branch_columns = (Branch.id, Branch.slug, Branch.name, Branch.country, Branch.country_name,
                      Branch.grouping)
    rows = db.session.execute(
        sa.select(*branch_columns, *_figures(), Activity.currency, _sum(Activity.money_raised),
                  _sum(Activity.money_spent))
        .select_from(hosts).join(Activity, Activity.id == hosts.c.activity_id)
        .join(Branch, Branch.id == hosts.c.branch_id)
        .where(scope.includes_branch(Branch.id))
        .group_by(*branch_columns, Activity.currency))
    result: dict[int, BranchRow] = {}
    for row in rows:
        branch = result.setdefault(row[0], BranchRow(*row[:6]))
        branch.figures.add(*row[6:])
    return sorted(result.values(), key=lambda b: (-b.figures.activities, b.name))


@dataclass
class CountryRow:
    country: str
    country_name: str
    figures: Figures = field(default_factory=Figures)


def by_country(scope: Scope, period: Period) -> list[CountryRow]:
    """By the host branch's country: each activity once, in its host's country."""
    rows = db.session.execute(
        sa.select(Branch.country, sa.func.min(Branch.country_name), *_figures(), Activity.currency,
                  _sum(Activity.money_raised), _sum(Activity.money_spent))
        .join(Branch, Branch.id == Activity.branch_id)
        .where(counted(scope, period)).group_by(Branch.country, Activity.currency))
    result: dict[str, CountryRow] = {}
    for code, name, *figures in rows:
        result.setdefault(code, CountryRow(code, name)).figures.add(*figures)
    return sorted(result.values(), key=lambda c: (-c.figures.activities, c.country_name))


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
    """The regional groupings of branches (JETAA USA, JETAA Canada ...), by name."""
    return list(db.session.scalars(sa.select(Branch.grouping).distinct().order_by(Branch.grouping)))


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
