"""Posting, changing, publishing, cancelling and duplicating events."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from jetaa.audit.services import apply_changes, record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core import dates
from jetaa.core.timezones import is_timezone
from jetaa.events.models import (
    MAX_EVENT_LENGTH,
    Audience,
    Category,
    Event,
    EventError,
    EventSeries,
    EventStatus,
    Frequency,
)
from jetaa.events.notify import notify_rsvps
from jetaa.events.rsvp import promote_waitlist
from jetaa.events.times import exists, expand_series, to_utc
from jetaa.extensions import db

logger = logging.getLogger(__name__)
MAX_SERIES_DAYS = 2 * 366
NOTIFY_FIELDS = ("starts_at", "ends_at", "venue", "address", "online_url")


@dataclass
class EventData:
    """What the event form collects, in the event's local time."""

    title: str
    category: Category
    timezone: str
    starts_local: datetime
    ends_local: datetime
    audience: Audience = Audience.PUBLIC
    description: str = ""
    venue: str = ""
    address: str = ""
    online_url: str | None = None
    capacity: int | None = None
    rsvp_deadline_local: datetime | None = None
    guests_allowed: int = 0
    cohost_ids: list[int] = field(default_factory=list)
    mission_id: int | None = None
    frequency: Frequency | None = None
    repeat_until: date | None = None


def check(data: EventData) -> None:
    """Refuse what no event can be, whichever form or script sent it."""
    if not is_timezone(data.timezone):
        raise EventError(_l("Unknown time zone: %(zone)s.", zone=data.timezone))
    for moment in (data.starts_local, data.ends_local, data.rsvp_deadline_local):
        if moment is not None and not exists(moment, data.timezone):
            raise EventError(_l("%(time)s does not exist in %(zone)s: the clocks change "
                                "then. Choose another time.",
                                time=dates.day_time(moment), zone=data.timezone))
    if data.ends_local <= data.starts_local:
        raise EventError(_l("The event must end after it starts."))
    if data.ends_local - data.starts_local > MAX_EVENT_LENGTH:
        raise EventError(_l("An event can last at most 31 days."))
    if data.capacity is not None and data.capacity < 1:
        raise EventError(_l("Capacity must be at least 1 (leave it empty for no limit)."))
    if data.rsvp_deadline_local is not None and data.rsvp_deadline_local > data.ends_local:
        raise EventError(_l("The RSVP deadline must be before the event ends."))
    if data.frequency is not None:
        if data.repeat_until is None or data.repeat_until < data.starts_local.date():
            raise EventError(_l("A repeating event needs a last date on or after the first."))
        if (data.repeat_until - data.starts_local.date()).days > MAX_SERIES_DAYS:
            raise EventError(_l("A series can run for at most two years."))


def _fields(data: EventData, start_local: datetime) -> dict:
    """Column values for one event starting at `start_local` (wall clock)."""
    duration = data.ends_local - data.starts_local
    deadline = None
    if data.rsvp_deadline_local is not None:
        deadline = to_utc(start_local - (data.starts_local - data.rsvp_deadline_local), data.timezone)
    starts_at, ends_at = to_utc(start_local, data.timezone), to_utc(start_local + duration,
                                                                    data.timezone)
    if not exists(start_local, data.timezone) or ends_at <= starts_at:
        # An occurrence in a skipped hour: shifted forward by the gap, its length kept.
        ends_at = starts_at + duration
    return {
        "title": data.title, "category": data.category, "description": data.description,
        "timezone": data.timezone, "starts_at": starts_at,
        "ends_at": ends_at, "venue": data.venue,
        "address": data.address, "online_url": data.online_url or None,
        "capacity": data.capacity, "rsvp_deadline": deadline,
        "guests_allowed": data.guests_allowed, "audience": data.audience,
        "mission_id": data.mission_id,
    }


def _cohosts(data: EventData, branch: Branch) -> list[Branch]:
    ids = [i for i in data.cohost_ids if i != branch.id]
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Branch).where(Branch.id.in_(ids))))


