"""Who may see, edit and answer events: each question beside its SQL form."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from jetaa.events.models import Audience, Event, EventStatus, event_cohosts
from jetaa.extensions import db
from jetaa.permissions import (
    approved_branch_ids,
    is_admin,
    is_approved_member,
    memberships_of,
    mission_ids_of,
    officer_branch_ids,
    signed_in,
)


def can_edit_event(user: Any, event: Event) -> bool:
    """Admins, and officers of the host branch or of a co-hosting branch."""
    return is_admin(user) or bool(officer_branch_ids(user) & event.host_branch_ids)


def can_view_event(user: Any, event: Event) -> bool:
    """Drafts only to editors; members-only audiences only to the right members.

    visible_clause() below asks the same in SQL.
    """
    if can_edit_event(user, event):
        return True
    if event.status == EventStatus.DRAFT:
        return False
    if event.audience == Audience.PUBLIC:
        return True
    if event.mission_id is not None and event.mission_id in mission_ids_of(user):
        return True
    approved_in = approved_branch_ids(user)
    if event.audience == Audience.FEDERATION:
        return bool(approved_in)
    return bool(approved_in & event.host_branch_ids)


def hosted_by(branch_ids: set[int]) -> sa.ColumnElement[bool]:
    cohosted = sa.select(event_cohosts.c.event_id).where(event_cohosts.c.branch_id.in_(branch_ids))
    return sa.or_(Event.branch_id.in_(branch_ids), Event.id.in_(cohosted))


def visible_clause(user: Any) -> sa.ColumnElement[bool]:
    """The SQL twin of can_view_event."""
    if is_admin(user):
        return sa.true()
    approved = approved_branch_ids(user)
    audiences: list[sa.ColumnElement[bool]] = [Event.audience == Audience.PUBLIC]
    if approved:
        audiences += [Event.audience == Audience.FEDERATION,
                      sa.and_(Event.audience == Audience.BRANCH, hosted_by(approved))]
    missions = mission_ids_of(user)
    if missions:
        audiences.append(Event.mission_id.in_(missions))
    clause = sa.and_(Event.status != EventStatus.DRAFT, sa.or_(*audiences))
    officer_of = officer_branch_ids(user)
    if officer_of:
        clause = sa.or_(clause, hosted_by(officer_of))
    return clause


def public_clause() -> sa.ColumnElement[bool]:
    """What a calendar app (no session) may read from the public feeds and the widget."""
    return sa.and_(Event.status != EventStatus.DRAFT, Event.audience == Audience.PUBLIC)


def can_rsvp(user: Any, event: Event) -> bool:
    """Approved members who can see the event (visitors and pending people cannot)."""
    return signed_in(user) and is_approved_member(user) and can_view_event(user, event)


def can_see_online_link(user: Any, event: Event, going: bool) -> bool:
    """The link of a members-only online event is for the people going (and its editors).

    `going`: `user` has a seat (an RSVP with status going). Pages and calendar files ask this.
    """
    return event.audience == Audience.PUBLIC or going or can_edit_event(user, event)


def get_event_or_404(event_id: int, *, require: Any = None) -> Event:
    """The event if the current user may see it (404 otherwise); with `require`
    (e.g. can_edit_event), 403 unless they pass that question too."""
    # One query: the page shows the host and co-hosting branches.
    event = db.session.scalar(sa.select(Event).where(Event.id == event_id)
                              .options(joinedload(Event.branch), joinedload(Event.cohosts)))
    if event is None:
        abort(404)
    if not can_view_event(current_user, event):
        _refuse_unseen(current_user, event)
    if require is not None and not require(current_user, event):
        abort(403)
    return event


def _refuse_unseen(user: Any, event: Event) -> None:
    """Say why a published members-only event is not shown, without telling more than we must.

    Visitors get an offer to sign in and come back (401); someone signed in who is not an
    approved member gets a 403 that says why. Drafts, and branch-only events of branches the
    person has no membership in, stay 404: their existence is nobody else's business.
    """
    if event.status == EventStatus.DRAFT:
        abort(404)
    if not signed_in(user):
        abort(make_response(render_template("events/members_only.html",
                                            next=request.full_path.rstrip("?")), 401))
    if event.audience == Audience.BRANCH:
        waiting = [m.branch for m in memberships_of(user).values()
                   if m.branch_id in event.host_branch_ids and m.status.value == "pending"]
        if not waiting:
            abort(404)
        abort(403, description=_("This event is for approved members of %(branch)s, and your "
                                 "application is waiting for an officer's decision.",
                                 branch=waiting[0].name))
    abort(403, description=_("This event is for members of JETAA branches. Your account is "
                             "not an approved member of a branch yet: join one from the "
                             "branches page, and the event is yours to see once you are in."))
