"""The member's API tokens: create (the secret shown once), see, revoke."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from jetaa.api.forms import TokenForm
from jetaa.api.models import ApiToken, Scope
from jetaa.api.permissions import can_create_token, can_manage_token
from jetaa.api.tokens import TokenRefused, create_token, revoke_token, tokens_of
from jetaa.core.actions import act
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.security.forms import ConfirmForm

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _page(form: TokenForm, secret: str | None = None, status: int = 200) -> tuple[str, int]:
    user = current_user._get_current_object()
    return render_template("api/tokens.html", form=form, tokens=tokens_of(user), secret=secret,
                           may_create=can_create_token(user), confirm=ConfirmForm(),
                           now=utcnow()), status


@bp.route("")
@login_required
def index() -> tuple[str, int]:
    """The member's tokens and the form for a new one."""
    return _page(TokenForm())


@bp.post("")
@login_required
def create() -> tuple[str, int] | Response:
    """Create a token and show its secret on this answer only (it is stored hashed)."""
    form = TokenForm()
    if not form.validate():
        return _page(form, status=400)
    try:
        made = create_token(form.name.data, Scope(form.scope.data), form.expires_in_days(),
                            actor=current_user._get_current_object())
    except TokenRefused as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(url_for("api_tokens.index"))
    db.session.commit()
    flash(_("Your token %(name)s is ready. Copy it now: it is not shown again.",
            name=made.token.name), "success")
    return _page(TokenForm(formdata=None), secret=made.secret)


@bp.post("/<id:token_id>/revoke")
@login_required
def revoke(token_id: int) -> Response:
    token = db.session.get(ApiToken, token_id)
    if token is None or not can_manage_token(current_user, token):
        abort(404)
    back = url_for("api_tokens.index")
    return act(lambda: revoke_token(token, actor=current_user._get_current_object()),
               done=back, back=back,
               success=_("The token %(name)s is revoked: it no longer works.", name=token.name))
