"""Joining a branch, the officers' application queue and roster."""

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from jetaa import permissions
from jetaa.branches.models import Branch
from jetaa.branches.permissions import can_manage_branch, get_branch_or_404
from jetaa.core.actions import Refused, act, once_more_on_conflict
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile
from jetaa.members.services.profiles import profile_as_dict
from jetaa.memberships import roster, services
from jetaa.memberships.forms import ConfirmImportForm, DecisionForm, ImportForm, JoinForm
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.memberships.permissions import can_join_branch

bp = Blueprint("memberships", __name__, url_prefix="/branches/<slug>")

# One whole sentence per roster action, so that each language can word it.
ROSTER_DONE = {
    "lapse": _l("%(name)s is marked lapsed."),
    "reinstate": _l("%(name)s is reinstated."),
    "remove": _l("%(name)s is removed from the branch."),
    "promote": _l("%(name)s is now an officer."),
    "demote": _l("%(name)s is now a member (no longer an officer)."),
}


def _membership_or_404(branch: Branch, user_id: int) -> Membership:
    found = db.session.scalar(db.select(Membership).where(
        Membership.branch_id == branch.id, Membership.user_id == user_id))
    if found is None:
        abort(404)
    return found


@bp.route("/join", methods=["GET", "POST"])
@login_required
def join(slug: str) -> Response | str:
    """The application form: the branch's questions, prefilled from the profile."""
    branch = get_branch_or_404(slug)
    if not can_join_branch(current_user, branch):
        flash(_("This branch is no longer active and takes no new members.")
              if not branch.active else
              _("Confirm your e-mail address first: follow the link we sent you.")
              if not current_user.is_confirmed else
              _("You are already a member of this branch or your application is waiting."),
              "warning")
        return redirect(url_for("branches.show", slug=slug))
    form = JoinForm(data=profile_as_dict(db.session.get(AlumniProfile, current_user.id)))
    if form.is_submitted() and form.edit_placements(request.form):
        return render_template("memberships/join.html", branch=branch, form=form)
    if form.validate_on_submit():
        page = url_for("branches.show", slug=slug)
        return act(once_more_on_conflict(lambda: services.apply_to_branch(
                       current_user, branch, form.profile_data(), form.message.data or "",
                       actor=current_user)),
                   done=page, back=page, success=lambda joined: (
                       _("Welcome to %(branch)s!", branch=branch.name)
                       if joined.status == MembershipStatus.APPROVED else
                       _("Your application is sent. The officers will tell you by e-mail.")))
    return render_template("memberships/join.html", branch=branch, form=form)


@bp.route("/applications")
@login_required
def applications(slug: str) -> str:
    """The officers' queue of pending applications."""
    branch = get_branch_or_404(slug, require=can_manage_branch)
    pending = services.pending_applications(branch)
    profiles = {p.user_id: p for p in db.session.scalars(
        db.select(AlumniProfile).where(AlumniProfile.user_id.in_([m.user_id for m in pending]))
        .options(sa.orm.selectinload(AlumniProfile.placements)))}
    return render_template("memberships/applications.html", branch=branch, pending=pending,
                           profiles=profiles, form=DecisionForm())


@bp.route("/applications/<id:user_id>", methods=["POST"])
@login_required
def decide(slug: str, user_id: int) -> Response:
    branch = get_branch_or_404(slug, require=can_manage_branch)
    application = _membership_or_404(branch, user_id)
    queue = url_for("memberships.applications", slug=slug)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose approve or decline."), "error")
        return redirect(queue)
    approve, name = form.decision.data == "approve", application.user.name
    return act(lambda: services.decide_application(application, approve, form.message.data or "",
                                                   actor=current_user),
               done=queue, back=queue,
               success=_("%(name)s is approved.", name=name) if approve
               else _("%(name)s is declined.", name=name))


@bp.route("/leave", methods=["GET", "POST"])
@login_required
def leave(slug: str) -> Response | str:
    """GET asks to confirm (it works without JavaScript); POST leaves."""
    branch = get_branch_or_404(slug)
    page = url_for("branches.show", slug=slug)
    mine = permissions.membership_in(current_user, branch)
    if mine is None:
        flash(_("You are not a member of this branch."), "warning")
        return redirect(page)
    if request.method == "GET":
        return render_template("memberships/confirm.html", branch=branch, action="leave",
                               target=mine, back=page,
                               post_to=url_for("memberships.leave", slug=slug))
    return act(lambda: services.leave_branch(mine, actor=current_user), done=page, back=page,
               success=_("You have left %(branch)s.", branch=branch.name))


