"""Reading events: who sees what, calendars, next events, attendees.

Every page reads a fixed number of queries, whatever the number of events
or RSVPs: related rows are joined or loaded in one extra query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, defer, raiseload

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.db import utcnow
from jetaa.events.models import (
    MAX_EVENT_LENGTH,
    Category,
    Event,
    EventStatus,
    Rsvp,
    RsvpStatus,
)
from jetaa.events.permissions import hosted_by, public_clause, visible_clause
from jetaa.events.times import to_local
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile
from jetaa.members.permissions import (
    Owner,
    can_see_contact,
    can_see_profile,
    owner_columns,
    owners_of,
)
from jetaa.members.placements import roles_text, span_text


@dataclass
class Filters:
    """The calendar's query-string filters, already validated."""

    branch: Branch | None = None
    country: str = ""
    region: str = ""
    category: Category | None = None
    mode: str = ""  # "online", "in_person" or ""
    start: date | None = None
    end: date | None = None


def filtered(query: sa.Select, filters: Filters) -> sa.Select:
    if filters.branch is not None:
        query = query.where(hosted_by({filters.branch.id}))
    if filters.country:
        query = query.where(Branch.country == filters.country)
    if filters.region:
        query = query.where(Branch.grouping == filters.region)
    if filters.category is not None:
        query = query.where(Event.category == filters.category)
    if filters.mode == "online":
        query = query.where(Event.online_url.is_not(None))
    elif filters.mode == "in_person":
        query = query.where(Event.online_url.is_(None))
    return query


def _base(user: Any, filters: Filters) -> sa.Select:
    # Calendars show neither co-hosts nor descriptions: a month holds hundreds of
    # events, and loading those for each was most of the month view's time.
    query = (sa.select(Event).join(Event.branch)
             .options(contains_eager(Event.branch), raiseload(Event.cohosts),
                      defer(Event.description, raiseload=True))
             .where(visible_clause(user)))
    return filtered(query, filters)


def between(query: sa.Select, start: date, end: date) -> sa.Select:
    """Events starting on local days start..end; 14 hours of slack cover every zone."""
    low = datetime.combine(start, time(), UTC) - timedelta(hours=14)
    high = datetime.combine(end + timedelta(days=1), time(), UTC) + timedelta(hours=14)
    return query.where(Event.starts_at >= low, Event.starts_at < high)


@dataclass(frozen=True, slots=True)
class GridEvent:
    """What a month cell shows of an event (a month holds a hundred or more)."""

    id: int
    title: str
    status: EventStatus
    starts_at: datetime
    timezone: str
    branch_name: str


def month_grid(user: Any, filters: Filters, first: date) -> list[list[tuple[date, list[GridEvent]]]]:
    """Weeks (Monday first) of (day, events starting that day in their own zone)."""
    grid_start = first - timedelta(days=first.weekday())
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    grid_end = last + timedelta(days=6 - last.weekday())
    query = filtered(
        sa.select(Event.id, Event.title, Event.status, Event.starts_at, Event.timezone, Branch.name)
        .select_from(Event).join(Event.branch).where(visible_clause(user)), filters)
    query = between(query, grid_start, grid_end).order_by(Event.starts_at, Event.id)
    by_day: dict[date, list[tuple[datetime, GridEvent]]] = {}
    for row in db.session.execute(query):
        event = GridEvent(*row)
        local = to_local(event.starts_at, event.timezone)
        by_day.setdefault(local.date(), []).append((local, event))
    for entries in by_day.values():
        entries.sort(key=lambda entry: (entry[0], entry[1].id))  # by wall-clock time
    days = [grid_start + timedelta(days=n) for n in range((grid_end - grid_start).days + 1)]
    return [[(d, [e for _, e in by_day.get(d, [])]) for d in days[i:i + 7]]
            for i in range(0, len(days), 7)]


def not_ended(query: sa.Select) -> sa.Select:
    """Events that have not ended yet. The start bound says the same (no event lasts
    longer than MAX_EVENT_LENGTH) in a form an index on start times can answer."""
    # The limit is checked on wall-clock times; a day of slack covers any DST change.
    now = utcnow()
    return query.where(Event.ends_at >= now,
                       Event.starts_at >= now - MAX_EVENT_LENGTH - timedelta(days=1))


def list_query(user: Any, filters: Filters) -> sa.Select:
    """Events in the filter's range (default: from today on), soonest first."""
    query = _base(user, filters)
    if filters.start is not None or filters.end is not None:
        start = filters.start or date(1970, 1, 1)
        end = filters.end or date(9998, 12, 31)
        query = between(query, start, end)
    else:
        query = not_ended(query)
    return query.order_by(Event.starts_at, Event.id)


