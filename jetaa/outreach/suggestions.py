"""Suggestions: the members who fit a request's roles, best first, with what makes them fit.

The roles' requirements are WHERE conditions over the indexed profile fields, the
ranking one expression computed in the database, and only each role's best few rows come
back with their names and history: one query for every open role of a request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile, JapaneseLevel, Jlpt, Placement
from jetaa.members.services.directory import has_placement
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.missions.models import MissionStaff
from jetaa.outreach.models import OfferStatus, Place, RequestRole, VolunteerOffer, VolunteerRequest
from jetaa.reference.models import Prefecture

SUGGESTIONS = 8
LEVELS = list(JapaneseLevel)  # weakest first
JLPT_LEVELS = [Jlpt.N5, Jlpt.N4, Jlpt.N3, Jlpt.N2, Jlpt.N1]  # weakest first
EARTH_KM = 6371.0


@dataclass(frozen=True)
class Suggestion:
    user_id: int
    name: str
    branch_name: str
    score: int
    jet_roles: str
    japanese_level: str
    jlpt: str
    end_year: int | None
    prefecture: str
    prefecture_ja: str
    km: int | None
    last_helped: datetime | None


# Made once: an alias made per call costs a millisecond of SQLAlchemy's time, and a new
# alias would also miss the compiled-statement cache.
_OTHER_MEMBERSHIP = aliased(Membership, name="other_membership")
_HELPED = aliased(VolunteerRequest, name="helped_request")


def _level_rank(column: Any, levels: list) -> Any:
    return sa.case({level.value: n for n, level in enumerate(levels)}, value=column, else_=-1)


class _RoleShape(NamedTuple):
    """What of a role's requirements changes the statement (the rest are parameters)."""

    jet_role: Any
    min_japanese: Any
    min_jlpt: Any
    returned_min: bool
    returned_max: bool
    region: str


class _Shape(NamedTuple):
    near: bool
    only: bool
    limit: int
    roles: tuple[_RoleShape, ...]


def suggestions(request: VolunteerRequest, role: RequestRole, *, limit: int = SUGGESTIONS,
                only: int | None = None, today: date | None = None) -> list[Suggestion]:
    """The members who fit `role`, best first, with what makes them fit (see suggest())."""
    return suggest(request, [role], limit=limit, only=only, today=today)[role.id]


def suggest(request: VolunteerRequest, roles: list[RequestRole], *, limit: int = SUGGESTIONS,
            only: int | None = None,
            today: date | None = None) -> dict[int, list[Suggestion]]:
    """The members who fit each of `roles`, best first, with what makes them fit; one query.

    Who: opted in to recruitment help, approved in an asked branch, meeting every
    requirement, not already answering for this role, not the mission's own staff.
    Rank: Japanese level and JLPT, how recently they came back, distance from
    the venue's city, and how recently they last helped (so the same few are not
    always asked).

    The asked branches' candidates are scored once (the score does not depend on the
    role); each role keeps its best `limit`, and only those rows get their names,
    placements and history. The statement is built once per shape of the roles'
    requirements (_statement) and reused with new parameters: building and hashing it
    cost more than the database's work.
    """
    result: dict[int, list[Suggestion]] = {role.id: [] for role in roles}
    if not request.branch_ids or not roles:
        return result
    shape, params = _shape_and_params(request, roles, limit=limit, only=only,
                                      today=today or utcnow().date())
    for row in db.session.execute(_statement(shape), params):
        result[roles[row.role_index].id].append(Suggestion(
            user_id=row.user_id, name=row.name, branch_name=row.branch_name,
            score=int(row.score),
            jet_roles="/".join(dict.fromkeys((row.jet_roles or "").split("/"))).strip("/"),
            japanese_level=row.japanese_level.value if row.japanese_level else "",
            jlpt=row.jlpt_level.value if row.jlpt_level else "", end_year=row.end_year,
            prefecture=_once(row.prefecture), prefecture_ja=_once(row.prefecture_ja),
            km=_km(request, row.latitude, row.longitude), last_helped=row.last_helped))
    return result


