"""How a member's JET placements read: "ALT, Kobe, Hyogo 2015–2017 · CIR, Tokyo 2017–2019".

One wording for the profile page, the directory cards, the applications queue, the
attendees list and outreach, with prefecture names in the reader's language. Works on
the ORM rows (`Placement`) and on the directory's plain card rows alike: anything with
role, prefecture, municipality, start_year and end_year.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jetaa.core.templating import local_name


def years_text(start: int | None, end: int | None) -> str:
    """2015–2017, 2015 (a single year), 2015– (still on JET), or nothing."""
    if not start:
        return str(end) if end else ""
    if end == start:
        return str(start)
    return f"{start}–{end or ''}"


def role_text(placement: Any) -> str:
    role = placement.role
    return getattr(role, "value", role) or ""


def placement_text(placement: Any) -> str:
    """One placement: its role, then the town and prefecture, then its years."""
    place = ", ".join(part for part in (placement.municipality,
                                         local_name(placement.prefecture)) if part)
    head = ", ".join(part for part in (role_text(placement), place) if part)
    return " ".join(part for part in (head, years_text(placement.start_year,
                                                        placement.end_year)) if part)


def placements_text(placements: Iterable[Any]) -> str:
    """Every placement, in the member's order, joined by " · "."""
    return " · ".join(text for text in map(placement_text, placements) if text)


def roles_text(placements: Iterable[Any], separator: str = "/") -> str:
    """The roles held, each once, in order: "ALT/CIR"."""
    return separator.join(dict.fromkeys(r for r in map(role_text, placements) if r))


def span_text(placements: Iterable[Any]) -> str:
    """From the first year of any placement to the last: "2015–2019"."""
    placements = list(placements)
    starts = [p.start_year for p in placements if p.start_year]
    ends = [p.end_year or p.start_year for p in placements if p.start_year or p.end_year]
    ongoing = any(p.start_year and not p.end_year for p in placements)
    if not starts:
        return ""
    return years_text(min(starts), None if ongoing else max(ends))
