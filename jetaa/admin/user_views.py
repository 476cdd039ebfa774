"""Admin user management: /admin/users (find) and /admin/users/<id> (one account)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from jetaa.admin import users
from jetaa.auth.models import User
from jetaa.core.actions import act
from jetaa.extensions import db
from jetaa.missions.models import Mission
from jetaa.permissions import admin_required

bp = Blueprint("admin_users", __name__, url_prefix="/admin/users")


@bp.route("")
@admin_required
def index() -> str:
    term = request.args.get("q", "")[:120]
    return render_template("admin/users.html", term=term, found=users.find_users(term),
                           limit=users.FOUND)


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/<id:user_id>")
@admin_required
def show(user_id: int) -> str:
    user = _user_or_404(user_id)
    missions = users.missions_of(user)
    others = db.session.scalars(sa.select(Mission).where(
        Mission.active, Mission.id.not_in([m.id for m in missions]) if missions else sa.true())
        .order_by(Mission.name))
    return render_template("admin/user.html", user=user, memberships=users.memberships_of(user),
                           missions=missions, other_missions=list(others),
                           entries=users.recent_audit(user))


def _act(user_id: int, call: Callable[[User], Any], success: str) -> Response:
    user = _user_or_404(user_id)
    page = url_for("admin_users.show", user_id=user.id)
    return act(lambda: call(user), done=page, back=page, success=success)


@bp.post("/<id:user_id>/disable")
@admin_required
def disable(user_id: int) -> Response:
    return _act(user_id, lambda u: users.disable_user(u, actor=current_user),
                _("The account is disabled and its sessions have ended."))


@bp.post("/<id:user_id>/enable")
@admin_required
def enable(user_id: int) -> Response:
    return _act(user_id, lambda u: users.enable_user(u, actor=current_user),
                _("The account can sign in again."))


@bp.post("/<id:user_id>/resend-confirmation")
@admin_required
def resend_confirmation(user_id: int) -> Response:
    return _act(user_id, lambda u: users.resend_confirmation(u, actor=current_user),
                _("A new confirmation link is on its way."))


def _mission(mission_id: int | None) -> Mission:
    mission = db.session.get(Mission, mission_id) if mission_id else None
    if mission is None:
        abort(404)
    return mission


@bp.post("/<id:user_id>/staff")
@admin_required
def appoint_staff(user_id: int) -> Response:
    mission = _mission(request.form.get("mission_id", type=int))
    return _act(user_id, lambda u: users.appoint_staff(u, mission, actor=current_user),
                _("Appointed to the staff of %(mission)s.", mission=mission.name))


@bp.post("/<id:user_id>/staff/<id:mission_id>/remove")
@admin_required
def remove_staff(user_id: int, mission_id: int) -> Response:
    mission = _mission(mission_id)
    return _act(user_id, lambda u: users.remove_staff(u, mission, actor=current_user),
                _("Removed from the staff of %(mission)s.", mission=mission.name))
