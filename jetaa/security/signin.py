"""The end of a sign-in: the second factor when the account has one, then a new session.

Views call these (they touch the cookie session and Flask-Login); the state they change
is the services'.
"""

from __future__ import annotations

import time

from flask import flash, redirect, session, url_for
from flask_babel import gettext as _
from flask_login import login_user
from werkzeug.wrappers import Response

from jetaa.auth.models import User
from jetaa.auth.services import start_session
from jetaa.extensions import db
from jetaa.security import second_factor
from jetaa.security.events import log_event
from jetaa.security.policy import required_for

PENDING_KEY = "pending_sign_in"
PENDING_SECONDS = 300  # the password is good for this long while the code is typed
# What a new session keeps of the old one (the chosen language); not the CSRF secret.
KEPT_KEYS = ("locale",)


def begin(user: User, *, remember: bool, next_url: str | None) -> Response:
    """The password was right: ask for the second factor if the account has one."""
    if second_factor.is_enabled(user):
        db.session.commit()  # authenticate() may have rehashed the password
        session[PENDING_KEY] = {"uid": user.id, "token": user.session_token,
                                "remember": bool(remember), "next": next_url or "",
                                "at": int(time.time())}
        return redirect(url_for("security.sign_in_code"))
    return finish(user, remember=remember, next_url=next_url, given=False)


def pending_user() -> tuple[User, dict] | None:
    """The account whose password was just given, while its code is awaited."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("uid"))
    if user is None or not user.is_active or user.session_token != pending.get("token"):
        return None
    return user, pending


def finish(user: User, *, remember: bool, next_url: str | None, given: bool) -> Response:
    """A new session: a new session id on the server, a new cookie session and CSRF secret.

    Remember-me is for members only; whoever must have a second factor and has none is
    sent to set it up.
    """
    privileged = required_for(user)
    remember = remember and not privileged
    kept = {key: session[key] for key in KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)
    start_session(user, remember=remember, second_factor=given)
    log_event("login.success", user=user, second_factor=given)
    db.session.commit()
    login_user(user, remember=remember)
    if privileged and not given:
        flash(_("Your roles give you access to other members' data, so your account needs a "
                "second factor. Please set it up now."), "info")
        return redirect(url_for("security.setup", next=next_url or ""))
    return redirect(next_url or url_for("core.index"))
