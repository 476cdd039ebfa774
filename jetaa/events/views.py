"""Calendars, event pages, the officers' event forms and RSVPs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytz
import sqlalchemy as sa
from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from jetaa.branches.models import Branch
from jetaa.branches.permissions import can_manage_branch, get_branch_or_404
from jetaa.core import cache, dates
from jetaa.core.actions import Refused, act
from jetaa.core.markdown import render_markdown
from jetaa.core.spreadsheets import csv_response
from jetaa.core.templating import country_name
from jetaa.core.timezones import is_timezone, zone_label
from jetaa.db import utcnow
from jetaa.events import display, queries
from jetaa.events.forms import CATEGORY_LABELS, CalendarFilterForm, EventForm, RsvpForm
from jetaa.events.models import Category, Event, RsvpStatus
from jetaa.events.permissions import (
    can_edit_event,
    can_rsvp,
    get_event_or_404,
)
from jetaa.events.rsvp import mark_attendance, respond
from jetaa.events.services import (
    cancel_event,
    create_event,
    duplicate_event,
    publish_event,
    update_event,
)
from jetaa.events.times import to_local
from jetaa.extensions import db
from jetaa.members.choices import sort_key
from jetaa.missions.models import Mission

bp = Blueprint("events", __name__)
# The calendar's query string: its cache key and links keep these, nothing made up.
CALENDAR_ARGS = frozenset({"view", "month", "branch", "country", "region", "category", "mode",
                           "start", "end", "page"})
PER_PAGE = 25


@bp.app_context_processor
def event_helpers() -> dict:
    return {"event_when": display.when, "event_clock": display.clock, "viewer_zone": _viewer_zone}


def _viewer_zone() -> str | None:
    """The reader's zone, worked out once per request (a list asks for it for every event)."""
    if "viewer_zone" not in g:
        g.viewer_zone = display.viewer_zone(current_user)
    return g.viewer_zone


# Calendars -----------------------------------------------------------------

def _filter_form(branches: list[Branch], fixed_branch: Branch | None) -> CalendarFilterForm:
    form = CalendarFilterForm(request.args)
    form.branch.choices = [("", _("All branches"))] + [(b.slug, b.name) for b in branches]
    countries = {(b.country, country_name(b.country, b.country_name)) for b in branches}
    form.country.choices = [("", _("All countries"))] + sorted(
        countries, key=lambda c: sort_key(c[1]))
    form.region.choices = [("", _("All national associations"))] + [(g, g) for g in sorted(
        {b.grouping for b in branches})]
    if fixed_branch is not None:
        form.branch.data = fixed_branch.slug
    return form


def _filters(form: CalendarFilterForm, branches: list[Branch]) -> queries.Filters:
    by_slug = {b.slug: b for b in branches}
    return queries.Filters(
        branch=by_slug.get(form.branch.data or ""), country=form.country.data or "",
        region=form.region.data or "",
        # Stripped: Optional() passes " " (and clears its choice error), Category(" ") fails.
        category=Category(form.category.data.strip()) if (form.category.data or "").strip()
        else None,
        mode=form.mode.data or "", start=form.start.data, end=form.end.data)


