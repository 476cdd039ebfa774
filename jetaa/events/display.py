"""How events read on a page: cleaned Markdown, times in the event's zone and the reader's."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from babel import dates as babel_dates
from flask_babel import get_locale
from flask_babel import gettext as _

from jetaa import permissions
from jetaa.core.timezones import zone_label
from jetaa.events.models import Event
from jetaa.events.times import zone


def viewer_zone(user: Any) -> str | None:
    """The reader's zone: the zone of their primary branch (else any branch)."""
    memberships = sorted(permissions.memberships_of(user).values(),
                         key=lambda m: (not m.is_primary, m.id))
    return memberships[0].branch.timezone if memberships else None


@lru_cache(maxsize=4096)
def _day_text(day: date, pattern: str, locale: str) -> str:
    return babel_dates.format_date(day, pattern, locale=locale)


def _span(event: Event, name: str) -> str:
    # The datetimes are turned into the zone we mean to show, then printed as they are.
    # The day pattern is translated: Japanese reads year, month, day ("2026年4月9日(木)").
    # A list shows the same few days again and again: each is formatted once per language.
    tz = zone(name)
    pattern, locale = _("EEE d MMM y"), str(get_locale())
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    first = _day_text(start.date(), pattern, locale)
    if end.date() == start.date():
        return f"{first}, {start:%H:%M}–{end:%H:%M}"
    return f"{first}, {start:%H:%M} – {_day_text(end.date(), pattern, locale)}, {end:%H:%M}"


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
    return event.starts_at.astimezone(zone(event.timezone)).strftime("%H:%M")
