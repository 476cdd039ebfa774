"""Who hears about a request, and what they receive (through the outbox)."""

from __future__ import annotations

from datetime import UTC

import icalendar
import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.core.urls import external_url
from jetaa.events.times import zone
from jetaa.extensions import db
from jetaa.mail.services import queue_email
from jetaa.members.models import AlumniProfile
from jetaa.memberships.models import MemberRole, Membership, MembershipStatus
from jetaa.missions.models import MissionStaff
from jetaa.outreach.models import LIVE_OFFERS, VolunteerOffer, VolunteerRequest

PRODID = "-//JETAA Connect//Outreach//EN"


def request_link(request: VolunteerRequest) -> str:
    return external_url("outreach.show", request_id=request.id)


def calendar_file(request: VolunteerRequest) -> str:
    """The request as one VEVENT (confirmed volunteers' calendars), in its own time zone."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"outreach-{request.id}@jetaa-connect")
    event.add("dtstamp", request.updated_at.astimezone(UTC))
    event.add("sequence", request.sequence)
    event.add("summary", request.title)
    event.add("dtstart", request.starts_at.astimezone(zone(request.timezone)))
    event.add("dtend", request.ends_at.astimezone(zone(request.timezone)))
    place = ", ".join(p for p in (request.venue, request.city) if p)
    if request.is_online and request.online_url:
        place = ", ".join(p for p in (place, request.online_url) if p)
    if place:
        event.add("location", place)
    if request.description:
        event.add("description", request.description)
    event.add("url", request_link(request))
    event.add("status", "CANCELLED" if request.status.value == "cancelled" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _send(user: User, template: str, request: VolunteerRequest, *, ics: bool = False,
          **context: object) -> None:
    queue_email(user.email, template, locale=user.locale, user=user, request=request,
                link=request_link(request), calendar=calendar_file(request) if ics else None,
                **context)


def _answered(request: VolunteerRequest) -> list[VolunteerOffer]:
    return list(db.session.scalars(
        sa.select(VolunteerOffer).join(VolunteerOffer.user)
        .options(sa.orm.contains_eager(VolunteerOffer.user))
        .where(VolunteerOffer.request_id == request.id,
               VolunteerOffer.status.in_(LIVE_OFFERS))))


def staff_of(mission_id: int) -> list[User]:
    return list(db.session.scalars(sa.select(User).join(MissionStaff, MissionStaff.user_id == User.id)
                                   .where(MissionStaff.mission_id == mission_id)
                                   .order_by(User.id)))


def request_opened(request: VolunteerRequest) -> int:
    """The asked branches' officers, and their members who opted in to recruitment help."""
    officer = Membership.role == MemberRole.OFFICER
    opted_in = sa.select(AlumniProfile.user_id).where(AlumniProfile.open_to_recruitment)
    people = db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.branch_id.in_(request.branch_ids),
               Membership.status == MembershipStatus.APPROVED,
               sa.or_(officer, User.id.in_(opted_in)))
        .distinct().order_by(User.id)).all()
    for person in people:
        _send(person, "outreach_request", request)
    return len(people)


def share_with_branch(request: VolunteerRequest, branch_id: int) -> int:
    """An officer sends the request to every approved member of their branch."""
    people = db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.branch_id == branch_id, Membership.status == MembershipStatus.APPROVED)
        .order_by(User.id)).all()
    for person in people:
        _send(person, "outreach_request", request)
    return len(people)


def request_changed(request: VolunteerRequest) -> int:
    offers = _answered(request)
    for offer in offers:
        _send(offer.user, "outreach_changed", request, ics=offer.status.value == "confirmed")
    return len(offers)


def request_cancelled(request: VolunteerRequest) -> int:
    offers = _answered(request)
    for offer in offers:
        _send(offer.user, "outreach_cancelled", request)
    return len(offers)


def invited(offer: VolunteerOffer) -> None:
    _send(offer.user, "outreach_invited", offer.request, role=offer.role)


def confirmed(offer: VolunteerOffer, *, promoted: bool = False) -> None:
    _send(offer.user, "outreach_confirmed", offer.request, ics=True, role=offer.role,
          promoted=promoted)


def decided(offer: VolunteerOffer) -> None:
    _send(offer.user, "outreach_decided", offer.request, role=offer.role, offer=offer)


def withdrawn(offer: VolunteerOffer) -> None:
    for person in staff_of(offer.request.mission_id):
        _send(person, "outreach_withdrawn", offer.request, role=offer.role, volunteer=offer.user)


def reminder(offer: VolunteerOffer) -> None:
    _send(offer.user, "outreach_reminder", offer.request, ics=True, role=offer.role)


def outcome_due(request: VolunteerRequest) -> int:
    people = staff_of(request.mission_id)
    for person in people:
        _send(person, "outreach_outcome_due", request)
    return len(people)
