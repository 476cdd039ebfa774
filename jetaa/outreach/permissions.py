"""Who may see and act on outreach: each question beside its SQL form.

- Staff of a mission (and admins) manage its requests, offers, conflict
  declarations, outcomes, dashboard and colleagues. Staff of one mission see
  nothing of another's.
- Officers of an asked branch see the request (not a draft) and decide the
  offers of their own branch's members; conflict declarations stay with staff.
- Approved members of an asked branch see it while it takes answers, and
  everyone sees a request they have an offer on.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import selectinload

from jetaa.extensions import db
from jetaa.missions.models import Mission
from jetaa.outreach.models import (
    ANSWERABLE,
    RequestStatus,
    VolunteerOffer,
    VolunteerRequest,
    request_branches,
)
from jetaa.permissions import (
    approved_branch_ids,
    is_admin,
    mission_ids_of,
    officer_branch_ids,
    signed_in,
)


def is_staff_of(user: Any, mission: Mission) -> bool:
    return mission.id in mission_ids_of(user)


def can_manage_mission(user: Any, mission: Mission) -> bool:
    """Its requests, dashboard and staff: the mission's own staff and admins."""
    return is_admin(user) or is_staff_of(user, mission)


def can_manage_request(user: Any, request: VolunteerRequest) -> bool:
    return is_admin(user) or request.mission_id in mission_ids_of(user)


def can_view_request(user: Any, request: VolunteerRequest, *,
                     has_offer: Any = lambda: False) -> bool:
    """`has_offer()`: whether the user has an offer on it (their history), asked only when
    nothing else decides. visible_clause() is the SQL twin."""
    if can_manage_request(user, request):
        return True
    if request.status == RequestStatus.DRAFT:
        return False
    if officer_branch_ids(user) & request.branch_ids:
        return True
    if request.status in ANSWERABLE and approved_branch_ids(user) & request.branch_ids:
        return True
    return bool(has_offer())


def can_volunteer(user: Any, request: VolunteerRequest) -> bool:
    """Approved members of an asked branch (staff of the mission ask, they do not answer)."""
    return (signed_in(user) and bool(approved_branch_ids(user) & request.branch_ids)
            and not can_manage_request(user, request))


def can_decide_offer(user: Any, offer: VolunteerOffer) -> bool:
    """Staff of the mission, admins, and officers of the branch the volunteer answered through."""
    return can_manage_request(user, offer.request) or offer.branch_id in officer_branch_ids(user)


def can_share_request(user: Any, request: VolunteerRequest) -> bool:
    """An officer of an asked branch may send it to the whole branch."""
    return request.status in ANSWERABLE and bool(officer_branch_ids(user) & request.branch_ids)


def _asked(branch_ids: set[int]) -> sa.ColumnElement[bool]:
    asked = sa.select(request_branches.c.request_id).where(
        request_branches.c.branch_id.in_(branch_ids))
    return VolunteerRequest.id.in_(asked)


def visible_clause(user: Any) -> sa.ColumnElement[bool]:
    """The requests a board shows `user` (their own offers' requests come on their own list)."""
    if is_admin(user):
        return sa.true()
    clauses: list[sa.ColumnElement[bool]] = []
    missions = mission_ids_of(user)
    if missions:
        clauses.append(VolunteerRequest.mission_id.in_(missions))
    officer_of = officer_branch_ids(user)
    if officer_of:
        clauses.append(sa.and_(VolunteerRequest.status != RequestStatus.DRAFT, _asked(officer_of)))
    approved = approved_branch_ids(user) - officer_of
    if approved:
        clauses.append(sa.and_(VolunteerRequest.status.in_(ANSWERABLE), _asked(approved)))
    return sa.or_(*clauses) if clauses else sa.false()


def _has_offer(user: Any, request_id: int) -> bool:
    if not signed_in(user):
        return False
    return db.session.scalar(sa.select(sa.exists().where(
        VolunteerOffer.request_id == request_id, VolunteerOffer.user_id == user.id))) or False


def get_request_or_404(request_id: int, *, require: Any = None) -> VolunteerRequest:
    """The request if the current user may see it (404 otherwise, so nothing leaks); with
    `require` (e.g. can_manage_request), 403 unless they pass that question too."""
    request = db.session.scalar(
        sa.select(VolunteerRequest).where(VolunteerRequest.id == request_id)
        .options(selectinload(VolunteerRequest.branches), selectinload(VolunteerRequest.roles),
                 sa.orm.joinedload(VolunteerRequest.mission)))
    if request is None:
        abort(404)
    if not can_view_request(current_user, request,
                            has_offer=lambda: _has_offer(current_user, request.id)):
        abort(404)
    if require is not None and not require(current_user, request):
        abort(403)
    return request


def get_offer_or_404(offer_id: int, *, require: Any) -> VolunteerOffer:
    """An offer for the one who made it or may decide it; 404 for everyone else."""
    offer = db.session.scalar(
        sa.select(VolunteerOffer).where(VolunteerOffer.id == offer_id)
        .options(sa.orm.joinedload(VolunteerOffer.request).selectinload(VolunteerRequest.roles),
                 sa.orm.joinedload(VolunteerOffer.role), sa.orm.joinedload(VolunteerOffer.user)))
    if offer is None:
        abort(404)
    own = signed_in(current_user) and offer.user_id == current_user.id
    if not (own or can_decide_offer(current_user, offer)):
        abort(404)
    if not require(current_user, offer):
        abort(403)
    return offer


def is_own_offer(user: Any, offer: VolunteerOffer) -> bool:
    return signed_in(user) and offer.user_id == user.id
