"""Flask-Login wiring: a session is valid only while the account's token is."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from jetaa.auth.models import User
from jetaa.extensions import login_manager
from jetaa.permissions import load_with_roles
from jetaa.security.policy import required_for
from jetaa.security.sessions import is_over


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The cookie holds "<id>:<account token>:<session id>": a rotated account token ends
    every session of the account, a deleted LoginSession row (logout) ends this one."""
    raw_id, token, session_id = ([*user_id.split(":", 2), "", ""])[:3]
    if not raw_id.isdigit() or len(raw_id) > 10 or not token or not session_id:
        return None
    user = load_with_roles(int(raw_id), login_session=session_id)
    if user is None or user.session_token != token or not user.is_active:
        return None
    # Idle and absolute timeouts (jetaa/security/sessions.py): an old cookie is no use.
    if is_over(user.login_session, privileged=required_for(user)):
        return None
    user.login_session_id = session_id
    return user
