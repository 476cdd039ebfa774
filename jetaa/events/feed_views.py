"""Subscribing: iCalendar feeds, the private per-member feed, the embeddable widget."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from jetaa.branches.models import Branch
from jetaa.branches.permissions import get_branch_or_404
from jetaa.core import cache
from jetaa.core.actions import Refused
from jetaa.core.urls import external_url, safe_next
from jetaa.db import utcnow
from jetaa.events import queries
from jetaa.events.feed_tokens import feed_owner, make_private_feed, private_feed_of
from jetaa.events.feeds import build_calendar
from jetaa.events.forms import FIRST_YEAR, LAST_YEAR, MAX_RANGE_DAYS
from jetaa.events.models import Event, Rsvp, RsvpStatus
from jetaa.events.permissions import (
    can_see_online_link,
    get_event_or_404,
    hosted_by,
    public_clause,
    visible_clause,
)
from jetaa.extensions import db
from jetaa.permissions import memberships_of

bp = Blueprint("event_feeds", __name__)
PAST_DAYS, FUTURE_DAYS = 90, 400


class BadRange(Refused):
    """A feed's date range that cannot be served (answered 400 with the reason)."""


def _window() -> tuple[datetime, datetime]:
    """The feed's ?from=YYYY-MM-DD&to=YYYY-MM-DD, by default 90 days back to 400 ahead."""
    today = utcnow().date()
    try:
        start = date.fromisoformat(request.args["from"]) if request.args.get("from") else \
            today - timedelta(days=PAST_DAYS)
        end = date.fromisoformat(request.args["to"]) if request.args.get("to") else \
            today + timedelta(days=FUTURE_DAYS)
    except ValueError as error:
        raise BadRange(_("Give dates as YYYY-MM-DD.")) from error
    if not (FIRST_YEAR <= start.year <= LAST_YEAR and FIRST_YEAR <= end.year <= LAST_YEAR):
        raise BadRange(_("Give dates between %(first)d and %(last)d.",
                         first=FIRST_YEAR, last=LAST_YEAR))
    if end < start:
        raise BadRange(_("The end date is before the start date."))
    if (end - start).days > MAX_RANGE_DAYS:
        raise BadRange(_("Choose a range of at most three years."))
    return datetime.combine(start, clock(), UTC), datetime.combine(end + timedelta(days=1), clock(), UTC)


def _ics(body: bytes, filename: str, *, etag: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "max-age=300"})
    if etag:
        response.set_etag(etag)
        response = response.make_conditional(request)
    return response




def _bad_range(error: BadRange) -> Response:
    return Response(str(error), status=400, mimetype="text/plain")


def _public_feed(branch: Branch | None, name: str, filename: str) -> Response:
    """Public events (never members-only ones) in the window, built or from the cache."""
    try:
        start, end = _window()
    except BadRange as error:
        return _bad_range(error)
    where = [public_clause(), Event.starts_at >= start, Event.starts_at < end]
    if branch is not None:
        where.append(hosted_by({branch.id}))
    # The same for every reader: kept for CACHE_TTL within the minute (calendar apps
    # poll feeds; a big one takes a fraction of a second to build), so an edit shows within
    # a minute. The ETag is the feed's own: a poll of an unchanged feed is answered 304.
    key = cache.key_of("feed", request.path, start.isoformat(), end.isoformat(),
                       cache.minute())

    def build() -> str:
        query = (sa.select(Event).options(selectinload(Event.series)).where(*where)
                 .order_by(Event.starts_at, Event.id))
        return build_calendar(list(db.session.scalars(query)), name,
                              series_shown=public_clause()).decode()

    body = cache.cached(key, build).encode()
    return _ics(body, filename, etag=hashlib.sha256(body).hexdigest()[:32])


@bp.route("/events.ics")
def federation_ics() -> Response:
    """Public events of every branch (members-only events never appear in a feed)."""
    return _public_feed(None, "JETAA", "jetaa-events.ics")


