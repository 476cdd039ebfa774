"""Demo data for the members feature: full alumni profiles and waiting applications."""

from __future__ import annotations

import random

from jetaa.db import utcnow
from jetaa.demo.bulk import DemoContext, bulk_insert
from jetaa.demo.names import OCCUPATIONS, PREFECTURE_CAPITALS
from jetaa.members.choices import LANGUAGE_CODES
from jetaa.members.models import AlumniProfile, ProfileJetRole, ProfileLanguage
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


def _roles(rng: random.Random) -> list[str]:
    # About nine in ten are ALTs; some ALTs later come back as CIRs.
    roll = rng.random()
    first = "ALT" if roll < 0.9 else ("CIR" if roll < 0.993 else "SEA")
    return [first, "CIR"] if first == "ALT" and rng.random() < 0.03 else [first]


def _profile(rng: random.Random, user_id: int, home: str, now) -> dict:  # noqa: ANN001
    start = rng.randint(1987, 2025)
    years = rng.choices((1, 2, 3, 4, 5), (30, 30, 25, 8, 7))[0]
    code = rng.randint(1, 47)
    occupation = rng.choice(OCCUPATIONS)
    level = _pick(rng, JAPANESE)
    return {
        "user_id": user_id, "prefecture_code": code,
        "municipality": PREFECTURE_CAPITALS[code - 1], "start_year": start,
        "end_year": min(start + years - 1, 2026), "home_country": home,
        "current_city": rng.choice(CITIES.get(home, ("",))), "occupation": occupation,
        "industry": INDUSTRY_OF.get(occupation, "other"),
        "employer": rng.choice(EMPLOYERS) if rng.random() < 0.6 else "",
        "contracting_organisation": f"{PREFECTURE_CAPITALS[code - 1]} Board of Education",
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
    """A full profile for every demo member, with a spread of privacy choices."""
    rng, now = ctx.rng, utcnow()
    country_of = {b.id: b.country for b in ctx.branches}
    primary_branch = {u: b for b, users in ctx.branch_members.items() for u in users}
    profiles, roles, languages = [], [], []
    demo_ids = list(ctx.demo_users.values())
    for user_id in ctx.user_ids + demo_ids[1:3]:
        home = country_of.get(primary_branch.get(user_id, 0), "US")
        if rng.random() > 0.92:
            home = rng.choice(("US", "GB", "CA"))
        profiles.append(_profile(rng, user_id, home, now))
        roles.extend({"user_id": user_id, "role": r} for r in _roles(rng))
        spoken = {"en"} | set(rng.sample(LANGUAGE_CODES, rng.choice((0, 0, 1, 2))))
        languages.extend({"user_id": user_id, "code": c} for c in sorted(spoken))
    bulk_insert(AlumniProfile, profiles)
    bulk_insert(ProfileJetRole, roles)
    bulk_insert(ProfileLanguage, languages)
    ctx.progress(len(profiles))


def make_applications(ctx: DemoContext) -> None:
    """Applications waiting for officers: several branches, New York always among them."""
    rng, now = ctx.rng, utcnow()
    new_york = next(b for b in ctx.branches if b.slug == "new-york")
    chosen = [new_york] + rng.sample([b for b in ctx.branches if b is not new_york],
                                     min(5, len(ctx.branches) - 1))
    taken = {(u, b) for b, users in ctx.branch_members.items() for u in users}
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

