"""iCalendar (RFC 5545) feeds: one event, a branch, the federation, a member's own.

Public feeds send a recurring series as one VEVENT with an RRULE, EXDATEs for
cancelled occurrences and RECURRENCE-ID overrides for moved ones; every time
carries its TZID and the calendar a VTIMEZONE for each zone used.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import icalendar
import sqlalchemy as sa

from jetaa.core.markdown import markdown_to_text
from jetaa.core.urls import external_url
from jetaa.events.models import Event, EventSeries, EventStatus, Frequency
from jetaa.events.times import byday_code, to_utc, zone
from jetaa.extensions import db

PRODID = "-//JETAA Connect//Events//EN"


def _local(instant: datetime, name: str) -> datetime:
    return instant.astimezone(zone(name))


def _location(event: Event, with_link: bool) -> str:
    parts = [p for p in (event.venue, event.address) if p]
    if event.online_url and with_link:
        parts.append(event.online_url)
    return ", ".join(parts)


def _vevent(event: Event, uid: str, with_link: bool) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("dtstamp", event.updated_at.astimezone(UTC))
    vevent.add("last-modified", event.updated_at.astimezone(UTC))
    vevent.add("created", event.created_at.astimezone(UTC))
    vevent.add("sequence", event.sequence)
    vevent.add("summary", event.title)
    if event.description:
        vevent.add("description", markdown_to_text(event.description))
    location = _location(event, with_link)
    if location:
        vevent.add("location", location)
    vevent.add("url", external_url("events.show", event_id=event.id))
    # Readable in any calendar app ("Language exchange"); feeds are shared, so in English.
    vevent.add("categories", [event.category.value.replace("_", " ").capitalize()])
    vevent.add("dtstart", _local(event.starts_at, event.timezone))
    vevent.add("dtend", _local(event.ends_at, event.timezone))
    vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    return vevent


def _master(series: EventSeries, sample: Event, left_out: list[Event]) -> icalendar.Event:
    """The series as one VEVENT: the rule in local time; cancelled dates, and those the
    feed may not show, as EXDATE."""
    vevent = _vevent(sample, series.uid, with_link=True)
    tz = zone(series.timezone)
    start = series.local_start.replace(tzinfo=tz)
    for name in ("dtstart", "dtend", "status"):
        vevent.pop(name)
    vevent.add("dtstart", start)
    vevent.add("dtend", (series.local_start + timedelta(minutes=series.duration_minutes))
               .replace(tzinfo=tz))
    vevent.add("status", "CONFIRMED")
    # The end of the last day rather than the last start: UNTIL is inclusive, and some
    # clients convert it with the offset of DTSTART, which DST may have changed since.
    until = to_utc(datetime.combine(series.until, time(23, 59, 59)), series.timezone)
    rule: dict = {"FREQ": series.frequency.value.upper(), "UNTIL": until}
    if series.frequency == Frequency.MONTHLY:
        rule["BYDAY"] = byday_code(series.local_start)
    vevent.add("rrule", rule)
    excluded = [_local(e.recurrence_start, series.timezone) for e in left_out if e.recurrence_start]
    if excluded:
        vevent.add("exdate", excluded)
    return vevent


def _override(series: EventSeries, event: Event) -> icalendar.Event:
    vevent = _vevent(event, series.uid, with_link=True)
    vevent.add("recurrence-id", _local(event.recurrence_start, series.timezone))
    return vevent


def _special_occurrences(series_ids: set[int], shown: sa.ColumnElement[bool]
                         ) -> dict[int, tuple[list[Event], list[Event]]]:
    """Per series: (occurrences left out of its rule, moved ones to send as overrides).

    Left out: the cancelled ones, and those the feed may not show (`shown` is false:
    a date of a public series made members-only, or still a draft). All in one query.
    """
    if not series_ids:
        return {}
    query = sa.select(Event, shown).where(
        Event.series_id.in_(series_ids),
        sa.or_(Event.status == EventStatus.CANCELLED, Event.is_exception.is_(True),
               sa.not_(shown)),
    )
    special: dict[int, tuple[list[Event], list[Event]]] = {}
    for event, visible in db.session.execute(query):
        left_out, moved = special.setdefault(event.series_id, ([], []))
        if event.status == EventStatus.CANCELLED or not visible:
            left_out.append(event)
        elif event.is_exception:
            moved.append(event)
    return special


def build_calendar(events: list[Event], name: str, *,
                   series_shown: sa.ColumnElement[bool] | None = None,
                   with_link: Callable[[Event], bool] = lambda event: True) -> bytes:
    """The VCALENDAR text for these events (drafts are never included).

    `series_shown`: the feed's visibility condition. When given, the occurrences of
    a series go out as one rule with its exceptions, and dates the condition hides
    are left out of the rule; without it each event is sent on its own.
    `with_link`: may the reader see this event's online link?
    """
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    events = [e for e in events if e.status != EventStatus.DRAFT]
    in_series = set()
    if series_shown is not None:
        in_series = {e.series_id for e in events if e.series_id is not None}
    special = _special_occurrences(in_series, series_shown) if in_series else {}
    samples: dict[int, Event] = {}
    for event in events:
        if event.series_id in in_series:
            current = samples.get(event.series_id)
            if current is None or (current.is_exception and not event.is_exception):
                samples[event.series_id] = event
            continue
        cal.add_component(_vevent(event, event.uid, with_link(event)))
    for series_id, sample in samples.items():
        series = sample.series
        left_out, moved = special.get(series_id, ([], []))
        cal.add_component(_master(series, sample, left_out))
        for event in moved:
            cal.add_component(_override(series, event))
    # VTIMEZONEs cover the feed's years only: from 1970 they would dwarf the events.
    series = [sample.series for sample in samples.values()]
    moved = [e for _left_out, moves in special.values() for e in moves]
    # A rule reaches back to its first date and forward to its last, whatever the window.
    days = ([e.starts_at.date() for e in [*events, *moved]]
            + [s.local_start.date() for s in series] + [s.until for s in series])
    if days:
        first, last = min(days).year - 1, max(days).year + 1
        for name in sorted({e.timezone for e in [*events, *moved]}):
            cal.add_component(vtimezone(name, first, last))
    return cal.to_ical()


@lru_cache(maxsize=256)
def vtimezone(name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """Building a VTIMEZONE walks the zone's transitions: slow, so done once per process."""
    return icalendar.Timezone.from_tzid(name, first_date=date(first_year, 1, 1),
                                        last_date=date(last_year, 12, 31))
