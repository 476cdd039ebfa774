"""The member directory: one search function, privacy enforced inside the query."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask import g

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core.cache import cached
from jetaa.core.text import search_key
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile, Placement, ProfileLanguage
from jetaa.members.permissions import visible_profiles_clause
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.reference.models import Prefecture

PER_PAGE = 25
# The directory counts its matches up to this many, as large sites do: past it the page
# says "more than 1,000" and the pages stop. A count of every visible member read all
# 25,000 of them, and at ten times the data ten times as many (issue 14).
COUNT_UP_TO = 1000
JAPANESE_SPEAKERS = ("conversational", "business", "fluent", "native")
SORTS = ("name", "years", "-years")
_FTS_MIN = 3  # the trigram index only answers terms of three characters or more


@dataclass
class DirectoryFilters:
    q: str = ""
    branch: str = ""
    country: str = ""
    role: str = ""
    prefecture: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    city: str = ""
    industry: str = ""
    language: str = ""
    recruitment: bool = False
    mentoring: bool = False
    sort: str = "name"

    def query_args(self) -> dict[str, Any]:
        """The non-empty filters, for links that keep the search (pagination)."""
        return {k: v for k, v in self.__dict__.items() if v not in ("", None, False)}

    def narrowed(self) -> bool:
        """Is any filter besides the name search and the sort order set?"""
        return any(k not in ("q", "sort") for k in self.query_args())


class BranchRef(NamedTuple):
    """A branch as the directory shows it (cached: no ORM object per request)."""

    id: int
    slug: str
    name: str
    country: str
    active: bool = True  # an inactive branch still names its members' cards, but no filter


class PrefectureRef(NamedTuple):
    code: int
    name: str
    name_ja: str


@dataclass
class CardUser:
    id: int
    name: str


@dataclass
class CardPlacement:
    """A placement as a card shows it (plain columns, the prefecture from the cache)."""

    role: str | None
    prefecture: PrefectureRef | None
    municipality: str
    start_year: int | None
    end_year: int | None


@dataclass
class CardProfile:
    """The profile fields a directory card (and the list API) shows, read as plain columns."""

    home_country: str
    current_city: str
    industry: str
    open_to_recruitment: bool
    open_to_mentoring: bool
    placements: list[CardPlacement]

    @property
    def role_values(self) -> list[str]:
        return list(dict.fromkeys(p.role for p in self.placements if p.role))


@dataclass
class DirectoryEntry:
    user: User | CardUser
    profile: AlumniProfile | CardProfile | None
    branches: list[Branch] | list[BranchRef]


@dataclass
class DirectoryPage:
    items: list[DirectoryEntry]
    page: int
    per_page: int
    total: int  # counted up to COUNT_UP_TO + 1
    pages: int = field(init=False)
    capped: bool = field(init=False)  # more than COUNT_UP_TO match: total is a floor

    def __post_init__(self) -> None:
        self.capped = self.total > COUNT_UP_TO
        self.pages = max(1, math.ceil(min(self.total, COUNT_UP_TO) / self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def name_matches(query: str) -> Any:
    """THE name search: a condition on users matching every word of `query`.

    Accent-, case-, width- and kana-insensitive (both sides go through
    search_key). SQLite answers from the FTS5 trigram table, PostgreSQL from
    the pg_trgm GIN index on users.name_key; short words fall back to LIKE.
    """
    words = search_key(query).split()
    if not words:
        return sa.true()
    conditions = []
    long_words = [w for w in words if len(w) >= _FTS_MIN]
    if long_words and db.engine.dialect.name == "sqlite":
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
        conditions.append(User.id.in_(
            sa.select(sa.literal_column("rowid")).select_from(sa.table("users_name_fts"))
            .where(sa.text("users_name_fts MATCH :match").bindparams(match=match))
        ))
        words = [w for w in words if len(w) < _FTS_MIN]
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(User.name_key.like(f"%{escaped}%", escape="\\"))
    return sa.and_(*conditions)


def _filtered(viewer: Any, filters: DirectoryFilters, branch: Branch | None, *,
              broad: bool = False) -> sa.Select:
    in_branch = [Membership.user_id == User.id, Membership.status == MembershipStatus.APPROVED]
    if branch is not None:
        in_branch.append(Membership.branch_id == branch.id)
    query = (
        sa.select(User, AlumniProfile)
        .outerjoin(AlumniProfile, AlumniProfile.user_id == User.id)
        .where(User.deleted_at.is_(None), sa.exists().where(*in_branch),
               visible_profiles_clause(viewer, User.id, AlumniProfile.visibility,
                                                   default="branches"))
    )
    if filters.branch:
        query = query.where(sa.exists().where(
            Membership.user_id == User.id, Membership.status == MembershipStatus.APPROVED,
            Membership.branch_id == sa.select(Branch.id).where(Branch.slug == filters.branch)
            .scalar_subquery()))
    if filters.q:
        query = query.where(name_matches(filters.q))
    conditions = _profile_conditions(filters)
    if conditions and broad:
        # SQLite's hint that the filters hold for many rows: it then walks the
        # name index and stops after a page instead of sorting every match.
        return query.where(sa.func.likely(sa.and_(*conditions), type_=sa.Boolean))
    return query.where(*conditions)


def placement_conditions(role: str | None = None, prefecture: int | None = None,
                         year_from: int | None = None, year_to: int | None = None) -> list[Any]:
    """Conditions on one Placement row; the callers ask that some placement meets them all.

    On JET in some year of [year_from, year_to]: a placement without a last year counts
    as its first year only (as the directory has always read it).
    """
    conditions: list[Any] = []
    if role:
        conditions.append(Placement.role == role)
    if prefecture:
        conditions.append(Placement.prefecture_code == prefecture)
    if year_from:
        conditions.append(sa.func.coalesce(Placement.end_year, Placement.start_year) >= year_from)
    if year_to:
        conditions.append(Placement.start_year <= year_to)
    return conditions


def has_placement(user_id: Any, **wanted: Any) -> Any:
    """THE JET-history filter: the member has a placement meeting every condition given
    (CIR in Hyogo means one placement that was both), or None if none is given."""
    conditions = placement_conditions(**wanted)
    if not conditions:
        return None
    if wanted.get("role") or wanted.get("prefecture"):
        # IN rather than a correlated EXISTS: SQLite then starts from the placements' index
        # (prefecture or role, then user) and looks the few members up, instead of probing
        # every member's placements (CIR in Hyogo, 25,000 members: 130 ms to ~20 ms).
        return user_id.in_(sa.select(Placement.user_id).where(*conditions))
    # Years alone match a good part of everyone: a list of them all cost more than asking
    # each candidate's few placements (2000-2010, 250,000 members: 448 ms as IN).
    return sa.exists().where(Placement.user_id == user_id, *conditions)


def _profile_conditions(f: DirectoryFilters) -> list[Any]:
    conditions: list[Any] = []
    if f.country:
        conditions.append(AlumniProfile.home_country == f.country)
    placed = has_placement(User.id, role=f.role, prefecture=f.prefecture,
                           year_from=f.year_from, year_to=f.year_to)
    if placed is not None:
        conditions.append(placed)
    conditions.extend(_years_on_profile(f))
    if f.city:
        conditions.append(sa.func.lower(AlumniProfile.current_city).startswith(
            f.city.strip().lower(), autoescape=True))
    if f.industry:
        conditions.append(AlumniProfile.industry == f.industry)
    if f.language == "ja":
        conditions.append(AlumniProfile.japanese_level.in_(JAPANESE_SPEAKERS))
    elif f.language:
        conditions.append(sa.exists().where(ProfileLanguage.user_id == User.id,
                                            ProfileLanguage.code == f.language))
    if f.recruitment:
        conditions.append(AlumniProfile.open_to_recruitment.is_(True))
    if f.mentoring:
        conditions.append(AlumniProfile.open_to_mentoring.is_(True))
    return conditions


def _years_on_profile(f: DirectoryFilters) -> list[Any]:
    """What the years filter implies of the profile's derived years, for its indexes.

    A placement in [year_from, year_to] started by year_to and ended (or started) from
    year_from on, so first_year <= year_to and last_year >= year_from. With a country,
    (home_country, first_year, last_year) then stops at year_to and tests last_year in the
    index, so only those who may match are looked up (GB and 2000-2010: 3,311 rows to
    1,079). Without a country they hold for a third of everyone: PostgreSQL scans either
    way, and SQLite would walk first_year from 1987 up instead of stopping after 1,001
    members in id order (18 ms to 58 ms), so they are left out.
    """
    if not f.country:
        return []
    conditions = []
    if f.year_to:
        conditions.append(AlumniProfile.first_year <= f.year_to)
    if f.year_from:
        conditions.append(AlumniProfile.last_year >= f.year_from)
    return conditions


def _is_broad(filters: DirectoryFilters, total: int, shown: int) -> bool:
    """Should a name-ordered search walk the name index until `shown` rows match?

    The walk reads about shown * members / total rows; collecting every match
    through a filter's index and sorting them reads `total`. SQLite is told
    with sa.func.likely(); PostgreSQL's planner weighs this itself. More than
    COUNT_UP_TO matches (the count stopped there) is broad: collecting them all would
    read more than the count does (GB and 2000-2010 at 250,000 members: 254 ms to 72 ms).
    """
    if db.engine.dialect.name != "sqlite" or filters.sort != "name" or filters.q:
        return False
    return total > COUNT_UP_TO or total * total >= shown * _approved_members()


def _approved_members() -> int:
    return cached("members:approved-count", lambda: db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Membership.user_id)))
        .where(Membership.status == MembershipStatus.APPROVED)) or 0)


def _order_keys(sort: str, user_id: Any, name_key: Any, first_year: Any) -> list[Any]:
    if sort in ("years", "-years"):
        # NULLS LAST rather than an "IS NULL" key: an index on first_year then gives the order.
        years = first_year.desc() if sort == "-years" else first_year.asc()
        return [years.nulls_last(), name_key, user_id]
    return [name_key, user_id]


# What a card shows; the branches come as a comma-separated aggregate.
_CARD_COLUMNS = (User.id, User.name, User.name_key, AlumniProfile.user_id.label("profile_id"),
                 AlumniProfile.home_country,
                 AlumniProfile.current_city, AlumniProfile.industry,
                 AlumniProfile.open_to_recruitment, AlumniProfile.open_to_mentoring)


def search_members(viewer: Any, filters: DirectoryFilters, *, page: int = 1,
                   per_page: int = PER_PAGE, branch: Branch | None = None) -> DirectoryPage:
    """One page of the members `viewer` may see, matching `filters`.

    Three queries whatever the page size and the number of members: the count (which
    stops at COUNT_UP_TO + 1), one page query that brings each card's branch ids along,
    and the page's placements.
    Branch and prefecture names come from small caches.
    """
    total = _count(viewer, filters, branch)
    page = max(1, min(page, max(1, math.ceil(min(total, COUNT_UP_TO) / per_page))))
    query = _filtered(viewer, filters, branch, broad=_is_broad(filters, total, page * per_page))
    # The branch ids as a correlated aggregate: both databases evaluate it for the
    # page's rows only (after the sort and LIMIT).
    branch_ids = (sa.select(sa.func.aggregate_strings(sa.cast(Membership.branch_id, sa.String),
                                                      ","))
                  .where(Membership.user_id == User.id,
                         Membership.status == MembershipStatus.APPROVED).scalar_subquery())
    rows = db.session.execute(
        query.with_only_columns(*_CARD_COLUMNS, branch_ids.label("branch_ids"))
        .order_by(*_order_keys(filters.sort, User.id, User.name_key, AlumniProfile.first_year))
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return DirectoryPage(items=_cards(rows), page=page, per_page=per_page, total=total)


def _count(viewer: Any, filters: DirectoryFilters, branch: Branch | None) -> int:
    """How many members match, counted up to COUNT_UP_TO + 1 (the query stops there)."""
    query = _filtered(viewer, filters, branch).with_only_columns(User.id)
    if db.engine.dialect.name == "postgresql" and not filters.q and not filters.narrowed():
        # Unfiltered, PostgreSQL hashes every profile before the first row; in id order it
        # walks the primary keys in step and stops at the limit (250,000 members: 63 ms to
        # 7 ms). A filter's own index does better without the order (GB, 2000-2010: 376 ms
        # in id order, 118 ms without), and SQLite stops at the limit either way.
        query = query.order_by(User.id)
    counted = query.limit(COUNT_UP_TO + 1).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0


def card_placements(user_ids: list[int]) -> dict[int, list[CardPlacement]]:
    """Each person's placements in order, as plain rows: one query for any number."""
    if not user_ids:
        return {}
    prefectures = prefecture_refs()
    result: dict[int, list[CardPlacement]] = {user_id: [] for user_id in user_ids}
    for row in db.session.execute(
            sa.select(Placement.user_id, Placement.role, Placement.prefecture_code,
                      Placement.municipality, Placement.start_year, Placement.end_year)
            .where(Placement.user_id.in_(sorted(set(user_ids))))
            .order_by(Placement.user_id, Placement.position)):
        result[row.user_id].append(CardPlacement(
            role=row.role.value if row.role else None,
            prefecture=prefectures.get(row.prefecture_code), municipality=row.municipality,
            start_year=row.start_year, end_year=row.end_year))
    return result


