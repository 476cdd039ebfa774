"""Loading the reference data the project ships under jetaa/data/.

Each loader upserts by natural key (slug or code), so running it again after
editing the file updates rows in place and never duplicates them. A branch or
mission that has left its file is never deleted: members, staff, events and
activities still point at it. It is marked inactive instead (hidden from lists
and pickers), and becomes active again if the file lists it once more.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from jetaa.audit.services import record
from jetaa.branches.models import Branch
from jetaa.core import cache
from jetaa.extensions import db
from jetaa.missions.models import Mission, MissionKind
from jetaa.reference.models import Prefecture

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

BRANCH_FIELDS = ("name", "country", "country_name", "region", "grouping", "timezone",
                 "contact_email", "website", "description")
MISSION_FIELDS = ("name", "name_ja", "country", "city", "timezone", "website")
PREFECTURE_FIELDS = ("slug", "name", "name_ja", "region", "region_ja")


def read_data(name: str) -> Any:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclass(frozen=True)
class LoadCounts:
    """What one loader did: rows created and updated from the file, and rows the file no
    longer lists, now marked inactive (branches and missions only)."""

    created: int
    updated: int
    inactive: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated"
        return text + (f", {self.inactive} inactive" if self.inactive else "")


def _upsert(model: type, key: str, rows: list[dict[str, Any]], apply: Any) -> LoadCounts:
    existing = {getattr(obj, key): obj for obj in db.session.scalars(sa.select(model))}
    retires = hasattr(model, "active")
    created = updated = 0
    moved: list[tuple[Any, bool]] = []  # (row, now active) whose state the load changes
    for row in rows:
        obj = existing.pop(row[key], None)
        if obj is None:
            obj = model(**{key: row[key]})
            db.session.add(obj)
            created += 1
        else:
            updated += 1
            if retires and not obj.active:  # listed again after it had left
                moved.append((obj, True))
        apply(obj, row)
        if retires:
            obj.active = True
    left = list(existing.values()) if retires else []  # in the database, not in the file
    moved += [(obj, False) for obj in left if obj.active]
    for obj, active in moved:
        obj.active = active
    db.session.flush()
    cache.forget_reference_lists()
    kind = "branch" if model is Branch else "mission"
    for obj, active in moved:
        record(f"{kind}.{'reactivate' if active else 'deactivate'}", actor=None,
               object_type=kind, object_id=obj.id,
               branch_id=obj.id if model is Branch else None, via="load-branches")
    return LoadCounts(created, updated, len(left))


def load_missions(rows: list[dict[str, Any]] | None = None) -> LoadCounts:
    def apply(mission: Mission, row: dict[str, Any]) -> None:
        for field in MISSION_FIELDS:
            setattr(mission, field, row.get(field) or ("" if field == "name_ja" else None))
        mission.kind = MissionKind(row["kind"])

    return _upsert(Mission, "slug", rows or read_data("missions.json"), apply)


def load_branches(rows: list[dict[str, Any]] | None = None) -> LoadCounts:
    missions = {m.slug: m.id for m in db.session.scalars(sa.select(Mission))}

    def apply(branch: Branch, row: dict[str, Any]) -> None:
        for field in BRANCH_FIELDS:
            value = row.get(field)
            setattr(branch, field, value if value is not None or field in
                    ("contact_email", "website") else "")
        branch.mission_id = missions.get(row.get("mission") or "")

    return _upsert(Branch, "slug", rows or read_data("branches.json"), apply)


def load_prefectures(rows: list[dict[str, Any]] | None = None) -> LoadCounts:
    def apply(prefecture: Prefecture, row: dict[str, Any]) -> None:
        for field in PREFECTURE_FIELDS:
            setattr(prefecture, field, row.get(field) or "")

    return _upsert(Prefecture, "code", rows or read_data("prefectures.json"), apply)


def load_all() -> dict[str, LoadCounts]:
    """Prefectures, missions, then branches (branches point at missions)."""
    return {
        "prefectures": load_prefectures(),
        "missions": load_missions(),
        "branches": load_branches(),
    }
