"""Creating, listing, revoking and checking personal access tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from jetaa.api.models import PREFIX, ApiToken, Scope, hash_token, new_token
from jetaa.api.permissions import can_create_token
from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.core.actions import Refused
from jetaa.db import utcnow
from jetaa.extensions import db

MAX_TOKENS = 20  # live tokens per member
EXPIRY_DAYS = (7, 30, 90, 365)  # what the settings page offers; None: no expiry
# last_used_at is written at most this often: not one UPDATE per API request.
USE_PRECISION = timedelta(minutes=1)


class TokenRefused(Refused):
    """A token that cannot be created (the reason is translated)."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def live_clause(now: datetime | None = None) -> sa.ColumnElement[bool]:
    now = now or utcnow()
    return sa.and_(ApiToken.revoked_at.is_(None),
                   sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now))


def tokens_of(user: User) -> list[ApiToken]:
    """The member's tokens, live ones first, newest first."""
    return list(db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user.id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc(),
                  ApiToken.id.desc())))


def create_token(name: str, scope: Scope, expires_in_days: int | None, *,
                 actor: User) -> NewToken:
    """A new token for the actor; its secret is in the result and nowhere else."""
    if not can_create_token(actor):
        raise TokenRefused(_l("Set up your second factor before creating an API token: "
                              "your roles need it."))
    live = db.session.scalar(sa.select(sa.func.count(ApiToken.id))
                             .where(ApiToken.user_id == actor.id, live_clause()))
    if live >= MAX_TOKENS:
        raise TokenRefused(_l("You have %(n)d live tokens: revoke one first.", n=MAX_TOKENS))
    secret = new_token()
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    token = ApiToken(user_id=actor.id, name=name.strip(), scope=scope,
                     token_hash=hash_token(secret), hint=secret[len(PREFIX):][:6],
                     expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    record("api_token.create", actor=actor, object_type="user", object_id=actor.id,
           token_id=token.id, name=token.name, scope=scope.value,
           expires_at=expires_at.isoformat() if expires_at else None)
    return NewToken(token, secret)


def revoke_token(token: ApiToken, *, actor: User) -> None:
    """The token stops working at once (kept, marked revoked, for the member's list)."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    record("api_token.revoke", actor=actor, object_type="user", object_id=token.user_id,
           token_id=token.id, name=token.name)


def find_token(secret: str) -> ApiToken | None:
    """The token with this secret, whatever its state (the caller says why it is refused)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    return db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))


def note_use(token: ApiToken, now: datetime | None = None) -> bool:
    """Remember when the token was last used, to the minute; True when that changed it."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < USE_PRECISION:
        return False
    token.last_used_at = now
    return True
