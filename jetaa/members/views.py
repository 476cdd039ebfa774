"""Joining a branch, the officers' application queue and roster (members blueprint)."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from jetaa import permissions
from jetaa.branches.models import Branch, Membership, MembershipStatus
from jetaa.extensions import db
from jetaa.members.forms import ConfirmImportForm, DecisionForm, ImportForm, JoinForm
from jetaa.members.models import AlumniProfile
from jetaa.members.services import MAX_ID, MembershipError, membership, roster
from jetaa.members.services.directory import prefectures_by_code
from jetaa.members.services.profiles import profile_as_dict

bp = Blueprint("members", __name__, url_prefix="/branches/<slug>")

# One whole sentence per roster action, so that each language can word it.
ROSTER_DONE = {
    "lapse": _l("%(name)s is marked lapsed."),
    "reinstate": _l("%(name)s is reinstated."),
    "remove": _l("%(name)s is removed from the branch."),
    "promote": _l("%(name)s is now an officer."),
    "demote": _l("%(name)s is now a member (no longer an officer)."),
}


def _membership_or_404(branch: Branch, user_id: int) -> Membership:
    if user_id > MAX_ID:
        abort(404)
    found = db.session.scalar(db.select(Membership).where(
        Membership.branch_id == branch.id, Membership.user_id == user_id))
    if found is None:
        abort(404)
    return found


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join(slug: str) -> Response | str:
    """The application form: the branch's questions, prefilled from the profile."""
    branch = permissions.get_branch_or_404(slug)
    if not permissions.can_join_branch(current_user, branch):
        flash(_("Confirm your e-mail address first: follow the link we sent you.")
              if not current_user.is_confirmed else
              _("You are already a member of this branch or your application is waiting."),
              "warning")
        return redirect(url_for("branches.show", slug=slug))
    form = JoinForm(data=profile_as_dict(db.session.get(AlumniProfile, current_user.id)))
    if request.method == "GET":
        form.prefecture_code.data = str(form.prefecture_code.data or "")
    if form.validate_on_submit():
        try:
            joined = membership.apply_to_branch(current_user, branch, form.profile_data(),
                                                form.message.data or "", actor=current_user)
        except MembershipError as error:
            flash(str(error), "error")
            return redirect(url_for("branches.show", slug=slug))
        db.session.commit()
        if joined.status == MembershipStatus.APPROVED:
            flash(_("Welcome to %(branch)s!", branch=branch.name), "success")
        else:
            flash(_("Your application is sent. The officers will tell you by e-mail."), "success")
        return redirect(url_for("branches.show", slug=slug))
    return render_template("members/join.html", branch=branch, form=form)


@bp.route("/applications")
@login_required
def applications(slug: str) -> str:
    """The officers' queue of pending applications."""
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_review_applications(current_user, branch))
    pending = membership.pending_applications(branch)
    profiles = {p.user_id: p for p in db.session.scalars(db.select(AlumniProfile).where(
        AlumniProfile.user_id.in_([m.user_id for m in pending])))}
    return render_template("members/applications.html", branch=branch, pending=pending,
                           profiles=profiles, prefectures=prefectures_by_code(),
                           form=DecisionForm())


