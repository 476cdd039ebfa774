"""Demo data for the members feature: full alumni profiles and waiting applications."""

from __future__ import annotations

import random

import sqlalchemy as sa

from jetaa.db import utcnow
from jetaa.demo.bulk import DemoContext, bulk_insert
from jetaa.demo.names import OCCUPATIONS, PREFECTURE_CAPITALS
from jetaa.extensions import db
from jetaa.members.choices import LANGUAGE_CODES
from jetaa.members.models import AlumniProfile, Placement, ProfileLanguage
from jetaa.members.services.profiles import years_on_jet
from jetaa.memberships.models import Membership

INDUSTRY_OF = {
    "Teacher": "education", "Translator": "translation", "Software engineer": "technology",
    "Diplomat": "government", "Civil servant": "government", "Lawyer": "law",
    "Researcher": "research", "Marketing manager": "business", "Project manager": "business",
    "Interpreter": "translation", "Journalist": "media", "Consultant": "business",
    "University lecturer": "research", "Nurse": "health", "Product designer": "technology",
    "Tour operator": "tourism", "Student": "education", "Nonprofit director": "nonprofit",
    "Accountant": "business", "Recruiter": "business",
}
CITIES = {
    "US": ("New York", "Seattle", "Chicago", "Los Angeles", "Washington", "Boston", "Portland",
           "San Francisco", "Atlanta", "Houston", "Denver", "Honolulu"),
    "GB": ("London", "Manchester", "Edinburgh", "Bristol", "Cardiff", "Leeds", "Glasgow"),
    "CA": ("Toronto", "Vancouver", "Montréal", "Calgary", "Ottawa", "Halifax"),
    "AU": ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"),
    "NZ": ("Auckland", "Wellington", "Christchurch"),
    "IE": ("Dublin", "Cork", "Galway"),
}
EMPLOYERS = ("Rakuten", "Sony", "the State Department", "a local school district", "JETRO",
             "Deloitte", "a university", "the city council", "Google", "a translation agency",
             "JNTO", "a hospital", "Toyota", "the Foreign Office", "a start-up")
INTERESTS = ("taiko", "onsen", "hiking", "calligraphy", "anime", "ramen", "karate",
             "tea ceremony", "photography", "running", "jazz", "cycling", "kendo", "sake")
VISIBILITY = (("federation", 45), ("branches", 40), ("officers", 15))
CONTACT = (("hidden", 55), ("officers", 20), ("branches", 15), ("federation", 10))
JAPANESE = (("basic", 15), ("conversational", 35), ("business", 25), ("fluent", 20),
            ("native", 5))


def _pick(rng: random.Random, weighted: tuple) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _placement(rng: random.Random, user_id: int, position: int, role: str, start: int,
               years: int) -> dict:
    code = rng.randint(1, 47)
    town = PREFECTURE_CAPITALS[code - 1]
    organisation = (f"{town} Board of Education" if role == "ALT"
                    else f"{town} International Relations Division")
    return {"user_id": user_id, "position": position, "role": role, "prefecture_code": code,
            "municipality": town, "contracting_organisation": organisation,
            "start_year": start, "end_year": min(start + years - 1, 2026)}


def _placements(rng: random.Random, user_id: int) -> list[dict]:
    """About nine in ten are ALTs; some go on to a second placement, often as a CIR."""
    roll = rng.random()
    role = "ALT" if roll < 0.9 else ("CIR" if roll < 0.993 else "SEA")
    start = rng.randint(1987, 2024)
    years = rng.choices((1, 2, 3, 4, 5), (30, 30, 25, 8, 7))[0]
    placements = [_placement(rng, user_id, 0, role, start, years)]
    second_start = start + years
    if rng.random() < 0.06 and second_start <= 2026:
        second = "CIR" if role == "ALT" and rng.random() < 0.5 else role
        placements.append(_placement(rng, user_id, 1, second, second_start,
                                     rng.choice((1, 2, 3))))
    return placements


