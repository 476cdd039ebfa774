"""The federation admins' pages: figures, the audit log, reference data."""

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from jetaa.admin import services
from jetaa.admin.forms import MissionForm, PrefectureForm
from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.missions.models import Mission
from jetaa.missions.permissions import get_mission_or_404
from jetaa.permissions import admin_required
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
                           branch_id=branch_id, branches=branches)


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
