"""Offers to volunteer, and the decisions on them.

A place is taken and given back only by one conditional UPDATE on the role
row (`confirmed < places`), as RSVPs take seats: two staff confirming the last
place at the same moment cannot both succeed, on PostgreSQL (the second
re-checks the condition after the first's row lock) or SQLite (one writer).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.outreach import notify
from jetaa.outreach.models import (
    ANSWERABLE,
    ConflictKind,
    OfferStatus,
    OutreachError,
    RequestRole,
    RequestStatus,
    VolunteerOffer,
    VolunteerRequest,
)
from jetaa.outreach.permissions import can_manage_request
from jetaa.outreach.services import refresh_status


@dataclass
class Declaration:
    """For panels and screening: a conflict of interest (or none) and confidentiality."""

    has_conflict: bool
    confidential: bool
    kind: ConflictKind | None = None
    details: str = ""


def _answering_branch(request: VolunteerRequest, user: User) -> int:
    """The asked branch the member answers through: their primary one if it was asked."""
    rows = db.session.execute(
        sa.select(Membership.branch_id, Membership.is_primary)
        .where(Membership.user_id == user.id, Membership.status == MembershipStatus.APPROVED,
               Membership.branch_id.in_(request.branch_ids))
        .order_by(Membership.is_primary.desc(), Membership.branch_id)).first()
    if rows is None:
        raise OutreachError(_l("This request was sent to branches you are not a member of."))
    return rows[0]


def _check_answerable(request: VolunteerRequest) -> None:
    if request.status not in ANSWERABLE:
        raise OutreachError(_l("This request is not taking volunteers."))
    if utcnow() > request.respond_by:
        raise OutreachError(_l("The response deadline for this request has passed."))


def _declare(offer: VolunteerOffer, request: VolunteerRequest, declaration: Declaration | None,
             actor: User) -> None:
    if not request.kind.confidential:
        return
    if declaration is None or not declaration.confidential:
        raise OutreachError(_l("Panels and screening are confidential: please declare any "
                               "conflict of interest and accept confidentiality."))
    if declaration.has_conflict and (declaration.kind is None or not declaration.details.strip()):
        raise OutreachError(_l("Say what the conflict of interest is."))
    offer.declared_at = utcnow()
    offer.has_conflict = declaration.has_conflict
    offer.conflict_kind = declaration.kind if declaration.has_conflict else None
    offer.conflict_details = declaration.details.strip() if declaration.has_conflict else ""
    offer.conflict_accepted_reason, offer.conflict_accepted_by_id = "", None
    record("outreach.declaration", actor=actor, object_type="outreach_offer", object_id=offer.id,
           request=request.id, conflict=offer.has_conflict,
           kind=offer.conflict_kind and offer.conflict_kind.value)


def volunteer(request: VolunteerRequest, role: RequestRole, user: User, *, note: str = "",
              availability: str = "", declaration: Declaration | None = None) -> VolunteerOffer:
    """Offer to fill `role` (or accept an invitation to it)."""
    if role.request_id != request.id:
        raise OutreachError(_l("That role is not part of this request."))
    _check_answerable(request)
    branch_id = _answering_branch(request, user)
    offer = db.session.scalar(sa.select(VolunteerOffer).where(
        VolunteerOffer.role_id == role.id, VolunteerOffer.user_id == user.id))
    if offer is not None and offer.status != OfferStatus.INVITED:
        raise OutreachError(_l("You have already answered for this role."))
    if offer is None:
        offer = VolunteerOffer(request_id=request.id, role_id=role.id, user_id=user.id,
                               branch_id=branch_id)
        db.session.add(offer)
    offer.status, offer.note, offer.availability = OfferStatus.OFFERED, note, availability
    db.session.flush()
    _declare(offer, request, declaration, user)
    record("outreach.offer", actor=user, object_type="outreach_offer", object_id=offer.id,
           request=request.id, role=role.name)
    return offer


def invite(request: VolunteerRequest, role: RequestRole, member: User, *,
           actor: User) -> VolunteerOffer:
    """Staff ask a suggested member directly; the member answers from the request page."""
    from jetaa.outreach.suggestions import suggestions  # the same filters decide who may be asked

    if role.request_id != request.id:
        raise OutreachError(_l("That role is not part of this request."))
    _check_answerable(request)
    if member.id not in {s.user_id for s in suggestions(request, role, only=member.id)}:
        raise OutreachError(_l("Only members who opted in to recruitment help, in an asked "
                               "branch and meeting the role's requirements, can be invited."))
    offer = VolunteerOffer(request_id=request.id, role_id=role.id, user_id=member.id,
                           branch_id=_answering_branch(request, member),
                           status=OfferStatus.INVITED)
    db.session.add(offer)
    db.session.flush()
    notify.invited(offer)
    record("outreach.invite", actor=actor, object_type="outreach_offer", object_id=offer.id,
           request=request.id, member=member.id)
    return offer


def _take_place(role: RequestRole) -> bool:
    query = (sa.update(RequestRole)
             .where(RequestRole.id == role.id, RequestRole.confirmed < RequestRole.places)
             .values(confirmed=RequestRole.confirmed + 1)
             .execution_options(synchronize_session=False))
    taken = db.session.execute(query).rowcount == 1
    db.session.expire(role, ["confirmed"])
    return taken


def _give_back(role: RequestRole) -> None:
    db.session.execute(sa.update(RequestRole).where(RequestRole.id == role.id,
                                                    RequestRole.confirmed > 0)
                       .values(confirmed=RequestRole.confirmed - 1)
                       .execution_options(synchronize_session=False))
    db.session.expire(role, ["confirmed"])


def _lock(offer: VolunteerOffer) -> None:
    """Decisions on one offer go one at a time: a double click confirms once."""
    db.session.execute(sa.update(VolunteerOffer).where(VolunteerOffer.id == offer.id)
                       .values(updated_at=VolunteerOffer.updated_at)
                       .execution_options(synchronize_session=False))
    db.session.refresh(offer, ["status"])


def _ready_for_confirmation(offer: VolunteerOffer, actor: User | None) -> None:
    if offer.status not in (OfferStatus.OFFERED, OfferStatus.WAITLISTED):
        raise OutreachError(_l("Only an offer waiting for an answer or on the waitlist can be "
                               "confirmed."))
    if offer.request.kind.confidential:
        if offer.declared_at is None:
            raise OutreachError(_l("The volunteer has not declared conflicts of interest yet."))
        if offer.conflict_blocks:
            if actor is not None and not can_manage_request(actor, offer.request):
                raise OutreachError(_l("This offer needs the mission's decision."))
            raise OutreachError(_l("A conflict of interest is declared: record why it is "
                                   "acceptable before confirming."))


def confirm(offer: VolunteerOffer, *, actor: User | None) -> VolunteerOffer:
    """A place for the volunteer; refused when the role's places are all confirmed."""
    _lock(offer)
    request = offer.request
    if request.status not in ANSWERABLE:
        raise OutreachError(_l("This request is not taking volunteers."))
    _ready_for_confirmation(offer, actor)
    if not _take_place(offer.role):
        raise OutreachError(_l("All %(n)d places of %(role)s are confirmed already.",
                               n=offer.role.places, role=offer.role.name))
    offer.status, offer.waitlisted_at = OfferStatus.CONFIRMED, None
    offer.decided_by_id, offer.decided_at = actor and actor.id, utcnow()
    refresh_status(request)
    notify.confirmed(offer)
    record("outreach.confirm", actor=actor, object_type="outreach_offer", object_id=offer.id,
           request=request.id, role=offer.role.name)
    return offer


