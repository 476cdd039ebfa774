"""The federation's people: accounts, memberships, officers, mission staff, profiles.

Everything is drawn from one seeded Random, so the same --seed gives the same
federation. Rows go in with bulk INSERTs: 25,000 members in seconds.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from jetaa.auth.models import User
from jetaa.auth.passwords import hash_password
from jetaa.branches.models import Branch, JoinPolicy
from jetaa.core import cache
from jetaa.db import utcnow
from jetaa.demo.bulk import DemoContext, bulk_insert, insert_returning_ids
from jetaa.demo.names import FIRST_NAMES, JAPANESE_NAMES, LAST_NAMES
from jetaa.extensions import db
from jetaa.memberships.models import Membership
from jetaa.missions.models import Mission, MissionStaff
from jetaa.reference.services import load_all

DEMO_PASSWORD = "jetaa-demo-password"  # noqa: S105 - published demo logins
DEMO_LOGINS = (
    ("admin@example.org", "Ayumi Clarke", "Federation admin"),
    ("officer@example.org", "Daniel Reyes", "Officer of JETAA New York"),
    ("member@example.org", "Hannah Brooks", "Member of JETAA New York"),
    ("mission@example.org", "Kenji Sato", "Staff, Consulate-General of Japan in New York"),
)
# Roughly where alumni live: the big national associations carry most members.
COUNTRY_WEIGHTS = {"US": 40, "GB": 12, "CA": 10, "AU": 9, "NZ": 5, "IE": 3}
OTHER_COUNTRY_WEIGHT = 2


def _ascii(text: str) -> str:
    normal = unicodedata.normalize("NFKD", text)
    return "".join(c for c in normal if c.isascii() and (c.isalnum())).lower()


def make_reference(ctx: DemoContext) -> None:
    load_all()
    ctx.branches = list(db.session.scalars(sa.select(Branch).where(Branch.active)
                                           .order_by(Branch.id)))


def _branch_weights(branches: list[Branch]) -> list[float]:
    per_country: dict[str, int] = {}
    for branch in branches:
        per_country[branch.country] = per_country.get(branch.country, 0) + 1
    return [COUNTRY_WEIGHTS.get(b.country, OTHER_COUNTRY_WEIGHT) / per_country[b.country]
            for b in branches]


def make_people(ctx: DemoContext) -> None:
    """Accounts, with one shared demo password hash (hashing 25,000 would take minutes)."""
    rng, now = ctx.rng, utcnow()
    password_hash = hash_password(DEMO_PASSWORD)
    rows = []
    for email, name, _role in DEMO_LOGINS:
        rows.append({"email": email, "name": name, "password_hash": password_hash,
                     "email_confirmed_at": now, "is_admin": email.startswith("admin"),
                     "session_token": f"demo{len(rows)}", "created_at": now})
    for n in range(ctx.members):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        joined = now - timedelta(days=rng.randint(1, 3650))
        # One in 40 writes their name in Japanese script (the e-mail stays in ASCII).
        name = (JAPANESE_NAMES[n // 40 % len(JAPANESE_NAMES)] if n % 40 == 7
                else f"{first} {last}")
        rows.append({
            "email": f"{_ascii(first)}.{_ascii(last)}.{n}@example.com",
            "name": name, "password_hash": password_hash,
            "email_confirmed_at": joined, "is_admin": False,
            "session_token": f"demo-{n}-{rng.getrandbits(48):x}", "created_at": joined,
        })
    ids = insert_returning_ids(User, rows)
    ctx.joined = {user_id: row["created_at"] for user_id, row in zip(ids, rows, strict=True)}
    ctx.demo_users = {login[0]: ids[i] for i, login in enumerate(DEMO_LOGINS)}
    ctx.user_ids = ids[len(DEMO_LOGINS):]
    ctx.progress(len(rows))


def make_memberships(ctx: DemoContext) -> None:
    """A primary branch for everyone, a second for the movers; officers per branch."""
    rng, now = ctx.rng, utcnow()
    weights = _branch_weights(ctx.branches)
    rows: list[dict] = []
    for user_id in ctx.user_ids:
        branch = rng.choices(ctx.branches, weights)[0]
        status = "pending" if rng.random() < 0.02 else "approved"
        # Members joined when they made their account: past years' reports count them.
        rows.append(_membership(user_id, branch.id, status, True, ctx.joined.get(user_id, now)))
        ctx.branch_members.setdefault(branch.id, []).append(user_id)
        if rng.random() < 0.06:
            other = rng.choices(ctx.branches, weights)[0]
            if other.id != branch.id:
                rows.append(_membership(user_id, other.id, "approved", False,
                                        ctx.joined.get(user_id, now)))
    by_key = {(r["user_id"], r["branch_id"]): r for r in rows}
    for branch in ctx.branches:
        members = [u for u in ctx.branch_members.get(branch.id, [])
                   if by_key[(u, branch.id)]["status"] == "approved"]
        chosen = rng.sample(members, min(len(members), rng.randint(3, 6)))
        ctx.officers[branch.id] = chosen
        for user_id in chosen:
            by_key[(user_id, branch.id)]["role"] = "officer"
    new_york = next(b for b in ctx.branches if b.slug == "new-york")
    rows.append(_membership(ctx.demo_users["officer@example.org"], new_york.id, "approved",
                            True, now, role="officer"))
    rows.append(_membership(ctx.demo_users["member@example.org"], new_york.id, "approved",
                            True, now))
    ctx.officers[new_york.id].append(ctx.demo_users["officer@example.org"])
    bulk_insert(Membership, rows)
    # Some branches let people join at once; most keep approval (the default).
    for branch in ctx.branches:
        if rng.random() < 0.2 and branch.slug != "new-york":
            branch.join_policy = JoinPolicy.OPEN
    ctx.progress(len(rows))


def _membership(user_id: int, branch_id: int, status: str, primary: bool, now,  # noqa: ANN001
                role: str = "member") -> dict:
    return {"user_id": user_id, "branch_id": branch_id, "status": status, "role": role,
            "is_primary": primary, "created_at": now,
            "decided_at": now if status == "approved" else None}


def make_mission_staff(ctx: DemoContext) -> None:
    missions = list(db.session.scalars(sa.select(Mission).order_by(Mission.id)))
    new_york = next(m for m in missions if m.slug == "cg-new-york")
    rows = [{"user_id": ctx.demo_users["mission@example.org"], "mission_id": new_york.id,
             "created_at": utcnow()}]
    people = []
    for mission in missions:
        for n in range(ctx.rng.randint(1, 2)):
            people.append({
                "email": f"staff{n + 1}.{mission.slug}@mofa.example", "name":
                f"{ctx.rng.choice(LAST_NAMES[-12:])} {ctx.rng.choice(FIRST_NAMES[60:64])}",
                "password_hash": None, "email_confirmed_at": utcnow(),
                "session_token": f"staff-{mission.slug}-{n}", "created_at": utcnow(),
                "is_admin": False,
            })
            rows.append({"mission_id": mission.id, "created_at": utcnow()})
    ids = insert_returning_ids(User, people)
    for row, user_id in zip(rows[1:], ids, strict=True):
        row["user_id"] = user_id
    bulk_insert(MissionStaff, rows)
    ctx.progress(len(rows))


# The federation's people come first; each feature then adds its own steps
# (add_step, called from the feature's init_app), in the order features are registered.
FOUNDATION: list[Callable[[DemoContext], None]] = [
    make_reference, make_people, make_memberships, make_mission_staff,
]


def add_step(app: Flask, step: Callable[[DemoContext], None], *, last: bool = False) -> None:
    """Make `step` part of `flask demo-data`, after the steps registered before it; with
    `last`, after every feature's steps (to sum up what they all wrote)."""
    steps = app.extensions.setdefault("jetaa.demo_last_steps" if last else "jetaa.demo_steps", [])
    if step not in steps:
        steps.append(step)


