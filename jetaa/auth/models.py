"""Accounts."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, validates

from jetaa.core.text import search_key
from jetaa.db import Base, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


def _default_name_key(context: sa.engine.default.DefaultExecutionContext) -> str:
    return search_key(context.get_current_parameters().get("name") or "")


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    # search_key(name), for the member directory's name search (kept in step by
    # the default for bulk inserts and by _keep_name_key for the ORM).
    name_key: Mapped[str] = mapped_column(sa.String(200), default=_default_name_key, index=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    email_confirmed_at: Mapped[datetime | None]
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Rotated on a password change or reset: every other session and every
    # outstanding reset link carries the old value and stops working.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=new_session_token)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Set by an admin: the account cannot sign in until it is re-enabled.
    disabled_at: Mapped[datetime | None]
    photo_name: Mapped[str | None] = mapped_column(sa.String(64))  # pictures/storage.py

    @validates("name")
    def _keep_name_key(self, key: str, value: str) -> str:
        self.name_key = search_key(value)
        return value

    # The LoginSession this request is signed in with (set at login and by the loader).
    login_session_id = None  # str, not a column
    login_session = None  # that LoginSession row, when the loader fetched it

    def get_id(self) -> str:
        """What the session and remember cookies hold: "<id>:<account token>:<session id>"."""
        return f"{self.id}:{self.session_token}:{self.login_session_id or ''}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None and self.disabled_at is None

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


def new_login_session_id() -> str:
    return secrets.token_urlsafe(32)


class LoginSession(Base):
    """One signed-in browser. Logging out deletes its row, so a copied cookie dies with it."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True, default=new_login_session_id)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The idle timeout counts from here (touched at most once a minute).
    last_seen_at: Mapped[datetime | None] = mapped_column(default=utcnow)
    # When the second factor was last given in this session (None: not in this one).
    second_factor_at: Mapped[datetime | None]
    remember: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(255))


def hash_link_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccountToken(Base):
    """A reset or e-mail-change link: a random value of its own, stored only hashed.

    The link holds nothing readable (no address, no part of the session token); it works
    once, until it expires, and a password change deletes the account's outstanding ones.
    """

    __tablename__ = "account_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(20))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    new_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
