"""Sessions that end: timeouts, the list of a member's signed-in browsers, ending them.

A session (`auth.models.LoginSession`) ends after SESSION_IDLE_MINUTES without a request
(SESSION_IDLE_MINUTES_PRIVILEGED for admins, officers and mission staff) and, whatever
happens, SESSION_MAX_HOURS after sign-in; one signed in with "remember me" (members
only, never privileged roles) lives REMEMBER_DAYS from sign-in instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from jetaa.audit.services import record
from jetaa.auth.models import LoginSession, User
from jetaa.auth.services import end_all_sessions
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.security.events import log_event
from jetaa.security.places import place_of

# Touching last_seen_at on every request would be a write per page view.
TOUCH_EVERY = timedelta(minutes=1)


def ends_at(login_session: LoginSession, *, privileged: bool) -> datetime:
    """When this session stops working if nothing more happens."""
    config = current_app.config
    if login_session.remember and not privileged:
        return login_session.created_at + timedelta(days=config["REMEMBER_DAYS"])
    idle = config["SESSION_IDLE_MINUTES_PRIVILEGED" if privileged else "SESSION_IDLE_MINUTES"]
    last_seen = login_session.last_seen_at or login_session.created_at
    return min(last_seen + timedelta(minutes=idle),
               login_session.created_at + timedelta(hours=config["SESSION_MAX_HOURS"]))


def is_over(login_session: LoginSession, *, privileged: bool) -> bool:
    return utcnow() >= ends_at(login_session, privileged=privileged)


def touch(login_session: LoginSession) -> bool:
    """Note that the session was used now (at most once a minute); True when it wrote."""
    now = utcnow()
    if login_session.last_seen_at and now - login_session.last_seen_at < TOUCH_EVERY:
        return False
    login_session.last_seen_at = now
    return True


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
            ("Linux", "Linux"))


def describe_device(user_agent: str | None) -> str:
    """'Firefox on Windows', from a user agent (good enough to recognise one's devices)."""
    ua = user_agent or ""
    browser = next((name for marker, name in _BROWSERS if marker in ua), None)
    system = next((name for marker, name in _SYSTEMS if marker in ua), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    return browser or system or (re.split(r"[\s/]", ua, maxsplit=1)[0] or _("Unknown device"))


@dataclass(frozen=True)
class SessionRow:
    id: str
    device: str
    ip_address: str | None
    place: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


def active_sessions(user: User, *, privileged: bool, current_id: str | None = None,
                    ) -> list[SessionRow]:
    """The account's sessions still working, the most recently used first."""
    rows = db.session.scalars(sa.select(LoginSession).where(LoginSession.user_id == user.id))
    live = [s for s in rows if not is_over(s, privileged=privileged)]
    live.sort(key=lambda s: s.last_seen_at or s.created_at, reverse=True)
    return [SessionRow(s.id, describe_device(s.user_agent), s.ip_address, place_of(s.ip_address),
                       s.created_at, s.last_seen_at or s.created_at, s.id == current_id)
            for s in live]


def end_one(user: User, session_id: str) -> bool:
    """The member signs one of their own sessions out; False when it was not theirs."""
    ended = db.session.execute(sa.delete(LoginSession).where(
        LoginSession.id == session_id, LoginSession.user_id == user.id)).rowcount
    if ended:
        log_event("session.ended", user=user)
    return bool(ended)


def end_sessions(user: User, *, actor: Any, reason: str | None = None) -> None:
    """End every session of `user` on every device (the account token rotates too).

    For an admin ending a member's sessions, for disabling an account, for a second-factor
    reset. Audited; the caller commits.
    """
    end_all_sessions(user)
    record("account.sessions_ended", actor=actor, object_type="user", object_id=user.id,
           **({"reason": reason} if reason else {}))
    log_event("session.all_ended", user=user, by=getattr(actor, "id", None))
