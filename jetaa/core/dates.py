"""THE date and time styles: one per context, in the reader's language (Babel).

Every date or time a person reads goes through one of these (as Jinja filters of the
same names, or called from Python); tests/core/test_dates.py fails on a template that
formats one another way.

- `day`: a day in text and lists (an activity, an announcement, a report's date):
  "Tue 3 Mar 2026", "2026年3月3日(火)".
- `day_time(zone)`: when something happens somewhere (events, RSVP deadlines, requests,
  sending times), in that place's zone: "Tue 3 Mar 2026, 19:00", "2026年3月3日(火) 19:00".
- `short_date`: table cells and the ends of a range of days: "3 Mar 2026", "2026/03/03".
- `short_date_time(zone)`: rows of operational logs (outbox, security events), UTC unless
  told: "3 Mar 2026 14:05", "2026/03/03 14:05".
- `day_range(end)`: a span of days, one day as `day`, more as two `short_date`s:
  "Tue 3 Mar 2026", "3 Mar 2026 – 5 Mar 2026".
- `month`: a month heading (the calendar): "March 2026", "2026年3月".
- `month_short`: a chart's month ticks: "Jun", "6月".
- `weekday`: a calendar's column heads: "Tue", "火".
- `ago`: activity feeds, the audit log, sessions and sign-ins, the exact moment (UTC) in
  its tooltip: "2 hours ago", "2 時間前".

Machine-readable forms (ISO 8601 in `datetime=""` attributes, URLs, CSV, JSON, .ics)
are not for reading and stay ISO.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from babel.dates import format_date, format_timedelta
from flask_babel import gettext
from markupsafe import Markup, escape

from jetaa.core import timezones
from jetaa.db import utcnow
from jetaa.i18n import locale_name

# Per language: Babel's own "medium" and "long" give the US order in English ("Mar 3,
# 2026") and no weekday; these are the site's.
_PATTERNS = {
    "day": {"en": "EEE d MMM y", "ja": "y年M月d日(EEE)"},
    "short_date": {"en": "d MMM y", "ja": "y/MM/dd"},
    "month": {"en": "MMMM y", "ja": "y年M月"},
    "weekday": {"en": "EEE", "ja": "EEE"},
    "month_short": {"en": "MMM", "ja": "M月"},
}
_TIME_SEPARATOR = {"en": ", ", "ja": " "}


@lru_cache(maxsize=8192)
def _formatted(value: date, style: str, locale: str) -> str:
    # Babel takes a tenth of a millisecond a date; a list shows the same days again.
    patterns = _PATTERNS[style]
    return format_date(value, patterns.get(locale, patterns["en"]), locale=locale)


def _in_zone(value: datetime, zone: str | None) -> datetime:
    if value.tzinfo is None:  # stored instants are UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(timezones.zone(zone or "UTC"))


def _as_day(value: date | datetime, zone: str | None) -> date:
    return _in_zone(value, zone).date() if isinstance(value, datetime) else value


def day(value: date | datetime | None, zone: str | None = None) -> str:
    """Tue 3 Mar 2026 / 2026年3月3日(火); an instant as the day it is in `zone` (UTC)."""
    if value is None:
        return ""
    return _formatted(_as_day(value, zone), "day", locale_name())


def short_date(value: date | datetime | None, zone: str | None = None) -> str:
    """3 Mar 2026 / 2026/03/03."""
    if value is None:
        return ""
    return _formatted(_as_day(value, zone), "short_date", locale_name())


def month(value: date | datetime | None) -> str:
    """March 2026 / 2026年3月."""
    if value is None:
        return ""
    return _formatted(_as_day(value, None), "month", locale_name())


def month_short(value: date | None) -> str:
    """Jun / 6月."""
    return "" if value is None else _formatted(value, "month_short", locale_name())


def weekday(value: date | None) -> str:
    """Tue / 火."""
    return "" if value is None else _formatted(value, "weekday", locale_name())


def day_range(start: date | None, end: date | None = None) -> str:
    """One day as `day`; several as "3 Mar 2026 – 5 Mar 2026" (2026/03/03 – 2026/03/05)."""
    if start is None:
        return ""
    if end is None or end == start:
        return day(start)
    return f"{short_date(start)} – {short_date(end)}"


def clock(value: datetime, zone: str | None = None) -> str:
    """The wall-clock time in `zone`, 24-hour in both languages: 19:00."""
    return f"{_in_zone(value, zone):%H:%M}"


def day_time(value: datetime | None, zone: str | None = None) -> str:
    """Tue 3 Mar 2026, 19:00 / 2026年3月3日(火) 19:00, in `zone` (UTC unless told)."""
    if value is None:
        return ""
    local, locale = _in_zone(value, zone), locale_name()
    return (_formatted(local.date(), "day", locale) + _TIME_SEPARATOR.get(locale, ", ")
            + f"{local:%H:%M}")


def short_date_time(value: datetime | None, zone: str | None = None) -> str:
    """3 Mar 2026 14:05 / 2026/03/03 14:05, in `zone` (UTC unless told)."""
    if value is None:
        return ""
    local = _in_zone(value, zone)
    return f"{_formatted(local.date(), 'short_date', locale_name())} {local:%H:%M}"


def ago_text(value: datetime, now: datetime | None = None) -> str:
    """2 hours ago / 2 時間前 (in a minute / 1 分後 for a moment ahead)."""
    now = now or utcnow()
    delta = _in_zone(value, None) - _in_zone(now, None)
    if abs(delta.total_seconds()) < 45:
        return gettext("just now")
    return format_timedelta(delta, add_direction=True, threshold=0.9, locale=locale_name())


def ago(value: datetime | None, now: datetime | None = None) -> Markup:
    """"2 hours ago" in a <time> element whose tooltip and datetime say exactly when."""
    if value is None:
        return Markup("")
    exact = f"{day_time(value)} UTC"
    iso = _in_zone(value, None).isoformat(timespec="seconds")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        iso, exact, escape(ago_text(value, now)))


FILTERS = {"day": day, "day_time": day_time, "short_date": short_date,
           "short_date_time": short_date_time, "month": month, "ago": ago,
           "day_range": day_range, "weekday": weekday, "month_short": month_short}
