"""The admins' security pages: recent events and failed sign-ins; one member's security."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from jetaa.auth.models import User
from jetaa.core.actions import act
from jetaa.extensions import db
from jetaa.permissions import admin_required, load_with_roles
from jetaa.security import reports, second_factor
from jetaa.security.forms import ConfirmForm
from jetaa.security.policy import required_for
from jetaa.security.sessions import active_sessions, end_sessions

bp = Blueprint("security_admin", __name__, url_prefix="/admin")


@bp.route("/security")
@admin_required
def events() -> str:
    """Recent security events (filtered by kind) and failed sign-ins per account."""
    kind = request.args.get("kind", "")[:40]
    return render_template("security/admin_events.html", kind=kind,
                           events=reports.recent_events(kind),
                           failed=reports.failed_sign_ins())


def _user_or_404(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    load_with_roles(user.id)  # its roles, for "must have a second factor"
    return user


@bp.route("/users/<id:user_id>/security")
@admin_required
def user(user_id: int) -> str:
    """One member's second factor, sessions and security events, with the admin's actions."""
    member = _user_or_404(user_id)
    privileged = required_for(member)
    return render_template(
        "security/admin_user.html", member=member, factor=second_factor.factor_of(member),
        required=privileged, sessions=active_sessions(member, privileged=privileged),
        events=reports.recent_events(user_id=member.id), form=ConfirmForm())


@bp.post("/users/<id:user_id>/security/reset-second-factor")
@admin_required
def reset_second_factor(user_id: int) -> Response:
    """Remove a member's second factor (a lost phone): audited, the member is e-mailed."""
    member = _user_or_404(user_id)
    page = url_for("security_admin.user", user_id=member.id)
    return act(lambda: second_factor.reset(member, actor=current_user._get_current_object()),
               done=page, back=page,
               success=_("The second factor of %(name)s is reset; they have been e-mailed.",
                         name=member.name))


@bp.post("/users/<id:user_id>/security/end-sessions")
@admin_required
def end_member_sessions(user_id: int) -> Response:
    """Sign a member out on every device (audited)."""
    member = _user_or_404(user_id)
    page = url_for("security_admin.user", user_id=member.id)
    return act(lambda: end_sessions(member, actor=current_user._get_current_object(),
                                    reason="ended by an admin"),
               done=page, back=page,
               success=_("Every session of %(name)s is ended.", name=member.name))