def _check_deciding(offer: VolunteerOffer) -> None:
    if offer.request.status not in ANSWERABLE:
        raise OutreachError(_l("This request is closed: its offers can no longer change."))


def waitlist(offer: VolunteerOffer, *, actor: User) -> VolunteerOffer:
    _lock(offer)
    _check_deciding(offer)
    if offer.status not in (OfferStatus.OFFERED, OfferStatus.CONFIRMED):
        raise OutreachError(_l("Only an offer waiting for an answer, or confirmed, can be "
                               "waitlisted."))
    freed = offer.status == OfferStatus.CONFIRMED
    if freed:
        _give_back(offer.role)
    offer.status, offer.waitlisted_at = OfferStatus.WAITLISTED, utcnow()
    offer.decided_by_id, offer.decided_at = actor.id, utcnow()
    notify.decided(offer, was_confirmed=freed)
    refresh_status(offer.request)
    record("outreach.waitlist", actor=actor, object_type="outreach_offer", object_id=offer.id,
           request=offer.request_id)
    return offer


def decline(offer: VolunteerOffer, *, actor: User) -> VolunteerOffer:
    _lock(offer)
    _check_deciding(offer)
    if offer.status in (OfferStatus.DECLINED, OfferStatus.WITHDRAWN):
        raise OutreachError(_l("This offer is already closed."))
    freed = offer.status == OfferStatus.CONFIRMED
    if freed:
        _give_back(offer.role)
    offer.status, offer.waitlisted_at = OfferStatus.DECLINED, None
    offer.decided_by_id, offer.decided_at = actor.id, utcnow()
    notify.decided(offer, was_confirmed=freed)
    if freed:
        promote_waitlist(offer.role)
    refresh_status(offer.request)
    record("outreach.decline", actor=actor, object_type="outreach_offer", object_id=offer.id,
           request=offer.request_id)
    return offer


