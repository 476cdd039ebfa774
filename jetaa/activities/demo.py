"""Demo activities: ten years of grassroots work for every branch, with partners and members.

Bulk INSERTs from the one seeded Random of `flask demo-data`. Busy branches log
more; each kind of activity keeps its season (school visits in term time,
festivals in spring and summer, recruitment in the application and interview
months, pre-departure orientations in July) and the pandemic months move most
work online. Old entries are verified; the last months hold the entries still
being written or reviewed, and New York gets a review queue for the demo officer.
"""

from __future__ import annotations

import enum
import io
import random
from bisect import bisect
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from itertools import accumulate
from typing import Any

import sqlalchemy as sa
from babel.numbers import get_currency_precision
from PIL import Image, ImageDraw, ImageFont

from jetaa.activities import rollups
from jetaa.activities.models import (
    Activity,
    ActivityMember,
    ActivityPartner,
    ActivityStatus,
    Category,
    FundingSource,
    activity_cohosts,
)
from jetaa.activities.rates import load_volunteer_rates
from jetaa.activities.uploads import add_photo, remove_unreferenced
from jetaa.db import utcnow
from jetaa.demo.bulk import BATCH, DemoContext
from jetaa.demo.names import PREFECTURE_CAPITALS
from jetaa.extensions import db
from jetaa.memberships.models import Membership

YEARS_BACK = 10
C = Category
# Category: (weight, people reached (low, high), volunteers (low, high), hours a volunteer a day).
SHAPES = {
    C.CULTURE: (16, (20, 400), (2, 12), (3, 6)), C.LANGUAGE: (13, (6, 60), (1, 4), (2, 3)),
    C.SCHOOLS: (12, (25, 450), (1, 6), (2, 5)), C.FESTIVALS: (13, (200, 15000), (6, 60), (4, 9)),
    C.DISASTER_RELIEF: (3, (40, 2500), (3, 30), (3, 6)),
    C.SISTER_CITIES: (5, (20, 300), (2, 10), (3, 7)), C.CAREERS: (8, (15, 150), (2, 8), (2, 4)),
    C.SPORTS: (4, (20, 400), (3, 15), (4, 7)), C.MENTORING: (9, (15, 160), (3, 15), (3, 6)),
    C.RECRUITMENT: (12, (15, 300), (2, 10), (2, 5)), C.OTHER: (5, (10, 120), (1, 6), (2, 4)),
}
# Relative weight of each month, January first (northern hemisphere; flipped for the south).
SEASONS = {
    C.CULTURE: (9, 5, 6, 6, 6, 5, 4, 4, 6, 7, 8, 5),
    C.LANGUAGE: (8, 9, 9, 8, 8, 8, 4, 3, 9, 9, 9, 4),
    C.SCHOOLS: (7, 9, 9, 6, 9, 7, 0, 0, 7, 10, 10, 3),  # term time
    C.FESTIVALS: (1, 2, 5, 10, 8, 9, 12, 11, 7, 4, 2, 1),  # hanami, summer matsuri
    C.DISASTER_RELIEF: (3, 3, 9, 2, 2, 2, 2, 2, 2, 2, 2, 3),  # 11 March remembrances
    C.SISTER_CITIES: (2, 3, 6, 8, 7, 4, 3, 3, 7, 8, 6, 2),
    C.CAREERS: (3, 7, 8, 6, 4, 2, 2, 2, 7, 9, 8, 2),
    C.SPORTS: (1, 1, 3, 6, 8, 10, 10, 9, 7, 4, 2, 1),
    C.MENTORING: (1, 1, 3, 2, 3, 6, 16, 7, 5, 2, 1, 1),  # pre-departure in July, returnees after
    C.RECRUITMENT: (9, 10, 2, 1, 1, 1, 2, 1, 5, 12, 11, 3),  # applications in autumn, interviews
    C.OTHER: (6, 5, 5, 5, 5, 5, 4, 4, 5, 5, 5, 6),
}
SOUTH = {"AU", "NZ", "ZA", "AR", "BR", "PE"}
SEASONAL = {C.FESTIVALS, C.SPORTS, C.SCHOOLS}  # what follows the local seasons and school year
IN_PERSON = {C.FESTIVALS, C.SPORTS, C.SISTER_CITIES, C.SCHOOLS}
PANDEMIC = (date(2020, 3, 15), date(2021, 6, 30))
TITLES = {
    C.CULTURE: ("Tea ceremony demonstration", "Calligraphy workshop", "Japanese film night",
                "Origami afternoon at the library", "Mochitsuki New Year celebration",
                "Taiko drumming workshop", "Ikebana class"),
    C.LANGUAGE: ("Japanese conversation café", "JLPT study group", "Beginners' Japanese course",
                 "Kanji club", "Nihongo speech contest"),
    C.SCHOOLS: ("School visit: life in {jcity}", "Japan Day at {city} High School",
                "University Japan club talk", "Elementary school origami visit",
                "Classroom talk: teaching in Japan"),
    C.FESTIVALS: ("Cherry blossom festival booth", "{city} Japan Festival", "Tanabata evening",
                  "Matsuri stall and yukata corner", "Summer obon dance", "Anime convention panel"),
    C.DISASTER_RELIEF: ("3.11 remembrance and Tohoku fundraiser", "Charity bake sale for Japan",
                        "Ashinaga charity walk", "Disaster preparedness talk"),
    C.SISTER_CITIES: ("{city}–{sister} sister-city delegation", "Welcome for the {sister} mayor's visit",
                      "Sister-city youth exchange send-off", "Interpreting for a visiting delegation"),
    C.CAREERS: ("Career panel: working with Japan", "CV clinic for returning JETs",
                "Business & Japan networking night", "Teaching after JET: a panel"),
    C.SPORTS: ("Kendo demonstration", "Ekiden relay team", "Karate and judo open day",
               "Japanese baseball night out"),
    C.MENTORING: ("Pre-departure orientation", "Returnee welcome reception",
                  "Mentoring circle for new JETs", "Pre-departure Q&A: your prefecture"),
    C.RECRUITMENT: ("JET Programme information session", "Campus JET recruitment fair",
                    "Interview panel support at the consulate", "JET application workshop",
                    "Study-abroad fair stand"),
    C.OTHER: ("Annual general meeting", "Newsletter and website update day", "Committee planning retreat"),
}
# Japan's disasters of the last ten years, and the fundraisers branches held after them.
DISASTERS = ((date(2018, 7, 10), "Western Japan floods relief fundraiser"),
             (date(2018, 9, 8), "Hokkaido earthquake relief drive"),
             (date(2019, 10, 14), "Typhoon Hagibis relief appeal"),
             (date(2024, 1, 3), "Noto Peninsula earthquake relief fundraiser"))