def create_event(branch: Branch, data: EventData, *, actor: User) -> Event:
    """A draft event (or a draft series of them) hosted by `branch`."""
    check(data)
    cohosts = _cohosts(data, branch)
    if data.frequency is None:
        events = [Event(branch=branch, created_by_id=actor.id, cohosts=cohosts,
                        **_fields(data, data.starts_local))]
    else:
        series = EventSeries(branch_id=branch.id, timezone=data.timezone,
                             frequency=data.frequency, local_start=data.starts_local,
                             duration_minutes=int((data.ends_local - data.starts_local)
                                                  .total_seconds() // 60),
                             until=data.repeat_until)
        events = [Event(branch=branch, series=series, recurrence_start=instant,
                        created_by_id=actor.id, cohosts=list(cohosts), **_fields(data, local))
                  for local, instant in expand_series(data.frequency, data.starts_local,
                                                      data.repeat_until, data.timezone)]
    db.session.add_all(events)
    db.session.flush()
    record("event.create", actor=actor, object_type="event", object_id=events[0].id,
           branch_id=branch.id, title=data.title, occurrences=len(events))
    return events[0]


def _set_capacity(event: Event, capacity: int | None) -> None:
    """Change capacity atomically: never below the seats confirmed at this instant."""
    if capacity == event.capacity:
        return
    query = sa.update(Event).where(Event.id == event.id).values(capacity=capacity)
    if capacity is not None:
        query = query.where(Event.seats_taken <= capacity)
    if db.session.execute(query.execution_options(synchronize_session=False)).rowcount != 1:
        db.session.refresh(event, ["seats_taken"])
        raise EventError(_l("Capacity cannot be below the %(n)d seats already confirmed.",
                            n=event.seats_taken))
    db.session.refresh(event, ["capacity", "seats_taken"])


def update_event(event: Event, data: EventData, *, actor: User) -> dict[str, list]:
    """Apply an edit; people with an RSVP hear about a new time or place."""
    data.frequency = None  # the rule of a series is fixed; occurrences move one by one
    check(data)
    values = _fields(data, data.starts_local)
    capacity = values.pop("capacity")
    changed: dict[str, list] = apply_changes(event, values)
    if capacity != event.capacity:
        changed["capacity"] = [event.capacity, capacity]
        _set_capacity(event, capacity)
    event.cohosts = _cohosts(data, event.branch)
    if not changed:
        return changed
    if event.series_id is not None:
        event.is_exception = True
    event.sequence += 1
    record("event.update", actor=actor, object_type="event", object_id=event.id,
           branch_id=event.branch_id, changes=changed)
    if event.status == EventStatus.PUBLISHED and changed.keys() & set(NOTIFY_FIELDS):
        notify_rsvps(event, "event_changed")
    if "capacity" in changed:
        promote_waitlist(event)
    return changed


def publish_event(event: Event, *, actor: User) -> int:
    """Publish a draft, or every draft occurrence of its series; returns how many."""
    query = sa.select(Event).where(Event.status == EventStatus.DRAFT)
    if event.series_id is not None:
        query = query.where(Event.series_id == event.series_id)
    else:
        query = query.where(Event.id == event.id)
    events = list(db.session.scalars(query))
    for item in events:
        item.status = EventStatus.PUBLISHED
    if events:
        record("event.publish", actor=actor, object_type="event", object_id=event.id,
               branch_id=event.branch_id, occurrences=len(events))
    return len(events)


def cancel_event(event: Event, *, actor: User) -> None:
    """Cancel one event (or one occurrence of a series) and tell everyone with an RSVP."""
    if event.status == EventStatus.CANCELLED:
        raise EventError(_l("This event is already cancelled."))
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    record("event.cancel", actor=actor, object_type="event", object_id=event.id,
           branch_id=event.branch_id, title=event.title)
    if was_published:
        notify_rsvps(event, "event_cancelled")


def duplicate_event(event: Event, *, actor: User) -> Event:
    """A draft copy, one week later, for the officer to adjust."""
    copy = Event(
        branch_id=event.branch_id, title=event.title, category=event.category,
        description=event.description, timezone=event.timezone,
        starts_at=event.starts_at + timedelta(days=7), ends_at=event.ends_at + timedelta(days=7),
        venue=event.venue, address=event.address, online_url=event.online_url,
        capacity=event.capacity, guests_allowed=event.guests_allowed, audience=event.audience,
        rsvp_deadline=event.rsvp_deadline + timedelta(days=7) if event.rsvp_deadline else None,
        mission_id=event.mission_id, created_by_id=actor.id, cohosts=list(event.cohosts),
    )
    db.session.add(copy)
    db.session.flush()
    record("event.duplicate", actor=actor, object_type="event", object_id=copy.id,
           branch_id=event.branch_id, source=event.id)
    return copy
