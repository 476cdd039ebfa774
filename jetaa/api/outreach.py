"""With a token: missions' recruitment requests and their volunteers (jetaa/outreach/), for
the mission's staff, the officers of the asked branches and the volunteers themselves, as
the request pages show them; confirming a volunteer with the outreach service's rules."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import UnprocessableEntity

from jetaa.api import schemas
from jetaa.api.auth import sign_in_first, signed_in_user
from jetaa.api.document import TOKEN, errors
from jetaa.api.models import Scope
from jetaa.api.paging import envelope, paginate
from jetaa.branches.models import Branch
from jetaa.core.actions import Refused
from jetaa.core.urls import external_url
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.members.models import JetRole
from jetaa.missions.permissions import get_mission_or_404
from jetaa.outreach import offers as offer_services
from jetaa.outreach import queries
from jetaa.outreach import services as outreach_services
from jetaa.outreach.models import RequestKind, RequestStatus, VolunteerOffer, VolunteerRequest
from jetaa.outreach.permissions import (
    can_decide_offer,
    can_manage_mission,
    can_manage_request,
    get_offer_or_404,
    get_request_or_404,
    visible_clause,
)
from jetaa.permissions import require

bp = Blueprint("api_outreach", __name__, url_prefix="/api/v1/outreach",
               description="Missions' recruitment requests and their volunteers, with a token "
                           "(staff see their mission's, officers their branches').")


def request_data(req: VolunteerRequest) -> dict[str, Any]:
    return {
        "id": req.id, "title": req.title, "kind": req.kind.value, "status": req.status.value,
        "mission": {"slug": req.mission.slug, "name": req.mission.name},
        "timezone": req.timezone, "starts_at": req.starts_at, "ends_at": req.ends_at,
        "respond_by": req.respond_by, "city": req.city, "country": req.country,
        "online": req.is_online,
        "branches": [{"slug": b.slug, "name": b.name} for b in req.branches],
        "roles": [{"id": r.id, "name": r.name, "places": r.places, "confirmed": r.confirmed}
                  for r in req.roles],
        "url": external_url("outreach.show", request_id=req.id),
    }


def offer_data(offer: VolunteerOffer, role: Any = None) -> dict[str, Any]:
    role = role or offer.role
    return {"id": offer.id, "status": offer.status.value,
            "role": {"id": role.id, "name": role.name},
            "member": {"id": offer.user.id, "name": offer.user.name},
            "branch": {"slug": offer.branch.slug, "name": offer.branch.name},
            "note": offer.note, "availability": offer.availability,
            "has_conflict": offer.has_conflict, "created_at": offer.created_at,
            "decided_at": offer.decided_at}


@bp.route("/requests")
class Requests(MethodView):
    @sign_in_first
    @bp.arguments(schemas.OutreachArgs(), location="query", as_kwargs=True)
    @bp.response(200, schemas.paged("OutreachRequestPage", schemas.OutreachRequest))
    @errors(bp, 401, 403, 422, 429, security=TOKEN)
    def get(self, page: int, per_page: int, past: bool) -> dict[str, Any]:
        """The requests the outreach board shows you, soonest first (`past`: those over)."""
        user = signed_in_user(token_only=True)
        now = utcnow()
        query = (sa.select(VolunteerRequest)
                 .options(joinedload(VolunteerRequest.mission),
                          selectinload(VolunteerRequest.branches),
                          selectinload(VolunteerRequest.roles))
                 .where(visible_clause(user)))
        if past:
            query = query.where(VolunteerRequest.ends_at < now).order_by(
                VolunteerRequest.starts_at.desc(), VolunteerRequest.id)
        else:
            query = query.where(VolunteerRequest.ends_at >= now,
                                VolunteerRequest.status != RequestStatus.CANCELLED).order_by(
                VolunteerRequest.starts_at, VolunteerRequest.id)
        requests, total = paginate(query, page=page, per_page=per_page)
        return envelope([request_data(r) for r in requests], page=page, per_page=per_page,
                        total=total)


@bp.route("/requests/<id:request_id>/volunteers")
class Volunteers(MethodView):
    @sign_in_first
    @bp.response(200, schemas.VolunteerList)
    @errors(bp, 401, 403, 404, 429, security=TOKEN)
    def get(self, request_id: int) -> dict[str, Any]:
        """A request's volunteers as its page shows them to you: every one for the mission's
        staff, those who came through your branches for an officer, your own otherwise."""
        user = signed_in_user(token_only=True)
        req = get_request_or_404(request_id)
        by_role = queries.offers_by_role(req, user)
        roles = {role.id: role for role in req.roles}
        offers = [offer for role_offers in by_role.values() for offer in role_offers]
        # The roles came with the request: no query for each offer's.
        return {"request": request_data(req),
                "items": [offer_data(o, roles[o.role_id]) for o in offers]}


@bp.route("/offers/<id:offer_id>/confirm")
class Confirm(MethodView):
    @sign_in_first
    @bp.response(200, schemas.Volunteer, description="confirmed: the volunteer is told")
    @errors(bp, 401, 403, 404, 409, 429, security=TOKEN)
    def post(self, offer_id: int) -> dict[str, Any]:
        """Confirm a volunteer: a place of their role, refused when the places are all
        confirmed or the request takes no volunteers. Needs the write scope."""
        user = signed_in_user(Scope.WRITE, token_only=True)
        offer = get_offer_or_404(offer_id, require=can_decide_offer)
        try:
            offer_services.confirm(offer, actor=user)
        except Refused as refusal:
            db.session.rollback()
            abort(409, description=str(refusal))
        db.session.commit()
        return offer_data(offer)


# Staff: requests -----------------------------------------------------------------

def _request_data(body: dict[str, Any]) -> outreach_services.RequestData:
    """The body as the request form's data; unknown branch slugs are a 422 on `branches`."""
    slugs = list(dict.fromkeys(body["branches"]))
    ids = dict(db.session.execute(
        sa.select(Branch.slug, Branch.id).where(Branch.slug.in_(slugs))).tuples().all())
    unknown = [slug for slug in slugs if slug not in ids]
    if unknown:
        error = UnprocessableEntity(description=_("There is no branch %(slug)s.",
                                                  slug=unknown[0]))
        error.data = {"messages": {"json": {"branches": [f"Unknown: {', '.join(unknown)}"]}}}
        raise error
    roles = [outreach_services.RoleData(name=r["name"], places=r["places"], id=r["id"],
                                        jet_role=JetRole(r["jet_role"]) if r["jet_role"] else None)
             for r in body["roles"]]
    fields = {k: v for k, v in body.items() if k not in ("branches", "roles", "kind")}
    return outreach_services.RequestData(kind=RequestKind(body["kind"]), roles=roles,
                                         branch_ids=[ids[slug] for slug in slugs], **fields)