# The local currency, and a rough size of one US dollar in it: only so that amounts look local.
MONEY = {"US": ("USD", 1), "CA": ("CAD", 1.35), "GB": ("GBP", 0.8), "IE": ("EUR", 0.92),
         "DE": ("EUR", 0.92), "FR": ("EUR", 0.92), "AU": ("AUD", 1.5), "NZ": ("NZD", 1.65),
         "ZA": ("ZAR", 18), "JM": ("JMD", 155), "TT": ("TTD", 6.8), "KR": ("KRW", 1350),
         "SG": ("SGD", 1.35), "RU": ("RUB", 90), "BR": ("BRL", 5), "PH": ("PHP", 56),
         "IN": ("INR", 83)}  # IDR left out: 20,000 dollars would pass MAX_MONEY
CITIES = {
    "washington-dc": "Washington|Baltimore|Arlington|Richmond",
    "new-york": "New York|Newark|Philadelphia|Hartford|Jersey City",
    "new-england": "Boston|Providence|Portland|Burlington",
    "southeast": "Atlanta|Charlotte|Savannah|Birmingham", "mid-south": "New Orleans|Baton Rouge|Jackson",
    "florida": "Miami|Orlando|Tampa", "chicago": "Chicago|Milwaukee|Indianapolis",
    "heartland": "Kansas City|St. Louis|Omaha|Des Moines", "texoma": "Houston|Dallas|Austin|Oklahoma City",
    "rocky-mountain": "Denver|Salt Lake City|Boulder|Albuquerque",
    "pacific-northwest": "Seattle|Tacoma|Spokane", "portland": "Portland|Eugene|Boise",
    "northern-california": "San Francisco|Oakland|San Jose|Sacramento",
    "southern-california": "Los Angeles|San Diego|Torrance|Pasadena", "hawaii": "Honolulu|Hilo",
    "alaska": "Anchorage|Fairbanks", "great-lakes": "Detroit|Columbus|Cleveland|Ann Arbor",
    "minnesota": "Minneapolis|Saint Paul|Duluth", "music-city": "Nashville|Memphis|Knoxville",
    "british-columbia": "Vancouver|Victoria|Whitehorse", "northern-alberta": "Edmonton|Red Deer",
    "southern-alberta": "Calgary|Lethbridge", "prairies": "Winnipeg|Saskatoon|Regina",
    "toronto": "Toronto|Hamilton|London|Waterloo", "ottawa": "Ottawa|Kingston",
    "quebec-atlantic": "Montréal|Québec|Halifax|Moncton", "new-south-wales": "Sydney|Newcastle|Wollongong",
    "vic-tas-sa": "Melbourne|Hobart|Adelaide|Geelong", "queensland": "Brisbane|Gold Coast|Cairns",
    "western-australia": "Perth|Fremantle", "canberra": "Canberra",
    "auckland": "Auckland|Hamilton|Tauranga", "wellington": "Wellington|Palmerston North",
    "south-island": "Christchurch|Dunedin|Nelson", "london": "London|Brighton|Oxford|Reading",
    "scotland": "Edinburgh|Glasgow|Aberdeen", "midlands": "Birmingham|Nottingham|Leicester",
    "north-west": "Manchester|Liverpool|Lancaster", "north-east": "Newcastle|Durham|Sunderland",
    "ireland": "Dublin|Cork|Galway",
    "germany": "Berlin|Düsseldorf|Frankfurt|Munich", "france": "Paris|Lyon|Strasbourg",
    "south-africa": "Pretoria|Johannesburg|Cape Town", "jamaica": "Kingston|Montego Bay",
    "korea": "Seoul|Busan", "singapore": "Singapore", "russia": "Moscow|Saint Petersburg",
    "brazil": "São Paulo|Curitiba|Rio de Janeiro", "trinidad-and-tobago": "Port of Spain|San Fernando",
    "philippines": "Manila|Quezon City|Cebu", "india": "New Delhi|Mumbai|Bengaluru",
    "indonesia": "Jakarta|Surabaya|Bandung",
}
PARTNERS = ("{city} Public Library", "Japan Society of {city}", "{city} Board of Education",
            "University of {city} East Asian Studies", "Japanese Chamber of Commerce of {city}",
            "{city}–{sister} Sister City Association", "{city} Japanese Language School",
            "{city} Community Centre", "Japan Foundation", "JETRO", "JNTO", "Ashinaga",
            "{city} Cherry Blossom Festival Committee", "{city} Kendo Club", "Red Cross ({city})",
            "{city} High School Japanese Club", "{sister} International Association", "CLAIR")


