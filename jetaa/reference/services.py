"""Loading the reference data the project ships under jetaa/data/.

Each loader upserts by natural key (slug or code), so running it again after
editing the file updates rows in place and never duplicates them.
"""

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from jetaa.branches.models import Branch
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


def _upsert(model: type, key: str, rows: list[dict[str, Any]], apply: Any) -> tuple[int, int]:
    existing = {getattr(obj, key): obj for obj in db.session.scalars(sa.select(model))}
    created = updated = 0
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            obj = model(**{key: row[key]})
            db.session.add(obj)
            created += 1
        else:
            updated += 1
        apply(obj, row)
    db.session.flush()
    return created, updated


def load_missions(rows: list[dict[str, Any]] | None = None) -> tuple[int, int]:
    def apply(mission: Mission, row: dict[str, Any]) -> None:
        for field in MISSION_FIELDS:
            setattr(mission, field, row.get(field) or ("" if field == "name_ja" else None))
        mission.kind = MissionKind(row["kind"])

    return _upsert(Mission, "slug", rows or read_data("missions.json"), apply)


def load_branches(rows: list[dict[str, Any]] | None = None) -> tuple[int, int]:
    missions = {m.slug: m.id for m in db.session.scalars(sa.select(Mission))}

    def apply(branch: Branch, row: dict[str, Any]) -> None:
        for field in BRANCH_FIELDS:
            value = row.get(field)
            setattr(branch, field, value if value is not None or field in
                    ("contact_email", "website") else "")
        branch.mission_id = missions.get(row.get("mission") or "")

    return _upsert(Branch, "slug", rows or read_data("branches.json"), apply)


def load_prefectures(rows: list[dict[str, Any]] | None = None) -> tuple[int, int]:
    def apply(prefecture: Prefecture, row: dict[str, Any]) -> None:
        for field in PREFECTURE_FIELDS:
            setattr(prefecture, field, row.get(field) or "")

    return _upsert(Prefecture, "code", rows or read_data("prefectures.json"), apply)


def load_all() -> dict[str, tuple[int, int]]:
    """Prefectures, missions, then branches (branches point at missions)."""
    return {
        "prefectures": load_prefectures(),
        "missions": load_missions(),
        "branches": load_branches(),
    }