def _calendar_body(fixed_branch: Branch | None) -> tuple[str, bool]:
    """The filters and the month grid or list as HTML, and whether the filters were valid."""
    branches = list(db.session.scalars(sa.select(Branch).where(Branch.active)
                                       .order_by(Branch.name)))
    form = _filter_form(branches, fixed_branch)
    valid = form.validate()
    filters = _filters(form, branches) if valid else queries.Filters(branch=fixed_branch)
    if not valid:
        filters.branch = fixed_branch
    today = to_local(utcnow(), _viewer_zone() or "UTC").date()
    first = (form.first_of_month() if valid else None) or today.replace(day=1)
    context: dict[str, Any] = {"form": form, "branch": fixed_branch, "today": today,
                               "first": first, "view": form.view.data or "month"}
    if context["view"] == "list":
        page = request.args.get("page", 1, type=int)
        context["page"] = db.paginate(queries.list_query(current_user, filters), page=page,
                                      per_page=PER_PAGE, error_out=False)
    else:
        context["weeks"] = queries.month_grid(current_user, filters, first)
        context["month_label"] = dates.month(first)
        context["prev_month"] = (first.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
        context["next_month"] = (first.replace(day=28) + timedelta(days=4)).strftime("%Y-%m")
    context["args"] = {k: v for k, v in cache.query_args(request.args, CALENDAR_ARGS)
                       if k not in ("page", "month", "view")}
    context["day_args"] = {k: v for k, v in context["args"].items() if k not in ("start", "end")}
    return render_template("events/_calendar_body.html", **context), valid


def _calendar(fixed_branch: Branch | None = None) -> tuple[str, int]:
    # Not cached, not even for visitors: under the mixed bench (calendars of any branch and
    # month) a visitors' calendar kept for a minute was never asked for again (0 of 80).
    body, valid = _calendar_body(fixed_branch)
    return render_template("events/calendar.html", branch=fixed_branch,
                           body=Markup(body)), 200 if valid else 400  # noqa: S704


@bp.route("/events")
def index() -> tuple[str, int]:
    """The federation calendar (month grid or list), with filters in the query string."""
    return _calendar()


@bp.route("/branches/<slug>/events")
def branch_calendar(slug: str) -> tuple[str, int]:
    return _calendar(get_branch_or_404(slug))


# One event -----------------------------------------------------------------

@bp.route("/events/<id:event_id>")
def show(event_id: int) -> str:
    """One event: its RSVP form, the attendees the viewer may see, the buttons they may use."""
    event = get_event_or_404(event_id)
    attendees, hidden = queries.visible_attendees(current_user, event)
    rsvp = queries.my_rsvp(current_user, event)
    form = RsvpForm(answer="going", guests=rsvp.guests if rsvp else 0)
    waiting = rsvp is not None and rsvp.status == RsvpStatus.WAITLISTED
    return render_template("events/show.html", event=event, attendees=attendees,
                           hidden=hidden, rsvp=rsvp, form=form,
                           place=queries.waitlist_place(rsvp) if waiting else None,
                           description=render_markdown(event.description),
                           now=utcnow(), category_label=CATEGORY_LABELS[event.category])


def _likely_zones(branch: Branch, event: Event | None) -> list[tuple[str, str]]:
    """The zones an event of `branch` is likely in: the branch's first, then the event's own,
    the other zones of its country, and Japan's; named as people say them."""
    names = [branch.timezone, event.timezone if event else branch.timezone,
             *pytz.country_timezones.get(branch.country, []), "Asia/Tokyo"]
    seen = list(dict.fromkeys(n for n in names if is_timezone(n)))
    return [(name, zone_label(name)) for name in seen]


def _event_form(form: EventForm, branch: Branch, event: Event | None = None) -> None:
    """Active branches and missions to pick, and those the event already has."""
    form.timezone.choices = _likely_zones(branch, event)
    if form.timezone.data and form.timezone.data not in dict(form.timezone.choices):
        form.timezone.choices.append((form.timezone.data, form.timezone.data))
    kept_branches = [b.id for b in event.cohosts] if event else []
    form.cohosts.choices = [(b.id, b.name) for b in db.session.scalars(
        sa.select(Branch).where(Branch.id != branch.id,
                                sa.or_(Branch.active, Branch.id.in_(kept_branches)))
        .order_by(Branch.name))]
    kept_mission = event.mission_id if event else None
    form.mission_id.choices = [(0, _("None"))] + [(m.id, m.name) for m in db.session.scalars(
        sa.select(Mission).where(sa.or_(Mission.active, Mission.id == kept_mission))
        .order_by(Mission.name))]


@bp.route("/branches/<slug>/events/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> Response | str:
    branch = get_branch_or_404(slug, require=can_manage_branch)
    form = EventForm(timezone=branch.timezone, audience="public")
    _event_form(form, branch)
    problem = None
    if form.validate_on_submit():
        try:
            event = create_event(branch, form.data_object(), actor=current_user)
        except Refused as refusal:
            db.session.rollback()
            problem = str(refusal)
        else:
            db.session.commit()
            flash(_("The event is saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, branch=branch, event=None,
                           problem=problem)


def _fill(form: EventForm, event: Event) -> None:
    form.category.data = event.category.value
    form.audience.data = event.audience.value
    form.starts_local.data = to_local(event.starts_at, event.timezone)
    form.ends_local.data = to_local(event.ends_at, event.timezone)
    if event.rsvp_deadline:
        form.rsvp_deadline_local.data = to_local(event.rsvp_deadline, event.timezone)
    form.cohosts.data = [b.id for b in event.cohosts]
    form.mission_id.data = event.mission_id or 0


@bp.route("/events/<id:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int) -> Response | str:
    event = get_event_or_404(event_id, require=can_edit_event)
    form = EventForm(obj=event)
    del form.frequency, form.repeat_until  # a series' rule is fixed; dates move one by one
    _event_form(form, event.branch, event)
    if request.method == "GET":
        _fill(form, event)
    problem = None
    if form.validate_on_submit():
        try:
            update_event(event, form.data_object(), actor=current_user)
        except Refused as refusal:
            db.session.rollback()
            problem = str(refusal)
        else:
            db.session.commit()
            flash(_("The event is saved."), "success")
            return redirect(url_for("events.show", event_id=event.id))
    return render_template("events/form.html", form=form, branch=event.branch, event=event,
                           problem=problem)


def _act(event_id: int, action: Any, message: str) -> Response:
    """An officer's button on the event page: publish, cancel, duplicate."""
    event = get_event_or_404(event_id, require=can_edit_event)

    def done(result: Any) -> str:  # a copy opens in its form, the rest back on the page
        if isinstance(result, Event):
            return url_for("events.edit", event_id=result.id)
        return url_for("events.show", event_id=event.id)

    return act(lambda: action(event, actor=current_user), success=message, done=done,
               back=url_for("events.show", event_id=event.id))


@bp.post("/events/<id:event_id>/publish")
@login_required
def publish(event_id: int) -> Response:
    return _act(event_id, publish_event, _("The event is published."))


@bp.post("/events/<id:event_id>/cancel")
@login_required
def cancel(event_id: int) -> Response:
    return _act(event_id, cancel_event, _("The event is cancelled and everyone with an RSVP is told."))


@bp.post("/events/<id:event_id>/duplicate")
@login_required
def duplicate(event_id: int) -> Response:
    return _act(event_id, duplicate_event, _("This is a draft copy, one week later. Adjust and save it."))


@bp.post("/events/<id:event_id>/rsvp")
@login_required
def rsvp(event_id: int) -> Response:
    """Going or not going; a full event puts you on the waitlist."""
    event = get_event_or_404(event_id, require=can_rsvp)
    page = url_for("events.show", event_id=event.id)
    form = RsvpForm()
    if not form.validate():
        flash(_("Please choose going or not going, and a number of guests."), "error")
        return redirect(page)
    messages = {"going": _("You are going. See you there!"),
                "waitlisted": _("The event is full: you are on the waitlist and will be e-mailed "
                                "if a seat frees up."),
                "not_going": _("Your answer is saved: not going.")}
    return act(lambda: _respond(event, form), done=page, back=page,
               success=lambda answer: messages[answer.status.value])


def _respond(event: Event, form: RsvpForm) -> Any:
    """Answer and commit. Two clicks on a first answer race to create the row: the loser
    retries once, and then finds the row and updates it."""

    def answer() -> Any:
        result = respond(event, current_user, going=form.answer.data == "going",
                         guests=form.guests.data or 0)
        db.session.commit()
        return result

    try:
        return answer()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return answer()


# Officers: attendees -------------------------------------------------------

@bp.route("/events/<id:event_id>/attendees")
@login_required
def attendees(event_id: int) -> str:
    event = get_event_or_404(event_id, require=can_edit_event)
    return render_template("events/attendees.html", event=event,
                           rows=queries.attendee_rows(current_user, event),
                           started=event.starts_at <= utcnow())


@bp.route("/events/<id:event_id>/attendees.csv")
@login_required
def attendees_csv(event_id: int) -> Response:
    event = get_event_or_404(event_id, require=can_edit_event)
    rows = ((row["name"], row["email"], row["rsvp"].status.value, row["rsvp"].guests,
             row["jet_role"], row["years"], _attended(row["rsvp"].attended))
            for row in queries.attendee_rows(current_user, event))
    return csv_response(f"event-{event.id}-attendees",
                        ["name", "email", "status", "guests", "jet_role", "years", "attended"],
                        rows)


def _attended(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


@bp.post("/events/<id:event_id>/attendance")
@login_required
def attendance(event_id: int) -> Response:
    event = get_event_or_404(event_id, require=can_edit_event)
    # Ids as the form sends them: ASCII digits ("²".isdigit() is true, int("²") fails).
    ids = {int(v) for v in request.form.getlist("attended")
           if v.isascii() and v.isdigit() and len(v) <= 18}
    page = url_for("events.attendees", event_id=event.id)
    return act(lambda: mark_attendance(event, ids, actor=current_user),
               success=_("Attendance is saved."), done=page, back=page)
