"""Account life cycle: register, confirm, log in, reset, change password or e-mail.

None of these tells a caller whether an address has an account: the views
answer the same way either way, and the e-mail goes to the address's owner.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from jetaa.audit.services import record
from jetaa.auth.models import (
    AccountToken,
    LoginSession,
    User,
    hash_link_token,
    new_login_session_id,
    new_session_token,
)
from jetaa.auth.passwords import hash_password, needs_rehash, verify_password
from jetaa.auth.tokens import make_token, read_token
from jetaa.core.urls import external_url
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.mail.services import queue_email
from jetaa.security.events import log_event
from jetaa.security.origin import request_origin


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def address_tag(email: str) -> str:
    """What a confirmation link holds of the address it confirms: a keyed hash, so the link
    stops working when the address changes and shows no address to whoever sees it (browser
    history, proxy logs)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"jetaa.confirm-address:" + email.encode(), hashlib.sha256).hexdigest()[:32]


def confirmation_token(user: User) -> str:
    return make_token("confirm", {"uid": user.id, "addr": address_tag(user.email)})


def send_confirmation(user: User) -> None:
    token = confirmation_token(user)
    queue_email(user.email, "confirm_email", locale=user.locale, user=user,
                link=external_url("auth.confirm", token=token))


def register_user(name: str, email: str, password: str, *, locale: str | None = None) -> User | None:
    """Create an unconfirmed account and mail a confirmation link.

    If the address is taken, its owner is told by e-mail instead; the caller
    shows the same page either way.
    """
    # Hashed either way: Argon2 is slow on purpose, and skipping it for a taken
    # address would let the response time tell that the address has an account.
    password_hash = hash_password(password)
    existing = find_user_by_email(email)
    if existing is not None:
        queue_email(existing.email, "already_registered", locale=existing.locale, user=existing,
                    login_link=external_url("auth.login"),
                    reset_link=external_url("auth.forgot_password"))
        return None
    user = User(name=name.strip(), email=normalise_email(email),
                password_hash=password_hash, locale=locale)
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def confirm_email(token: str) -> User | None:
    """Mark the address confirmed. The link works once: a confirmed account ignores it."""
    data = read_token("confirm", token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    if data is None:
        return None
    user = db.session.get(User, data.get("uid"))
    if (user is None or user.is_confirmed
            or not hmac.compare_digest(str(data.get("addr", "")), address_tag(user.email))):
        return None
    user.email_confirmed_at = utcnow()
    return user


@dataclass
class LoginResult:
    user: User | None
    unconfirmed: bool = False


def authenticate(email: str, password: str) -> LoginResult:
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        verify_password(None, password)
        return LoginResult(None)
    if not verify_password(user.password_hash, password):
        return LoginResult(None)
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if not user.is_confirmed:
        send_confirmation(user)
        return LoginResult(None, unconfirmed=True)
    user.last_login_at = utcnow()
    return LoginResult(user)


def start_session(user: User, *, remember: bool = False,
                  second_factor: bool = False) -> LoginSession:
    """A new signed-in browser for `user` (log in with login_user afterwards).

    `second_factor`: it was given at this sign-in (the pages of others' data need it).
    """
    # Sessions never logged out of are dropped once none can be still working.
    stale = utcnow() - timedelta(days=current_app.config["REMEMBER_DAYS"])
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id,
                                                     LoginSession.created_at < stale))
    now = utcnow()
    login_session = LoginSession(id=new_login_session_id(), user_id=user.id, created_at=now,
                                 last_seen_at=now, remember=remember,
                                 second_factor_at=now if second_factor else None,
                                 **request_origin())
    db.session.add(login_session)
    user.login_session_id = login_session.id
    return login_session


def end_session(user: User) -> None:
    """Logging out: this browser's session ends on the server, a copied cookie with it."""
    if user.login_session_id:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.id == user.login_session_id))


def end_all_sessions(user: User, *, keep_current: bool = False) -> None:
    """Sign out everywhere: the account token rotates and every session row goes."""
    user.session_token = new_session_token()
    query = sa.delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep_current and user.login_session_id:
        query = query.where(LoginSession.id != user.login_session_id)
    db.session.execute(query)


