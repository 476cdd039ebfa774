"""Monthly figures of the verified activities, kept beside them for the dashboards.

A dashboard's figures are sums over the verified activities of a period. Summed on
every request from the activities themselves, the federation's fiscal year is a GROUP BY
over thousands of rows, six times a page. These two tables hold the same sums per month,
host or co-host branch (`branch_id`), the activity's own host branch (`host_id`: the
volunteer rate's country), category and currency, and the partner organisations' counts
per month and branch, so a page sums a few hundred small rows instead.

They are data, not a cache: every flush that writes an activity, its co-hosts or its
partners recomputes, in the same transaction, the months and branches it touched, from
the activities (`listen`); bulk loads (demo data) call `rebuild()`, and so does
`flask rebuild-activity-figures`. A row counts each activity once per host or co-host
branch, so a branch's figures are its rows, and the federation's are the rows where
`branch_id = host_id`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from jetaa.activities.models import (
    Activity,
    ActivityPartner,
    ActivityStatus,
    activity_cohosts,
    month_figures,
    month_partners,
)


class month_start(sa.sql.functions.GenericFunction):  # noqa: N801 (a SQL function's name)
    """The first day of a date's month."""

    type = sa.Date()
    inherit_cache = True


@compiles(month_start, "sqlite")
def _month_start_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


@compiles(month_start, "postgresql")
def _month_start_postgresql(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


# Computing them ---------------------------------------------------------------

def _hosts(branch_id: int | None = None, month: date | None = None) -> sa.Subquery:
    """(activity, branch, host) for each verified activity's host and each of its co-hosts;
    only those of one branch and month when given."""
    verified = Activity.status == ActivityStatus.VERIFIED
    own = sa.select(Activity.id.label("activity_id"), Activity.branch_id.label("branch_id"),
                    Activity.branch_id.label("host_id")).where(verified)
    cohosts = (sa.select(activity_cohosts.c.activity_id, activity_cohosts.c.branch_id,
                         Activity.branch_id.label("host_id"))
               .join(Activity, Activity.id == activity_cohosts.c.activity_id)
               .where(verified, activity_cohosts.c.branch_id != Activity.branch_id))
    if branch_id is not None:
        own = own.where(Activity.branch_id == branch_id)
        cohosts = cohosts.where(activity_cohosts.c.branch_id == branch_id)
    if month is not None:
        days = Activity.starts_on.between(month, _last_day(month))
        own, cohosts = own.where(days), cohosts.where(days)
    return sa.union_all(own, cohosts).subquery("hosts")


def _figure_rows(hosts: sa.Subquery) -> sa.Select:
    month = month_start(Activity.starts_on)
    keys = (month, hosts.c.branch_id, hosts.c.host_id, Activity.category, Activity.currency)
    return (sa.select(*keys, sa.func.count(), sa.func.sum(Activity.people_reached),
                      sa.func.sum(Activity.volunteer_tenths), sa.func.sum(Activity.members_involved),
                      sa.func.sum(Activity.money_raised), sa.func.sum(Activity.money_spent))
            .select_from(hosts).join(Activity, Activity.id == hosts.c.activity_id)
            .group_by(*keys))


def _partner_rows(hosts: sa.Subquery) -> sa.Select:
    month = month_start(Activity.starts_on)
    name_key = sa.func.lower(ActivityPartner.name)
    keys = (month, hosts.c.branch_id, hosts.c.host_id, name_key)
    return (sa.select(*keys, sa.func.min(ActivityPartner.name),
                      sa.func.count(sa.distinct(ActivityPartner.activity_id)))
            .select_from(hosts).join(Activity, Activity.id == hosts.c.activity_id)
            .join(ActivityPartner, ActivityPartner.activity_id == Activity.id)
            .group_by(*keys))


_FIGURE_COLUMNS = ["month", "branch_id", "host_id", "category", "currency", "activities",
                   "people", "tenths", "members", "raised", "spent"]
_PARTNER_COLUMNS = ["month", "branch_id", "host_id", "name_key", "name", "activities"]


def rebuild(connection: sa.Connection) -> None:
    """Recompute both tables from every activity (after a bulk load)."""
    connection.execute(month_figures.delete())
    connection.execute(month_partners.delete())
    connection.execute(month_figures.insert().from_select(_FIGURE_COLUMNS, _figure_rows(_hosts())))
    connection.execute(month_partners.insert().from_select(_PARTNER_COLUMNS,
                                                           _partner_rows(_hosts())))


def _last_day(month: date) -> date:
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


# PostgreSQL: one transaction at a time recomputes a (branch, month). Without the lock two
# writers of the same month each delete the rows they see and insert their own, and the
# second insert collides with the first's rows. SQLite has one writer at a time anyway.
_LOCK = sa.text("SELECT pg_advisory_xact_lock(:key)")
_LOCK_SPACE = 0x4A455441 << 32  # "JETA": apart from any other advisory lock's keys


def refresh(connection: sa.Connection, keys: Iterable[tuple[int, date]]) -> None:
    """Recompute the rows of these (branch id, first day of a month) pairs."""
    for branch_id, month in sorted(set(keys)):  # sorted: locks always taken in one order
        if connection.dialect.name == "postgresql":
            # Key: the space, the branch, the year (modulo 256) and the month.
            key = _LOCK_SPACE | (branch_id << 12) | (month.year % 256 << 4) | (month.month - 1)
            connection.execute(_LOCK, {"key": key})
        for table, rows, columns in ((month_figures, _figure_rows, _FIGURE_COLUMNS),
                                     (month_partners, _partner_rows, _PARTNER_COLUMNS)):
            connection.execute(table.delete().where(table.c.branch_id == branch_id,
                                                    table.c.month == month))
            connection.execute(table.insert().from_select(columns, rows(_hosts(branch_id, month))))


# Keeping them up to date ----------------------------------------------------------

_TOUCHED = "jetaa_rollup_activities"  # session.info: activities written in this flush


def _keys(connection: sa.Connection, activity_ids: set[int]) -> set[tuple[int, date]]:
    """The (branch, month) pairs these activities count in, as the database has them now."""
    if not activity_ids:
        return set()
    ids = sorted(activity_ids)
    own = sa.select(Activity.branch_id, Activity.starts_on).where(Activity.id.in_(ids))
    cohosts = (sa.select(activity_cohosts.c.branch_id, Activity.starts_on)
               .join(Activity, Activity.id == activity_cohosts.c.activity_id)
               .where(Activity.id.in_(ids)))
    return {(branch_id, day.replace(day=1))
            for branch_id, day in connection.execute(sa.union_all(own, cohosts))}


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    activities: list[Activity] = []
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Activity):
            activities.append(obj)
            if obj.id is not None:
                ids.add(obj.id)
        elif isinstance(obj, ActivityPartner) and obj.activity_id is not None:
            ids.add(obj.activity_id)
    if not activities and not ids:
        return
    with session.no_autoflush:
        before = _keys(session.connection(), ids)
    session.info[_TOUCHED] = (activities, ids, before)


