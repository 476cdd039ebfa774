"""Who an announcement goes to, as one query: the scope, the segment, the settings.

The segment is a small dict (`Announcement.segment`), each key optional and all of
them combined with AND: `topic` (opted in to it), `jet_role` (ALT, CIR, SEA),
`year_from`/`year_to` (on JET in some year of that range; with `jet_role`, in that
role: one placement meets them all), `city` (current city, ignoring ASCII case),
`event_id` with `rsvp` ("going" or "waitlisted").
Everyone it selects also passes notifications.rules.receiving_clause.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from jetaa.announcements.models import Announcement, Delivery, Scope
from jetaa.auth.models import User
from jetaa.events.models import Rsvp, RsvpStatus
from jetaa.members.models import AlumniProfile
from jetaa.members.services.directory import has_placement
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.notifications.models import TopicOptIn
from jetaa.notifications.rules import Kind, receiving_clause

SEGMENT_KEYS = ("topic", "jet_role", "year_from", "year_to", "city", "event_id", "rsvp")


def _approved(branch_id: int | None) -> sa.Exists:
    clause = sa.exists().where(Membership.user_id == User.id,
                               Membership.status == MembershipStatus.APPROVED)
    return clause.where(Membership.branch_id == branch_id) if branch_id is not None else clause


def _profile(*conditions: Any) -> sa.Exists:
    return sa.exists().where(AlumniProfile.user_id == User.id, *conditions)


def segment_clauses(segment: dict[str, Any]) -> list[Any]:
    """The segment's conditions on User (an empty segment: none)."""
    clauses: list[Any] = []
    if segment.get("topic"):
        clauses.append(sa.exists().where(TopicOptIn.user_id == User.id,
                                         TopicOptIn.topic == segment["topic"]))
    # The same JET-history rule as the directory: one placement with that role in the range.
    placed = has_placement(User.id, role=segment.get("jet_role") or None,
                           year_from=int(segment["year_from"]) if segment.get("year_from") else None,
                           year_to=int(segment["year_to"]) if segment.get("year_to") else None)
    if placed is not None:
        clauses.append(placed)
    if segment.get("city"):
        city = " ".join(str(segment["city"]).split()).lower()
        clauses.append(_profile(sa.func.lower(AlumniProfile.current_city) == city))
    if segment.get("event_id"):
        status = RsvpStatus(segment.get("rsvp") or RsvpStatus.GOING)
        clauses.append(sa.exists().where(Rsvp.user_id == User.id,
                                         Rsvp.event_id == int(segment["event_id"]),
                                         Rsvp.status == status))
    return clauses


def recipients(announcement: Announcement) -> sa.Select:
    """Ids of the people the announcement goes to and has not been delivered to yet."""
    federation = announcement.scope == Scope.FEDERATION
    branch_id = None if federation else announcement.branch_id
    query = (sa.select(User.id).where(
        _approved(branch_id),
        receiving_clause(Kind.ANNOUNCEMENT, branch_id=branch_id),
        ~sa.exists().where(Delivery.announcement_id == announcement.id,
                           Delivery.user_id == User.id)))
    if announcement.scope == Scope.SEGMENT:
        query = query.where(*segment_clauses(announcement.segment or {}))
    return query.order_by(User.id)


def count(announcement: Announcement) -> int:
    from jetaa.extensions import db

    return db.session.scalar(sa.select(sa.func.count()).select_from(
        recipients(announcement).order_by(None).subquery())) or 0
