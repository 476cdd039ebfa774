"""What every feature's demo step shares: the context so far and fast bulk inserts."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from jetaa.extensions import db

BATCH = 5000


@dataclass
class DemoContext:
    """What each demo step knows about the federation made so far."""

    rng: random.Random
    members: int
    progress: Callable[[int], None]
    branches: list[Any] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    branch_members: dict[int, list[int]] = field(default_factory=dict)
    officers: dict[int, list[int]] = field(default_factory=dict)
    demo_users: dict[str, int] = field(default_factory=dict)
    joined: dict[int, Any] = field(default_factory=dict)  # user id -> when the account was made


def insert_returning_ids(model: type, rows: list[dict]) -> list[int]:
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        result = db.session.scalars(
            sa.insert(model).returning(model.id, sort_by_parameter_order=True), chunk
        )
        ids.extend(result.all())
    return ids


def bulk_insert(model: type, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(sa.insert(model), rows[start:start + BATCH])