def _issue_link(user: User, purpose: str, max_age: int, new_email: str | None = None) -> str:
    """A random link value of its own (nothing readable in it), stored only as a hash."""
    token = secrets.token_urlsafe(32)
    db.session.execute(sa.delete(AccountToken).where(AccountToken.user_id == user.id,
                                                     AccountToken.expires_at <= utcnow()))
    db.session.add(AccountToken(user_id=user.id, purpose=purpose,
                                token_hash=hash_link_token(token), new_email=new_email,
                                expires_at=utcnow() + timedelta(seconds=max_age)))
    return token


def _link(purpose: str, token: str) -> AccountToken | None:
    """The unexpired link row for `token`, with its account active; None otherwise."""
    row = db.session.scalar(sa.select(AccountToken).where(
        AccountToken.token_hash == hash_link_token(token[:200]),
        AccountToken.purpose == purpose, AccountToken.expires_at > utcnow()))
    if row is None:
        return None
    user = db.session.get(User, row.user_id)
    return row if user is not None and user.is_active else None


def _drop_links(user: User, purpose: str | None = None) -> None:
    query = sa.delete(AccountToken).where(AccountToken.user_id == user.id)
    if purpose is not None:
        query = query.where(AccountToken.purpose == purpose)
    db.session.execute(query)


def password_link(user: User, *, max_age: int | None = None) -> str:
    """The address of a single-use link to choose a password (a reset, an invitation)."""
    token = _issue_link(user, "reset", max_age or current_app.config["RESET_TOKEN_MAX_AGE"])
    return external_url("auth.reset_password", token=token)


def request_password_reset(email: str) -> None:
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    queue_email(user.email, "reset_password", locale=user.locale, user=user,
                link=password_link(user))


def user_for_reset_token(token: str) -> User | None:
    """The account a reset link is for, while the link is unused and unexpired."""
    row = _link("reset", token)
    return db.session.get(User, row.user_id) if row is not None else None


def set_password(user: User, password: str) -> None:
    """Store a new password and end every other session of the account."""
    user.password_hash = hash_password(password)
    end_all_sessions(user, keep_current=True)
    # Every outstanding reset and e-mail-change link dies: the used one, an intruder's.
    _drop_links(user)
    if not user.is_confirmed:
        # Following a link sent to the address proves the address.
        user.email_confirmed_at = utcnow()
    queue_email(user.email, "password_changed", locale=user.locale, user=user)
    record("account.password_changed", actor=user, object_type="user", object_id=user.id)
    log_event("password.changed", user=user)


def request_email_change(user: User, new_email: str) -> None:
    """Send a confirmation link to the new address; nothing changes until it is followed."""
    new_email = normalise_email(new_email)
    if find_user_by_email(new_email) is not None:
        # Tell the owner of the other account, not the requester.
        queue_email(new_email, "email_taken", locale=user.locale)
        return
    token = _issue_link(user, "change-email", current_app.config["CONFIRM_TOKEN_MAX_AGE"],
                        new_email=new_email)
    queue_email(new_email, "change_email", locale=user.locale, user=user, new_email=new_email,
                link=external_url("auth.confirm_email_change", token=token))


def confirm_email_change(token: str) -> User | None:
    """Move the account to the new address; the link works once, and dies with a
    password change (a reset after a break-in also kills the intruder's link)."""
    row = _link("change-email", token)
    if row is None or find_user_by_email(row.new_email or ""):
        return None
    user = db.session.get(User, row.user_id)
    new_email = row.new_email
    _drop_links(user, "change-email")
    old = user.email
    user.email = new_email
    user.email_confirmed_at = utcnow()
    queue_email(old, "email_changed", locale=user.locale, user=user, new_email=user.email)
    record("account.email_changed", actor=user, object_type="user", object_id=user.id,
           old=old, new=user.email)
    log_event("email.changed", user=user, old=old)
    return user
