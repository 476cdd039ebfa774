"""Demo outreach: staff for the missions, five recruitment cycles of requests with offers,
outcomes and hours, and open requests in New York for the demo logins."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from jetaa.activities.models import Activity, ActivityStatus, Category
from jetaa.branches.models import Branch
from jetaa.db import utcnow
from jetaa.demo.bulk import DemoContext, bulk_insert, insert_returning_ids
from jetaa.events.times import to_utc
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile
from jetaa.missions.models import Mission
from jetaa.outreach.cycle import cycle_of
from jetaa.outreach.geo import coordinates, remember_places
from jetaa.outreach.models import RequestKind, VolunteerRequest, request_branches
from jetaa.outreach.presets import PRESETS

# (kind, month of the cycle's usual date, hour): a season as missions run it.
SEASON = [
    (RequestKind.INFORMATION_SESSION, 10, 18), (RequestKind.CAREER_FAIR, 10, 11),
    (RequestKind.INFORMATION_SESSION, 11, 18), (RequestKind.APPLICATION_SCREENING, 12, 9),
    (RequestKind.INTERVIEW_PANEL, 2, 9), (RequestKind.WAITING_ROOM_HOST, 2, 9),
    (RequestKind.PRE_DEPARTURE_ORIENTATION, 7, 10), (RequestKind.RETURNEE_EVENT, 9, 18),
]
CYCLES = 5


def make_outreach(ctx: DemoContext) -> None:
    _places()
    rng, now = ctx.rng, utcnow()
    missions = list(db.session.scalars(sa.select(Mission).order_by(Mission.id)))
    area: dict[int, list[Branch]] = {}
    for branch in ctx.branches:
        if branch.mission_id:
            area.setdefault(branch.mission_id, []).append(branch)
    opted = set(db.session.scalars(sa.select(AlumniProfile.user_id)
                                   .where(AlumniProfile.open_to_recruitment)))
    first_cycle = int(cycle_of(now.date())[:4]) - CYCLES + 1
    requests, plans = [], []
    for mission in missions:
        branches = area.get(mission.id, [])
        if not branches:
            continue
        point = coordinates(mission.country, mission.city)
        for year in range(first_cycle, first_cycle + CYCLES):
            for kind, month, hour in SEASON:
                if rng.random() < 0.25:
                    continue
                day = datetime(year if month >= 9 else year + 1, month, rng.randint(1, 27), hour)
                preset = PRESETS[kind]
                starts = to_utc(day, mission.timezone)  # the hour is the mission's own
                ends = starts + timedelta(hours=preset.hours)
                past = ends < now
                status = "closed" if past else ("open" if starts < now + timedelta(days=200)
                                                 else "draft")
                if past and rng.random() < 0.05:
                    status = "cancelled"
                requests.append({
                    "mission_id": mission.id, "kind": kind.value, "title": str(preset.title),
                    "description": str(preset.description), "venue": f"{mission.name}",
                    "city": mission.city, "country": mission.country, "is_online": False,
                    "latitude": point and point[0], "longitude": point and point[1],
                    "timezone": mission.timezone, "starts_at": starts, "ends_at": ends,
                    "is_period": kind == RequestKind.APPLICATION_SCREENING,
                    "respond_by": starts - timedelta(days=preset.respond_days),
                    "cycle": cycle_of(starts.date()), "status": status, "sequence": 0,
                    "people_reached": rng.randint(15, 220) if status == "closed" else None,
                    "questions_asked": rng.randint(3, 40) if status == "closed" else None,
                    "applications_named": rng.randint(0, 12) if status == "closed" else None,
                    "outcome_notes": "", "outcome_recorded_at": ends if status == "closed" else None,
                    "created_at": starts - timedelta(days=40), "updated_at": starts,
                })
                plans.append((mission, branches, preset, status))
    _new_york(ctx, missions, area, requests, plans, now)
    ids = insert_returning_ids(VolunteerRequest, requests)
    links, roles, role_plans = [], [], []
    for request_id, row, (_mission, branches, preset, status) in zip(ids, requests, plans,
                                                                    strict=True):
        for branch in branches:
            links.append({"request_id": request_id, "branch_id": branch.id})
        for role in preset.roles:
            roles.append({"request_id": request_id, "name": str(role.name), "places": role.places,
                          "confirmed": 0, "jet_role": role.jet_role and role.jet_role.value,
                          "min_japanese": role.min_japanese and role.min_japanese.value,
                          "returned_min_years": role.returned_min_years,
                          "returned_max_years": role.returned_max_years, "region": ""})
            role_plans.append((request_id, row, branches, status))
    db.session.execute(sa.insert(request_branches), links)
    from jetaa.outreach.models import RequestRole, VolunteerOffer

    role_ids = insert_returning_ids(RequestRole, roles)
    offers, activity_rows, confirmed_by_role = [], {}, {}
    for role_id, role, (request_id, row, branches, status) in zip(role_ids, roles, role_plans,
                                                                  strict=True):
        if status in ("draft",):
            continue
        pool = [(b.id, u) for b in branches for u in ctx.branch_members.get(b.id, [])
                if u in opted]
        if not pool:
            continue
        chosen = rng.sample(pool, min(len(pool), role["places"] + rng.randint(0, 3)))
        seen = set()
        for n, (branch_id, user_id) in enumerate(chosen):
            if user_id in seen:
                continue
            seen.add(user_id)
            decided = row["respond_by"] - timedelta(days=rng.randint(0, 5))
            if status == "open":
                state = "confirmed" if n < role["places"] - 1 else "offered"
            elif status == "cancelled":
                state = "withdrawn"
            else:
                state = "confirmed" if n < role["places"] else rng.choice(("waitlisted",
                                                                           "declined"))
            came = None
            tenths = None
            if status == "closed" and state == "confirmed":
                came = rng.random() > 0.08
                tenths = int((row["ends_at"] - row["starts_at"]).total_seconds() // 360) \
                    if came else 0
            if state == "confirmed":
                confirmed_by_role[role_id] = confirmed_by_role.get(role_id, 0) + 1
            offers.append({
                "request_id": request_id, "role_id": role_id, "user_id": user_id,
                "branch_id": branch_id, "status": state, "note": "", "availability": "",
                "decided_at": decided if state != "offered" else None,
                "waitlisted_at": decided if state == "waitlisted" else None,
                "declared_at": decided if row["kind"] in ("interview_panel",
                                                          "application_screening") else None,
                "has_conflict": False, "conflict_details": "", "conflict_accepted_reason": "",
                "attended": came, "hours_tenths": tenths,
                "created_at": decided - timedelta(days=2), "updated_at": decided,
            })
            if came:
                line = activity_rows.setdefault(request_id, {"row": row, "branches": {},
                                                             "tenths": 0})
                line["branches"][branch_id] = line["branches"].get(branch_id, 0) + 1
                line["tenths"] += tenths
    offers += _member_history(ctx, role_ids, roles, role_plans, offers, confirmed_by_role)
    bulk_insert(VolunteerOffer, offers)
    for role_id, count in confirmed_by_role.items():
        db.session.execute(sa.update(RequestRole).where(RequestRole.id == role_id)
                           .values(confirmed=count))
    _activities(ctx, activity_rows)
    ctx.progress(len(requests) + len(offers))


def _member_history(ctx: DemoContext, role_ids: list[int], roles: list[dict], role_plans: list,
                    offers: list[dict], confirmed_by_role: dict[int, int]) -> list[dict]:
    """member@example.org helped at two of New York's past requests (their history page)."""
    member = ctx.demo_users.get("member@example.org")
    new_york = next((b.id for b in ctx.branches if b.slug == "new-york"), None)
    taken = {(o["role_id"], o["user_id"]) for o in offers}
    history = []
    for role_id, role, (request_id, row, branches, status) in reversed(list(zip(
            role_ids, roles, role_plans, strict=True))):
        if len(history) == 2:
            break
        if (status != "closed" or new_york not in {b.id for b in branches}
                or confirmed_by_role.get(role_id, 0) >= role["places"]
                or (role_id, member) in taken or row["kind"] in ("interview_panel",
                                                                 "application_screening")):
            continue
        confirmed_by_role[role_id] = confirmed_by_role.get(role_id, 0) + 1
        tenths = int((row["ends_at"] - row["starts_at"]).total_seconds() // 360)
        history.append({
            "request_id": request_id, "role_id": role_id, "user_id": member,
            "branch_id": new_york, "status": "confirmed", "note": "Happy to help again",
            "availability": "", "decided_at": row["respond_by"], "waitlisted_at": None,
            "declared_at": None, "has_conflict": False, "conflict_details": "",
            "conflict_accepted_reason": "", "attended": True, "hours_tenths": tenths,
            "created_at": row["respond_by"] - timedelta(days=3), "updated_at": row["ends_at"],
        })
    return history


def _places() -> None:
    """The demo profiles' cities, with their coordinates (bulk inserts skip the ORM hook)."""
    pairs = set(db.session.execute(sa.select(AlumniProfile.home_country,
                                             AlumniProfile.current_city).distinct()).all())
    remember_places(db.session, {tuple(p) for p in pairs})
    db.session.flush()


def _new_york(ctx: DemoContext, missions: list[Mission], area: dict, requests: list,
              plans: list, now: datetime) -> None:
    """Open requests of the Consulate-General in New York that member@example.org can answer."""
    mission = next((m for m in missions if m.slug == "cg-new-york"), None)
    if mission is None or not area.get(mission.id):
        return
    point = coordinates(mission.country, mission.city)
    for days, kind in ((12, RequestKind.INFORMATION_SESSION), (20, RequestKind.CAREER_FAIR),
                       (45, RequestKind.INTERVIEW_PANEL)):
        preset = PRESETS[kind]
        starts = (now + timedelta(days=days)).replace(hour=15, minute=0, second=0, microsecond=0)
        requests.append({
            "mission_id": mission.id, "kind": kind.value, "title": str(preset.title),
            "description": str(preset.description), "venue": "Consulate-General of Japan",
            "city": "New York", "country": "US", "is_online": False,
            "latitude": point and point[0], "longitude": point and point[1],
            "timezone": mission.timezone, "starts_at": starts,
            "ends_at": starts + timedelta(hours=preset.hours), "is_period": False,
            "respond_by": starts - timedelta(days=5), "cycle": cycle_of(starts.date()),
            "status": "open", "sequence": 0, "people_reached": None, "questions_asked": None,
            "applications_named": None, "outcome_notes": "", "outcome_recorded_at": None,
            "created_at": now - timedelta(days=3), "updated_at": now,
        })
        plans.append((mission, area[mission.id], preset, "open"))


def _activities(ctx: DemoContext, lines: dict) -> None:
    """Each closed request with attendance counts once in the activity dashboards (recorded,
    as the app records it, by a reviewer: here an officer of the host branch)."""
    from jetaa.activities.models import activity_cohosts
    from jetaa.outreach.activity import currency_of

    if not lines:
        return
    country = {b.id: b.country for b in ctx.branches}
    rows, cohosts, request_ids = [], [], []
    for request_id, line in lines.items():
        row = line["row"]
        by_branch = line["branches"]
        host = min(by_branch, key=lambda b: (-by_branch[b], b))
        rows.append({
            "branch_id": host, "title": row["title"], "category": Category.RECRUITMENT.value,
            "starts_on": row["starts_at"].date(), "ends_on": row["ends_at"].date(),
            "city": row["city"], "country": row["country"], "is_online": False,
            "description": "", "people_reached": row["people_reached"] or 0,
            "volunteers": sum(by_branch.values()), "volunteer_tenths": line["tenths"],
            "members_involved": sum(by_branch.values()),
            "currency": currency_of(country.get(host, "")), "money_raised": 0,
            "money_spent": 0, "links": "", "status": ActivityStatus.VERIFIED.value,
            "review_comment": "", "is_published": True, "submitted_at": row["ends_at"],
            "reviewed_by_id": (ctx.officers.get(host) or [None])[0],
            "created_by_id": (ctx.officers.get(host) or [None])[0],
            "reviewed_at": row["ends_at"], "created_at": row["ends_at"],
            "updated_at": row["ends_at"],
        })
        request_ids.append((request_id, host, set(by_branch) - {host}))
    ids = insert_returning_ids(Activity, rows)
    for activity_id, (request_id, _host, others) in zip(ids, request_ids, strict=True):
        db.session.execute(sa.update(VolunteerRequest).where(VolunteerRequest.id == request_id)
                           .values(activity_id=activity_id))
        cohosts += [{"activity_id": activity_id, "branch_id": b} for b in others]
    if cohosts:
        db.session.execute(sa.insert(activity_cohosts), cohosts)
