"""The JET recruitment cycle: which cycle a date belongs to, and its stages.

A cycle runs from September to August and is named by its two years
("2026-27"): applications open in the autumn, interviews follow in winter,
participants leave in summer. The stages, their usual months and the dates admins set
per country are the reference feature's (jetaa/reference/cycle.py).
"""

from __future__ import annotations

import re
from datetime import date

CYCLE_START_MONTH = 9
_CYCLE = re.compile(r"^(\d{4})-(\d{2})$")


def cycle_of(day: date) -> str:
    first = day.year if day.month >= CYCLE_START_MONTH else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def parse_cycle(text: str | None) -> str | None:
    """A well-formed cycle name ("2026-27"), or None."""
    match = _CYCLE.match(text or "")
    if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
        return None
    return text


def cycle_range(cycle: str) -> tuple[date, date]:
    """First and last day of a cycle."""
    first = int(cycle[:4])
    return date(first, CYCLE_START_MONTH, 1), date(first + 1, CYCLE_START_MONTH - 1, 31)


def recent_cycles(today: date, count: int = 6) -> list[str]:
    first = int(cycle_of(today)[:4])
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(first, first - count, -1)]


def intake_of(cycle: str) -> int:
    """The intake (the year participants leave for Japan) a cycle recruits: 2026-27 -> 2027."""
    return int(cycle[:4]) + 1
