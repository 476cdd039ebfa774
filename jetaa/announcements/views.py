"""A branch's announcements: the archive, the officers' form, preview, test, send, cancel;
and unsubscribing from a message's link without signing in."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from jetaa.announcements import services
from jetaa.announcements.forms import AnnouncementForm, SendForm
from jetaa.announcements.models import Announcement, AnnouncementStatus, Scope
from jetaa.announcements.permissions import (
    can_edit_announcement,
    can_write_announcements,
    get_announcement_or_404,
    visible_clause,
)
from jetaa.announcements.tokens import read_unsubscribe_token
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.branches.permissions import get_branch_or_404
from jetaa.core.actions import Refused, act
from jetaa.core.markdown import render_markdown
from jetaa.events.models import Event
from jetaa.events.times import exists, to_local, to_utc
from jetaa.extensions import csrf, db
from jetaa.notifications.services import mute_branch
from jetaa.permissions import is_admin

bp = Blueprint("announcements", __name__)
PER_PAGE = 20


@bp.route("/branches/<slug>/announcements")
def index(slug: str) -> str:
    """The archive: what the viewer may read, newest first (drafts too, for officers)."""
    branch = get_branch_or_404(slug)
    query = (sa.select(Announcement).where(Announcement.branch_id == branch.id,
                                           visible_clause(current_user, branch))
             .order_by(sa.func.coalesce(Announcement.send_at, Announcement.created_at).desc(),
                       Announcement.id.desc()))
    page = db.paginate(query, page=request.args.get("page", 1, type=int), per_page=PER_PAGE,
                       error_out=False)
    return render_template("announcements/index.html", branch=branch, page=page,
                           can_write=can_write_announcements(current_user, branch))


def _form_choices(form: AnnouncementForm, branch: Branch) -> None:
    """The branch's events of the last months and to come; the federation only for admins."""
    events = db.session.scalars(sa.select(Event).where(Event.branch_id == branch.id)
                                .order_by(Event.starts_at.desc()).limit(60))
    form.event_id.choices = [(0, _("Any"))] + [
        (e.id, f"{to_local(e.starts_at, e.timezone):%Y-%m-%d} · {e.title}") for e in events]
    if not is_admin(current_user):
        form.scope.choices = [c for c in form.scope.choices if c[0] != Scope.FEDERATION.value]


def _save(form: AnnouncementForm, call: Any, branch: Branch,
          announcement: Announcement | None) -> Response | str:
    problem = None
    if form.validate_on_submit():
        try:
            saved = call(form.data_object())
        except Refused as refusal:
            db.session.rollback()
            problem = str(refusal)
        else:
            db.session.commit()
            flash(_("The announcement is saved. Preview it, send yourself a test, then send it."),
                  "success")
            return redirect(url_for("announcements.show", announcement_id=saved.id))
    return render_template("announcements/form.html", form=form, branch=branch,
                           announcement=announcement, problem=problem)