def withdraw(offer: VolunteerOffer, *, actor: User) -> VolunteerOffer:
    """The volunteer steps back (or turns an invitation down): the place goes to the waitlist."""
    _lock(offer)
    if offer.status in (OfferStatus.DECLINED, OfferStatus.WITHDRAWN):
        raise OutreachError(_l("This offer is already closed."))
    if offer.request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise OutreachError(_l("This request is closed."))
    if offer.request.starts_at <= utcnow():
        raise OutreachError(_l("This request has started: please tell the mission directly."))
    freed = offer.status == OfferStatus.CONFIRMED
    offer.status, offer.waitlisted_at = OfferStatus.WITHDRAWN, None
    if freed:
        _give_back(offer.role)
        notify.withdrawn(offer)
        promote_waitlist(offer.role)
    refresh_status(offer.request)
    record("outreach.withdraw", actor=actor, object_type="outreach_offer", object_id=offer.id,
           request=offer.request_id, was_confirmed=freed)
    return offer


def promote_waitlist(role: RequestRole) -> VolunteerOffer | None:
    """Give a freed place to the first waitlisted volunteer who can take it (they are told
    and can withdraw); nobody is promoted once the request is closed or has started."""
    request = role.request
    if request.status not in ANSWERABLE or request.starts_at <= utcnow():
        return None
    waiting = db.session.scalars(
        sa.select(VolunteerOffer).where(VolunteerOffer.role_id == role.id,
                                        VolunteerOffer.status == OfferStatus.WAITLISTED)
        .order_by(VolunteerOffer.waitlisted_at, VolunteerOffer.id)).all()
    for offer in waiting:
        if offer.request.kind.confidential and (offer.declared_at is None or offer.conflict_blocks):
            continue
        if not _take_place(role):
            return None
        offer.status, offer.waitlisted_at, offer.decided_at = OfferStatus.CONFIRMED, None, utcnow()
        notify.confirmed(offer, promoted=True)
        record("outreach.promote", actor=None, object_type="outreach_offer", object_id=offer.id,
               request=offer.request_id)
        return offer
    return None


def accept_conflict(offer: VolunteerOffer, reason: str, *, actor: User) -> VolunteerOffer:
    """Staff record why a declared conflict does not stand in the way."""
    if not offer.has_conflict:
        raise OutreachError(_l("No conflict of interest is declared on this offer."))
    if len(reason.strip()) < 10:
        raise OutreachError(_l("Say in a sentence why the conflict is acceptable."))
    offer.conflict_accepted_reason, offer.conflict_accepted_by_id = reason.strip(), actor.id
    record("outreach.conflict_accepted", actor=actor, object_type="outreach_offer",
           object_id=offer.id, request=offer.request_id, reason=reason.strip())
    return offer


def redeclare(offer: VolunteerOffer, declaration: Declaration, *, actor: User) -> VolunteerOffer:
    """The volunteer declares (again) before being confirmed."""
    if offer.status not in (OfferStatus.OFFERED, OfferStatus.WAITLISTED):
        raise OutreachError(_l("The declaration can be changed only before confirmation."))
    if offer.has_conflict and not declaration.has_conflict:
        raise OutreachError(_l("A declared conflict of interest is cleared only by the mission's "
                               "staff: write to them if it was a mistake."))
    _declare(offer, offer.request, declaration, actor)
    return offer


def still_coming(offer: VolunteerOffer, *, actor: User) -> VolunteerOffer:
    """The volunteer answers the day-before reminder: yes, I am coming."""
    if offer.status != OfferStatus.CONFIRMED:
        raise OutreachError(_l("Only a confirmed volunteer can confirm they are coming."))
    if offer.request.ends_at <= utcnow():
        raise OutreachError(_l("This request is over."))
    offer.reconfirmed_at = utcnow()
    record("outreach.still_coming", actor=actor, object_type="outreach_offer", object_id=offer.id,
           request=offer.request_id)
    return offer
