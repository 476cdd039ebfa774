"""What the personal home and "My events" show: each list bounded, each one query.

Every function takes the signed-in person and returns plain rows; the page is
built from at most one query per list (tests/home/ counts them).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, contains_eager, noload

from jetaa.activities.models import Activity, ActivityStatus
from jetaa.announcements.models import Announcement, AnnouncementStatus, Scope
from jetaa.branches.models import Branch
from jetaa.db import utcnow
from jetaa.events.models import Event, EventStatus, Rsvp, RsvpStatus
from jetaa.extensions import db
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.outreach.models import OfferStatus, RequestStatus, VolunteerOffer, VolunteerRequest
from jetaa.permissions import approved_branch_ids, mission_ids_of, officer_branch_ids

SHOWN = 8
PAST_SHOWN = 50
ANSWER_WITHIN = timedelta(days=7)


def _waitlist_place() -> sa.ScalarSelect:
    """1 + how many wait before this RSVP on its event (a correlated count)."""
    ahead = aliased(Rsvp)
    return (sa.select(sa.func.count(ahead.id) + 1)
            .where(ahead.event_id == Rsvp.event_id, ahead.status == RsvpStatus.WAITLISTED,
                   sa.or_(ahead.waitlisted_at < Rsvp.waitlisted_at,
                          sa.and_(ahead.waitlisted_at == Rsvp.waitlisted_at, ahead.id < Rsvp.id)))
            .scalar_subquery())


def my_rsvps(user: Any, *, past: bool = False, limit: int = SHOWN) -> list[tuple[Rsvp, int]]:
    """My answers to events not over yet (going or waiting, soonest first), or to events
    that are over (any answer, latest first), with my place on each waitlist."""
    now = utcnow()
    query = (sa.select(Rsvp, _waitlist_place()).join(Rsvp.event).join(Event.branch)
             .options(contains_eager(Rsvp.event).contains_eager(Event.branch),
                      contains_eager(Rsvp.event).noload(Event.cohosts))
             .where(Rsvp.user_id == user.id, Event.status != EventStatus.DRAFT))
    if past:
        query = query.where(Event.ends_at <= now, Rsvp.status != RsvpStatus.NOT_GOING) \
            .order_by(Event.starts_at.desc())
    else:
        query = query.where(Event.ends_at > now,
                            Rsvp.status.in_((RsvpStatus.GOING, RsvpStatus.WAITLISTED))) \
            .order_by(Event.starts_at)
    return [(rsvp, place) for rsvp, place in db.session.execute(query.limit(limit)).unique()]


def branch_events(user: Any, *, limit: int = SHOWN) -> list[Event]:
    """The next published events of my branches that I have not answered."""
    branch_ids = approved_branch_ids(user)
    if not branch_ids:
        return []
    answered = sa.exists().where(Rsvp.event_id == Event.id, Rsvp.user_id == user.id)
    query = (sa.select(Event).join(Event.branch)
             .options(contains_eager(Event.branch), noload(Event.cohosts))
             .where(Event.branch_id.in_(branch_ids), Event.status == EventStatus.PUBLISHED,
                    Event.ends_at > utcnow(), ~answered)
             .order_by(Event.starts_at).limit(limit))
    return list(db.session.scalars(query).unique())


def deadlines(user: Any, *, limit: int = SHOWN) -> list[Event]:
    """Events of my branches whose RSVP closes within a week and that I have not answered."""
    branch_ids = approved_branch_ids(user)
    if not branch_ids:
        return []
    now = utcnow()
    answered = sa.exists().where(Rsvp.event_id == Event.id, Rsvp.user_id == user.id)
    query = (sa.select(Event).options(noload(Event.cohosts)).where(
        Event.branch_id.in_(branch_ids), Event.status == EventStatus.PUBLISHED,
        Event.rsvp_deadline > now, Event.rsvp_deadline <= now + ANSWER_WITHIN, ~answered)
        .order_by(Event.rsvp_deadline).limit(limit))
    return list(db.session.scalars(query))


def volunteer_invitations(user: Any, *, limit: int = SHOWN) -> list[VolunteerOffer]:
    """Missions' invitations to volunteer that wait for my answer."""
    query = (sa.select(VolunteerOffer).join(VolunteerRequest,
                                            VolunteerRequest.id == VolunteerOffer.request_id)
             .options(contains_eager(VolunteerOffer.request))
             .where(VolunteerOffer.user_id == user.id,
                    VolunteerOffer.status == OfferStatus.INVITED,
                    VolunteerRequest.status.in_((RequestStatus.OPEN, RequestStatus.FILLED)),
                    VolunteerRequest.ends_at > utcnow())
             .order_by(VolunteerRequest.starts_at).limit(limit))
    return list(db.session.scalars(query))


def branch_activities(user: Any, *, limit: int = SHOWN) -> list[Activity]:
    """The latest published activities of my branches."""
    branch_ids = approved_branch_ids(user)
    if not branch_ids:
        return []
    query = (sa.select(Activity).where(Activity.branch_id.in_(branch_ids),
                                       Activity.status == ActivityStatus.VERIFIED,
                                       Activity.is_published)
             .order_by(Activity.starts_on.desc(), Activity.id.desc()).limit(limit))
    return list(db.session.scalars(query))


def announcements(user: Any, *, limit: int = SHOWN) -> list[Announcement]:
    """The latest announcements sent to my branches, and the federation's."""
    branch_ids = approved_branch_ids(user)
    if not branch_ids:
        return []
    query = (sa.select(Announcement).where(
        Announcement.status.in_((AnnouncementStatus.SENDING, AnnouncementStatus.SENT)),
        sa.or_(Announcement.branch_id.in_(branch_ids), Announcement.scope == Scope.FEDERATION))
        .order_by(Announcement.send_at.desc()).limit(limit))
    return list(db.session.scalars(query))


def officer_queue(user: Any) -> list[tuple[Branch, int, int]]:
    """For each branch I am an officer of: applications and activities waiting (one query)."""
    branch_ids = officer_branch_ids(user)
    if not branch_ids:
        return []
    applications = (sa.select(sa.func.count(Membership.id))
                    .where(Membership.branch_id == Branch.id,
                           Membership.status == MembershipStatus.PENDING).scalar_subquery())
    reviews = (sa.select(sa.func.count(Activity.id))
               .where(Activity.branch_id == Branch.id,
                      Activity.status == ActivityStatus.SUBMITTED).scalar_subquery())
    query = (sa.select(Branch, applications, reviews).where(Branch.id.in_(branch_ids))
             .order_by(Branch.name))
    return [tuple(row) for row in db.session.execute(query)]


def mission_requests(user: Any, *, limit: int = SHOWN) -> list[tuple[VolunteerRequest, int]]:
    """My missions' open requests, soonest first, with how many offers wait for a decision."""
    mission_ids = mission_ids_of(user)
    if not mission_ids:
        return []
    waiting = (sa.select(sa.func.count(VolunteerOffer.id))
               .where(VolunteerOffer.request_id == VolunteerRequest.id,
                      VolunteerOffer.status == OfferStatus.OFFERED).scalar_subquery())
    query = (sa.select(VolunteerRequest, waiting)
             .where(VolunteerRequest.mission_id.in_(mission_ids),
                    VolunteerRequest.status.in_((RequestStatus.OPEN, RequestStatus.FILLED)),
                    VolunteerRequest.ends_at > utcnow())
             .order_by(VolunteerRequest.starts_at).limit(limit))
    return [tuple(row) for row in db.session.execute(query)]
