"""Who is asking: a personal access token (Authorization: Bearer ...), else the browser.

Runs before every request under /api/v1/, ahead of the security gate, so the token's
member is `current_user` for the permission questions and the scraping allowances.
A browser's signed-in session may read (GET), as the directory's JSON always allowed;
every write needs a token, so no cookie ever acts on the API and it needs no CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse_many

from jetaa.api.models import Scope
from jetaa.api.permissions import current_token, token_allows
from jetaa.api.tokens import find_token, note_use
from jetaa.db import utcnow
from jetaa.extensions import db, limiter, login_manager
from jetaa.permissions import load_with_roles, signed_in

PREFIX = "/api/v1/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def authenticate() -> None:
    """Resolve the bearer token of an API request (401 when it cannot be used)."""
    if not request.path.startswith(PREFIX):
        return
    header = request.headers.get("Authorization")
    if header is None:
        if request.method not in SAFE_METHODS:
            g._login_user = login_manager.anonymous_user()  # writes: a token or nothing
        return
    scheme, _space, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        _refuse(_("Send the token as: Authorization: Bearer <token>."))
    token = find_token(secret.strip())
    if token is None:
        _refuse(_("This token is not valid."))
    if token.revoked_at is not None:
        _refuse(_("This token was revoked."))
    if not token.is_live(utcnow()):
        _refuse(_("This token has expired."))
    user = load_with_roles(token.user_id)
    if user is None or not user.is_active:
        _refuse(_("The account of this token is closed."))
    g._login_user, g.api_token = user, token
    if note_use(token):
        db.session.commit()


def _refuse(message: str) -> None:
    # The browser's session must not stand in for a token that was sent and refused.
    g._login_user = login_manager.anonymous_user()
    if not _may_try_again():
        abort(429, description=_("Too many refused tokens from your address: wait a minute."))
    abort(401, description=message)


def _may_try_again() -> bool:
    """Refused tokens count per address, with the sign-in form's allowance (RATELIMIT_LOGIN):
    nobody guesses tokens, but a broken script should not hammer the site either."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED"):
        return True
    try:
        return all([limiter.limiter.hit(item, "api-token-refused", get_remote_address())
                    for item in parse_many(config["RATELIMIT_LOGIN"])])
    except Exception:  # the limiter's storage unreachable: answer the 401 all the same
        return True


def sign_in_first(view: Callable[..., Any]) -> Callable[..., Any]:
    """401 before the parameters are read: a visitor learns that a token is needed, not
    which of their parameters are wrong. (wraps keeps flask-smorest's documentation.)"""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not signed_in(current_user):
            abort(401, description=_("Send a personal access token: "
                                     "Authorization: Bearer <token>."))
        return view(*args, **kwargs)

    return wrapper


def signed_in_user(scope: Scope = Scope.READ, *, token_only: bool = False) -> Any:
    """The member asking, or 401; with a token of too narrow a scope, 403.

    `token_only`: pages of other people's data that a browser session opens only after
    the second factor (rosters, attendees, volunteers) are open to tokens only here.
    """
    if not signed_in(current_user):
        abort(401, description=_("Send a personal access token: Authorization: Bearer <token>."))
    token = current_token()
    if token is None:
        if token_only or scope == Scope.WRITE:
            abort(401, description=_("This needs a personal access token."))
    elif not token_allows(token, scope):
        abort(403, description=_("This token can only read; this needs a token with the "
                                 "write scope."))
    return current_user._get_current_object()
