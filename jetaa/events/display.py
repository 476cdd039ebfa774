"""How events read on a page: cleaned Markdown, times in the event's zone and the reader's."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

import nh3
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from markdown_it import MarkdownIt
from markupsafe import Markup

from jetaa import permissions
from jetaa.events.models import Event
from jetaa.events.times import zone

ALLOWED_SCHEMES = {"http", "https", "mailto"}


@cache
def _markdown() -> MarkdownIt:
    # Raw HTML off: nh3 cleans anyway, but nothing typed as HTML should survive as HTML.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """Markdown to HTML with no scripts, no event handlers and no javascript: links."""
    html = _markdown().render(text or "")
    return Markup(nh3.clean(html, url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer"))  # noqa: S704


def viewer_zone(user: Any) -> str | None:
    """The reader's zone: the zone of their primary branch (else any branch)."""
    memberships = sorted(permissions.memberships_of(user).values(),
                         key=lambda m: (not m.is_primary, m.id))
    return memberships[0].branch.timezone if memberships else None


def _day(moment: datetime) -> str:
    # The pattern is translated: Japanese reads year, month, day ("2026年4月9日(木)").
    return format_date(moment, _("EEE d MMM y"), rebase=False)


def _clock(moment: datetime) -> str:
    return format_time(moment, "HH:mm", rebase=False)


def _span(event: Event, name: str) -> str:
    # rebase=False: the datetimes are already in the zone we mean to show.
    tz = zone(name)
    start, end = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    if end.date() == start.date():
        return f"{_day(start)}, {_clock(start)}–{_clock(end)}"
    return f"{_day(start)}, {_clock(start)} – {_day(end)}, {_clock(end)}"


def when(event: Event, reader_zone: str | None = None) -> dict[str, str | None]:
    """{"local": "... (Zone)", "yours": "... (Zone)" or None when the zones agree}."""
    local = f"{_span(event, event.timezone)} ({event.timezone})"
    yours = None
    if reader_zone and reader_zone != event.timezone:
        same = event.starts_at.astimezone(zone(reader_zone)).utcoffset() == \
            event.starts_at.astimezone(zone(event.timezone)).utcoffset()
        if not same:
            yours = f"{_span(event, reader_zone)} ({reader_zone})"
    return {"local": local, "yours": yours}


def clock(event: Event) -> str:
    """The start's wall-clock time in the event's zone: 19:00."""
    return event.starts_at.astimezone(zone(event.timezone)).strftime("%H:%M")
