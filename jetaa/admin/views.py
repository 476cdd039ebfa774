"""The federation admins' pages: figures, the audit log, reference data."""

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from jetaa.admin import services
from jetaa.admin.forms import MissionForm, PrefectureForm, cycle_dates_form
from jetaa.audit.describe import describe
from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.missions.models import Mission
from jetaa.missions.permissions import get_mission_or_404
from jetaa.permissions import admin_required
from jetaa.reference import cycle
from jetaa.reference.models import Prefecture

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("")
@admin_required
def dashboard() -> str:
    return render_template("admin/dashboard.html", figures=services.federation_figures())


@bp.route("/audit")
@admin_required
def audit() -> str:
    page = request.args.get("page", 1, type=int)
    action = request.args.get("action", "")[:64]
    branch_id = request.args.get("branch", type=int)
    entries = services.audit_page(max(page, 1), 50, action, branch_id)
    branches = db.session.scalars(sa.select(Branch).order_by(Branch.name)).all()
    return render_template("admin/audit.html", entries=entries, action=action,
                           branch_id=branch_id, branches=branches,
                           described=describe(entries.items))


@bp.route("/reference")
@admin_required
def reference() -> str:
    return render_template(
        "admin/reference.html",
        missions=db.session.scalars(sa.select(Mission).order_by(Mission.country, Mission.name)),
        prefectures=db.session.scalars(sa.select(Prefecture).order_by(Prefecture.code)),
        branches=db.session.scalars(sa.select(Branch).order_by(Branch.country, Branch.name)),
    )


@bp.route("/missions/<slug>/edit", methods=["GET", "POST"])
@admin_required
def edit_mission(slug: str) -> Response | str:
    mission = get_mission_or_404(slug)
    form = MissionForm(obj=mission)
    if request.method == "GET":
        form.kind.data = mission.kind.value
    if form.validate_on_submit():
        services.update_reference(mission, form.changes(), actor=current_user,
                                  object_type="mission")
        db.session.commit()
        flash(_("The mission is saved."), "success")
        return redirect(url_for("admin.reference"))
    return render_template("admin/edit_reference.html", form=form, title=mission.name)


@bp.route("/prefectures/<id:code>/edit", methods=["GET", "POST"])
@admin_required
def edit_prefecture(code: int) -> Response | str:
    prefecture = db.get_or_404(Prefecture, code)
    form = PrefectureForm(obj=prefecture)
    if form.validate_on_submit():
        services.update_reference(prefecture, form.changes(), actor=current_user,
                                  object_type="prefecture")
        db.session.commit()
        flash(_("The prefecture is saved."), "success")
        return redirect(url_for("admin.reference"))
    return render_template("admin/edit_reference.html", form=form, title=prefecture.name)


# Intakes an admin may set dates for: far enough back for last cycles, ahead for the next.
FIRST_INTAKE, LAST_INTAKE = 2000, 2100


def _branch_countries() -> dict[str, str]:
    """The countries of the active branches, code -> name, by name."""
    rows = db.session.execute(
        sa.select(Branch.country, sa.func.min(Branch.country_name)).where(Branch.active)
        .group_by(Branch.country).order_by(sa.func.min(Branch.country_name))).tuples()
    return dict(rows.all())


@bp.route("/recruitment")
@admin_required
def recruitment() -> str:
    """Each branch country's recruitment dates for one intake: set, or the usual months."""
    intake = request.args.get("intake", type=int) or cycle.current_intake(date.today())
    intake = min(max(intake, FIRST_INTAKE), LAST_INTAKE)
    return render_template("admin/recruitment.html", intake=intake,
                           countries=_branch_countries(), custom=cycle.custom_counts(intake),
                           defaults=[(stage, *cycle.default_dates(stage, intake))
                                     for stage in cycle.all_stages()])


@bp.route("/recruitment/<country>/<int:intake>/edit", methods=["GET", "POST"])
@admin_required
def edit_recruitment(country: str, intake: int) -> Response | str:
    """Set one country's dates for one intake; empty days keep the usual months."""
    countries = _branch_countries()
    if country not in countries or not FIRST_INTAKE <= intake <= LAST_INTAKE:
        abort(404)
    current = cycle.cycle_for(country, intake)
    form = cycle_dates_form([d.stage for d in current], intake)
    if request.method == "GET":
        for dates in current:
            if dates.custom:
                form[f"{dates.stage.key}__start"].data = dates.starts_on
                form[f"{dates.stage.key}__end"].data = dates.ends_on
    if form.validate_on_submit():
        cycle.save_cycle_dates(country, intake, form.dates(), actor=current_user)
        db.session.commit()
        flash(_("The recruitment dates are saved."), "success")
        return redirect(url_for("admin.recruitment", intake=intake))
    defaults = {d.stage.key: cycle.default_dates(d.stage, intake) for d in current}
    return render_template("admin/edit_recruitment.html", form=form, defaults=defaults,
                           country=country, country_name=countries[country], intake=intake)
