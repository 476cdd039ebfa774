"""Wall-clock times in a zone, and the expansion of recurring series.

Instants are stored in UTC. A series rule is kept in local time plus its zone
and expanded one occurrence at a time, so a 19:00 language exchange stays at
19:00 local time on both sides of a daylight-saving change.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from jetaa.events.models import Frequency

MAX_OCCURRENCES = 120


def to_utc(local: datetime, zone: str) -> datetime:
    """A naive wall-clock time in `zone` as an aware UTC instant."""
    return local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_local(instant: datetime, zone: str) -> datetime:
    """An aware instant as a naive wall-clock time in `zone`."""
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    start = to_utc(datetime.combine(day, time()), zone)
    return start, to_utc(datetime.combine(day + timedelta(days=1), time()), zone)


def series_rule(frequency: Frequency, local_start: datetime, until: date) -> rrule.rrule:
    """The dateutil rule, in naive local time (so the wall clock is what repeats)."""
    end = datetime.combine(until, time(23, 59, 59))
    if frequency == Frequency.WEEKLY:
        return rrule.rrule(rrule.WEEKLY, dtstart=local_start, until=end, count=None)
    nth = (local_start.day - 1) // 7 + 1
    weekday = rrule.weekday(local_start.weekday())(-1 if nth == 5 else nth)
    return rrule.rrule(rrule.MONTHLY, dtstart=local_start, until=end, byweekday=weekday)


def byday_code(local_start: datetime) -> str:
    """The RFC 5545 BYDAY of a monthly series: 2TU, -1FR ..."""
    nth = (local_start.day - 1) // 7 + 1
    code = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[local_start.weekday()]
    return f"{-1 if nth == 5 else nth}{code}"


def expand_series(frequency: Frequency, local_start: datetime, until: date,
                  zone: str) -> list[tuple[datetime, datetime]]:
    """(local wall-clock start, UTC instant) of each occurrence, at most MAX_OCCURRENCES."""
    occurrences = []
    for local in series_rule(frequency, local_start, until):
        occurrences.append((local, to_utc(local, zone)))
        if len(occurrences) >= MAX_OCCURRENCES:
            break
    return occurrences
