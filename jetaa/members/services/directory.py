"""The member directory: one search function, privacy enforced inside the query."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jetaa import permissions
from jetaa.auth.models import User
from jetaa.branches.models import Branch, Membership, MembershipStatus
from jetaa.core.text import search_key
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile, ProfileJetRole, ProfileLanguage
from jetaa.members.services import approved_branch_ids_of
from jetaa.reference.models import Prefecture

PER_PAGE = 25
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


@dataclass
class DirectoryEntry:
    user: User
    profile: AlumniProfile | None
    branches: list[Branch]
    prefecture: Prefecture | None


@dataclass
class DirectoryPage:
    items: list[DirectoryEntry]
    page: int
    per_page: int
    total: int
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page))

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


def _filtered(viewer: Any, filters: DirectoryFilters, branch: Branch | None) -> sa.Select:
    in_branch = [Membership.user_id == User.id, Membership.status == MembershipStatus.APPROVED]
    if branch is not None:
        in_branch.append(Membership.branch_id == branch.id)
    query = (
        sa.select(User, AlumniProfile)
        .outerjoin(AlumniProfile, AlumniProfile.user_id == User.id)
        .where(User.deleted_at.is_(None), sa.exists().where(*in_branch),
               permissions.visible_profiles_clause(viewer, User.id, AlumniProfile.visibility,
                                                   default="branches"))
    )
    if filters.branch:
        query = query.where(sa.exists().where(
            Membership.user_id == User.id, Membership.status == MembershipStatus.APPROVED,
            Membership.branch_id == sa.select(Branch.id).where(Branch.slug == filters.branch)
            .scalar_subquery()))
    if filters.q:
        query = query.where(name_matches(filters.q))
    return _profile_filters(query, filters)


def _profile_filters(query: sa.Select, f: DirectoryFilters) -> sa.Select:
    if f.country:
        query = query.where(AlumniProfile.home_country == f.country)
    if f.role:
        query = query.where(sa.exists().where(ProfileJetRole.user_id == User.id,
                                              ProfileJetRole.role == f.role))
    if f.prefecture:
        query = query.where(AlumniProfile.prefecture_code == f.prefecture)
    if f.year_from:
        query = query.where(sa.func.coalesce(AlumniProfile.end_year,
                                             AlumniProfile.start_year) >= f.year_from)
    if f.year_to:
        query = query.where(AlumniProfile.start_year <= f.year_to)
    if f.city:
        query = query.where(sa.func.lower(AlumniProfile.current_city).like(
            f.city.strip().lower().replace("%", "").replace("_", "") + "%"))
    if f.industry:
        query = query.where(AlumniProfile.industry == f.industry)
    if f.language == "ja":
        query = query.where(AlumniProfile.japanese_level.in_(JAPANESE_SPEAKERS))
    elif f.language:
        query = query.where(sa.exists().where(ProfileLanguage.user_id == User.id,
                                              ProfileLanguage.code == f.language))
    if f.recruitment:
        query = query.where(AlumniProfile.open_to_recruitment.is_(True))
    if f.mentoring:
        query = query.where(AlumniProfile.open_to_mentoring.is_(True))
    return query


def _ordered(query: sa.Select, sort: str) -> sa.Select:
    if sort in ("years", "-years"):
        start = AlumniProfile.start_year.desc() if sort == "-years" else AlumniProfile.start_year
        return query.order_by(AlumniProfile.start_year.is_(None), start, User.name_key, User.id)
    return query.order_by(User.name_key, User.id)


def search_members(viewer: Any, filters: DirectoryFilters, *, page: int = 1,
                   per_page: int = PER_PAGE, branch: Branch | None = None) -> DirectoryPage:
    """One page of the members `viewer` may see, matching `filters`.

    A fixed number of queries whatever the page size: count, rows (with roles
    and languages), branches of the listed people, prefectures.
    """
    query = _filtered(viewer, filters, branch)
    counted = query.with_only_columns(User.id).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    rows = db.session.execute(
        _ordered(query, filters.sort).limit(per_page).offset((page - 1) * per_page)
        .options(selectinload(AlumniProfile.jet_roles), selectinload(AlumniProfile.languages))
    ).all()
    return DirectoryPage(items=_entries(rows), page=page, per_page=per_page, total=total)


def _entries(rows: list[Any]) -> list[DirectoryEntry]:
    branch_ids = approved_branch_ids_of([user.id for user, _ in rows])
    wanted = set().union(*branch_ids.values()) if branch_ids else set()
    branches = {b.id: b for b in db.session.scalars(
        sa.select(Branch).where(Branch.id.in_(sorted(wanted))))} if wanted else {}
    prefectures = prefectures_by_code() if rows else {}
    return [DirectoryEntry(
        user=user, profile=profile,
        branches=sorted((branches[b] for b in branch_ids[user.id]), key=lambda b: b.name),
        prefecture=prefectures.get(profile.prefecture_code) if profile else None,
    ) for user, profile in rows]


def prefectures_by_code() -> dict[int, Prefecture]:
    return {p.code: p for p in db.session.scalars(sa.select(Prefecture))}