# Titles that belong to a month: (category, months, title index).
TIMELY = ((C.DISASTER_RELIEF, {3}, 0), (C.MENTORING, {6, 7}, 0), (C.MENTORING, {8, 9}, 1),
          (C.MENTORING, {5}, 3),
          (C.RECRUITMENT, {1, 2}, 2))


def _table(items: Any, weights: Any) -> tuple[tuple, list[float]]:
    """Items with cumulative weights, for _pick (rng.choices recounts the weights per call)."""
    return tuple(items), list(accumulate(weights))


def _pick(rng: random.Random, table: tuple[tuple, list[float]]) -> Any:
    items, cumulative = table
    return items[bisect(cumulative, rng.random() * cumulative[-1])]


def _between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


CATEGORY_TABLE = _table(SHAPES, [shape[0] for shape in SHAPES.values()])
MONTH_TABLES = {(category, south): _table(range(1, 13), months[6:] + months[:6] if south and
                                          category in SEASONAL else months)
                for category, months in SEASONS.items() for south in (False, True)}
S = ActivityStatus
STATUSES = (S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.VERIFIED, S.REJECTED)
# By days since the activity ended: almost all old entries are verified.
STATUS_TABLES = ((120, _table(STATUSES, (1, 0, 1, 96, 2))), (60, _table(STATUSES, (4, 8, 3, 84, 1))),
                 (14, _table(STATUSES, (8, 25, 7, 59, 1))), (-1, _table(STATUSES, (30, 45, 5, 20, 0))))
