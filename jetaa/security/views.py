"""The second factor at sign-in and on the account's security page; the sessions list."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from jetaa.core.actions import Refused, act
from jetaa.core.urls import safe_next
from jetaa.db import utcnow
from jetaa.extensions import db, limiter
from jetaa.security import second_factor, signin
from jetaa.security.events import log_event
from jetaa.security.forms import CodeForm, ConfirmForm, SignInCodeForm
from jetaa.security.policy import required_for
from jetaa.security.sessions import active_sessions, end_one

bp = Blueprint("security", __name__)


def _code_limit() -> str:
    return "5 per minute;20 per hour"


def _pending_key() -> str:
    pending = signin.pending_user()
    return f"second-factor:{pending[0].id}" if pending else "second-factor:none"


def _failed(response: Response) -> bool:
    return response.status_code != 302


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_code_limit, key_func=_pending_key, methods=["POST"], deduct_when=_failed)
def sign_in_code() -> Response | str:
    """The second step of signing in: a code from the app, or a recovery code."""
    pending = signin.pending_user()
    if pending is None:
        flash(_("Please log in again."), "info")
        return redirect(url_for("auth.login"))
    user, state = pending
    form = SignInCodeForm()
    if form.validate_on_submit():
        how = second_factor.verify(user, form.code.data)
        if how is not None:
            log_event("second_factor.given", user=user, how=how)
            response = signin.finish(user, remember=state["remember"],
                                     next_url=safe_next(state["next"]), given=True)
            if how == "recovery":  # after finish(): a new session drops earlier messages
                flash(_("You signed in with a recovery code; %(left)d are left. If your phone "
                        "is lost, set up the second factor again on your account's security "
                        "page.", left=second_factor.recovery_codes_left(user)), "info")
            return response
        log_event("second_factor.failed", user=user)
        db.session.commit()
        form.code.errors.append(_("That code is not right."))
    return render_template("security/sign_in_code.html", form=form)


@bp.route("/account/security")
@login_required
def account() -> str:
    """The account's second factor and its signed-in sessions."""
    user = current_user._get_current_object()
    return render_template(
        "security/account.html", factor=second_factor.factor_of(user),
        required=required_for(user), codes_left=second_factor.recovery_codes_left(user),
        sessions=active_sessions(user, privileged=required_for(user),
                                 current_id=user.login_session_id),
        form=CodeForm(), confirm=ConfirmForm())


@bp.route("/account/security/setup", methods=["GET", "POST"])
@login_required
def setup() -> Response | str:
    """Set up the authenticator app: a QR code, then a code from the app to confirm."""
    user = current_user._get_current_object()
    if second_factor.is_enabled(user):
        return redirect(url_for("security.account"))
    factor = second_factor.begin_setup(user)
    db.session.commit()
    form = CodeForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            codes = second_factor.confirm_setup(user, form.code.data)
        except Refused as refusal:
            db.session.rollback()
            form.code.errors.append(str(refusal))
        else:
            # Given just now: this session may reach the pages that need it.
            user.login_session.second_factor_at = factor.enabled_at
            db.session.commit()
            return render_template("security/recovery_codes.html", codes=codes,
                                   next_url=safe_next(form.next.data))
    uri = second_factor.provisioning_uri(user, factor)
    return render_template("security/setup.html", form=form, secret=factor.secret,
                           qr=second_factor.qr_svg(uri), required=required_for(user))


@bp.route("/account/security/again", methods=["GET", "POST"])
@login_required
def again() -> Response | str:
    """The second factor once more, before an export or an import's confirmation."""
    user = current_user._get_current_object()
    if not second_factor.is_enabled(user):
        return redirect(url_for("security.setup", next=request.args.get("next", "")))
    form = SignInCodeForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        how = second_factor.verify(user, form.code.data)
        if how is not None:
            user.login_session.second_factor_at = utcnow()
            log_event("second_factor.given", user=user, how=how, again=True)
            db.session.commit()
            return redirect(safe_next(form.next.data) or url_for("security.account"))
        log_event("second_factor.failed", user=user, again=True)
        db.session.commit()
        form.code.errors.append(_("That code is not right."))
    return render_template("security/again.html", form=form)


@bp.post("/account/security/recovery-codes")
@login_required
def new_recovery_codes() -> Response | str:
    """Ten new recovery codes (the old ones stop working), after a code from the app."""
    user = current_user._get_current_object()
    form = CodeForm()
    if not form.validate_on_submit() or second_factor.verify(user, form.code.data) != "totp":
        db.session.rollback()
        flash(_("That code is not right."), "error")
        return redirect(url_for("security.account"))
    codes = second_factor.new_recovery_codes(user)
    log_event("second_factor.new_recovery_codes", user=user)
    db.session.commit()
    return render_template("security/recovery_codes.html", codes=codes, next_url=None)


@bp.post("/account/security/off")
@login_required
def turn_off() -> Response:
    """Turn the second factor off (members only: the roles that need it cannot)."""
    form = CodeForm()
    code = form.code.data if form.validate_on_submit() else ""
    user = current_user._get_current_object()
    return act(lambda: second_factor.turn_off(user, code),
               done=url_for("security.account"), back=url_for("security.account"),
               success=_("Your second factor is turned off."))


@bp.post("/account/sessions/<session_id>/end")
@login_required
def end_session(session_id: str) -> Response:
    """Sign one of the account's sessions out (another device, a forgotten browser)."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    if not end_one(user, session_id[:64]):
        abort(404)
    db.session.commit()
    if session_id == user.login_session_id:
        return redirect(url_for("auth.login"))
    flash(_("That session is signed out."), "success")
    return redirect(url_for("security.account"))
