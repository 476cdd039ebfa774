"""Sending a person a message of their kind, and changing what they receive."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.extensions import db
from jetaa.mail.models import OutboxMessage
from jetaa.mail.services import queue_email
from jetaa.notifications.models import BranchOptOut, NotificationSettings, TopicOptIn
from jetaa.notifications.rules import kind_of, wants_mail
from jetaa.notifications.topics import TOPICS


def notify(user: User, template: str, *, branch_id: int | None = None,
           **context: Any) -> OutboxMessage | None:
    """Queue templates/email/<template> for `user` if they want its kind; None if not."""
    if not wants_mail(user, kind_of(template), branch_id=branch_id):
        return None
    return queue_email(user.email, template, locale=user.locale, user=user, **context)


@dataclass
class Choices:
    """What the settings form collects."""

    event_mail: bool = True
    recruitment_mail: bool = True
    announcement_mail: bool = True
    weekly_digest: bool = False
    muted_branch_ids: frozenset[int] = frozenset()
    topics: frozenset[str] = frozenset()


def settings_of(user: User) -> NotificationSettings:
    """The user's settings (the defaults, not yet stored, when they never chose)."""
    return db.session.get(NotificationSettings, user.id) or NotificationSettings(
        user_id=user.id, event_mail=True, recruitment_mail=True, announcement_mail=True,
        weekly_digest=False)


def choices_of(user: User) -> Choices:
    settings = settings_of(user)
    muted = db.session.scalars(sa.select(BranchOptOut.branch_id)
                               .where(BranchOptOut.user_id == user.id))
    topics = db.session.scalars(sa.select(TopicOptIn.topic).where(TopicOptIn.user_id == user.id))
    return Choices(settings.event_mail, settings.recruitment_mail, settings.announcement_mail,
                   settings.weekly_digest, frozenset(muted), frozenset(topics))


def save_choices(user: User, choices: Choices, *, branch_ids: set[int]) -> None:
    """Store the settings; `branch_ids`: the branches whose announcements the form offered."""
    settings = db.session.get(NotificationSettings, user.id)
    if settings is None:
        settings = NotificationSettings(user_id=user.id)
        db.session.add(settings)
    settings.event_mail, settings.recruitment_mail = choices.event_mail, choices.recruitment_mail
    settings.announcement_mail = choices.announcement_mail
    settings.weekly_digest = choices.weekly_digest
    db.session.execute(sa.delete(BranchOptOut).where(BranchOptOut.user_id == user.id,
                                                     BranchOptOut.branch_id.in_(branch_ids)))
    db.session.add_all(BranchOptOut(user_id=user.id, branch_id=b)
                       for b in sorted(choices.muted_branch_ids & branch_ids))
    db.session.execute(sa.delete(TopicOptIn).where(TopicOptIn.user_id == user.id))
    db.session.add_all(TopicOptIn(user_id=user.id, topic=t)
                       for t in sorted(choices.topics & set(TOPICS)))
    record("notifications.update", actor=user, object_type="user", object_id=user.id,
           event_mail=choices.event_mail, recruitment_mail=choices.recruitment_mail,
           announcement_mail=choices.announcement_mail, weekly_digest=choices.weekly_digest,
           muted=sorted(choices.muted_branch_ids & branch_ids), topics=sorted(choices.topics))


def mute_branch(user: User, branch_id: int | None) -> None:
    """The unsubscribe link: no more announcements from the branch (or from the federation,
    `branch_id` None: announcements turned off altogether)."""
    if branch_id is None:
        settings = db.session.get(NotificationSettings, user.id)
        if settings is None:
            settings = NotificationSettings(user_id=user.id)
            db.session.add(settings)
        settings.announcement_mail = False
    elif db.session.get(BranchOptOut, (user.id, branch_id)) is None:
        db.session.add(BranchOptOut(user_id=user.id, branch_id=branch_id))
    record("notifications.unsubscribe", actor=user, object_type="user", object_id=user.id,
           branch_id=branch_id)