F = FundingSource
FUNDERS = (F.CLAIR, F.MISSION, F.OTHER_GRANT, F.OWN_FUNDS)
FUNDING_TABLES = {True: _table(FUNDERS, (30, 50, 5, 15)), False: _table(FUNDERS, (40, 15, 15, 30))}
COMMENTS = {S.CHANGES_REQUESTED: "Please add the number of students and a photo.",
            S.REJECTED: "This was a private social, not an outreach activity."}


def _title(rng: random.Random, category: Category, start: date) -> str:
    """A title of the category; a timely one (pre-departure orientation in July) in its months."""
    titles = TITLES[category]
    for kind, months, index in TIMELY:
        if kind == category:
            if start.month in months:
                return TITLES[kind][index]
            titles = tuple(t for t in titles if t != TITLES[kind][index])
    return rng.choice(titles)


def _amount(usd: float, place: dict) -> int:
    """A round local amount of about `usd` dollars (at most 20,000), in minor units.

    The cap keeps 20,000 dollars in Argentine centavos inside PostgreSQL's integer.
    """
    local = min(usd, 20_000) * place["per_usd"]
    step = 10 ** max(0, len(str(int(local))) - 2)  # two significant figures
    return int(round(local / step) * step) * place["minor"]


def _figures(rng: random.Random, category: Category, start: date, scale: float,
             place: dict) -> dict:
    _weight, people, volunteers, hours = SHAPES[category]
    days = sessions = 1
    if category == C.LANGUAGE and rng.random() < 0.35:
        sessions = rng.choice((6, 8, 10, 12))  # a weekly course, logged once
        days = 7 * (sessions - 1) + 1
    elif category in (C.FESTIVALS, C.SISTER_CITIES) and rng.random() < 0.3:
        days = sessions = _between(rng, 2, 4)
    n_volunteers = max(1, round(_between(rng, *volunteers) * scale))
    tenths = int(rng.uniform(*hours) * 10) * sessions * n_volunteers
    spent = _amount(rng.lognormvariate(5.0, 1.0), place) if rng.random() < 0.6 else 0
    raised = 0
    if category == C.DISASTER_RELIEF:
        raised = _amount(rng.lognormvariate(7.6, 1.0), place)
    elif category == C.FESTIVALS and rng.random() < 0.4:
        raised = _amount(rng.lognormvariate(6.5, 0.9), place)
    if spent:
        funding = _pick(rng, FUNDING_TABLES[category in (C.RECRUITMENT, C.MENTORING)])
    else:
        funding = None if rng.random() < 0.85 else F.OWN_FUNDS
    return {"starts_on": start, "ends_on": start + timedelta(days=days - 1),
            "people_reached": round(_between(rng, *people) * scale), "volunteers": n_volunteers,
            "volunteer_tenths": tenths, "currency": place["currency"], "money_raised": raised,
            "money_spent": spent, "funding_source": funding}


def _workflow(rng: random.Random, row: dict, status: ActivityStatus, officers: list[int],
              now: datetime) -> None:
    """Fill who logged, submitted and reviewed the entry, and when (never after now)."""
    created = min(datetime.combine(row["ends_on"], time(), tzinfo=UTC)
                  + timedelta(hours=_between(rng, 2, 240)), now - timedelta(hours=2))
    submitted = reviewed = reviewer = None
    if status != S.DRAFT:
        submitted = min(created + timedelta(hours=_between(rng, 1, 300)), now - timedelta(hours=1))
    if status in (S.VERIFIED, S.REJECTED, S.CHANGES_REQUESTED):
        others = [o for o in officers if o != row["created_by_id"]] or officers
        reviewer = rng.choice(others) if others else None
        reviewed = min(submitted + timedelta(hours=_between(rng, 4, 480)), now)
    row.update(status=status, review_comment=COMMENTS.get(status, ""), created_at=created,
               submitted_at=submitted, reviewed_by_id=reviewer, reviewed_at=reviewed,
               updated_at=reviewed or submitted or created,
               is_published=status == S.VERIFIED and rng.random() < 0.6)