def _profile(rng: random.Random, user_id: int, home: str, now, placements: list[dict]) -> dict:  # noqa: ANN001
    occupation = rng.choice(OCCUPATIONS)
    level = _pick(rng, JAPANESE)
    first_year, last_year = years_on_jet(placements)
    return {
        "user_id": user_id, "first_year": first_year, "last_year": last_year,
        "home_country": home,
        "current_city": rng.choice(CITIES.get(home, ("",))), "occupation": occupation,
        "industry": INDUSTRY_OF.get(occupation, "other"),
        "employer": rng.choice(EMPLOYERS) if rng.random() < 0.6 else "",
        "japanese_level": level,
        "jlpt_level": rng.choice(("N1", "N2", "N3")) if level in ("business", "fluent") else None,
        "bio": "", "interests": ", ".join(rng.sample(INTERESTS, rng.randint(0, 3))),
        "phone": f"+1 555 01{rng.randint(0, 99):02d}" if rng.random() < 0.3 else "",
        "website_url": "", "linkedin_url": "",
        "visibility": _pick(rng, VISIBILITY), "contact_visibility": _pick(rng, CONTACT),
        "open_to_recruitment": rng.random() < 0.18, "open_to_mentoring": rng.random() < 0.22,
        "member_set_fields": [], "updated_at": now,
    }


def make_profiles(ctx: DemoContext) -> None:
    """A full profile for every demo member, with a spread of privacy choices and of JET
    histories (some with two placements: an ALT in one prefecture, then a CIR in another)."""
    rng, now = ctx.rng, utcnow()
    country_of = {b.id: b.country for b in ctx.branches}
    primary_branch = {u: b for b, users in ctx.branch_members.items() for u in users}
    profiles, placements, languages = [], [], []
    demo_ids = list(ctx.demo_users.values())
    for user_id in ctx.user_ids + demo_ids[1:3]:
        home = country_of.get(primary_branch.get(user_id, 0), "US")
        if rng.random() > 0.92:
            home = rng.choice(("US", "GB", "CA"))
        mine = _placements(rng, user_id)
        if user_id == ctx.demo_users.get("member@example.org"):
            # The demo member shows the list: an ALT in Hyogo, then a CIR in Kobe.
            mine = [{**mine[0], "role": "ALT", "prefecture_code": 28, "municipality": "Himeji",
                     "contracting_organisation": "Himeji City Board of Education",
                     "start_year": 2015, "end_year": 2017},
                    {**mine[0], "position": 1, "role": "CIR", "prefecture_code": 28,
                     "municipality": "Kobe", "start_year": 2017, "end_year": 2019,
                     "contracting_organisation": "Kobe City International Relations Division"}]
        profiles.append(_profile(rng, user_id, home, now, mine))
        placements.extend(mine)
        spoken = {"en"} | set(rng.sample(LANGUAGE_CODES, rng.choice((0, 0, 1, 2))))
        languages.extend({"user_id": user_id, "code": c} for c in sorted(spoken))
    bulk_insert(AlumniProfile, profiles)
    bulk_insert(Placement, placements)
    bulk_insert(ProfileLanguage, languages)
    ctx.progress(len(profiles))


def make_applications(ctx: DemoContext) -> None:
    """Applications waiting for officers: several branches, New York always among them."""
    rng, now = ctx.rng, utcnow()
    new_york = next(b for b in ctx.branches if b.slug == "new-york")
    chosen = [new_york] + rng.sample([b for b in ctx.branches if b is not new_york],
                                     min(5, len(ctx.branches) - 1))
    # Every membership so far, second branches too (ctx.branch_members holds primaries only).
    taken = set(db.session.execute(sa.select(Membership.user_id, Membership.branch_id)).tuples())
    rows = []
    for branch in chosen:
        for user_id in rng.sample(ctx.user_ids, min(len(ctx.user_ids), 4)):
            if (user_id, branch.id) in taken:
                continue
            taken.add((user_id, branch.id))
            rows.append({"user_id": user_id, "branch_id": branch.id, "status": "pending",
                         "role": "member", "is_primary": False, "created_at": now,
                         "application_message": rng.choice((
                             "", "I just moved here and would love to get involved.",
                             "Happy to help with pre-departure orientation!"))})
    bulk_insert(Membership, rows)
    ctx.progress(len(rows))

