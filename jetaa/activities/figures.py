"""What the impact dashboards count, aggregated in the database.

Each figure is one GROUP BY query over the verified activities of a `Scope` (which
host branches) and a `Period` (which start dates), so a page runs the same number of
queries whatever the number of activities or branches.

Counting rules, said on the pages too:
- only verified activities count; an activity belongs to the period its start date is in;
- totals count a co-hosted activity once; per-branch figures count it for each host;
- volunteer time is valued at the hourly rate of the host branch's country.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from jetaa.activities import rollups
from jetaa.activities.models import (
    Activity,
    ActivityPartner,
    ActivityStatus,
    Category,
    VolunteerRate,
    activity_cohosts,
)
from jetaa.activities.periods import MONTHLY_UP_TO, Period
from jetaa.activities.permissions import hosted_by
from jetaa.branches.models import Branch
from jetaa.core import dates
from jetaa.extensions import db

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
        if not isinstance(self.branch_ids, sa.Select):
            return hosted_by(set(self.branch_ids))
        cohosted = sa.select(activity_cohosts.c.activity_id).where(
            activity_cohosts.c.branch_id.in_(self.branch_ids))
        return sa.or_(Activity.branch_id.in_(self.branch_ids), Activity.id.in_(cohosted))

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


def _rolled(name: str, scope: Scope, period: Period, **extra: Any) -> Any:
    """The rows of figure `name` from the monthly figures (rollups.py) when they can give
    them exactly, else None: the caller sums the activities."""
    kind = rollups.usable(scope.branch_ids, period.start, period.end)
    if kind is None:
        return None
    values = rollups.params(scope.branch_ids, period.start, period.end)
    return db.session.execute(rollups.statement(name, kind), {**values, **extra}).all()


def totals(scope: Scope, period: Period) -> Figures:
    """Every counted activity once, its money summed per currency."""
    rows = _rolled("totals", scope, period)
    if rows is None:
        rows = db.session.execute(
            sa.select(*_figures(), Activity.currency, _sum(Activity.money_raised),
                      _sum(Activity.money_spent))
            .where(counted(scope, period)).group_by(Activity.currency))
    result = Figures()
    for row in rows:
        result.add(*row)
    return result


def published_totals(scope: Scope, period: Period) -> Figures:
    """totals() of the activities anyone may see: counted, and published by their branch
    (visible_activities_clause for a visitor). Summed from the activities themselves: the
    monthly figures do not tell published ones apart."""
    result = Figures()
    for row in db.session.execute(
            sa.select(*_figures(), Activity.currency, _sum(Activity.money_raised),
                      _sum(Activity.money_spent))
            .where(counted(scope, period), Activity.is_published)
            .group_by(Activity.currency)):
        result.add(*row)
    return result


@dataclass
class CategoryRow:
    category: Category
    figures: Figures


def by_category(scope: Scope, period: Period) -> list[CategoryRow]:
    rows = _rolled("by_category", scope, period)
    if rows is None:
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
        return dates.month(self.first_day)  # June 2024, 2024年6月

    @property
    def short_label(self) -> str:
        return str(self.first_day.year) if self.by_year else dates.month_short(self.first_day)


def by_month(scope: Scope, period: Period) -> list[TimeRow]:
    """Activities by the month (by the year for long periods) they start in, every month
    of the period listed, empty ones too."""
    by_year = period.month_count() > MONTHLY_UP_TO
    rows = _rolled("by_month", scope, period)
    if rows is not None:
        found: dict[tuple[int, int], Figures] = {}
        for month, n, p, t, mem in rows:
            found.setdefault((month.year, 1 if by_year else month.month), Figures()).add(n, p, t, mem)
    else:
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
    rows = _rolled("partners", scope, period, limit=limit)
    if rows is None:
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
    rows = _rolled("volunteer", scope, period)
    if rows is None:
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
    rows = _rolled("by_branch", scope, period)
    if rows is None:
        hosts = _host_pairs(counted(scope, period))
        branch_columns = (Branch.id, Branch.slug, Branch.name, Branch.country,
                          Branch.country_name, Branch.grouping)
        rows = db.session.execute(
            sa.select(*branch_columns, *_figures(), Activity.currency,
                      _sum(Activity.money_raised), _sum(Activity.money_spent))
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
    rows = _rolled("by_country", scope, period)
    if rows is None:
        rows = db.session.execute(
            sa.select(Branch.country, sa.func.min(Branch.country_name), *_figures(),
                      Activity.currency, _sum(Activity.money_raised), _sum(Activity.money_spent))
            .join(Branch, Branch.id == Activity.branch_id)
            .where(counted(scope, period)).group_by(Branch.country, Activity.currency))
    result: dict[str, CountryRow] = {}
    for code, name, *figures in rows:
        result.setdefault(code, CountryRow(code, name)).figures.add(*figures)
    return sorted(result.values(), key=lambda c: (-c.figures.activities, c.country_name))