def _cards(rows: list[Any]) -> list[DirectoryEntry]:
    branches = {b.id: b for b in branch_refs()} if rows else {}
    placements = card_placements([row.id for row in rows if row.profile_id is not None])
    entries = []
    for row in rows:
        profile = None
        if row.profile_id is not None:
            profile = CardProfile(
                home_country=row.home_country,
                current_city=row.current_city, industry=row.industry,
                open_to_recruitment=row.open_to_recruitment,
                open_to_mentoring=row.open_to_mentoring,
                placements=placements.get(row.id, []))
        ids = {int(b) for b in row.branch_ids.split(",")} if row.branch_ids else set()
        entries.append(DirectoryEntry(
            user=CardUser(id=row.id, name=row.name), profile=profile,
            branches=sorted((branches[b] for b in ids if b in branches), key=lambda b: b.name),
        ))
    return entries


def branch_refs() -> list[BranchRef]:
    """Every branch by name (cached for CACHE_TTL: branches are rarely added or renamed).

    Read once per request: the filter lists and the cards both ask (with the cache off,
    that was the same query twice on every search).
    """
    if "_branch_refs" not in g:
        rows = cached("members:branch-refs", lambda: [
            list(row) for row in db.session.execute(
                sa.select(Branch.id, Branch.slug, Branch.name, Branch.country, Branch.active)
                .order_by(Branch.name))
        ])
        g._branch_refs = [BranchRef(*row) for row in rows]
    return list(g._branch_refs)


def prefecture_refs() -> dict[int, PrefectureRef]:
    """The prefectures by code (cached for CACHE_TTL), read once per request as branch_refs."""
    if "_prefecture_refs" not in g:
        rows = cached("members:prefecture-refs", lambda: [
            list(row) for row in db.session.execute(
                sa.select(Prefecture.code, Prefecture.name, Prefecture.name_ja)
                .order_by(Prefecture.code))
        ])
        g._prefecture_refs = {row[0]: PrefectureRef(*row) for row in rows}
    return dict(g._prefecture_refs)


def prefectures_by_code() -> dict[int, Prefecture]:
    """The 47 prefectures, read once per request (an import looks one up per row)."""
    if "_prefectures" not in g:
        g._prefectures = {p.code: p for p in db.session.scalars(sa.select(Prefecture))}
    return g._prefectures
