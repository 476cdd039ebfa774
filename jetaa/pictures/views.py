"""Serving pictures (after a permission check, cached for long), and uploading them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from jetaa.branches.permissions import can_manage_branch, get_branch_or_404
from jetaa.core.actions import act
from jetaa.events.permissions import can_edit_event, get_event_or_404
from jetaa.pictures.forms import PictureForm
from jetaa.pictures.permissions import OWNERS, can_see_picture, is_public_picture, picture_owner
from jetaa.pictures.services import set_branch_logo, set_event_image, set_profile_photo
from jetaa.pictures.storage import SIZES, content_type, picture_path

bp = Blueprint("pictures", __name__)
YEAR = 365 * 24 * 3600


@bp.route("/pictures/<kind>/<id:owner_id>/<size>/<name>")
def show(kind: str, owner_id: int, size: str, name: str) -> Response:
    """A picture by its current name: a new picture has a new name, so a year of caching
    is safe; private ones only in the viewer's own browser cache."""
    if kind not in OWNERS or size not in SIZES[kind]:
        abort(404)
    row = picture_owner(kind, owner_id, name)
    if row is None or not can_see_picture(current_user, kind, row):
        abort(404)
    path = picture_path(kind, size, name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=content_type(name), max_age=YEAR, conditional=True)
    scope = "public" if is_public_picture(kind, row) else "private"
    response.headers["Cache-Control"] = f"{scope}, max-age={YEAR}, immutable"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _upload(setter: Callable[..., Any], obj: Any, back: str) -> Response:
    form = PictureForm()
    if not form.validate():
        flash(_("The form expired: please try again."), "error")
        return redirect(back)
    upload = form.picture.data if form.picture.data else None
    if upload is None and not form.remove.data:
        flash(_("Choose a picture, or tick “Remove the picture”."), "error")
        return redirect(back)
    success = _("The picture is removed.") if upload is None else _("The picture is saved.")
    return act(lambda: setter(obj, upload, actor=current_user), done=back, back=back,
               success=success)


@bp.post("/account/photo")
@login_required
def profile_photo() -> Response:
    return _upload(set_profile_photo, current_user, url_for("auth.account"))


@bp.post("/events/<id:event_id>/image")
@login_required
def event_image(event_id: int) -> Response:
    event = get_event_or_404(event_id, require=can_edit_event)
    return _upload(set_event_image, event, url_for("events.show", event_id=event.id))


@bp.post("/branches/<slug>/logo")
@login_required
def branch_logo(slug: str) -> Response:
    branch = get_branch_or_404(slug, require=can_manage_branch)
    return _upload(set_branch_logo, branch, url_for("branches.edit", slug=branch.slug))