@bp.route("/primary", methods=["POST"])
@login_required
def make_primary(slug: str) -> Response:
    branch = get_branch_or_404(slug)
    mine = permissions.membership_in(current_user, branch)
    permissions.require(mine is not None)
    account = url_for("auth.account")
    return act(lambda: services.set_primary(mine, actor=current_user), done=account, back=account,
               success=_("%(branch)s is now your primary branch.", branch=branch.name))


@bp.route("/roster")
@login_required
def roster_page(slug: str) -> str:
    """Officers manage the branch's members: lapse, remove, promote, export, import."""
    branch = get_branch_or_404(slug, require=can_manage_branch)
    rows = db.paginate(roster.roster_members(branch), page=request.args.get("page", 1, type=int), per_page=50,
                       error_out=False)
    return render_template("memberships/roster.html", branch=branch, rows=rows,
                           pending_count=len(services.pending_applications(branch)),
                           removed=services.recently_removed(branch),
                           invitations=roster.pending_invitations(branch))


@bp.route("/roster/<id:user_id>/<any(lapse, reinstate, remove, promote, demote):action>",
          methods=["GET", "POST"])
@login_required
def roster_action(slug: str, user_id: int, action: str) -> Response | str:
    """POST acts; GET is the step before a removal or a demotion: what will happen, and a
    button to do it (no JavaScript needed). The other actions are undone in one click."""
    branch = get_branch_or_404(slug, require=can_manage_branch)
    target = _membership_or_404(branch, user_id)
    page = url_for("memberships.roster_page", slug=slug)
    if request.method == "GET":
        if action not in ("remove", "demote"):
            abort(405)
        return render_template("memberships/confirm.html", branch=branch, action=action,
                               target=target, restore_days=services.RESTORE_DAYS, back=page,
                               post_to=request.path)
    name = target.user.name
    if action == "demote" and target.user_id == current_user.id:
        page = url_for("branches.show", slug=slug)  # no longer an officer: no roster to go back to
    return act(lambda: services.ROSTER_ACTIONS[action](target, actor=current_user),
               done=page, back=page, success=str(ROSTER_DONE[action]) % {"name": name})


@bp.route("/roster/<id:user_id>/restore", methods=["POST"])
@login_required
def restore(slug: str, user_id: int) -> Response:
    """Undo a recent removal from the roster."""
    branch = get_branch_or_404(slug, require=can_manage_branch)
    page = url_for("memberships.roster_page", slug=slug)
    return act(lambda: services.restore_membership(branch, user_id, actor=current_user),
               done=page, back=page,
               success=lambda m: _("%(name)s is back in the branch.", name=m.user.name))


@bp.route("/roster.csv")
@login_required
def export_csv(slug: str) -> Response:
    branch = get_branch_or_404(slug, require=can_manage_branch)
    text = roster.export_roster(branch, actor=current_user)
    db.session.commit()
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{branch.slug}-roster.csv"'})


@bp.route("/roster/sample.csv")
@login_required
def sample_csv(slug: str) -> Response:
    get_branch_or_404(slug, require=can_manage_branch)
    return Response(roster.sample_csv(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="roster-sample.csv"'})


@bp.route("/roster/import", methods=["GET", "POST"])
@login_required
def import_csv(slug: str) -> Response | str:
    """Upload -> preview (nothing changes) -> confirm."""
    branch = get_branch_or_404(slug, require=can_manage_branch)
    form, preview, text = ImportForm(), None, ""
    if form.validate_on_submit():
        try:
            text = roster.decode_upload(form.file.data.read(roster.MAX_BYTES + 1))
            preview = roster.preview_import(branch, text)
        except Refused as refusal:
            form.file.errors = [str(refusal)]
    return render_template("memberships/import.html", branch=branch, form=form, preview=preview,
                           confirm=ConfirmImportForm(csv_text=text),
                           columns=roster.IMPORT_COLUMNS, max_kb=roster.MAX_BYTES // 1024)


@bp.route("/roster/import/confirm", methods=["POST"])
@login_required
def confirm_import(slug: str) -> Response:
    branch = get_branch_or_404(slug, require=can_manage_branch)
    form = ConfirmImportForm()

    def apply() -> dict[str, int]:
        if not form.validate_on_submit():
            raise services.MembershipError(_("Nothing to import: upload the file again."))
        preview = roster.preview_import(branch, roster.decode_upload(form.csv_text.data.encode()))
        return roster.apply_import(branch, preview, actor=current_user)

    return act(once_more_on_conflict(apply), done=url_for("memberships.roster_page", slug=slug),
               back=url_for("memberships.import_csv", slug=slug),
               success=lambda counts: _("Import done: %(create)d added, %(update)d updated, "
                                        "%(skip)d unchanged.", **counts))
