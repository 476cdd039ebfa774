"""Accounts a federation can trust: the second factor, sessions that end, no bulk
scraping, security events, and the headers every response carries."""

from __future__ import annotations

from flask import Flask, abort, current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from jetaa.core.urls import safe_next
from jetaa.extensions import db
from jetaa.security import admin_views, policy, scraping, second_factor, views
from jetaa.security.events import log_refusal
from jetaa.security.sessions import touch
from jetaa.security.signing import SessionInterface, sign_csrf_tokens_with_sha256

# Anyone's per-member calendar: cacheable by the subscriber's own client only.
PRIVATE_FEEDS = frozenset({"event_feeds.private_ics"})


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()  # HMAC-SHA256, not Flask's SHA-1
    sign_csrf_tokens_with_sha256()  # and Flask-WTF's CSRF token
    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)
    app.before_request(_gate)
    app.after_request(_headers)
    app.after_request(_log_refusals)


def _gate() -> Response | None:
    """Signed in: note the session as used, hold back the pages that need a second factor,
    and count the pages a scraper would page through."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    login_session = current_user.login_session
    if login_session is not None and touch(login_session):
        db.session.commit()
    endpoint = request.endpoint
    given = getattr(login_session, "second_factor_at", None) is not None
    if (policy.needs_second_factor(endpoint) and not given
            and policy.required_for(current_user)):
        return _ask_for_second_factor(again=False)
    if (policy.needs_fresh_second_factor(endpoint) and not policy.given_recently(login_session)
            and (policy.required_for(current_user) or second_factor.is_enabled(current_user))):
        return _ask_for_second_factor(again=True)
    kind = scraping.kind_of(endpoint)
    if kind is not None and not scraping.allow(current_user, kind):
        abort(429)
    return None


def _ask_for_second_factor(*, again: bool) -> Response:
    # A POST (confirming an import) goes back to the page it came from afterwards.
    back = request.full_path.rstrip("?") if request.method == "GET" else (
        safe_next(request.referrer and _path_of(request.referrer)) or "")
    if not second_factor.is_enabled(current_user):
        flash(_("This page shows other members' data: set up your second factor first."),
              "info")
        return redirect(url_for("security.setup", next=back))
    if again:
        flash(_("Please enter a code from your authenticator app again to continue."), "info")
    return redirect(url_for("security.again", next=back))


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _headers(response: Response) -> Response:
    """HSTS in production; nothing personal kept in a shared or browser cache."""
    seconds = current_app.config.get("HSTS_SECONDS")
    if seconds:
        response.headers.setdefault("Strict-Transport-Security",
                                    f"max-age={seconds}; includeSubDomains")
    if request.endpoint in PRIVATE_FEEDS:
        response.headers["Cache-Control"] = "private, max-age=300"
    elif (request.endpoint != "static" and g.get("_login_user") is not None
          and current_user.is_authenticated
          and "private" not in response.headers.get("Cache-Control", "")):
        response.headers["Cache-Control"] = "no-store"
    return response


def _log_refusals(response: Response) -> Response:
    """403s and rate-limit refusals are security events (CSRF failures: core/errors.py)."""
    if response.status_code in (403, 429):
        kind = "forbidden" if response.status_code == 403 else "ratelimit.refused"
        user = current_user if current_user.is_authenticated else None
        log_refusal(kind, user, method=request.method)
    return response