def _shape_and_params(request: VolunteerRequest, roles: list[RequestRole], *, limit: int,
                      only: int | None, today: date) -> tuple[_Shape, dict[str, Any]]:
    """The statement's shape (what is in its SQL) and its parameters for this request."""
    now = utcnow()
    near = request.latitude is not None and not request.is_online
    shape = _Shape(near, only is not None, limit, tuple(_RoleShape(
        r.jet_role, r.min_japanese, r.min_jlpt, r.returned_min_years is not None,
        r.returned_max_years is not None, r.region or "") for r in roles))
    params: dict[str, Any] = {
        "s_asked": sorted(request.branch_ids), "s_mission_id": request.mission_id,
        "s_year": today.year, "s_now": now,
        "s_helped_180": now - timedelta(days=180), "s_helped_365": now - timedelta(days=365)}
    if near:
        params.update(s_latitude=request.latitude, s_longitude=request.longitude,
                      s_scale=math.cos(math.radians(request.latitude)))
    if only is not None:
        params["s_only"] = only
    for n, r in enumerate(roles):
        params[f"s_role_{n}"] = r.id
        if r.returned_min_years is not None:
            params[f"s_back_by_{n}"] = today.year - r.returned_min_years
        if r.returned_max_years is not None:
            params[f"s_back_from_{n}"] = today.year - r.returned_max_years
    return shape, params


def _back_since() -> Any:
    """The last year of their last placement (none while still on JET), as an aggregate
    over one person's placements."""
    ongoing = sa.func.sum(sa.case((sa.and_(Placement.start_year.is_not(None),
                                           Placement.end_year.is_(None)), 1), else_=0))
    return sa.case((ongoing > 0, None), else_=sa.func.max(Placement.end_year))


def _back_since_of(user_id: Any) -> Any:
    return (sa.select(_back_since()).where(Placement.user_id == user_id)
            .scalar_subquery())


def _last_helped(user_id: Any) -> Any:
    helped = _HELPED
    return (sa.select(sa.func.max(helped.starts_at))
            .join(VolunteerOffer, VolunteerOffer.request_id == helped.id)
            .where(VolunteerOffer.user_id == user_id,
                   VolunteerOffer.status == OfferStatus.CONFIRMED,
                   helped.starts_at <= sa.bindparam("s_now", type_=helped.starts_at.type)))


def _score(shape: _Shape) -> Any:
    """Points: Japanese 0-25 (-5 when not given), JLPT 0 or 3-15, recently back 0-10, near
    0-20 (3 when the city is unknown), helped lately -20..0.

    The two parts read from other tables are each one aggregate subquery returning its
    points, so each is computed once per candidate (a subquery named in several CASE arms
    is run for each)."""
    user_id = AlumniProfile.user_id
    japanese = _level_rank(AlumniProfile.japanese_level, LEVELS) * 5
    jlpt = sa.func.coalesce(_level_rank(AlumniProfile.jlpt_level, JLPT_LEVELS) + 1, 0) * 3
    back_since = _back_since()
    since = sa.bindparam("s_year", type_=sa.Integer) - back_since
    back = (sa.select(sa.case((back_since.is_(None), 0), (since >= 10, 0), else_=10 - since))
            .where(Placement.user_id == user_id).scalar_subquery())
    near: Any = sa.literal(0)
    if shape.near:
        latitude = sa.bindparam("s_latitude", type_=sa.Float)
        scale = sa.bindparam("s_scale", type_=sa.Float)
        dx = (Place.longitude - sa.bindparam("s_longitude", type_=sa.Float)) * scale
        dy = Place.latitude - latitude
        squared = dx * dx + dy * dy
        near = sa.case((Place.latitude.is_(None), 3), (squared < 0.25, 20), (squared < 4, 12),
                       (squared < 25, 5), else_=0)
    last = sa.func.max(_HELPED.starts_at)
    starts = _HELPED.starts_at.type
    recent = (_last_helped(user_id).with_only_columns(sa.case(
        (last.is_(None), 0), (last >= sa.bindparam("s_helped_180", type_=starts), -20),
        (last >= sa.bindparam("s_helped_365", type_=starts), -10), else_=0))
        .scalar_subquery())
    return sa.func.coalesce(japanese, 0) + jlpt + back + near + recent


def _candidates(shape: _Shape) -> Any:
    """Everyone who may be suggested for some role of the request, with their score."""
    asked = sa.bindparam("s_asked", expanding=True, type_=sa.Integer)
    # Driven from the asked branches' approved memberships (an index), one row a person: the
    # membership in the first asked branch they belong to.
    other = _OTHER_MEMBERSHIP
    first_asked = ~sa.exists().where(other.user_id == Membership.user_id,
                                     other.status == MembershipStatus.APPROVED,
                                     other.branch_id.in_(asked),
                                     other.branch_id < Membership.branch_id)
    conditions = [
        Membership.branch_id.in_(asked), Membership.status == MembershipStatus.APPROVED,
        first_asked, AlumniProfile.open_to_recruitment.is_(True),
        ~sa.exists().where(MissionStaff.user_id == AlumniProfile.user_id,
                           MissionStaff.mission_id == sa.bindparam("s_mission_id",
                                                                   type_=sa.Integer)),
    ]
    if shape.only:
        conditions.append(AlumniProfile.user_id == sa.bindparam("s_only", type_=sa.Integer))
    return (sa.select(AlumniProfile.user_id, Membership.branch_id, AlumniProfile.japanese_level,
                      AlumniProfile.jlpt_level, Place.latitude, Place.longitude,
                      _score(shape).label("score"))
            .select_from(Membership)
            .join(AlumniProfile, AlumniProfile.user_id == Membership.user_id)
            .outerjoin(Place, sa.and_(Place.country == AlumniProfile.home_country,
                                      Place.name == AlumniProfile.current_city))
            .where(*conditions)
            .cte("candidates"))


