"""Admin user management: finding accounts, what they are, and disabling or re-enabling them.

Disabling sets `User.disabled_at`: `User.is_active` is then false, so the account
cannot sign in and every request of a session it still has is anonymous; its
login_sessions rows are deleted too (security.sessions.end_sessions), so the
sessions are gone for good, not only refused while it is disabled.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from jetaa.audit.models import AuditEntry
from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.auth.services import send_confirmation
from jetaa.core.actions import Refused
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.members.services.directory import name_matches
from jetaa.memberships.models import Membership
from jetaa.missions.models import Mission, MissionStaff
from jetaa.outreach import staff
from jetaa.security.sessions import end_sessions

FOUND = 50  # accounts listed per search
RECENT = 30  # audit entries on an account's page


class UserAdminError(Refused):
    """An admin action on an account that cannot be done."""


def find_users(term: str, *, limit: int = FOUND) -> list[User]:
    """Accounts whose name matches `term` (the directory's name search) or whose e-mail
    address starts with it; the newest first."""
    query = sa.select(User).order_by(User.id.desc()).limit(limit)
    term = " ".join(term.split())
    if term:
        # Addresses are stored lower-case: a range on the unique index finds the prefix.
        prefix = term.lower()
        by_address = sa.and_(User.email >= prefix, User.email < prefix + "\U0010ffff")
        query = query.where(sa.or_(name_matches(term), by_address))
    return list(db.session.scalars(query))


def memberships_of(user: User) -> list[Membership]:
    return list(db.session.scalars(
        sa.select(Membership).options(joinedload(Membership.branch))
        .where(Membership.user_id == user.id).order_by(Membership.created_at)))


def missions_of(user: User) -> list[Mission]:
    return list(db.session.scalars(
        sa.select(Mission).join(MissionStaff, MissionStaff.mission_id == Mission.id)
        .where(MissionStaff.user_id == user.id).order_by(Mission.name)))


def recent_audit(user: User, *, limit: int = RECENT) -> list[AuditEntry]:
    """What was done to the account, and what it did, newest first."""
    about = sa.and_(AuditEntry.object_type == "user", AuditEntry.object_id == user.id)
    return list(db.session.scalars(
        sa.select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(sa.or_(about, AuditEntry.actor_id == user.id))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)))


def disable_user(user: User, *, actor: User) -> User:
    """The account cannot sign in, and its sessions end."""
    if user.id == actor.id:
        raise UserAdminError(_l("You cannot disable your own account."))
    if user.disabled_at is not None:
        raise UserAdminError(_l("This account is already disabled."))
    user.disabled_at = utcnow()
    end_sessions(user, actor=actor, reason="disabled")
    record("user.disable", actor=actor, object_type="user", object_id=user.id)
    return user


def enable_user(user: User, *, actor: User) -> User:
    if user.disabled_at is None:
        raise UserAdminError(_l("This account is not disabled."))
    user.disabled_at = None
    record("user.enable", actor=actor, object_type="user", object_id=user.id)
    return user


def resend_confirmation(user: User, *, actor: User) -> User:
    if user.is_confirmed:
        raise UserAdminError(_l("This address is confirmed already."))
    if user.deleted_at is not None:
        raise UserAdminError(_l("This account is deleted."))
    send_confirmation(user)
    record("user.resend_confirmation", actor=actor, object_type="user", object_id=user.id)
    return user


def appoint_staff(user: User, mission: Mission, *, actor: User) -> User:
    """Make the account staff of `mission` (outreach/staff.py audits it)."""
    if user.deleted_at is not None:
        raise UserAdminError(_l("This account is deleted."))
    return staff.add_staff(mission, user.email, actor=actor)


def remove_staff(user: User, mission: Mission, *, actor: User) -> None:
    staff.remove_staff(mission, user.id, actor=actor)
