"""IANA time zones, for forms and display."""

from functools import cache
from zoneinfo import ZoneInfo, available_timezones


@cache
def zone(name: str) -> ZoneInfo:
    """The zone, kept: ZoneInfo keeps only a few zones warm and reads the others from disk
    again, and a calendar or the branch list uses dozens."""
    return ZoneInfo(name)


@cache
def timezone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if "/" in name
                        and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))))


def is_timezone(name: str) -> bool:
    """A real place's IANA zone ("Europe/London"); not "localtime", "Factory" or "posixrules"."""
    if name not in timezone_names() and name != "UTC":
        return False
    try:
        ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return False
    return True