def _role_conditions(n: int, role: _RoleShape, candidate: Any) -> list[Any]:
    user_id = candidate.c.user_id
    conditions = [~sa.exists().where(
        VolunteerOffer.role_id == sa.bindparam(f"s_role_{n}", type_=sa.Integer),
        VolunteerOffer.user_id == user_id)]
    if role.jet_role is not None:
        conditions.append(has_placement(user_id, role=role.jet_role))
    if role.min_japanese is not None:
        conditions.append(candidate.c.japanese_level.in_(
            LEVELS[LEVELS.index(role.min_japanese):]))
    if role.min_jlpt is not None:
        conditions.append(candidate.c.jlpt_level.in_(
            JLPT_LEVELS[JLPT_LEVELS.index(role.min_jlpt):]))
    if role.returned_min:
        conditions.append(_back_since_of(user_id) <= sa.bindparam(f"s_back_by_{n}",
                                                                  type_=sa.Integer))
    if role.returned_max:
        conditions.append(_back_since_of(user_id) >= sa.bindparam(f"s_back_from_{n}",
                                                                  type_=sa.Integer))
    if role.region:
        conditions.append(sa.exists().where(
            Placement.user_id == user_id,
            Placement.prefecture_code.in_(sa.select(Prefecture.code)
                                          .where(Prefecture.region == role.region))))
    return conditions


@lru_cache(maxsize=256)
def _statement(shape: _Shape) -> Any:
    """Each role's best candidates (a branch of a UNION ALL each), then what is shown of them."""
    candidate = _candidates(shape)
    best = [sa.select(sa.literal_column(str(n), sa.Integer).label("role_index"), candidate)
            .where(*_role_conditions(n, role, candidate))
            .order_by(candidate.c.score.desc(), candidate.c.user_id).limit(shape.limit)
            .subquery() for n, role in enumerate(shape.roles)]
    top = (best[0] if len(best) == 1
           else sa.union_all(*(sa.select(part) for part in best)).subquery("top"))
    user_id = top.c.user_id
    roles = (sa.select(sa.func.aggregate_strings(sa.cast(Placement.role, sa.String), "/"))
             .where(Placement.user_id == user_id).scalar_subquery())
    placed_in = (sa.select(sa.func.aggregate_strings(Prefecture.name, "/"))
                 .join(Placement, Placement.prefecture_code == Prefecture.code)
                 .where(Placement.user_id == user_id).scalar_subquery())
    placed_in_ja = (sa.select(sa.func.aggregate_strings(Prefecture.name_ja, "/"))
                    .join(Placement, Placement.prefecture_code == Prefecture.code)
                    .where(Placement.user_id == user_id).scalar_subquery())
    return (sa.select(top.c.role_index, user_id, User.name, Branch.name.label("branch_name"),
                      top.c.score, roles.label("jet_roles"), top.c.japanese_level,
                      top.c.jlpt_level, _back_since_of(user_id).label("end_year"),
                      placed_in.label("prefecture"), placed_in_ja.label("prefecture_ja"),
                      top.c.latitude, top.c.longitude,
                      _last_helped(user_id).scalar_subquery().label("last_helped"))
            .join(User, User.id == user_id)
            .join(Branch, Branch.id == top.c.branch_id)
            .order_by(top.c.role_index, top.c.score.desc(), user_id))


def _once(names: str | None) -> str:
    """"Hyogo/Hyogo/Tokyo" (an aggregate over placements) as "Hyogo/Tokyo"."""
    return "/".join(dict.fromkeys(n for n in (names or "").split("/") if n))


def _km(request: VolunteerRequest, latitude: float | None, longitude: float | None) -> int | None:
    """Great-circle distance from the venue's city, for the few rows shown (the ranking's
    buckets above need no trigonometry, which SQLite lacks)."""
    if None in (latitude, longitude, request.latitude, request.longitude) or request.is_online:
        return None
    phi1, phi2 = math.radians(request.latitude), math.radians(latitude)
    dphi, dlam = phi2 - phi1, math.radians(longitude - request.longitude)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlam / 2) ** 2
    return round(2 * EARTH_KM * math.asin(math.sqrt(min(a, 1.0))))
