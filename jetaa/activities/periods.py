"""Periods of the impact pages: Japan's fiscal year (April to March), calendar years, chosen dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from jetaa.activities.models import (
    Activity,
)
from jetaa.core import dates

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
        span = _("%(start)s to %(end)s", start=dates.short_date(self.start),
                 end=dates.short_date(self.end))
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
