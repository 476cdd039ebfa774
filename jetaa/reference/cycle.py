"""The JET recruitment cycle: the shipped months, and the dates admins set per country.

jetaa/data/recruitment_cycle.json gives each stage typical months. Each country's
embassy or consulate sets its own dates every year; an admin records them for one
country and one intake (RecruitmentDate rows). A stage without a row keeps the
shipped months as its default.

An intake is named by the year its participants leave for Japan. The cycle starts in
September of the year before (`cycle_starts_month`), so a stage whose first month is
September or later falls in the year before the intake: applications for the 2027
intake open in September 2026.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import cache

import sqlalchemy as sa

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.extensions import db
from jetaa.reference.models import RecruitmentDate
from jetaa.reference.services import read_data

CYCLE_FILE = "recruitment_cycle.json"


@dataclass(frozen=True)
class Stage:
    key: str
    name: str
    name_ja: str
    start_month: int
    end_month: int
    description: str
    countries: tuple[str, ...] = ()  # only these countries have the stage; () for all
    volunteer_kinds: tuple[str, ...] = ()  # the kinds of recruitment help it asks of alumni

    def label(self, locale: str) -> str:
        return self.name_ja if locale == "ja" and self.name_ja else self.name


@dataclass(frozen=True)
class StageDates:
    stage: Stage
    starts_on: date
    ends_on: date
    custom: bool  # set by an admin, rather than the shipped months


@cache
def _cycle() -> tuple[int, tuple[Stage, ...]]:
    data = read_data(CYCLE_FILE)
    stages = tuple(Stage(key=row["key"], name=row["name"], name_ja=row.get("name_ja", ""),
                         start_month=row["start_month"], end_month=row["end_month"],
                         description=row.get("description", ""),
                         countries=tuple(row.get("countries", ())),
                         volunteer_kinds=tuple(row.get("volunteer_kinds", ())))
                   for row in data["stages"])
    return data.get("cycle_starts_month", 9), stages


def all_stages() -> list[Stage]:
    return list(_cycle()[1])


def stages_for(country: str) -> list[Stage]:
    """The stages of `country`'s cycle, in order (some stages belong to a few countries)."""
    return [s for s in _cycle()[1] if not s.countries or country in s.countries]


def intake_window(intake: int) -> tuple[date, date]:
    """The earliest and latest date a stage of `intake` may have."""
    return date(intake - 1, 1, 1), date(intake, 12, 31)


def current_intake(today: date) -> int:
    """The intake whose applications open this cycle: from September, next year's."""
    return today.year + 1 if today.month >= _cycle()[0] else today.year


def default_dates(stage: Stage, intake: int) -> tuple[date, date]:
    """The shipped months as dates: the first of the first month to the end of the last."""
    start_year = intake - 1 if stage.start_month >= _cycle()[0] else intake
    end_year = start_year if stage.end_month >= stage.start_month else start_year + 1
    last_day = calendar.monthrange(end_year, stage.end_month)[1]
    return date(start_year, stage.start_month, 1), date(end_year, stage.end_month, last_day)


def _rows(country: str, intake: int) -> dict[str, RecruitmentDate]:
    return {row.stage: row for row in db.session.scalars(
        sa.select(RecruitmentDate).where(RecruitmentDate.country == country,
                                         RecruitmentDate.intake == intake))}


def cycle_for(country: str, intake: int) -> list[StageDates]:
    """Every stage of `country`'s `intake`, with an admin's dates where there are some."""
    rows = _rows(country, intake)
    result = []
    for stage in stages_for(country):
        row = rows.get(stage.key)
        if row is not None:
            result.append(StageDates(stage, row.starts_on, row.ends_on, custom=True))
        else:
            result.append(StageDates(stage, *default_dates(stage, intake), custom=False))
    return result


def now_and_next(country: str, today: date, limit: int = 3) -> list[StageDates]:
    """The stages of `country` under way on `today` or still to come, soonest first.

    Two intakes overlap: in the autumn the last one's late departures and welcome-home
    events run while the next one's applications are open.
    """
    intake = current_intake(today)
    stages = cycle_for(country, intake - 1) + cycle_for(country, intake)
    return sorted((s for s in stages if s.ends_on >= today), key=lambda s: s.starts_on)[:limit]


def custom_counts(intake: int) -> dict[str, int]:
    """Per country, how many stages of `intake` an admin has set (countries with none left out)."""
    query = (sa.select(RecruitmentDate.country, sa.func.count())
             .where(RecruitmentDate.intake == intake).group_by(RecruitmentDate.country))
    return dict(db.session.execute(query).tuples().all())


def save_cycle_dates(country: str, intake: int, dates: dict[str, tuple[date, date] | None],
                     *, actor: User) -> dict[str, list[str | None]]:
    """Set (or, with None, return to the default) the dates of `country`'s stages for
    `intake`; log what changed, as {stage: [old, new]}, in one audit entry."""
    rows = _rows(country, intake)
    changed: dict[str, list[str | None]] = {}
    for stage in stages_for(country):
        if stage.key not in dates:
            continue
        row, new = rows.get(stage.key), dates[stage.key]
        old = (row.starts_on, row.ends_on) if row is not None else None
        if old == new:
            continue
        changed[stage.key] = [_text(old), _text(new)]
        if new is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(RecruitmentDate(country=country, intake=intake, stage=stage.key,
                                           starts_on=new[0], ends_on=new[1]))
        else:
            row.starts_on, row.ends_on = new
    if changed:
        record("recruitment_dates.update", actor=actor, object_type="recruitment_dates",
               country=country, intake=intake, changes=changed)
    return changed


def _text(dates: tuple[date, date] | None) -> str | None:
    return None if dates is None else f"{dates[0].isoformat()}/{dates[1].isoformat()}"