def _saved(call: Any, status: int) -> None:
    try:
        call()
    except Refused as refusal:
        db.session.rollback()
        abort(status, description=str(refusal))
    db.session.commit()


@bp.route("/missions/<slug>/requests")
class MissionRequests(MethodView):
    @sign_in_first
    @bp.arguments(schemas.OutreachRequestBody())
    @bp.response(201, schemas.OutreachRequest, description="a draft: publish it when ready")
    @errors(bp, 401, 403, 404, 422, 429, security=TOKEN)
    def post(self, body: dict[str, Any], slug: str) -> tuple[dict[str, Any], int]:
        """A new request of the mission, as a draft (its staff and admins). Needs write."""
        user = signed_in_user(Scope.WRITE, token_only=True)
        mission = get_mission_or_404(slug)
        require(can_manage_mission(user, mission))
        data = _request_data(body)
        made: list[VolunteerRequest] = []
        _saved(lambda: made.append(outreach_services.create_request(mission, data, actor=user)),
               422)
        return request_data(made[0]), 201


@bp.route("/requests/<id:request_id>")
class RequestEdit(MethodView):
    @sign_in_first
    @bp.arguments(schemas.OutreachRequestBody())
    @bp.response(200, schemas.OutreachRequest)
    @errors(bp, 401, 403, 404, 409, 422, 429, security=TOKEN)
    def put(self, body: dict[str, Any], request_id: int) -> dict[str, Any]:
        """Change a request (all its fields, as the edit form sends them; roles kept by their
        id). Those who answered hear of a new time or place. Needs write."""
        user = signed_in_user(Scope.WRITE, token_only=True)
        req = get_request_or_404(request_id, require=can_manage_request)
        data = _request_data(body)
        _saved(lambda: outreach_services.update_request(req, data, actor=user), 422)
        return request_data(get_request_or_404(request_id))


@bp.route("/requests/<id:request_id>/publish")
class Publish(MethodView):
    @sign_in_first
    @bp.response(200, schemas.OutreachRequest, description="open: the branches are told")
    @errors(bp, 401, 403, 404, 409, 429, security=TOKEN)
    def post(self, request_id: int) -> dict[str, Any]:
        """Open a draft request: the asked branches' officers and opted-in members are told."""
        user = signed_in_user(Scope.WRITE, token_only=True)
        req = get_request_or_404(request_id, require=can_manage_request)
        _saved(lambda: outreach_services.publish_request(req, actor=user), 409)
        return request_data(req)
