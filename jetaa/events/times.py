"""Wall-clock times in a zone, and the expansion of recurring series.

Instants are stored in UTC. A series rule is kept in local time plus its zone
and expanded one occurrence at a time, so a 19:00 language exchange stays at
19:00 local time on both sides of a daylight-saving change.

Times the clocks skip or repeat: an event's own start, end and RSVP deadline must
exist (the form says which one does not, as outreach requests do). A later
occurrence of a series that falls into a skipped hour is shifted forward by the gap,
keeping its length, as calendar programs do (RFC 5545: 02:30 on a spring-forward
night becomes 03:30). A time that happens twice (falling back) is the first of the two.
"""

from datetime import UTC, date, datetime, time

from dateutil import rrule

from jetaa.core.timezones import zone
from jetaa.events.models import Frequency

MAX_OCCURRENCES = 120


def to_utc(local: datetime, name: str) -> datetime:
    """A naive wall-clock time in zone `name` as an aware UTC instant."""
    return local.replace(tzinfo=zone(name)).astimezone(UTC)


def exists(local: datetime, name: str) -> bool:
    """False for a wall-clock time the clocks skip (02:30 on a spring-forward night)."""
    return to_local(to_utc(local, name), name) == local


def to_local(instant: datetime, name: str) -> datetime:
    """An aware instant as a naive wall-clock time in zone `name`."""
    return instant.astimezone(zone(name)).replace(tzinfo=None)


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
                  name: str) -> list[tuple[datetime, datetime]]:
    """(local wall-clock start, UTC instant) of each occurrence, at most MAX_OCCURRENCES."""
    occurrences = []
    for local in series_rule(frequency, local_start, until):
        occurrences.append((local, to_utc(local, name)))
        if len(occurrences) >= MAX_OCCURRENCES:
            break
    return occurrences
