"""Profile pages, editing one's own profile, data export and account deletion."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from jetaa.auth.passwords import verify_password
from jetaa.extensions import db
from jetaa.members.forms import DeleteAccountForm, ProfileForm
from jetaa.members.models import AlumniProfile
from jetaa.members.permissions import can_use_directory
from jetaa.members.services.profiles import (
    delete_account,
    export_member_data,
    profile_as_dict,
    update_profile,
)
from jetaa.members.services.viewing import labels, member_view
from jetaa.permissions import require

bp = Blueprint("profiles", __name__)


@bp.route("/members/<id:user_id>")
@login_required
def show(user_id: int) -> str:
    """One member's profile, with only what the viewer may see."""
    if user_id != current_user.id:
        require(can_use_directory(current_user))
    view = member_view(current_user, user_id)
    if view is None:
        abort(404)
    return render_template("members/profile.html", view=view, entry=view.entry, **labels())


@bp.route("/profile/edit", methods=["GET", "POST"])
@login_required
def edit() -> Response | str:
    """The member's own profile and privacy choices."""
    data = profile_as_dict(db.session.get(AlumniProfile, current_user.id))
    data["name"] = current_user.name
    form = ProfileForm(data=data)
    if form.is_submitted() and form.edit_placements(request.form):
        return render_template("members/edit_profile.html", form=form)
    if form.validate_on_submit():
        update_profile(current_user, form.profile_data(), actor=current_user)
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("profiles.show", user_id=current_user.id))
    return render_template("members/edit_profile.html", form=form)


@bp.route("/account/export.json")
@login_required
def export() -> Response:
    """Everything the platform holds about the member, as a JSON download."""
    body = json.dumps(export_member_data(current_user), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": 'attachment; filename="jetaa-connect-my-data.json"'})


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete() -> Response | str:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash or "", form.password.data):
            form.password.errors = [_("That is not your password.")]
        else:
            delete_account(current_user._get_current_object(), actor=current_user)
            db.session.commit()
            logout_user()
            flash(_("Your account is deleted. Thank you for being part of JETAA."), "success")
            return redirect(url_for("core.index"))
    return render_template("members/delete_account.html", form=form)