def _after_flush(session: Session, _context: Any) -> None:
    touched = session.info.pop(_TOUCHED, None)
    if touched is None:
        return
    activities, ids, before = touched
    ids = ids | {a.id for a in activities if a.id is not None}
    connection = session.connection()
    refresh(connection, before | _keys(connection, ids))


_listening = False


def listen() -> None:
    """Keep the tables in step with every ORM flush (once per process)."""
    global _listening
    if not _listening:
        sa.event.listen(Session, "before_flush", _before_flush)
        sa.event.listen(Session, "after_flush", _after_flush)
        _listening = True


# Reading them -------------------------------------------------------------------

def usable(scope_branch_ids: Any, start: date, end: date) -> str | None:
    """"federation" or "branch" when the tables can give a scope's figures for a period
    exactly: the whole federation or one branch, over whole months. None otherwise (a
    grouping's or a mission's scope counts a co-hosted activity once over several branches;
    a period from the middle of a month): those are summed from the activities."""
    if start.day != 1 or end != _last_day(end.replace(day=1)):
        return None
    if scope_branch_ids is None:
        return "federation"
    if isinstance(scope_branch_ids, tuple | list) and len(scope_branch_ids) == 1:
        return "branch"
    return None


def params(scope_branch_ids: Any, start: date, end: date) -> dict[str, Any]:
    branch_id = scope_branch_ids[0] if scope_branch_ids else None
    return {"start": start, "end": end, "branch_id": branch_id}


def _where(table: sa.Table, kind: str) -> sa.ColumnElement[bool]:
    months = table.c.month.between(sa.bindparam("start", type_=sa.Date),
                                   sa.bindparam("end", type_=sa.Date))
    if kind == "federation":  # each activity once: in its host's rows
        return sa.and_(months, table.c.branch_id == table.c.host_id)
    return sa.and_(months, table.c.branch_id == sa.bindparam("branch_id", type_=sa.Integer))


