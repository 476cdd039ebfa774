"""IANA time zones, for forms and display."""

from functools import cache
from zoneinfo import ZoneInfo, available_timezones


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