@bp.route("/branches/<slug>/announcements/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> Response | str:
    branch = get_branch_or_404(slug, require=can_write_announcements)
    form = AnnouncementForm()
    _form_choices(form, branch)
    return _save(form, lambda data: services.create_announcement(branch, data,
                                                                 actor=current_user),
                 branch, None)


@bp.route("/announcements/<id:announcement_id>/edit", methods=["GET", "POST"])
@login_required
def edit(announcement_id: int) -> Response | str:
    announcement = get_announcement_or_404(announcement_id, require=can_edit_announcement)
    if not announcement.is_editable:
        flash(_("This announcement is being sent or was sent: it cannot be changed."), "error")
        return redirect(url_for("announcements.show", announcement_id=announcement.id))
    form = AnnouncementForm(obj=announcement)
    _form_choices(form, announcement.branch)
    if request.method == "GET":
        form.scope.data = announcement.scope.value
        for key, value in (announcement.segment or {}).items():
            if hasattr(form, key):
                getattr(form, key).data = value
    return _save(form, lambda data: services.update_announcement(announcement, data,
                                                                 actor=current_user),
                 announcement.branch, announcement)


@bp.route("/announcements/<id:announcement_id>")
def show(announcement_id: int) -> str:
    """The web version; for its officers also the state, the progress and the buttons."""
    announcement = get_announcement_or_404(announcement_id)
    editor = can_edit_announcement(current_user, announcement)
    return render_template(
        "announcements/show.html", announcement=announcement, editor=editor,
        body=render_markdown(announcement.body),
        progress=services.progress(announcement) if editor else None,
        recipients=services.audience.count(announcement)
        if editor and announcement.status == AnnouncementStatus.DRAFT else None,
        send_form=SendForm() if editor else None)


@bp.route("/announcements/<id:announcement_id>/email")
@login_required
def email(announcement_id: int) -> str:
    """The message as the officer would receive it: HTML (sandboxed) and plain text."""
    announcement = get_announcement_or_404(announcement_id, require=can_edit_announcement)
    return render_template("announcements/email.html", announcement=announcement,
                           message=services.email_preview(announcement, current_user))


@bp.route("/announcements/<id:announcement_id>/email.html")
@login_required
def email_html(announcement_id: int) -> Response:
    """The message's HTML alone, for the preview's frame: its inline styles allowed, nothing
    else (no script, no form, no other origin)."""
    announcement = get_announcement_or_404(announcement_id, require=can_edit_announcement)
    response = Response(services.email_preview(announcement, current_user).body_html,
                        mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox")
    return response


def _back(announcement: Announcement) -> str:
    return url_for("announcements.show", announcement_id=announcement.id)


@bp.post("/announcements/<id:announcement_id>/test")
@login_required
def test(announcement_id: int) -> Response:
    announcement = get_announcement_or_404(announcement_id, require=can_edit_announcement)
    return act(lambda: services.send_test(announcement, actor=current_user),
               done=_back(announcement), back=_back(announcement),
               success=_("A test is on its way to %(email)s.", email=current_user.email))


def _send_at(form: SendForm, announcement: Announcement) -> Any:
    local = form.send_at.data
    zone = announcement.branch.timezone if announcement.branch else "UTC"
    if local is None:
        return None
    if not exists(local, zone):
        raise services.AnnouncementError(_("That time does not exist in %(zone)s: the clocks "
                                           "change then.", zone=zone))
    return to_utc(local, zone)


@bp.post("/announcements/<id:announcement_id>/send")
@login_required
def send(announcement_id: int) -> Response:
    """Schedule it (now or later); a send due now queues its first batch at once."""
    announcement = get_announcement_or_404(announcement_id, require=can_edit_announcement)
    form = SendForm()
    if not form.validate():
        flash(_("Give the time as a date and a time, or leave it empty to send now."), "error")
        return redirect(_back(announcement))

    def schedule() -> Announcement:
        return services.schedule_announcement(announcement, actor=current_user,
                                              at=_send_at(form, announcement))

    response = act(schedule, done=_back(announcement), back=_back(announcement),
                   success=lambda a: _("The announcement is being sent.")
                   if a.send_at <= services.utcnow() else _("The announcement is scheduled."))
    if announcement.status == AnnouncementStatus.SCHEDULED:
        services.run_batch(announcement.id)
        db.session.commit()
    return response


@bp.post("/announcements/<id:announcement_id>/cancel")
@login_required
def cancel(announcement_id: int) -> Response:
    announcement = get_announcement_or_404(announcement_id, require=can_edit_announcement)
    return act(lambda: services.cancel_announcement(announcement, actor=current_user),
               done=_back(announcement), back=_back(announcement),
               success=_("Cancelled: no more messages will be queued."))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # mail clients post RFC 8058 one-click requests; the token is the secret
def unsubscribe(token: str) -> str:
    """GET asks (link checkers fetch links); POST, by the button or a mail client, acts."""
    found = read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if user is None or user.deleted_at is not None:
        abort(404)
    branch = db.session.get(Branch, found[1]) if found[1] else None
    if request.method == "POST":
        mute_branch(user, branch.id if branch else None)
        db.session.commit()
    return render_template("announcements/unsubscribe.html", branch=branch, token=token,
                           done=request.method == "POST")
