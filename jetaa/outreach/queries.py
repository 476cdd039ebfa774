"""Reading outreach: the board, a request's volunteers, a member's history.

Every list is bounded and costs one query, whatever the number of members or
requests. Suggestions are in suggestions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.members.choices import JAPANESE_LEVELS
from jetaa.members.models import AlumniProfile, Placement
from jetaa.members.permissions import Owner, can_see_contact, can_see_profile, owner_columns
from jetaa.members.placements import roles_text, span_text
from jetaa.outreach.models import (
    ANSWERABLE,
    LIVE_OFFERS,
    OfferStatus,
    RequestRole,
    RequestStatus,
    VolunteerOffer,
    VolunteerRequest,
    VolunteerSettings,
)
from jetaa.outreach.permissions import can_manage_request, visible_clause
from jetaa.reference.models import Prefecture

BOARD_SIZE = 30


# The board ------------------------------------------------------------------

def _fill_columns() -> list[Any]:
    places = (sa.select(sa.func.coalesce(sa.func.sum(RequestRole.places), 0))
              .where(RequestRole.request_id == VolunteerRequest.id).scalar_subquery())
    confirmed = (sa.select(sa.func.coalesce(sa.func.sum(RequestRole.confirmed), 0))
                 .where(RequestRole.request_id == VolunteerRequest.id).scalar_subquery())
    waiting = (sa.select(sa.func.count(VolunteerOffer.id))
               .where(VolunteerOffer.request_id == VolunteerRequest.id,
                      VolunteerOffer.status == OfferStatus.OFFERED).scalar_subquery())
    return [places.label("places"), confirmed.label("confirmed"), waiting.label("waiting")]


def board(user: Any, *, upcoming: bool = True, page: int = 1) -> list[Any]:
    """The requests `user` may answer or manage: rows of (request, places, confirmed, waiting)."""
    now = utcnow()
    query = (sa.select(VolunteerRequest, *_fill_columns())
             .options(sa.orm.joinedload(VolunteerRequest.mission))
             .where(visible_clause(user)))
    if upcoming:
        query = query.where(VolunteerRequest.ends_at >= now,
                            VolunteerRequest.status != RequestStatus.CANCELLED)
        query = query.order_by(VolunteerRequest.starts_at, VolunteerRequest.id)
    else:
        query = query.where(VolunteerRequest.ends_at < now)
        query = query.order_by(VolunteerRequest.starts_at.desc(), VolunteerRequest.id)
    query = query.limit(BOARD_SIZE + 1).offset((max(page, 1) - 1) * BOARD_SIZE)
    return list(db.session.execute(query).all())


def my_offers(user: Any, *, limit: int = 50, upcoming_only: bool = False) -> list[VolunteerOffer]:
    query = (sa.select(VolunteerOffer).join(VolunteerOffer.request)
             .options(sa.orm.contains_eager(VolunteerOffer.request)
                      .joinedload(VolunteerRequest.mission),
                      sa.orm.joinedload(VolunteerOffer.role))
             .where(VolunteerOffer.user_id == user.id))
    if upcoming_only:
        query = query.where(VolunteerRequest.ends_at >= utcnow(),
                            VolunteerOffer.status.in_(LIVE_OFFERS))
    return list(db.session.scalars(query.order_by(VolunteerRequest.starts_at.desc(),
                                                  VolunteerOffer.id).limit(limit)))


def offers_by_role(request: VolunteerRequest, user: Any) -> dict[int, list[VolunteerOffer]]:
    """The offers of one request, by role id, for `user`'s own, staff or an officer's view.

    Staff and admins see every offer; an officer sees those that came through their
    branches; a member only their own.
    """
    from jetaa.permissions import officer_branch_ids

    query = (sa.select(VolunteerOffer).join(VolunteerOffer.user)
             .options(sa.orm.contains_eager(VolunteerOffer.user),
                      sa.orm.joinedload(VolunteerOffer.branch))
             .where(VolunteerOffer.request_id == request.id))
    if not can_manage_request(user, request):
        mine = VolunteerOffer.user_id == user.id
        officer_of = officer_branch_ids(user)
        query = query.where(sa.or_(mine, VolunteerOffer.branch_id.in_(officer_of))
                            if officer_of else mine)
    result: dict[int, list[VolunteerOffer]] = {role.id: [] for role in request.roles}
    order = {status: n for n, status in enumerate(
        (OfferStatus.CONFIRMED, OfferStatus.OFFERED, OfferStatus.WAITLISTED, OfferStatus.INVITED,
         OfferStatus.DECLINED, OfferStatus.WITHDRAWN))}
    for offer in db.session.scalars(query.order_by(VolunteerOffer.created_at, VolunteerOffer.id)):
        result.setdefault(offer.role_id, []).append(offer)
    for offers in result.values():
        offers.sort(key=lambda o: order[o.status])
    return result


# What a volunteer shows of themselves ----------------------------------------

@dataclass(frozen=True)
class Card:
    """The outreach fields of a person, as the viewer may see them ("" when not)."""

    user_id: int
    name: str
    email: str
    jet_roles: str
    years: str
    prefecture: str
    japanese: str
    opted_in: bool


def cards(viewer: Any, user_ids: list[int], locale: str = "en") -> dict[int, Card]:
    """One query for the people of a volunteer list. A member who opted in to recruitment
    help shares these fields with the missions; otherwise their profile gate decides."""
    if not user_ids:
        return {}
    name = Prefecture.name_ja if locale == "ja" else Prefecture.name
    # Every placement as "position|role|first|last|prefecture", in one aggregate per person.
    text = [sa.cast(Placement.position, sa.String),
            sa.func.coalesce(sa.cast(Placement.role, sa.String), ""),
            sa.cast(sa.func.coalesce(Placement.start_year, 0), sa.String),
            sa.cast(sa.func.coalesce(Placement.end_year, 0), sa.String),
            sa.func.coalesce(name, "")]
    joined = text[0]
    for part in text[1:]:
        joined = joined + "|" + part  # || on both databases
    history = (sa.select(sa.func.aggregate_strings(joined, ";"))
               .select_from(Placement)
               .outerjoin(Prefecture, Prefecture.code == Placement.prefecture_code)
               .where(Placement.user_id == User.id).scalar_subquery())
    rows = db.session.execute(
        sa.select(User.id, User.name, User.email,
                  AlumniProfile.japanese_level, AlumniProfile.jlpt_level,
                  AlumniProfile.open_to_recruitment, history.label("history"),
                  *owner_columns(User.id))
        .outerjoin(AlumniProfile, AlumniProfile.user_id == User.id)
        .where(User.id.in_(sorted(set(user_ids))))).all()
    result = {}
    for row in rows:
        owner = Owner.from_row(row)
        shared = bool(row.open_to_recruitment) or (owner.has_profile
                                                   and can_see_profile(viewer, owner))
        level = " · ".join(str(v) for v in (
            row.japanese_level and str(dict(JAPANESE_LEVELS)[row.japanese_level.value]),
            row.jlpt_level and row.jlpt_level.value) if v)
        roles, years, prefecture = _history(row.history) if shared else ("", "", "")
        result[row.id] = Card(row.id, row.name,
                              row.email if can_see_contact(viewer, owner) else "",
                              roles, years, prefecture,
                              level if shared else "", bool(row.open_to_recruitment))
    return result


class _Placed(NamedTuple):
    role: str
    start_year: int | None
    end_year: int | None
    prefecture: str


def _history(aggregate: str | None) -> tuple[str, str, str]:
    """(roles "ALT/CIR", years "2015–2019", prefectures "Hyogo/Tokyo") of every placement."""
    placed = []
    for part in sorted((aggregate or "").split(";"),
                       key=lambda p: int(p.split("|", 1)[0]) if p[:1].isdigit() else 0):
        fields = part.split("|", 4)
        if len(fields) == 5:
            placed.append(_Placed(fields[1], int(fields[2]) or None, int(fields[3]) or None,
                                  fields[4]))
    return (roles_text(placed), span_text(placed),
            "/".join(dict.fromkeys(p.prefecture for p in placed if p.prefecture)))


# A member's history ------------------------------------------------------------

def hours_of(user_id: int) -> tuple[int, int]:
    """(requests attended, tenths of an hour given) in all."""
    row = db.session.execute(
        sa.select(sa.func.count(VolunteerOffer.id),
                  sa.func.coalesce(sa.func.sum(VolunteerOffer.hours_tenths), 0))
        .where(VolunteerOffer.user_id == user_id, VolunteerOffer.attended.is_(True))).one()
    return int(row[0]), int(row[1])


def open_for(user: Any) -> int:
    """How many requests on the board the member could still answer (for the nav badge)."""
    return db.session.scalar(sa.select(sa.func.count(VolunteerRequest.id)).where(
        visible_clause(user), VolunteerRequest.status.in_(ANSWERABLE),
        VolunteerRequest.respond_by >= utcnow())) or 0


def shown_hours(user_id: int) -> float | None:
    """The member's confirmed volunteer hours, if they chose to show them on their profile."""
    row = db.session.execute(
        sa.select(VolunteerSettings.show_hours_on_profile,
                  sa.select(sa.func.coalesce(sa.func.sum(VolunteerOffer.hours_tenths), 0))
                  .where(VolunteerOffer.user_id == user_id, VolunteerOffer.attended.is_(True))
                  .scalar_subquery())
        .where(VolunteerSettings.user_id == user_id)).first()
    if row is None or not row[0]:
        return None
    return int(row[1]) / 10
