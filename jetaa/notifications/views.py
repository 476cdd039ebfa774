"""The notification settings page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from jetaa import permissions
from jetaa.extensions import db
from jetaa.notifications.forms import NotificationForm
from jetaa.notifications.services import choices_of, save_choices

bp = Blueprint("notifications", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def settings() -> Response | str:
    """Which e-mails I get; messages about my own account and answers always come."""
    branches = sorted((m.branch for m in permissions.memberships_of(current_user).values()
                       if m.is_approved), key=lambda b: b.name)
    form = NotificationForm()
    form.muted_branches.choices = [(b.id, b.name) for b in branches]
    if request.method == "GET":
        form.fill(choices_of(current_user))
    if form.validate_on_submit():
        save_choices(current_user, form.choices(), branch_ids={b.id for b in branches})
        db.session.commit()
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)