def _entry(rng: random.Random, place: dict, category: Category, start: date, title: str,
           now: datetime) -> tuple[dict, list[str], list[int]] | None:
    """One activity row with its partner names and named members (None if it cannot be)."""
    if not PANDEMIC[0] <= start <= PANDEMIC[1]:
        online = rng.random() < 0.06
    elif category in IN_PERSON and rng.random() < 0.75:
        return None  # cancelled
    else:
        online = rng.random() < 0.75
    row = _figures(rng, category, start, place["scale"] * (0.5 if online else 1.0), place)
    if row["ends_on"] > now.date():
        return None
    cities, jcity, members = place["cities"], rng.choice(PREFECTURE_CAPITALS), place["members"]
    city = cities[min(int(rng.expovariate(1.2)), len(cities) - 1)]
    named = rng.sample(members, min(len(members), row["volunteers"], rng.choice((0, 1, 1, 1, 2, 2, 3))))
    authors = place["officer_authors"]
    creator = rng.choice(authors) if authors and rng.random() < 0.4 \
        else (rng.choice(members) if members else None)
    row.update(branch_id=place["id"], category=category, is_online=online,
               title=title.format(city=city, jcity=jcity, sister=place["sister"])[:160],
               city="" if online else city,
               country=place["country"], event_id=None, created_by_id=creator,
               members_involved=max(len(named), round(row["volunteers"] * rng.uniform(0.5, 1))),
               description=f"{place['name']} volunteers ran this in {city} "
                           f"({row['people_reached']} people reached).",
               links=f"https://{place['slug']}.jetaa.example.org/{start.year}/{start:%m}/activity"
               if rng.random() < 0.3 else "")
    age = (now.date() - row["ends_on"]).days
    status = _pick(rng, next(table for days, table in STATUS_TABLES if age > days))
    _workflow(rng, row, status, place["officers"], now)
    partners = {_pick(rng, place["partners"]).format(city=cities[0], sister=place["sister"])
                for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3)))}
    return row, sorted(partners), named


def _places(rng: random.Random, ctx: DemoContext, approved: dict[int, list[int]]) -> dict:
    """Per branch what its entries need: members, officers, partner pool, currency, size."""
    demo = set(ctx.demo_users.values())
    out = {}
    for branch in ctx.branches:
        currency, per_usd = MONEY.get(branch.country, ("USD", 1))
        pool = rng.sample(PARTNERS, _between(rng, 8, 14))
        size = len(ctx.branch_members.get(branch.id, []))
        out[branch.id] = {
            "id": branch.id, "slug": branch.slug, "name": branch.name, "country": branch.country,
            "cities": CITIES.get(branch.slug, branch.country_name or "").split("|"),
            "sister": rng.choice(PREFECTURE_CAPITALS),  # its partner city in Japan
            "currency": currency, "per_usd": per_usd,
            "minor": 10 ** get_currency_precision(currency),
            "members": [u for u in approved.get(branch.id, []) if u not in demo],
            "officers": ctx.officers.get(branch.id, []),
            # The demo logins write only the entries made for them (_review_queue).
            "officer_authors": [u for u in ctx.officers.get(branch.id, []) if u not in demo],
            "partners": _table(pool, [1 / (rank + 1) for rank in range(len(pool))]),  # top ones repeat
            "size": size, "scale": 0.7 + 0.6 * min(size / 400, 1.0),
            "busy": rng.uniform(0.6, 1.4),  # some branches do more than their size says
        }
    return out


def _branch_entries(rng: random.Random, place: dict,
                    now: datetime) -> list[tuple[dict, list[str], list[int]]]:
    today = now.date()
    years = _table(range(today.year - YEARS_BACK, today.year + 1),
                   [0.85 + 0.03 * i for i in range(YEARS_BACK + 1)])
    first = today - timedelta(days=YEARS_BACK * 365)
    south = place["country"] in SOUTH
    out = []
    for _ in range(int((5 + 0.09 * place["size"]) * place["busy"] * (YEARS_BACK + 1))):
        category = _pick(rng, CATEGORY_TABLE)
        start = date(_pick(rng, years), _pick(rng, MONTH_TABLES[category, south]),
                     _between(rng, 1, 28))
        if start >= first:
            out.append(_entry(rng, place, category, start, _title(rng, category, start), now))
    for when, title in DISASTERS:  # the appeals after a disaster in Japan
        for _ in range(rng.choice((0, 1, 1, 2, 3)) if when >= first else 0):
            out.append(_entry(rng, place, C.DISASTER_RELIEF,
                              when + timedelta(days=_between(rng, 5, 75)), title, now))
    return [entry for entry in out if entry is not None]