@bp.route("/branches/<slug>/events.ics")
def branch_ics(slug: str) -> Response:
    branch = get_branch_or_404(slug)
    return _public_feed(branch, branch.name, f"{branch.slug}-events.ics")


@bp.route("/events/<id:event_id>.ics")
def event_ics(event_id: int) -> Response:
    event = get_event_or_404(event_id)
    if event.status.value == "draft":
        abort(404)
    rsvp = queries.my_rsvp(current_user, event)
    going = rsvp is not None and rsvp.status == RsvpStatus.GOING
    body = build_calendar([event], event.title, with_link=lambda e: can_see_online_link(
        current_user, e, going))
    return _ics(body, f"event-{event.id}.ics")


@bp.route("/events/feed/<token>.ics")
def private_ics(token: str) -> Response:
    """A member's own calendar: what they are going to or waiting for. The URL is the key."""
    owner = feed_owner(token)
    if owner is None:
        abort(404)
    # Visibility is checked as the owner now: a lapsed member stops seeing members-only events.
    query = (sa.select(Event, Rsvp.status).join(Rsvp, Rsvp.event_id == Event.id)
             .where(Rsvp.user_id == owner.id, visible_clause(owner),
                    Rsvp.status.in_((RsvpStatus.GOING, RsvpStatus.WAITLISTED)),
                    Event.status != "draft",
                    Event.starts_at >= utcnow() - timedelta(days=PAST_DAYS))
             .order_by(Event.starts_at))
    rows = db.session.execute(query).all()
    going = {event.id for event, status in rows if status == RsvpStatus.GOING}
    body = build_calendar([event for event, _status in rows], _("My JETAA events"),
                          with_link=lambda e: can_see_online_link(
                              owner, e, e.id in going))
    return _ics(body, "my-jetaa-events.ics")


def _subscribe_branch(branches: list[Branch]) -> Branch | None:
    """The branch the reader came from (?branch=), else their primary branch, else none."""
    by_slug = {b.slug: b for b in branches}
    if request.args.get("branch"):
        return by_slug.get(request.args["branch"])
    primary = next((m for m in memberships_of(current_user).values() if m.is_primary), None)
    return next((b for b in branches if primary and b.id == primary.branch_id), None)


@bp.route("/events/subscribe")
def subscribe() -> str:
    """The feed, widget and JSON addresses, for the branch picked (or come from)."""
    feed = private_feed_of(current_user) if current_user.is_authenticated else None
    branches = list(db.session.scalars(sa.select(Branch).where(Branch.active)
                                       .order_by(Branch.name)))
    return render_template("events/subscribe.html", feed=feed, branches=branches,
                           branch=_subscribe_branch(branches))


@bp.post("/events/subscribe/private")
@login_required
def reset_private_feed() -> str:
    """Make the private feed address, or a new one (the old one stops working at once).

    The address is shown on this page only: it is stored hashed and cannot be shown again.
    """
    replaced = private_feed_of(current_user) is not None
    token = make_private_feed(current_user._get_current_object())
    db.session.commit()
    back = safe_next(request.form.get("next")) or url_for("event_feeds.subscribe")
    return render_template("events/private_feed.html", replaced=replaced, back=back,
                           address=external_url("event_feeds.private_ics", token=token))


# Embeddable widget -----------------------------------------------------------

def _frameable(response: Response) -> Response:
    """Any site may frame the widget; every other page stays same-origin only."""
    response.frameable = True
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "frame-ancestors *; form-action 'none'; base-uri 'none'; object-src 'none'")
    return response


@bp.route("/branches/<slug>/events/widget")
def widget(slug: str) -> Response:
    branch = get_branch_or_404(slug)
    limit = min(max(request.args.get("limit", 5, type=int) or 5, 1), 20)
    events = queries.upcoming(None, branch, limit, public=True)
    html = render_template("events/widget.html", branch=branch, events=events)
    return _frameable(Response(html, mimetype="text/html"))