def _figures(table: sa.Table = month_figures) -> list[Any]:
    return [sa.func.sum(table.c.activities), sa.func.sum(table.c.people),
            sa.func.sum(table.c.tenths), sa.func.sum(table.c.members)]


_MONEY = (month_figures.c.currency, sa.func.sum(month_figures.c.raised),
          sa.func.sum(month_figures.c.spent))

# The statements, built once per kind of scope (building one costs more than running it).
_statements: dict[tuple[str, str], sa.Select] = {}


def statement(name: str, kind: str) -> sa.Select:
    key = (name, kind)
    if key not in _statements:
        _statements[key] = _BUILDERS[name](kind)
    return _statements[key]


def _totals(kind: str) -> sa.Select:
    t = month_figures
    return sa.select(*_figures(), *_MONEY).where(_where(t, kind)).group_by(t.c.currency)


def _by_category(kind: str) -> sa.Select:
    t = month_figures
    return sa.select(t.c.category, *_figures()).where(_where(t, kind)).group_by(t.c.category)


def _by_month(kind: str) -> sa.Select:
    t = month_figures
    return sa.select(t.c.month, *_figures()).where(_where(t, kind)).group_by(t.c.month)


def _partners(kind: str) -> sa.Select:
    t = month_partners
    n = sa.func.sum(t.c.activities)
    return (sa.select(sa.func.min(t.c.name), n).where(_where(t, kind)).group_by(t.c.name_key)
            .order_by(n.desc(), t.c.name_key).limit(sa.bindparam("limit", type_=sa.Integer)))


def _volunteer(kind: str) -> sa.Select:
    from jetaa.activities.models import VolunteerRate
    from jetaa.branches.models import Branch

    t = month_figures
    # Summed per host branch first: the join then meets one row a branch, not one a month.
    per_host = (sa.select(t.c.host_id, sa.func.sum(t.c.tenths).label("tenths"))
                .where(_where(t, kind)).group_by(t.c.host_id).subquery("per_host"))
    rate = sa.orm.aliased(VolunteerRate)
    tenths = sa.func.sum(per_host.c.tenths)
    return (sa.select(Branch.country, sa.func.min(Branch.country_name), tenths, rate)
            .select_from(per_host).join(Branch, Branch.id == per_host.c.host_id)
            .outerjoin(rate, rate.country == Branch.country)
            .group_by(Branch.country, rate.country, rate.currency, rate.hourly_rate, rate.year,
                      rate.source, rate.source_url, rate.updated_at)
            .having(tenths > 0).order_by(sa.func.min(Branch.country_name)))


def _by_branch(kind: str) -> sa.Select:
    from jetaa.branches.models import Branch

    t = month_figures
    # Every host and co-host row: a co-hosted activity counts for each of its branches.
    where = (t.c.month.between(sa.bindparam("start", type_=sa.Date), sa.bindparam("end", type_=sa.Date))
             if kind == "federation" else _where(t, kind))
    sums = (sa.select(t.c.branch_id, t.c.currency, *(sa.func.sum(c).label(c.name) for c in (
                t.c.activities, t.c.people, t.c.tenths, t.c.members, t.c.raised, t.c.spent)))
            .where(where).group_by(t.c.branch_id, t.c.currency).subquery("per_branch"))
    return (sa.select(Branch.id, Branch.slug, Branch.name, Branch.country, Branch.country_name,
                      Branch.grouping, sums.c.activities, sums.c.people, sums.c.tenths,
                      sums.c.members, sums.c.currency, sums.c.raised, sums.c.spent)
            .select_from(sums).join(Branch, Branch.id == sums.c.branch_id))


def _by_country(kind: str) -> sa.Select:
    from jetaa.branches.models import Branch

    t = month_figures
    return (sa.select(Branch.country, sa.func.min(Branch.country_name), *_figures(), *_MONEY)
            .select_from(t).join(Branch, Branch.id == t.c.host_id).where(_where(t, kind))
            .group_by(Branch.country, t.c.currency))


_BUILDERS = {"totals": _totals, "by_category": _by_category, "by_month": _by_month,
             "partners": _partners, "volunteer": _volunteer, "by_branch": _by_branch,
             "by_country": _by_country}