@bp.route("/applications/<int:user_id>", methods=["POST"])
@login_required
def decide(slug: str, user_id: int) -> Response:
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_review_applications(current_user, branch))
    application = _membership_or_404(branch, user_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose approve or decline."), "error")
        return redirect(url_for("members.applications", slug=slug))
    try:
        membership.decide_application(application, form.decision.data == "approve",
                                      form.message.data or "", actor=current_user)
    except MembershipError as error:
        flash(str(error), "error")
        return redirect(url_for("members.applications", slug=slug))
    db.session.commit()
    flash(_("%(name)s is approved.", name=application.user.name)
          if form.decision.data == "approve"
          else _("%(name)s is declined.", name=application.user.name), "success")
    return redirect(url_for("members.applications", slug=slug))


@bp.route("/leave", methods=["POST"])
@login_required
def leave(slug: str) -> Response:
    branch = permissions.get_branch_or_404(slug)
    mine = permissions.membership_in(current_user, branch)
    if mine is None:
        flash(_("You are not a member of this branch."), "warning")
        return redirect(url_for("branches.show", slug=slug))
    try:
        membership.leave_branch(mine, actor=current_user)
    except MembershipError as error:
        flash(str(error), "error")
        return redirect(url_for("branches.show", slug=slug))
    db.session.commit()
    flash(_("You have left %(branch)s.", branch=branch.name), "success")
    return redirect(url_for("branches.show", slug=slug))


@bp.route("/primary", methods=["POST"])
@login_required
def make_primary(slug: str) -> Response:
    branch = permissions.get_branch_or_404(slug)
    mine = permissions.membership_in(current_user, branch)
    permissions.require(mine is not None)
    try:
        membership.set_primary(mine, actor=current_user)
    except MembershipError as error:
        flash(str(error), "error")
        return redirect(url_for("auth.account"))
    db.session.commit()
    flash(_("%(branch)s is now your primary branch.", branch=branch.name), "success")
    return redirect(url_for("auth.account"))


@bp.route("/roster")
@login_required
def roster_page(slug: str) -> str:
    """Officers manage the branch's members: lapse, remove, promote, export, import."""
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_manage_roster(current_user, branch))
    query = (db.select(Membership)
             .where(Membership.branch_id == branch.id,
                    Membership.status.in_((MembershipStatus.APPROVED, MembershipStatus.LAPSED)))
             .options(db.joinedload(Membership.user))
             .order_by(Membership.role.desc(), Membership.status, Membership.id))
    rows = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=50,
                       error_out=False)
    return render_template("members/roster.html", branch=branch, rows=rows,
                           pending_count=len(membership.pending_applications(branch)))


@bp.route("/roster/<int:user_id>/<any(lapse, reinstate, remove, promote, demote):action>",
          methods=["POST"])
@login_required
def roster_action(slug: str, user_id: int, action: str) -> Response:
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_manage_roster(current_user, branch))
    if action in ("promote", "demote"):
        permissions.require(permissions.can_appoint_officer(current_user, branch))
    target = _membership_or_404(branch, user_id)
    name = target.user.name
    try:
        membership.ROSTER_ACTIONS[action](target, actor=current_user)
    except MembershipError as error:
        flash(str(error), "error")
        return redirect(url_for("members.roster_page", slug=slug))
    db.session.commit()
    flash(str(ROSTER_DONE[action]) % {"name": name}, "success")
    return redirect(url_for("members.roster_page", slug=slug))


@bp.route("/roster.csv")
@login_required
def export_csv(slug: str) -> Response:
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_manage_roster(current_user, branch))
    text = roster.export_roster(branch, actor=current_user)
    db.session.commit()
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{branch.slug}-roster.csv"'})


@bp.route("/roster/sample.csv")
@login_required
def sample_csv(slug: str) -> Response:
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_manage_roster(current_user, branch))
    return Response(roster.sample_csv(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="roster-sample.csv"'})


@bp.route("/roster/import", methods=["GET", "POST"])
@login_required
def import_csv(slug: str) -> Response | str:
    """Upload -> preview (nothing changes) -> confirm."""
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_manage_roster(current_user, branch))
    form, preview, text = ImportForm(), None, ""
    if form.validate_on_submit():
        try:
            text = roster.decode_upload(form.file.data.read(roster.MAX_BYTES + 1))
            preview = roster.preview_import(branch, text)
        except MembershipError as error:
            form.file.errors = [str(error)]
    return render_template("members/import.html", branch=branch, form=form, preview=preview,
                           confirm=ConfirmImportForm(csv_text=text),
                           columns=roster.IMPORT_COLUMNS, max_kb=roster.MAX_BYTES // 1024)


@bp.route("/roster/import/confirm", methods=["POST"])
@login_required
def confirm_import(slug: str) -> Response:
    branch = permissions.get_branch_or_404(slug)
    permissions.require(permissions.can_manage_roster(current_user, branch))
    form = ConfirmImportForm()
    try:
        if not form.validate_on_submit():
            raise MembershipError(_("Nothing to import: upload the file again."))
        preview = roster.preview_import(branch, roster.decode_upload(form.csv_text.data.encode()))
    except MembershipError as error:
        flash(str(error), "error")
        return redirect(url_for("members.import_csv", slug=slug))
    counts = roster.apply_import(branch, preview, actor=current_user)
    db.session.commit()
    flash(_("Import done: %(create)d added, %(update)d updated, %(skip)d unchanged.",
            **counts), "success")
    return redirect(url_for("members.roster_page", slug=slug))
