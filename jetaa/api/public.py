"""Public, no token: branches and their public events, for branch websites and calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy.orm import joinedload, load_only, raiseload

from jetaa.api import schemas
from jetaa.api.document import errors
from jetaa.api.paging import envelope, paginate, slice_of
from jetaa.branches.models import Branch
from jetaa.branches.permissions import get_branch_or_404
from jetaa.branches.services import list_branches, member_count
from jetaa.core.timezones import zone
from jetaa.core.urls import MAX_ID, external_url
from jetaa.db import utcnow
from jetaa.events.models import Audience, Category, Event, EventStatus, RsvpStatus, event_cohosts
from jetaa.events.permissions import can_see_online_link, can_view_event, hosted_by, public_clause
from jetaa.events.queries import my_rsvp
from jetaa.extensions import db
from jetaa.permissions import signed_in

bp = Blueprint("api_public", __name__, url_prefix="/api/v1",
               description="Public: no token needed. Any website may read these (CORS).")

def branch_data(branch: Branch, members: int) -> dict[str, Any]:
    return {"slug": branch.slug, "name": branch.name, "country": branch.country,
            "country_name": branch.country_name, "region": branch.region,
            "grouping": branch.grouping, "timezone": branch.timezone, "website": branch.website,
            "join_policy": branch.join_policy.value, "member_count": members,
            "url": external_url("branches.show", slug=branch.slug),
            "events_url": external_url("api_public.Events", branch=branch.slug)}


class _Links:
    """Absolute links on PUBLIC_URL (as external_url makes them) for a whole list: each
    endpoint's link is built once, for a placeholder id, and filled in for each row
    (building every link anew was a tenth of a list's time)."""

    PLACEHOLDER = MAX_ID

    def __init__(self) -> None:
        self.templates: dict[str, str] = {}

    def __call__(self, endpoint: str, **values: int) -> str:
        (name, value), = values.items()
        if endpoint not in self.templates:
            self.templates[endpoint] = external_url(endpoint, **{name: self.PLACEHOLDER})
        return self.templates[endpoint].replace(str(self.PLACEHOLDER), str(value))


def _cohosts_of(event_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    """The co-hosting branches of these events, in one query."""
    found: dict[int, list[dict[str, str]]] = {event_id: [] for event_id in event_ids}
    if event_ids:
        rows = db.session.execute(
            sa.select(event_cohosts.c.event_id, Branch.slug, Branch.name)
            .join(Branch, Branch.id == event_cohosts.c.branch_id)
            .where(event_cohosts.c.event_id.in_(event_ids)).order_by(Branch.name))
        for event_id, slug, name in rows:
            found[event_id].append({"slug": slug, "name": name})
    return found


# What a list of events loads: no descriptions, the host branch's slug and name.
LISTED = (load_only(Event.id, Event.branch_id, Event.title, Event.category, Event.status,
                    Event.audience, Event.timezone, Event.starts_at, Event.ends_at, Event.venue,
                    Event.address, Event.online_url, Event.capacity, Event.seats_taken),
          joinedload(Event.branch).load_only(Branch.slug, Branch.name),
          raiseload(Event.cohosts))


def event_data(event: Event, *, detail: bool = False, going: bool = False,
               cohosts: list[dict[str, str]] | None = None,
               links: Any = external_url) -> dict[str, Any]:
    data = {
        "id": event.id, "title": event.title, "category": event.category.value,
        "status": event.status.value, "audience": event.audience.value,
        "timezone": event.timezone, "starts_at": event.starts_at, "ends_at": event.ends_at,
        "starts_local": event.starts_at.astimezone(zone(event.timezone)),
        "venue": event.venue, "address": event.address, "online": event.is_online,
        "capacity": event.capacity, "seats_left": event.seats_left,
        "branch": {"slug": event.branch.slug, "name": event.branch.name},
        "cohosts": cohosts if cohosts is not None else [
            {"slug": b.slug, "name": b.name} for b in event.cohosts],
        "url": links("events.show", event_id=event.id),
    }
    if detail:
        data.update(description=event.description, rsvp_deadline=event.rsvp_deadline,
                    guests_allowed=event.guests_allowed,
                    online_url=event.online_url if can_see_online_link(
                        current_user, event, going) else None)
    return data


def events_data(events: list[Event]) -> list[dict[str, Any]]:
    """A list's events (loaded with LISTED), their co-hosts in one more query."""
    cohosts, links = _cohosts_of([e.id for e in events]), _Links()
    return [event_data(e, cohosts=cohosts[e.id], links=links) for e in events]


@bp.route("/branches")
class Branches(MethodView):
    @bp.etag
    @bp.arguments(schemas.PageArgs(), location="query", as_kwargs=True)
    @bp.response(200, schemas.paged("BranchPage", schemas.Branch))
    @errors(bp, 422, 429)
    def get(self, page: int, per_page: int) -> dict[str, Any]:
        """The active branches, by country and name, with their member counts."""
        summaries = list_branches()
        items = [branch_data(s.branch, s.member_count)
                 for s in slice_of(summaries, page=page, per_page=per_page)]
        return envelope(items, page=page, per_page=per_page, total=len(summaries))


@bp.route("/branches/<slug>")
class BranchDetail(MethodView):
    @bp.etag
    @bp.response(200, schemas.BranchDetail)
    @errors(bp, 404, 429)
    def get(self, slug: str) -> dict[str, Any]:
        """One branch (also a branch that has left the federation's list)."""
        branch = get_branch_or_404(slug)
        mission = branch.mission
        return {**branch_data(branch, member_count(branch)), "description": branch.description,
                "mission": {"slug": mission.slug, "name": mission.name} if mission else None}


def _day_start(day: Any) -> datetime:
    return datetime.combine(day, time(), UTC)


@bp.route("/events")
class Events(MethodView):
    @bp.etag
    @bp.arguments(schemas.EventArgs(), location="query", as_kwargs=True)
    @bp.response(200, schemas.paged("EventPage", schemas.Event))
    @errors(bp, 404, 422, 429)
    def get(self, page: int, per_page: int, branch: str | None = None,
            category: str | None = None, from_: Any = None, to: Any = None) -> dict[str, Any]:
        """Public events (never members-only ones or drafts), soonest first; by default those
        not over yet. A website shows its branch's upcoming events with `?branch=<slug>`."""
        query = (sa.select(Event).options(*LISTED)
                 .where(public_clause(), Event.ends_at >= _day_start(from_ or utcnow().date()))
                 .order_by(Event.starts_at, Event.id))
        if branch is not None:
            host = db.session.scalar(sa.select(Branch).where(Branch.slug == branch))
            if host is None:
                abort(404, description=_("There is no branch %(slug)s.", slug=branch))
            query = query.where(hosted_by({host.id}))
        if category is not None:
            query = query.where(Event.category == Category(category))
        if to is not None and to < date.max:
            query = query.where(Event.starts_at < _day_start(to + timedelta(days=1)))
        events, total = paginate(query, page=page, per_page=per_page)
        return envelope(events_data(events), page=page, per_page=per_page, total=total)


@bp.route("/events/<id:event_id>")
class EventDetail(MethodView):
    @bp.etag
    @bp.response(200, schemas.EventDetail)
    @errors(bp, 401, 403, 404, 429)
    def get(self, event_id: int) -> dict[str, Any]:
        """One event: public events for everyone; with a token, also the members-only events
        its member may see on the site."""
        event = db.session.scalar(sa.select(Event).where(Event.id == event_id)
                                  .options(joinedload(Event.branch)))
        if event is None:
            abort(404)
        if not can_view_event(current_user, event):
            _refuse_unseen(event)
        rsvp = my_rsvp(current_user, event)
        return event_data(event, detail=True,
                          going=rsvp is not None and rsvp.status == RsvpStatus.GOING)


def _refuse_unseen(event: Event) -> None:
    """As the event page answers (events/permissions.py), in JSON: drafts and other
    branches' events do not exist; a visitor is asked for a token."""
    if event.status == EventStatus.DRAFT or (signed_in(current_user)
                                             and event.audience == Audience.BRANCH):
        abort(404)
    if not signed_in(current_user):
        abort(401, description=_("This event is for members: send a personal access token."))
    abort(403, description=_("This event is for approved members of JETAA branches."))
