"""With a token: my account, my memberships, my RSVPs (the events service's seats and
waitlist rules: a full event puts the RSVP on the waitlist, never past its capacity)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import aliased, joinedload

from jetaa.api import schemas
from jetaa.api.auth import sign_in_first, signed_in_user
from jetaa.api.document import TOKEN, errors
from jetaa.api.models import Scope
from jetaa.api.paging import envelope, paginate
from jetaa.api.permissions import current_token
from jetaa.api.public import event_data
from jetaa.core.actions import Refused, once_more_on_conflict
from jetaa.db import utcnow
from jetaa.events.models import Event, Rsvp, RsvpStatus
from jetaa.events.permissions import can_rsvp, get_event_or_404, visible_clause
from jetaa.events.rsvp import respond
from jetaa.extensions import db
from jetaa.missions.models import Mission, MissionStaff
from jetaa.permissions import memberships_of

bp = Blueprint("api_me", __name__, url_prefix="/api/v1",
               description="Your own account, with a token of yours.")

ERRORS = (401, 403, 429)


@bp.route("/me")
class MeView(MethodView):
    @sign_in_first
    @bp.doc(security=TOKEN)
    @bp.response(200, schemas.Me)
    @errors(bp, *ERRORS)
    def get(self) -> dict[str, Any]:
        """Who the token acts as: the account, its memberships and missions."""
        user = signed_in_user()
        missions = db.session.scalars(sa.select(Mission).join(MissionStaff)
                                      .where(MissionStaff.user_id == user.id)
                                      .order_by(Mission.name))
        token = current_token()
        memberships = sorted(memberships_of(user).values(), key=lambda m: m.branch.name)
        return {
            "id": user.id, "name": user.name, "email": user.email, "locale": user.locale,
            "admin": bool(user.is_admin),
            "missions": [{"slug": m.slug, "name": m.name} for m in missions],
            "memberships": [{"branch": {"slug": m.branch.slug, "name": m.branch.name},
                             "role": m.role.value, "status": m.status.value,
                             "primary": m.is_primary} for m in memberships],
            "token": None if token is None else {"name": token.name, "scope": token.scope.value,
                                                 "expires_at": token.expires_at},
        }


def _place() -> sa.ScalarSelect:
    """Where each waitlisted RSVP stands (1 is next): the same order as waitlist_place()."""
    other = aliased(Rsvp)
    ahead = sa.or_(other.waitlisted_at < Rsvp.waitlisted_at,
                   sa.and_(other.waitlisted_at == Rsvp.waitlisted_at, other.id < Rsvp.id))
    return (sa.select(sa.func.count() + 1).where(other.event_id == Rsvp.event_id,
                                                 other.status == RsvpStatus.WAITLISTED, ahead)
            .correlate(Rsvp).scalar_subquery())


def rsvp_data(rsvp: Rsvp, place: int | None) -> dict[str, Any]:
    return {"event": event_data(rsvp.event), "status": rsvp.status.value, "guests": rsvp.guests,
            "waitlist_place": place if rsvp.status == RsvpStatus.WAITLISTED else None,
            "updated_at": rsvp.updated_at}


@bp.route("/me/rsvps")
class MyRsvps(MethodView):
    @sign_in_first
    @bp.doc(security=TOKEN)
    @bp.arguments(schemas.RsvpArgs(), location="query", as_kwargs=True)
    @bp.response(200, schemas.paged("RsvpPage", schemas.Rsvp))
    @errors(bp, *ERRORS, 422)
    def get(self, page: int, per_page: int, past: bool) -> dict[str, Any]:
        """The events you are going to or waiting for, soonest first (`past`: those over)."""
        user = signed_in_user()
        now = utcnow()
        query = (sa.select(Rsvp).join(Event, Event.id == Rsvp.event_id)
                 .options(joinedload(Rsvp.event).joinedload(Event.branch))
                 .where(Rsvp.user_id == user.id, visible_clause(user),
                        Rsvp.status.in_((RsvpStatus.GOING, RsvpStatus.WAITLISTED)),
                        Event.ends_at <= now if past else Event.ends_at > now)
                 .order_by(Event.starts_at.desc() if past else Event.starts_at, Event.id))
        rsvps, total = paginate(query, page=page, per_page=per_page)
        places = dict(db.session.execute(
            sa.select(Rsvp.id, _place()).where(Rsvp.id.in_([r.id for r in rsvps]),
                                               Rsvp.status == RsvpStatus.WAITLISTED)).all()
                      ) if rsvps else {}
        return envelope([rsvp_data(r, places.get(r.id)) for r in rsvps], page=page,
                        per_page=per_page, total=total)

    @sign_in_first
    @bp.doc(security=TOKEN)
    @bp.arguments(schemas.RsvpRequest())
    @bp.response(200, schemas.Rsvp, description="going, or on the waitlist when it is full")
    @errors(bp, *ERRORS, 404, 409, 422)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Going to an event (with guests): a seat, or a place on the waitlist when it is full.
        Answering again changes the number of guests. Needs the write scope."""
        return _answer(body["event_id"], going=True, guests=body["guests"])


@bp.route("/me/rsvps/<id:event_id>")
class MyRsvp(MethodView):
    @sign_in_first
    @bp.doc(security=TOKEN)
    @bp.response(200, schemas.Rsvp, description="now not going; the seat goes to the waitlist")
    @errors(bp, *ERRORS, 404, 409)
    def delete(self, event_id: int) -> dict[str, Any]:
        """Not going any more: the seats are freed for the waitlist. Needs the write scope."""
        return _answer(event_id, going=False, guests=0)


def _answer(event_id: int, *, going: bool, guests: int) -> dict[str, Any]:
    user = signed_in_user(Scope.WRITE)
    event = get_event_or_404(event_id, require=can_rsvp)
    try:
        rsvp = once_more_on_conflict(
            lambda: respond(event, user, going=going, guests=guests))()
    except Refused as refusal:
        db.session.rollback()
        abort(409, description=str(refusal))
    place = db.session.scalar(sa.select(_place()).where(Rsvp.id == rsvp.id)) \
        if rsvp.status == RsvpStatus.WAITLISTED else None
    return rsvp_data(rsvp, place)
