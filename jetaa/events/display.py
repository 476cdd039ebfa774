"""How events read on a page: cleaned Markdown, times in the event's zone and the reader's."""

from __future__ import annotations

from typing import Any

from jetaa import permissions
from jetaa.core import dates
from jetaa.core.timezones import zone_label
from jetaa.events.models import Event
from jetaa.events.times import zone


def viewer_zone(user: Any) -> str | None:
    """The reader's zone: the zone of their primary branch (else any branch)."""
    memberships = sorted(permissions.memberships_of(user).values(),
                         key=lambda m: (not m.is_primary, m.id))
    return memberships[0].branch.timezone if memberships else None


def _span(event: Event, name: str) -> str:
    """The event's `day_time` in zone `name`, to its end: "Tue 3 Mar 2026, 19:00–21:00"."""
    start, end = event.starts_at.astimezone(zone(name)), event.ends_at.astimezone(zone(name))
    if end.date() == start.date():
        return f"{dates.day_time(start, name)}–{dates.clock(end, name)}"
    return f"{dates.day_time(start, name)} – {dates.day_time(end, name)}"


def when(event: Event, reader_zone: str | None = None) -> dict[str, str | None]:
    """{"local": the time where the event is, "yours": the reader's time or None}.

    The zone is named ("New York time") only when the reader's differs or is unknown.
    """
    local = _span(event, event.timezone)
    yours = None
    if reader_zone != event.timezone:
        local = f"{local} ({zone_label(event.timezone)})"
    if reader_zone and reader_zone != event.timezone:
        same = event.starts_at.astimezone(zone(reader_zone)).utcoffset() == \
            event.starts_at.astimezone(zone(event.timezone)).utcoffset()
        if not same:
            yours = f"{_span(event, reader_zone)} ({zone_label(reader_zone)})"
    return {"local": local, "yours": yours}


def clock(event: Event) -> str:
    """The start's wall-clock time in the event's zone: 19:00."""
    return dates.clock(event.starts_at, event.timezone)