def _review_queue(rng: random.Random, ctx: DemoContext, place: dict,
                  now: datetime) -> list[tuple[dict, list[str], list[int]]]:
    """New York's recent entries that the demo logins see at every stage of review."""
    officer, member = ctx.demo_users["officer@example.org"], ctx.demo_users["member@example.org"]
    plan = [(None, ActivityStatus.SUBMITTED)] * 5 + [
        (officer, ActivityStatus.SUBMITTED), (member, ActivityStatus.DRAFT),
        (member, ActivityStatus.CHANGES_REQUESTED)]
    out = []
    for n, (author, status) in enumerate(plan):
        category = rng.choice((C.SCHOOLS, C.CULTURE, C.RECRUITMENT, C.CAREERS))  # one-day kinds
        start = now.date() - timedelta(days=4 + 3 * n)
        entry = _entry(rng, place, category, start, _title(rng, category, start), now)
        assert entry is not None  # one day, ended, outside the pandemic months
        row = entry[0]
        # Other New York members wrote the rest (none in a federation of a handful of people).
        row["created_by_id"] = author or (rng.choice(place["members"]) if place["members"] else None)
        reviewers = [o for o in place["officers"] if o != officer]
        _workflow(rng, row, status, [officer] if status == ActivityStatus.CHANGES_REQUESTED
                  else reviewers, now)
        out.append(entry)
    return out


def _cohosts(rng: random.Random, rows: list[dict], ids: list[int], branches: list) -> list[dict]:
    by_country: dict[str, list[int]] = {}
    for branch in branches:
        by_country.setdefault(branch.country, []).append(branch.id)
    out = []
    for row, activity_id in zip(rows, ids, strict=True):
        neighbours = [b for b in by_country[row["country"]] if b != row["branch_id"]]
        if neighbours and rng.random() < 0.03:
            out.append({"activity_id": activity_id, "branch_id": rng.choice(neighbours)})
    return out


def _insert(table: sa.Table, rows: list[dict], *, ids: bool = False) -> list[int]:
    """Insert the rows (Core: a None goes in as NULL); with `ids`, their new ids in order.

    The ORM's bulk insert leaves a None out of its row, and rows with different columns
    cannot share a statement: entries whose review dates or funding are missing in changing
    patterns went in two a statement. On PostgreSQL with psycopg, COPY: psycopg parses every
    multi-row INSERT afresh, and that took 12 s for the activities (COPY: under one).
    """
    if not rows:
        return []
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        return _copy(connection, table, rows, ids)
    if not ids:
        connection.execute(sa.insert(table), rows)
        return []
    statement = sa.insert(table).returning(table.c.id, sort_by_parameter_order=True)
    new: list[int] = []
    for start in range(0, len(rows), BATCH):
        new.extend(connection.execute(statement, rows[start:start + BATCH]).scalars())
    return new


def _copy(connection: sa.Connection, table: sa.Table, rows: list[dict], ids: bool) -> list[int]:
    new: list[int] = []
    if ids:  # taken from the table's own sequence, so later inserts carry on after them
        new = list(connection.execute(
            sa.text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                    "FROM generate_series(1, :n)"), {"table": table.name, "n": len(rows)}).scalars())
        rows = [{**row, "id": row_id} for row, row_id in zip(rows, new, strict=True)]
    columns = list(rows[0])
    names = ", ".join(f'"{column}"' for column in columns)
    with connection.connection.driver_connection.cursor() as cursor, \
            cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:  # enums by value, as str_enum stores them
            values = (row[column] for column in columns)
            copy.write_row([v.value if isinstance(v, enum.Enum) else v for v in values])
    return new


