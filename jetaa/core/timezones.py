"""IANA time zones, for forms and display."""

from functools import cache, lru_cache
from zoneinfo import ZoneInfo, available_timezones

from babel import dates as babel_dates
from flask_babel import get_locale
from flask_babel import gettext as _


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


@lru_cache(maxsize=512)
def _zone_label(name: str, locale: str, label: str) -> str:
    return label % {"city": babel_dates.get_timezone_location(ZoneInfo(name), locale=locale,
                                                               return_city=True)}


def zone_label(name: str) -> str:
    """A zone as people say it, in the reader's language: "New York time", "ニューヨーク時間"."""
    if not is_timezone(name):
        return name
    return _zone_label(name, str(get_locale()), _("%(city)s time"))
