"""A mission's own pages: its dashboard and cycle report, its staff; a member's volunteering."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from jetaa.branches.models import Branch
from jetaa.core.actions import Refused, act
from jetaa.core.spreadsheets import csv_response
from jetaa.core.templating import country_name
from jetaa.db import utcnow
from jetaa.events.times import to_local
from jetaa.extensions import db
from jetaa.missions.models import Mission
from jetaa.missions.permissions import get_mission_or_404
from jetaa.outreach import figures, queries
from jetaa.outreach import staff as staff_services
from jetaa.outreach.cycle import cycle_of, intake_of, parse_cycle, recent_cycles
from jetaa.outreach.forms import AreaForm, SettingsForm, StaffForm
from jetaa.outreach.models import VolunteerSettings
from jetaa.outreach.permissions import can_manage_mission
from jetaa.permissions import admin_required, require
from jetaa.reference.cycle import cycle_for

bp = Blueprint("outreach_missions", __name__)


def _managed(slug: str) -> Mission:
    mission = get_mission_or_404(slug)
    require(can_manage_mission(current_user, mission))
    return mission


def _cycle() -> str:
    return parse_cycle(request.args.get("cycle")) or cycle_of(utcnow().date())


@bp.route("/missions/<slug>/dashboard")
@login_required
def dashboard(slug: str) -> str:
    mission = _managed(slug)
    cycle = _cycle()
    rows = figures.open_requests(mission.id)
    today = utcnow().date()
    return render_template(
        "outreach/dashboard.html", mission=mission, cycle=cycle, season=figures.season(
            mission.id, cycle), rows=rows, attention=figures.attention(rows),
        outcome_due=figures.outcome_due(mission.id), cycles=recent_cycles(today),
        stages=cycle_for(mission.country, intake_of(cycle)), today=today,
        locale=str(get_locale()))


@bp.route("/missions/<slug>/dashboard.csv")
@login_required
def dashboard_csv(slug: str) -> Response:
    mission = _managed(slug)
    cycle = _cycle()
    header = ["id", "title", "kind", "status", "starts", "branches_asked", "places",
              "confirmed", "people_reached", "questions", "applications_named"]
    rows: list[list] = []
    for row in figures.requests_of_cycle(mission.id, cycle):
        req = row[0]
        rows.append([
            req.id, req.title, req.kind.value, req.status.value,
            to_local(req.starts_at, req.timezone).date().isoformat(),  # the day where it happens
            len(req.branches), row.places, row.confirmed, _blank_if_none(req.people_reached),
            _blank_if_none(req.questions_asked), _blank_if_none(req.applications_named)])
    rows.append([])
    rows.append(["branch", "offers", "confirmed", "attended", "no_shows", "hours"])
    for line in figures.season(mission.id, cycle).branches:
        rows.append([line.branch, line.offers, line.confirmed, line.attended,
                     line.no_shows, f"{line.tenths / 10:.1f}"])
    return csv_response(f"{mission.slug}-{cycle}", header, rows)


def _blank_if_none(value: int | None) -> int | str:
    """Not recorded is empty; a recorded 0 stays 0."""
    return "" if value is None else value


@bp.route("/missions/<slug>/report/<cycle>")
@login_required
def report(slug: str, cycle: str) -> str:
    """The printable cycle report, in the reader's language or ?lang=en|ja."""
    mission = _managed(slug)
    cycle = parse_cycle(cycle) or ""
    if not cycle:
        from flask import abort

        abort(404)
    lang = request.args.get("lang")
    locale = lang if lang in ("en", "ja") else str(get_locale())
    with force_locale(locale):
        return render_template("outreach/report.html", mission=mission, cycle=cycle,
                               season=figures.season(mission.id, cycle), locale=locale,
                               rows=figures.requests_of_cycle(mission.id, cycle), now=utcnow())


# Staff -------------------------------------------------------------------------

@bp.route("/missions/<slug>/staff", methods=["GET", "POST"])
@login_required
def staff(slug: str) -> Response | str:
    """Admins appoint a mission's first staff; staff appoint and remove their colleagues."""
    mission = _managed(slug)
    form = StaffForm()
    if form.validate_on_submit():
        try:
            person = staff_services.add_staff(mission, form.email.data, actor=current_user)
        except Refused as refusal:
            db.session.rollback()
            form.email.errors.append(str(refusal))
        else:
            db.session.commit()
            flash(_("%(name)s is now on the staff of %(mission)s.", name=person.name,
                    mission=mission.name), "success")
            return redirect(url_for("outreach_missions.staff", slug=mission.slug))
    return render_template("outreach/staff.html", mission=mission, form=form,
                           people=staff_services.staff_of(mission.id)), 400 if form.errors else 200


@bp.post("/missions/<slug>/staff/<id:user_id>/remove")
@login_required
def remove_staff(slug: str, user_id: int) -> Response:
    mission = _managed(slug)
    page = url_for("outreach_missions.staff", slug=mission.slug)
    # Someone who removes themselves can no longer see the staff page.
    done = url_for("missions.show", slug=mission.slug) if user_id == current_user.id else page
    return act(lambda: staff_services.remove_staff(mission, user_id, actor=current_user),
               done=done, back=page, success=_("Removed from the staff."))


# The area ------------------------------------------------------------------------

@bp.route("/missions/<slug>/area", methods=["GET", "POST"])
@admin_required
def area(slug: str) -> Response | str:
    """Admins set which branches are in the mission's area (the branches data's default)."""
    mission = get_mission_or_404(slug)
    branches = list(db.session.scalars(sa.select(Branch).where(Branch.active)
                                       .order_by(Branch.country_name, Branch.name)))
    form = AreaForm(branches=[b.id for b in branches if b.mission_id == mission.id])
    form.branches.choices = [(b.id, f"{b.name} ({country_name(b.country, b.country_name)})")
                             for b in branches]
    if form.validate_on_submit():
        staff_services.set_area(mission, set(form.branches.data), actor=current_user)
        db.session.commit()
        flash(_("The area of %(mission)s is saved.", mission=mission.name), "success")
        return redirect(url_for("outreach_missions.area", slug=mission.slug))
    return render_template("outreach/area.html", mission=mission, form=form)


# A member's own history --------------------------------------------------------

@bp.route("/account/volunteering", methods=["GET", "POST"])
@login_required
def volunteering() -> Response | str:
    settings = db.session.get(VolunteerSettings, current_user.id)
    form = SettingsForm(obj=settings)
    if form.validate_on_submit():
        if settings is None:
            settings = VolunteerSettings(user_id=current_user.id)
            db.session.add(settings)
        settings.show_hours_on_profile = bool(form.show_hours_on_profile.data)
        db.session.commit()
        flash(_("Your choice is saved."), "success")
        return redirect(url_for("outreach_missions.volunteering"))
    attended, tenths = queries.hours_of(current_user.id)
    return render_template("outreach/volunteering.html", form=form,
                           offers=queries.my_offers(current_user, limit=200),
                           attended=attended, hours=tenths / 10)