def _approved_members() -> dict[int, list[int]]:
    approved: dict[int, list[int]] = {}
    query = sa.select(Membership.branch_id, Membership.user_id).where(
        Membership.status == "approved").order_by(Membership.branch_id, Membership.user_id)
    for branch_id, user_id in db.session.execute(query):
        approved.setdefault(branch_id, []).append(user_id)
    return approved


def make_activities(ctx: DemoContext) -> None:
    """Ten years of activities for every branch (tens of thousands at full size), rates, photos."""
    remove_unreferenced()  # the photos of a wiped demo federation
    load_volunteer_rates()
    rng, now = ctx.rng, utcnow()
    places = _places(rng, ctx, _approved_members())
    entries = []
    for branch in ctx.branches:
        entries.extend(_branch_entries(rng, places[branch.id], now))
    entries.sort(key=lambda entry: (entry[0]["starts_on"], entry[0]["branch_id"]))
    new_york = next(b for b in ctx.branches if b.slug == "new-york")
    entries.extend(_review_queue(rng, ctx, places[new_york.id], now))
    rows = [row for row, _partners, _members in entries]
    ids = _insert(Activity.__table__, rows, ids=True)
    partners, members = [], []
    for activity_id, (_row, names, named) in zip(ids, entries, strict=True):
        partners.extend({"activity_id": activity_id, "name": name} for name in names)
        members.extend({"activity_id": activity_id, "user_id": user_id,
                        "hidden": rng.random() < 0.1} for user_id in named)
    _insert(ActivityPartner.__table__, partners)
    _insert(ActivityMember.__table__, members)
    _insert(activity_cohosts, _cohosts(rng, rows, ids, ctx.branches))
    _photos(rng, rows, ids, new_york.id, now.year)
    ctx.progress(len(rows))


def sum_up_activities(_ctx: DemoContext) -> None:
    """The dashboards' monthly figures, once every feature's activities are in (they went
    in past the ORM, whose flushes keep the figures in step)."""
    rollups.rebuild(db.session.connection())


# -- photos --------------------------------------------------------------------------------------

SKY = ((250, 214, 222), (199, 226, 246), (255, 236, 196), (214, 240, 214))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _picture(rng: random.Random, title: str, place: str) -> bytes:
    """A simple generated picture: a sky, a sun, hills, blossoms and the activity's name."""
    width, height = 640, 448
    image = Image.new("RGB", (width, height), rng.choice(SKY))
    draw = ImageDraw.Draw(image)
    sun = rng.randint(80, width - 80), rng.randint(60, 180)
    draw.ellipse((sun[0] - 55, sun[1] - 55, sun[0] + 55, sun[1] + 55), fill=(220, 40, 50))
    for n in range(3):
        top = height - 240 + 50 * n
        draw.polygon([(0, height), (rng.randint(0, width), top), (width, height)],
                     fill=(60 + 30 * n, 120 + 20 * n, 80 + 10 * n))
    for _ in range(rng.randint(12, 30)):
        x, y, r = rng.randint(0, width), rng.randint(0, height - 120), rng.randint(4, 12)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(255, 183, 197))
    draw.rectangle((0, height - 90, width, height), fill=(30, 30, 40))
    draw.text((24, height - 80), title, fill="white", font=_font(28))
    draw.text((24, height - 38), place, fill=(210, 210, 210), font=_font(18))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _photos(rng: random.Random, rows: list[dict], ids: list[int], new_york_id: int,
            year: int) -> None:
    """About twenty published activities get photos, mostly New York's; some go in reports."""
    shown = [(row, i) for row, i in zip(rows, ids, strict=True) if row["is_published"]
             and not row["is_online"] and row["starts_on"].year >= year - 2]
    ours = [pair for pair in shown if pair[0]["branch_id"] == new_york_id]
    others = [pair for pair in shown if pair[0]["branch_id"] != new_york_id]
    chosen = rng.sample(ours, min(14, len(ours))) + rng.sample(others, min(6, len(others)))
    for row, activity_id in chosen:
        activity = db.session.get(Activity, activity_id)
        for n in range(rng.choice((1, 1, 2, 3))):
            place = f"{row['city']}, {row['starts_on']:%d %B %Y}"
            add_photo(activity, _picture(rng, row["title"][:40], place),
                      caption=f"{row['title']} ({row['city']})" if n == 0 else "",
                      in_report=n == 0 and rng.random() < 0.6)
