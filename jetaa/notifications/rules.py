"""The one place that decides whether a kind of e-mail goes to a person.

Every message has a kind, known from its template (TEMPLATE_KINDS; a test fails on
a template without one). Transactional mail (confirmations, resets, security
notices, answers to what the person did themselves) is always sent. The others
honour the person's notification settings, and never go to a closed account or to
an address that bounces. `wants_mail` answers for one person; `receiving_clause`
is the same rule in SQL, for the lists an announcement is sent to.
"""

from __future__ import annotations

import enum
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.mail.models import OutboxMessage, OutboxStatus
from jetaa.notifications.models import BranchOptOut, NotificationSettings

# A message to the address failed for good this recently: it bounces.
BOUNCE_WINDOW = timedelta(days=90)


class Kind(enum.StrEnum):
    TRANSACTIONAL = "transactional"
    EVENT = "event"  # changes to events I answered, and reminders
    ANNOUNCEMENT = "announcement"  # branch and federation announcements
    RECRUITMENT = "recruitment"  # missions' recruitment requests


TEMPLATE_KINDS = {
    "activity_changes_requested": Kind.TRANSACTIONAL,
    "already_registered": Kind.TRANSACTIONAL,
    "branch_invitation": Kind.TRANSACTIONAL,
    "change_email": Kind.TRANSACTIONAL,
    "confirm_email": Kind.TRANSACTIONAL,
    "email_changed": Kind.TRANSACTIONAL,
    "email_taken": Kind.TRANSACTIONAL,
    "password_changed": Kind.TRANSACTIONAL,
    "reset_password": Kind.TRANSACTIONAL,
    # Security notices (jetaa/security/): a second factor reset by an admin, unusual volume for the admins.
    "second_factor_reset": Kind.TRANSACTIONAL,
    "unusual_volume": Kind.TRANSACTIONAL,
    "membership_added": Kind.TRANSACTIONAL,
    "membership_application": Kind.TRANSACTIONAL,
    "membership_approved": Kind.TRANSACTIONAL,
    "membership_declined": Kind.TRANSACTIONAL,
    "membership_invite": Kind.TRANSACTIONAL,
    # An answer to the person's own RSVP: the seat they asked for.
    "event_waitlisted": Kind.TRANSACTIONAL,
    "event_promoted": Kind.TRANSACTIONAL,
    "event_changed": Kind.EVENT,
    "event_cancelled": Kind.EVENT,
    "event_reminder": Kind.EVENT,
    "outreach_request": Kind.RECRUITMENT,
    "outreach_changed": Kind.RECRUITMENT,
    "outreach_cancelled": Kind.RECRUITMENT,
    # About the person's own offer to volunteer, or a mission's own request.
    "outreach_invited": Kind.TRANSACTIONAL,
    "outreach_confirmed": Kind.TRANSACTIONAL,
    "outreach_decided": Kind.TRANSACTIONAL,
    "outreach_withdrawn": Kind.TRANSACTIONAL,
    "outreach_reminder": Kind.TRANSACTIONAL,
    "outreach_outcome_due": Kind.TRANSACTIONAL,
    "announcement": Kind.ANNOUNCEMENT,
    "announcement_digest": Kind.ANNOUNCEMENT,
}

_SETTING = {Kind.EVENT: "event_mail", Kind.ANNOUNCEMENT: "announcement_mail",
            Kind.RECRUITMENT: "recruitment_mail"}


def kind_of(template: str) -> Kind:
    """The kind of a template's messages (KeyError for a template nobody classified)."""
    return TEMPLATE_KINDS[template]


def wants_mail(user: Any, kind: Kind, *, branch_id: int | None = None) -> bool:
    """Does a message of `kind` (from `branch_id`, for announcements) go to `user`?"""
    if kind == Kind.TRANSACTIONAL:
        return True
    if user.deleted_at is not None or user.disabled_at is not None:
        return False
    settings = db.session.get(NotificationSettings, user.id)
    if settings is not None and not getattr(settings, _SETTING[kind]):
        return False
    if kind == Kind.ANNOUNCEMENT and branch_id is not None and db.session.get(
            BranchOptOut, (user.id, branch_id)) is not None:
        return False
    return not is_bouncing(user.email)


def is_bouncing(address: str) -> bool:
    return bool(db.session.scalar(sa.select(_bounced(sa.literal(address)))))


def _bounced(address: Any) -> sa.Exists:
    return sa.exists().where(OutboxMessage.to_address == address,
                             OutboxMessage.status == OutboxStatus.FAILED,
                             OutboxMessage.created_at >= utcnow() - BOUNCE_WINDOW)


def receiving_clause(kind: Kind, *, branch_id: int | None = None) -> sa.ColumnElement[bool]:
    """wants_mail as a WHERE clause on User (for lists of recipients)."""
    if kind == Kind.TRANSACTIONAL:
        return sa.true()
    refused = sa.exists().where(NotificationSettings.user_id == User.id,
                                getattr(NotificationSettings, _SETTING[kind]).is_(False))
    clauses = [User.deleted_at.is_(None), User.disabled_at.is_(None), ~refused,
               ~_bounced(User.email)]
    if kind == Kind.ANNOUNCEMENT and branch_id is not None:
        clauses.append(~sa.exists().where(BranchOptOut.user_id == User.id,
                                          BranchOptOut.branch_id == branch_id))
    return sa.and_(*clauses)


def wants_digest(user: Any) -> bool:
    settings = db.session.get(NotificationSettings, user.id)
    return settings is not None and settings.weekly_digest
