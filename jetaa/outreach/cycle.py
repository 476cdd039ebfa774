"""The JET recruitment cycle: which cycle a date belongs to, and its stages.

A cycle runs from September to August and is named by its two years
("2026-27"): applications open in the autumn, interviews follow in winter,
participants leave in summer. The stages and their usual months come from
the shipped `jetaa/data/recruitment_cycle.json`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

CYCLE_START_MONTH = 9
DATA = Path(__file__).resolve().parent.parent / "data" / "recruitment_cycle.json"
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


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    name_ja: str
    start_month: int
    end_month: int
    volunteer_kinds: tuple[str, ...]

    def covers(self, month: int) -> bool:
        if self.start_month <= self.end_month:
            return self.start_month <= month <= self.end_month
        return month >= self.start_month or month <= self.end_month

    def label(self, locale: str) -> str:
        return self.name_ja if locale == "ja" and self.name_ja else self.name


@lru_cache(maxsize=1)
def stages() -> tuple[Stage, ...]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(Stage(key=s["key"], name=s["name"], name_ja=s.get("name_ja", ""),
                       start_month=int(s["start_month"]), end_month=int(s["end_month"]),
                       volunteer_kinds=tuple(s.get("volunteer_kinds", ())))
                 for s in data["stages"])


def current_stages(today: date) -> list[Stage]:
    return [stage for stage in stages() if stage.covers(today.month)]