def generate(members: int, seed: int, progress: Callable[[int], None]) -> DemoContext:
    ctx = DemoContext(rng=random.Random(seed), members=members, progress=progress)
    for step in (*FOUNDATION, *current_app.extensions.get("jetaa.demo_steps", []),
                 *current_app.extensions.get("jetaa.demo_last_steps", [])):
        step(ctx)
    db.session.commit()
    cache.clear()  # nothing kept from before the load
    _update_statistics()
    return ctx


def _update_statistics() -> None:
    """Give the query planner statistics for the tables just filled.

    Without them (PostgreSQL's autovacuum may take minutes to get there) it plans
    for near-empty tables: a directory search on fresh demo data was ten times slower.
    On PostgreSQL a VACUUM as well, as autovacuum would do on a live server: it marks the
    pages all-visible, without which no count is answered from an index alone.
    """
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
            autocommit.execute(sa.text("VACUUM (ANALYZE)"))  # not inside a transaction
            return
        connection.execute(sa.text("ANALYZE"))
        connection.commit()


def database_is_empty() -> bool:
    return db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def wipe_database() -> None:
    """Delete every row (children first), keeping the schema and migrations, and empty
    the cache."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        # One TRUNCATE is instant where row-by-row deletes of 100,000s of rows are not.
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))  # noqa: S608
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()
    cache.clear()
