"""Sign-up, sign-in and the account's own settings."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from jetaa.auth import services
from jetaa.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    EmailOnlyForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from jetaa.auth.passwords import verify_password
from jetaa.core.urls import safe_next
from jetaa.extensions import db, limiter
from jetaa.security import signin
from jetaa.security.events import log_event

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


def _account_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN_ACCOUNT"]


def _account_key() -> str:
    """The address being signed in to, as accounts store it (any case, any spaces)."""
    return "account:" + services.normalise_email(request.form.get("email", ""))[:254]


def _failed(response: Response) -> bool:
    return response.status_code != 302  # a sign-in that worked redirects


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])  # each POST hashes a password and sends mail
def register() -> Response | str:
    """Create an account; the same answer whether or not the address is known."""
    if current_user.is_authenticated:
        return redirect(url_for("core.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        args = (form.name.data, form.email.data, form.password.data)
        try:
            services.register_user(*args, locale=str(get_locale()))
            db.session.commit()
        except IntegrityError:
            # The same address registered at the same moment: answer as for a known one.
            db.session.rollback()
            services.register_user(*args, locale=str(get_locale()))
            db.session.commit()
        return redirect(url_for("auth.check_email"))
    return render_template("auth/register.html", form=form)


@bp.route("/register/check-email")
def check_email() -> str:
    return render_template("auth/check_email.html")


@bp.route("/confirm/<token>")
def confirm(token: str) -> Response:
    user = services.confirm_email(token)
    if user is None:
        flash(_("That confirmation link is invalid, expired or already used. "
                "Log in to get a new one."), "error")
        return redirect(url_for("auth.login"))
    db.session.commit()
    if current_user.is_authenticated and current_user.id == user.id:
        flash(_("Thank you, your e-mail address is confirmed."), "success")
        return redirect(url_for("core.index"))
    flash(_("Thank you, your e-mail address %(email)s is confirmed. Log in below with it and "
            "your password to continue.", email=user.email), "success")
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed)
def login() -> Response | str:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data)
        if result.user is not None:
            return signin.begin(result.user, remember=form.remember.data,
                                next_url=safe_next(form.next.data))
        log_event("login.failed", email=services.normalise_email(form.email.data)[:254],
                  unconfirmed=result.unconfirmed)
        db.session.commit()
        if result.unconfirmed:
            flash(_("Please confirm your e-mail address first: we have sent you a new link."),
                  "info")
        else:
            flash(_("That e-mail address and password do not match an account."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    """Log out, ending this session on the server too (a copied cookie stops working)."""
    if current_user.is_authenticated:
        services.end_session(current_user)
        log_event("logout", user=current_user)
        db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("core.index"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> Response:
    """End every session of the account, on every device, this one included."""
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    flash(_("You are signed out on every device. Log in again to continue."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def forgot_password() -> Response | str:
    form = EmailOnlyForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(_("If an account uses that address, we have sent it a link to choose a new "
                "password. The link works for two hours."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str) -> Response | str:
    user = services.user_for_reset_token(token)
    if user is None:
        flash(_("That link is invalid, expired or already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm(account=user)
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        services.end_all_sessions(user)  # this browser's too: it logs in afresh
        db.session.commit()
        logout_user()
        flash(_("Your password is changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)


@bp.route("/account")
@login_required
def account() -> str:
    return render_template("auth/account.html")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])  # it checks the current password
def change_password() -> Response | str:
    form = ChangePasswordForm(account=current_user)
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        else:
            services.set_password(current_user, form.password.data)
            db.session.commit()
            # The token rotated: renew this session, the others are ended. login_user
            # needs the user itself: given the current_user proxy it recurses forever.
            login_user(current_user._get_current_object(), remember=False)
            flash(_("Your password is changed. Your other sessions are logged out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"])  # it checks the password and sends mail
def change_email() -> Response | str:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
        else:
            services.request_email_change(current_user, form.email.data)
            db.session.commit()
            flash(_("We have sent a link to %(email)s. Your address changes when you follow it.",
                    email=form.email.data), "info")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_email.html", form=form)


@bp.route("/account/email/<token>")
def confirm_email_change(token: str) -> Response:
    user = services.confirm_email_change(token)
    if user is not None:
        try:
            db.session.commit()
        except IntegrityError:  # another account took the address a moment earlier
            db.session.rollback()
            user = None
    if user is None:
        flash(_("That link is invalid, expired or already used."), "error")
        return redirect(url_for("core.index"))
    flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
    return redirect(url_for("auth.account") if current_user.is_authenticated
                    else url_for("auth.login"))
