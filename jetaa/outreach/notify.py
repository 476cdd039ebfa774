"""Who hears about a request, and what they receive (through the outbox)."""

from __future__ import annotations

from datetime import UTC

import icalendar
import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.core.urls import external_url
from jetaa.events.feeds import vtimezone
from jetaa.events.times import zone
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile
from jetaa.memberships.models import MemberRole, Membership, MembershipStatus
from jetaa.notifications.services import notify
from jetaa.outreach.models import LIVE_OFFERS, VolunteerOffer, VolunteerRequest
from jetaa.outreach.staff import staff_of

PRODID = "-//JETAA Connect//Outreach//EN"


def request_link(request: VolunteerRequest) -> str:
    return external_url("outreach.show", request_id=request.id)


def calendar_file(request: VolunteerRequest, *, cancelled: bool = False) -> str:
    """The request as one VEVENT (confirmed volunteers' calendars), in its own time zone,
    with that zone's VTIMEZONE. `cancelled`: the entry to take out of the calendar (the
    request was cancelled, or this volunteer is no longer confirmed)."""
    cancelled = cancelled or request.status.value == "cancelled"
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    tz = zone(request.timezone)
    calendar.add_component(vtimezone(request.timezone, request.starts_at.astimezone(tz).year,
                                     request.ends_at.astimezone(tz).year))
    event = icalendar.Event()
    event.add("uid", f"outreach-{request.id}@jetaa-connect")
    event.add("dtstamp", request.updated_at.astimezone(UTC))
    event.add("sequence", request.sequence + (1 if cancelled else 0))
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
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()


def _send(user: User, template: str, request: VolunteerRequest, *, ics: bool = False,
          cancel_ics: bool = False, **context: object) -> None:
    calendar = None
    if ics or cancel_ics:
        calendar = calendar_file(request, cancelled=cancel_ics)
    notify(user, template, request=request,
                link=request_link(request), calendar=calendar, **context)


def _answered(request: VolunteerRequest) -> list[VolunteerOffer]:
    return list(db.session.scalars(
        sa.select(VolunteerOffer).join(VolunteerOffer.user)
        .options(sa.orm.contains_eager(VolunteerOffer.user))
        .where(VolunteerOffer.request_id == request.id,
               VolunteerOffer.status.in_(LIVE_OFFERS))))


def _told_at_opening(branch_ids: set[int]) -> sa.Select:
    """The people a request's opening is sent to: the branches' officers, and their members
    who opted in to recruitment help."""
    officer = Membership.role == MemberRole.OFFICER
    opted_in = sa.select(AlumniProfile.user_id).where(AlumniProfile.open_to_recruitment)
    return (sa.select(User).join(Membership, Membership.user_id == User.id)
            .where(Membership.branch_id.in_(branch_ids),
                   Membership.status == MembershipStatus.APPROVED,
                   sa.or_(officer, User.id.in_(opted_in))))


def request_opened(request: VolunteerRequest, branch_ids: set[int] | None = None) -> int:
    """Tell the asked branches (or only `branch_ids`, newly asked) about an open request."""
    people = db.session.scalars(_told_at_opening(branch_ids or request.branch_ids)
                                .distinct().order_by(User.id)).all()
    for person in people:
        _send(person, "outreach_request", request)
    return len(people)


def share_with_branch(request: VolunteerRequest, branch_id: int) -> int:
    """An officer sends the request to the branch's other approved members (those told at
    its opening already have it)."""
    told = _told_at_opening(request.branch_ids).with_only_columns(User.id)
    people = db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.branch_id == branch_id, Membership.status == MembershipStatus.APPROVED,
               User.id.not_in(told))
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
        _send(offer.user, "outreach_cancelled", request,
              cancel_ics=offer.status.value == "confirmed")
    return len(offers)


def invited(offer: VolunteerOffer) -> None:
    _send(offer.user, "outreach_invited", offer.request, role=offer.role)


def confirmed(offer: VolunteerOffer, *, promoted: bool = False) -> None:
    _send(offer.user, "outreach_confirmed", offer.request, ics=True, role=offer.role,
          promoted=promoted)


def decided(offer: VolunteerOffer, *, was_confirmed: bool = False) -> None:
    """Waitlisted or declined; a volunteer who was confirmed gets the calendar entry removed."""
    _send(offer.user, "outreach_decided", offer.request, role=offer.role, offer=offer,
          cancel_ics=was_confirmed)


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
