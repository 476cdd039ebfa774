"""What the mixed-traffic bench (`bench/mix.py`) asks for: many readers, many pages, writes.

A `Read` is one kind of page, with a weight (how often it is asked among all reads), who
asks for it ("member": one of the signed-in members, chosen at random per request;
"visitor": no login; or one of the demo logins: "officer", "mission", "admin") and a
function that makes a path from a random generator, the pools of ids drawn from the bench
database and the viewer's own branch (its slug; New York for the demo logins and visitors),
so that no two requests need be the same. Later features append their pages to READS.

The pools come from `draw_pools`: the database is read once before the run.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa


@dataclass
class Pools:
    branches: list[str]
    events: list[int]  # published, public or members-only, a spread over the years
    upcoming_events: list[int]  # published, public, open for RSVPs
    members: list[int]  # profiles visible to members
    signed_in: list[tuple[str, str]]  # (e-mail, branch slug) of members who sign in
    surnames: list[str]
    cities: list[str]
    months: list[str]  # "YYYY-MM" over the events' years
    # Outreach requests open to a branch's members (by its slug), and the New York consulate's.
    requests: dict[str, list[int]] = field(default_factory=dict)
    staff_requests: list[int] = field(default_factory=list)
    activities: list[int] = field(default_factory=list)  # published activities


@dataclass(frozen=True)
class Read:
    name: str
    weight: int
    who: str  # "member", "visitor", "officer", "mission", "admin"
    path: Callable[[random.Random, Pools, str], str]


def _month(rng: random.Random, pools: Pools) -> str:
    return rng.choice(pools.months)


READS: list[Read] = [
    # The member directory: a search nobody made a minute ago, filters, a branch's members.
    Read("directory search", 12, "member", lambda r, p, home: f"/directory?q={r.choice(p.surnames)}"),
    Read("directory filters", 6, "member", lambda r, p, home: (
        f"/directory?role={r.choice(('ALT', 'CIR', 'SEA'))}&prefecture={r.randint(1, 47)}"
        f"&year_from={r.randint(1990, 2015)}")),
    Read("directory city", 3, "member", lambda r, p, home: f"/directory?city={r.choice(p.cities)}"),
    Read("directory", 3, "member", lambda r, p, home: f"/directory?page={r.randint(1, 20)}"),
    Read("branch members", 4, "member", lambda r, p, home: (
        f"/branches/{home}/members?q={r.choice(p.surnames)[:3]}")),
    Read("profile", 10, "member", lambda r, p, home: f"/members/{r.choice(p.members)}"),
    # Branches.
    Read("branches", 3, "visitor", lambda r, p, home: "/branches"),
    Read("branch home", 6, "visitor", lambda r, p, home: f"/branches/{r.choice(p.branches)}"),
    Read("branch home (member)", 6, "member", lambda r, p, home: f"/branches/{r.choice(p.branches)}"),
    # Calendars and events.
    Read("federation calendar", 3, "member", lambda r, p, home: f"/events?month={_month(r, p)}"),
    Read("branch calendar", 6, "member", lambda r, p, home: (
        f"/branches/{r.choice(p.branches)}/events?month={_month(r, p)}")),
    Read("branch calendar (visitor)", 3, "visitor", lambda r, p, home: (
        f"/branches/{r.choice(p.branches)}/events?month={_month(r, p)}")),
    Read("event list", 2, "member", lambda r, p, home: f"/events?view=list&page={r.randint(1, 5)}"),
    Read("event", 10, "member", lambda r, p, home: f"/events/{r.choice(p.events)}"),
    Read("event (visitor)", 5, "visitor", lambda r, p, home: f"/events/{r.choice(p.upcoming_events)}"),
    # The public home and the layout alone.
    Read("home", 3, "visitor", lambda r, p, home: "/"),
    Read("home (member)", 3, "member", lambda r, p, home: "/"),
    # Activities and impact.
    Read("activity log", 3, "member", lambda r, p, home: f"/branches/{r.choice(p.branches)}/activities"),
    Read("activity", 2, "member", lambda r, p, home: f"/activities/{r.choice(p.activities)}"),
    Read("branch impact", 2, "member", lambda r, p, home: f"/branches/{home}/impact"),
    Read("federation impact", 1, "member", lambda r, p, home: "/impact"),
    # Recruitment outreach.
    Read("outreach board", 2, "member", lambda r, p, home: "/outreach"),
    Read("outreach request", 2, "member", lambda r, p, home: (
        f"/outreach/{r.choice(p.requests.get(home) or p.staff_requests)}")),
    Read("outreach request (staff)", 1, "mission", lambda r, p, home: (
        f"/outreach/{r.choice(p.staff_requests)}")),
    Read("mission dashboard", 1, "mission", lambda r, p, home: "/missions/cg-new-york/dashboard"),
    # Officers' pages.
    Read("roster", 1, "officer", lambda r, p, home: f"/branches/new-york/roster?q={r.choice(p.surnames)}"),
    # The JSON API (/api/v1/): branch websites polling their events, a member's script.
    Read("api events (branch)", 3, "visitor", lambda r, p, home: (
        f"/api/v1/events?branch={r.choice(p.branches)}")),
    Read("api events", 1, "visitor", lambda r, p, home: f"/api/v1/events?page={r.randint(1, 10)}"),
    Read("api event", 2, "visitor", lambda r, p, home: f"/api/v1/events/{r.choice(p.upcoming_events)}"),
    Read("api branches", 1, "visitor", lambda r, p, home: "/api/v1/branches"),
    Read("api directory", 2, "member", lambda r, p, home: f"/api/v1/directory?q={r.choice(p.surnames)}"),
]


def draw_pools(database: str, signed_in: int, seed: int = 1) -> Pools:
    """Ids and words from the bench database for the reads and writes to use."""
    rng = random.Random(seed)
    engine = sa.create_engine(database)
    now = datetime.now(UTC).replace(tzinfo=None)

    def column(sql: str, **params: object) -> list:
        return list(connection.execute(sa.text(sql), params).scalars())

    with engine.connect() as connection:
        branches = column("SELECT slug FROM branches WHERE active ORDER BY slug")
        events = column("SELECT id FROM events WHERE status = 'published' "
                        "AND audience IN ('public', 'members') ORDER BY id")
        upcoming = column("SELECT id FROM events WHERE status = 'published' AND audience = 'public' "
                          "AND starts_at > :now ORDER BY starts_at LIMIT 400", now=now)
        members = column("SELECT p.user_id FROM alumni_profiles p WHERE p.visibility = 'federation' "
                         "AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = p.user_id "
                         "AND m.status = 'approved') ORDER BY p.user_id")
        emails = list(connection.execute(sa.text(
            "SELECT u.email, MIN(b.slug) FROM users u JOIN memberships m ON m.user_id = u.id "
            "JOIN branches b ON b.id = m.branch_id "
            "WHERE m.status = 'approved' AND m.role = 'member' AND u.password_hash IS NOT NULL "
            "AND u.email NOT LIKE '%@example.org' GROUP BY u.email ORDER BY u.email LIMIT 5000")).tuples())
        names = column("SELECT name FROM users ORDER BY id LIMIT 5000")
        cities = column("SELECT DISTINCT current_city FROM alumni_profiles "
                        "WHERE current_city IS NOT NULL AND current_city != '' LIMIT 200")
        years = column("SELECT DISTINCT substr(CAST(starts_at AS TEXT), 1, 7) FROM events "
                       "WHERE status = 'published' LIMIT 400")
        open_requests = list(connection.execute(sa.text(
            "SELECT b.slug, r.id FROM outreach_requests r JOIN branches b ON b.mission_id = r.mission_id "
            "WHERE r.status IN ('open', 'filled') ORDER BY r.id")).tuples())
        staff_requests = column(
            "SELECT r.id FROM outreach_requests r JOIN missions m ON m.id = r.mission_id "
            "WHERE m.slug = 'cg-new-york' ORDER BY r.id")
        activities = column("SELECT id FROM activities WHERE is_published ORDER BY id DESC LIMIT 5000")
    engine.dispose()
    surnames = sorted({name.split()[-1] for name in names if " " in name})
    months = sorted(set(years)) or [date.today().strftime("%Y-%m")]
    return Pools(
        branches=branches,
        events=rng.sample(events, min(len(events), 3000)),
        upcoming_events=upcoming,
        members=rng.sample(members, min(len(members), 5000)),
        signed_in=rng.sample(emails, min(len(emails), signed_in)),
        surnames=surnames,
        cities=cities,
        months=months,
        requests={slug: [id_ for s, id_ in open_requests if s == slug] for slug, _ in open_requests},
        staff_requests=staff_requests,
        activities=activities,
    )