def next_public_events() -> dict[int, Any]:
    """The next public event of every active host branch (id, title, starts_at, timezone), in one query.

    The same for every viewer, so the branch list that shows them can be kept for all.
    A subquery per branch walks the (branch_id, starts_at) index from now on and stops at
    the first public event, so the cost grows with the branches, not with the years of
    events (a window over every future event did).
    """
    first = (sa.select(Event.id)
             .where(Event.branch_id == Branch.id, Event.starts_at >= utcnow(),
                    Event.status == EventStatus.PUBLISHED, public_clause())
             .order_by(Event.starts_at, Event.id).limit(1)
             .correlate(Branch).scalar_subquery())
    query = (sa.select(Event.branch_id, Event.id, Event.title, Event.starts_at, Event.timezone)
             .where(Event.id.in_(sa.select(first).where(Branch.active))))
    return {row.branch_id: row for row in db.session.execute(query)}


def upcoming(user: Any | None, branch: Branch, limit: int = 5, *, public: bool = False) -> list[Event]:
    """The next `limit` events `branch` hosts or co-hosts that `user` may see, as lists show
    them (one query: their hosts joined, no co-hosts or descriptions)."""
    clause = public_clause() if public else visible_clause(user)
    query = (not_ended(sa.select(Event).join(Event.branch).where(clause, hosted_by({branch.id})))
             .options(contains_eager(Event.branch), raiseload(Event.cohosts),
                      defer(Event.description, raiseload=True))
             .order_by(Event.starts_at, Event.id).limit(limit))
    return list(db.session.scalars(query))


def my_rsvp(user: Any, event: Event) -> Rsvp | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(sa.select(Rsvp).where(Rsvp.event_id == event.id,
                                                   Rsvp.user_id == user.id))


def waitlist_place(rsvp: Rsvp) -> int:
    """Where `rsvp` stands on its event's waitlist (1 is next), in the order seats are offered."""
    ahead = sa.or_(Rsvp.waitlisted_at < rsvp.waitlisted_at,
                   sa.and_(Rsvp.waitlisted_at == rsvp.waitlisted_at, Rsvp.id < rsvp.id))
    return 1 + (db.session.scalar(sa.select(sa.func.count()).select_from(Rsvp).where(
        Rsvp.event_id == rsvp.event_id, Rsvp.status == RsvpStatus.WAITLISTED, ahead)) or 0)


def rsvps(event: Event, statuses: tuple[RsvpStatus, ...] = (RsvpStatus.GOING,)) -> list[Rsvp]:
    """RSVPs with their people, going first then the waitlist in order."""
    query = (
        sa.select(Rsvp).join(Rsvp.user).options(contains_eager(Rsvp.user))
        .where(Rsvp.event_id == event.id, Rsvp.status.in_(statuses))
        .order_by(Rsvp.status, Rsvp.waitlisted_at, Rsvp.created_at, Rsvp.id)
    )
    return list(db.session.scalars(query))


def profiles_and_owners(user_ids: list[int]) -> tuple[dict[int, AlumniProfile], dict[int, Owner]]:
    """Each person's profile and their Owner for the privacy gates: three queries for any number."""
    if not user_ids:
        return {}, {}
    profiles = {p.user_id: p for p in db.session.scalars(
        sa.select(AlumniProfile).where(AlumniProfile.user_id.in_(user_ids))
        .options(sa.orm.selectinload(AlumniProfile.placements)))}
    return profiles, owners_of(user_ids)


def attendee_rows(viewer: Any, event: Event) -> list[dict]:
    """Everyone who answered (going, waitlisted, not going): names and guests for the
    event's editors; profile and contact fields only as each member allows `viewer`.
    The attendees page, its CSV and the API show these."""
    rows = rsvps(event, statuses=tuple(RsvpStatus))
    profiles, owners = profiles_and_owners([r.user_id for r in rows])
    result = []
    for r in rows:
        profile, owner = profiles.get(r.user_id), owners[r.user_id]
        show_profile = owner.has_profile and can_see_profile(viewer, owner)
        result.append({"rsvp": r, "name": r.user.name,
                       # A deleted account's tombstone address is nobody's to see.
                       "email": r.user.email if r.user.deleted_at is None
                       and can_see_contact(viewer, owner) else "",
                       "jet_role": roles_text(profile.placements) if show_profile else "",
                       "years": span_text(profile.placements) if show_profile else ""})
    return result


class Attendee(NamedTuple):
    user_id: int
    name: str
    guests: int
    photo_name: str | None = None


def visible_attendees(viewer: Any, event: Event) -> tuple[list[Attendee], int]:
    """The people going whom `viewer` may see (directory visibility), and how many are hidden.

    One query of plain columns: each person's name and guests, and the Owner
    columns the gate reads. Visitors who are not signed in
    see no one (the page does not list attendees to them).
    """
    if not getattr(viewer, "is_authenticated", False):
        return [], 0
    rows = db.session.execute(
        sa.select(User.name, Rsvp.guests, User.photo_name, *owner_columns(Rsvp.user_id))
        .join(User, User.id == Rsvp.user_id)
        .outerjoin(AlumniProfile, AlumniProfile.user_id == Rsvp.user_id)
        .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.GOING)
        .order_by(Rsvp.waitlisted_at, Rsvp.created_at, Rsvp.id)
    ).all()
    shown = [Attendee(row.owner_id, row.name, row.guests, row.photo_name) for row in rows
             if can_see_profile(viewer, Owner.from_row(row))]
    return shown, len(rows) - len(shown)
