"""Demo events: ten years of calendars for every branch, with RSVPs, waitlists and series.

Bulk INSERTs from one seeded Random, like the rest of `flask demo-data`. The
New York demo logins get upcoming events: one they are going to, one full
with the member on the waitlist, a draft for the officer, and a monthly series.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from jetaa.db import utcnow
from jetaa.demo.bulk import DemoContext, bulk_insert, insert_returning_ids
from jetaa.events.models import Event, EventSeries, Rsvp, event_cohosts
from jetaa.events.times import expand_series

YEARS_BACK = 10
TITLES = {
    "networking": ["Networking night", "Shinnenkai networking", "Business & Japan mixer"],
    "cultural": ["Calligraphy workshop", "Tea ceremony demonstration", "Film night: Tampopo",
                 "Hanami picnic", "Tanabata evening", "Taiko performance"],
    "language_exchange": ["Japanese conversation café", "Nihongo & nomikai", "JLPT study group"],
    "career": ["Career panel: working with Japan", "CV clinic for returnees",
               "Teaching after JET: a panel"],
    "recruitment": ["JET Programme info session", "Pre-departure orientation",
                    "Returnee welcome reception"],
    "social": ["Bōnenkai", "Karaoke night", "Ramen crawl", "Sake tasting", "Summer BBQ",
               "Bowling and izakaya"],
    "volunteering": ["Beach clean-up", "Food bank volunteering", "Japan festival helpers"],
    "other": ["Annual general meeting", "Committee open evening"],
}
CATEGORIES = list(TITLES)
CATEGORY_WEIGHTS = [18, 20, 8, 10, 8, 26, 6, 4]


def _local_start(rng: random.Random, day: date) -> datetime:
    if day.weekday() >= 5:  # weekends: daytime
        return datetime.combine(day, time(rng.choice((11, 12, 13, 14)), rng.choice((0, 30))))
    return datetime.combine(day, time(rng.choice((18, 18, 19)), rng.choice((0, 30))))


def _event_row(rng: random.Random, branch, day: date, now: datetime, creator: int | None,  # noqa: ANN001
               **overrides: object) -> dict:
    zone = ZoneInfo(branch.timezone)
    category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
    start_local = _local_start(rng, day)
    start = start_local.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))
    online = rng.random() < 0.15
    capacity = rng.choice((None, None, 20, 30, 40, 60, 100)) if not online else None
    past = start < now
    row = {
        "branch_id": branch.id, "title": rng.choice(TITLES[category]), "category": category,
        "description": f"Join {branch.name} for this event.\n\n**All JET alumni welcome.**",
        "timezone": branch.timezone, "starts_at": start,
        "ends_at": start + timedelta(hours=rng.choice((2, 2, 3, 4))),
        "venue": "" if online else rng.choice(("Community Centre", "Izakaya Hana", "Japan House",
                                               "The Library, Room 2", "Consulate hall")),
        "address": "" if online else f"{rng.randint(1, 400)} Main Street, {_city(branch)}",
        "online_url": "https://meet.example.org/jetaa" if online else None,
        "capacity": capacity, "seats_taken": 0,
        "rsvp_deadline": start - timedelta(days=1) if rng.random() < 0.3 else None,
        "guests_allowed": rng.choice((0, 0, 1, 2)),
        "audience": rng.choices(("public", "federation", "branch"), (70, 20, 10))[0],
        "status": "cancelled" if rng.random() < 0.03 else (
            "draft" if not past and rng.random() < 0.05 else "published"),
        "mission_id": branch.mission_id if category == "recruitment" else None,
        "sequence": 0, "created_by_id": creator, "created_at": start - timedelta(days=30),
        "updated_at": start - timedelta(days=30), "series_id": None, "recurrence_start": None,
        "is_exception": False,
    }
    row.update(overrides)
    return row


def _rsvps(rng: random.Random, rows: list[dict], members: dict[int, list[int]],
           now: datetime) -> list[dict]:
    """RSVPs (keyed by event index) for every non-draft event; full ones get a waitlist.

    Sets each row's seats_taken to match, before the events are inserted.
    """
    out = []
    for event_id, row in enumerate(rows):
        if row["status"] == "draft":
            continue
        pool = members.get(row["branch_id"], [])
        wanted = min(len(pool), int(rng.expovariate(1 / 10)) + 1)
        seats, position = 0, 0
        for user_id in rng.sample(pool, wanted):
            guests = rng.randint(0, row["guests_allowed"]) if row["guests_allowed"] else 0
            going = rng.random() < 0.85
            status = "going" if going else "not_going"
            waitlisted_at = None
            if going and row["capacity"] is not None and seats + 1 + guests > row["capacity"]:
                status, position = "waitlisted", position + 1
                waitlisted_at = row["created_at"] + timedelta(minutes=position)
            elif going:
                seats += 1 + guests
            past = row["ends_at"] < now
            out.append({"event_id": event_id, "user_id": user_id, "status": status,
                        "guests": guests if status != "not_going" else 0,
                        "waitlisted_at": waitlisted_at,
                        "attended": (rng.random() < 0.8) if past and status == "going" else None,
                        "reminded_at": row["starts_at"] - timedelta(hours=20)
                        if past and status == "going" else None,
                        "created_at": row["created_at"], "updated_at": row["created_at"]})
        row["seats_taken"] = seats
    return out


def _series(rng: random.Random, branch, now: datetime, officer: int | None) -> tuple[dict, list[dict]]:  # noqa: ANN001
    """A monthly language exchange from 18 months ago to a year ahead."""
    first = (now - timedelta(days=540)).date().replace(day=1)
    first += timedelta(days=(1 - first.weekday()) % 7 + 7)  # the second Tuesday
    local = datetime.combine(first, time(19, 0))
    until = (now + timedelta(days=365)).date()
    series = {"branch_id": branch.id, "timezone": branch.timezone, "frequency": "monthly",
              "local_start": local, "duration_minutes": 120, "until": until, "created_at": now}
    rows = []
    for local_start, instant in expand_series("monthly", local, until, branch.timezone):
        rows.append(_event_row(
            rng, branch, local_start.date(), now, officer, title="Japanese conversation café",
            category="language_exchange", starts_at=instant, ends_at=instant + timedelta(hours=2),
            recurrence_start=instant, audience="public", capacity=None, status="cancelled"
            if rng.random() < 0.05 else "published", online_url=None, venue="Café Kyoto"))
    return series, rows


def _new_york_rows(rng: random.Random, branch, now: datetime, officer: int) -> list[dict]:  # noqa: ANN001
    today = now.astimezone(ZoneInfo(branch.timezone)).date()
    specs = [
        (1, {"title": "Welcome back reception", "capacity": 40, "audience": "public"}),
        (5, {"title": "Sake tasting", "capacity": 12, "guests_allowed": 1, "audience": "branch"}),
        (12, {"title": "Career panel: working with Japan", "capacity": None,
              "audience": "federation", "category": "career"}),
        (30, {"title": "Summer festival planning", "status": "draft", "audience": "branch"}),
    ]
    rows = []
    for days, fields in specs:
        row = _event_row(rng, branch, today + timedelta(days=days), now, officer,
                         online_url=None, venue="Japan Society", rsvp_deadline=None, **fields)
        row.setdefault("status", "published")
        row["status"] = fields.get("status", "published")
        row["created_at"] = row["updated_at"] = now - timedelta(days=14)
        rows.append(row)
    return rows


def make_events(ctx: DemoContext) -> None:
    """About 10 years of events for every branch (several thousand), RSVPs, waitlists, series."""
    rng, now = ctx.rng, utcnow()
    span = (YEARS_BACK * 365) + 180
    start_day = (now - timedelta(days=YEARS_BACK * 365)).date()
    rows: list[dict] = []
    series_rows: list[tuple[dict, list[dict]]] = []
    for branch in ctx.branches:
        officer = (ctx.officers.get(branch.id) or [None])[0]
        per_year = min(6 + len(ctx.branch_members.get(branch.id, [])) // 40, 24)
        for _ in range(int(per_year * span / 365)):
            rows.append(_event_row(rng, branch, start_day + timedelta(days=rng.randrange(span)),
                                   now, officer))
        if rng.random() < 0.4 or branch.slug == "new-york":
            series_rows.append(_series(rng, branch, now, officer))
    new_york = next(b for b in ctx.branches if b.slug == "new-york")
    officer_id, member_id = ctx.demo_users["officer@example.org"], ctx.demo_users["member@example.org"]
    ny_rows = _new_york_rows(rng, new_york, now, officer_id)

    series_ids = insert_returning_ids(EventSeries, [s for s, _ in series_rows])
    for series_id, (_series_row, occurrences) in zip(series_ids, series_rows, strict=True):
        for row in occurrences:
            row["series_id"] = series_id
            rows.append(row)
    rows.sort(key=lambda r: r["starts_at"])
    rows.extend(ny_rows)
    rsvps = _rsvps(rng, rows, ctx.branch_members, now)
    special = _demo_login_rsvps(rows, ny_rows, rsvps, ctx, member_id, officer_id)
    ids = insert_returning_ids(Event, rows)
    for rsvp in rsvps + special:
        rsvp["event_id"] = ids[rsvp["event_id"]]
    bulk_insert(Rsvp, rsvps + special)
    cohosts = _cohosts(rng, rows, ids, ctx.branches)
    if cohosts:
        from jetaa.extensions import db

        db.session.execute(sa.insert(event_cohosts), cohosts)
    ctx.progress(len(rows))


def _demo_login_rsvps(rows: list[dict], ny_rows: list[dict], rsvps: list[dict], ctx,  # noqa: ANN001
                      member_id: int, officer_id: int) -> list[dict]:
    """The member goes to the reception and waits for the sake tasting, filled to the last seat."""
    reception, sake = len(rows) - len(ny_rows), len(rows) - len(ny_rows) + 1

    def rsvp(index: int, user_id: int, status: str, queued: int = 0) -> dict:
        created = rows[index]["created_at"]
        return {"event_id": index, "user_id": user_id, "status": status, "guests": 0,
                "waitlisted_at": created + timedelta(days=1, minutes=queued)
                if status == "waitlisted" else None,
                "attended": None, "reminded_at": None, "created_at": created, "updated_at": created}

    out = [rsvp(reception, member_id, "going"), rsvp(reception, officer_id, "going")]
    rows[reception]["seats_taken"] += 2
    row = rows[sake]
    answered = {r["user_id"] for r in rsvps if r["event_id"] == sake}
    queue = sum(1 for r in rsvps if r["event_id"] == sake and r["status"] == "waitlisted")
    for user_id in ctx.branch_members.get(row["branch_id"], []):
        if row["seats_taken"] >= row["capacity"]:
            break
        if user_id not in answered:
            out.append(rsvp(sake, user_id, "going"))
            row["seats_taken"] += 1
    out.append(rsvp(sake, member_id, "waitlisted", queued=queue + 1))
    return out


def _cohosts(rng: random.Random, rows: list[dict], ids: list[int], branches: list) -> list[dict]:
    by_country: dict[str, list] = {}
    for branch in branches:
        by_country.setdefault(branch.country, []).append(branch)
    country_of = {b.id: b.country for b in branches}
    out = []
    for row, event_id in zip(rows, ids, strict=True):
        neighbours = [b for b in by_country[country_of[row["branch_id"]]] if b.id != row["branch_id"]]
        if neighbours and rng.random() < 0.03:
            out.append({"event_id": event_id, "branch_id": rng.choice(neighbours).id})
    return out


def _city(branch: Any) -> str:
    """The first place a branch's region names ("New York, New Jersey, ..." -> "New York")."""
    return branch.region.split(",")[0].split(" (")[0].strip() or branch.country_name
