"""Writing, scheduling, sending (in batches), testing and cancelling announcements.

Sending is in two steps. `schedule_announcement` checks the branch's daily limits
and marks the announcement due (now or later). `run_batch` then queues the next
batch of recipients in the outbox, one transaction per batch, with the
announcement's row locked: a Delivery row per recipient (unique per person)
means a second runner, a retry or a resumed send never mails anyone twice.
`flask send-announcements` (cron, every minute) runs the due batches; cancelling
stops the batches not yet queued.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from jetaa.announcements import audience
from jetaa.announcements.models import (
    Announcement,
    AnnouncementError,
    AnnouncementStatus,
    Delivery,
    Scope,
)
from jetaa.announcements.tokens import unsubscribe_serializer, unsubscribe_token
from jetaa.audit.services import apply_changes, record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core.markdown import render_markdown
from jetaa.core.urls import external_url
from jetaa.db import utcnow
from jetaa.events.models import Event, RsvpStatus
from jetaa.extensions import db
from jetaa.mail.models import OutboxMessage, OutboxStatus
from jetaa.mail.services import queue_many, queue_message
from jetaa.members.models import JetRole
from jetaa.notifications.models import NotificationSettings
from jetaa.notifications.topics import TOPICS
from jetaa.permissions import is_admin
from jetaa.pictures.storage import drop_picture, store_picture

logger = logging.getLogger(__name__)
MAX_SUBJECT = 200
_LINK = "https://unsubscribe.invalid/placeholder"  # replaced per recipient
_SENDING = (AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING)


@dataclass
class AnnouncementData:
    """What the announcement form collects."""

    subject: str
    body: str = ""
    scope: Scope = Scope.BRANCH
    segment: dict[str, Any] = field(default_factory=dict)
    is_public: bool = False
    image: Any = None  # an upload (FileStorage or bytes), or None to keep the one there
    remove_image: bool = False


def check(data: AnnouncementData, branch: Branch, *, actor: User) -> None:
    """Refuse what no announcement can be, whichever form or script sent it."""
    if not data.subject.strip():
        raise AnnouncementError(_l("An announcement needs a subject."))
    if len(data.subject) > MAX_SUBJECT:
        raise AnnouncementError(_l("The subject can be at most 200 characters."))
    if len(data.body) > current_app.config["ANNOUNCEMENT_MAX_BODY"]:
        raise AnnouncementError(_l("The message is too long (at most %(n)d characters).",
                                   n=current_app.config["ANNOUNCEMENT_MAX_BODY"]))
    if data.scope == Scope.FEDERATION and not is_admin(actor):
        raise AnnouncementError(_l("Only federation admins can write to the whole federation."))
    if data.scope == Scope.SEGMENT:
        _check_segment(data.segment, branch)


def _check_segment(segment: dict[str, Any], branch: Branch) -> None:
    if not any(segment.get(key) for key in audience.SEGMENT_KEYS if key != "rsvp"):
        raise AnnouncementError(_l("Choose at least one condition for the segment."))
    if segment.get("topic") and segment["topic"] not in TOPICS:
        raise AnnouncementError(_l("Unknown topic."))
    if segment.get("jet_role") and segment["jet_role"] not in set(JetRole):
        raise AnnouncementError(_l("Unknown JET role."))
    low, high = segment.get("year_from"), segment.get("year_to")
    if low and high and int(low) > int(high):
        raise AnnouncementError(_l("The first year must not be after the last."))
    if segment.get("rsvp") and segment["rsvp"] not in (RsvpStatus.GOING, RsvpStatus.WAITLISTED):
        raise AnnouncementError(_l("Choose attendees or the waitlist."))
    if segment.get("event_id"):
        event = db.session.get(Event, int(segment["event_id"]))
        if event is None or branch.id not in event.host_branch_ids:
            raise AnnouncementError(_l("Choose one of the branch's own events."))


def _clean(data: AnnouncementData) -> dict[str, Any]:
    segment = {k: v for k, v in data.segment.items() if k in audience.SEGMENT_KEYS and v}
    return {"subject": " ".join(data.subject.split()), "body": data.body, "scope": data.scope,
            "segment": segment if data.scope == Scope.SEGMENT else {},
            "is_public": data.is_public}


def create_announcement(branch: Branch, data: AnnouncementData, *, actor: User) -> Announcement:
    """A draft announcement from `branch`."""
    check(data, branch, actor=actor)
    announcement = Announcement(branch_id=branch.id, author_id=actor.id, **_clean(data))
    _picture(announcement, data)
    db.session.add(announcement)
    db.session.flush()
    record("announcement.create", actor=actor, object_type="announcement",
           object_id=announcement.id, branch_id=branch.id, subject=announcement.subject)
    return announcement


def update_announcement(announcement: Announcement, data: AnnouncementData, *,
                        actor: User) -> Announcement:
    """Change a draft or a scheduled announcement (one being sent is fixed)."""
    if not announcement.is_editable:
        raise AnnouncementError(_l("This announcement is being sent or was sent: it cannot "
                                   "be changed."))
    check(data, announcement.branch, actor=actor)
    changed = apply_changes(announcement, _clean(data))
    if data.image or data.remove_image:
        _picture(announcement, data)
        changed["image_name"] = ["", "removed" if data.remove_image else "new"]
    if changed:
        record("announcement.update", actor=actor, object_type="announcement",
               object_id=announcement.id, branch_id=announcement.branch_id, changed=changed)
    return announcement


def _picture(announcement: Announcement, data: AnnouncementData) -> None:
    if data.image:
        announcement.image_name = store_picture("announcement", data.image,
                                                old_name=announcement.image_name)
    elif data.remove_image:
        drop_picture("announcement", announcement.image_name)
        announcement.image_name = None


def _sent_today(branch_id: int | None) -> tuple[int, int]:
    """(announcements, recipients) the branch started sending in the last 24 hours."""
    since = utcnow() - timedelta(days=1)
    row = db.session.execute(
        sa.select(sa.func.count(Announcement.id), sa.func.coalesce(
            sa.func.sum(Announcement.recipient_count), 0))
        .where(Announcement.branch_id == branch_id, Announcement.send_at >= since,
               Announcement.status.in_((*_SENDING, AnnouncementStatus.SENT)))).one()
    return row[0], row[1]


def schedule_announcement(announcement: Announcement, *, actor: User,
                          at: datetime | None = None) -> Announcement:
    """Send now (`at` None) or at `at`: the batches start when it is due."""
    if announcement.status != AnnouncementStatus.DRAFT:
        raise AnnouncementError(_l("This announcement is already scheduled or sent."))
    now = utcnow()
    if at is not None and at < now - timedelta(minutes=1):
        raise AnnouncementError(_l("Choose a time in the future."))
    if announcement.scope == Scope.FEDERATION and not is_admin(actor):
        raise AnnouncementError(_l("Only federation admins can write to the whole federation."))
    total = audience.count(announcement)
    if total == 0:
        raise AnnouncementError(_l("Nobody would receive this announcement: widen the segment."))
    count, recipients = _sent_today(announcement.branch_id)
    config = current_app.config
    if count >= config["ANNOUNCEMENTS_PER_DAY"]:
        raise AnnouncementError(_l("A branch can send at most %(n)d announcements a day.",
                                   n=config["ANNOUNCEMENTS_PER_DAY"]))
    if recipients + total > config["ANNOUNCEMENT_RECIPIENTS_PER_DAY"]:
        raise AnnouncementError(_l("A branch can send at most %(n)d messages a day.",
                                   n=config["ANNOUNCEMENT_RECIPIENTS_PER_DAY"]))
    announcement.status = AnnouncementStatus.SCHEDULED
    announcement.send_at = at or now
    announcement.recipient_count = total
    record("announcement.schedule", actor=actor, object_type="announcement",
           object_id=announcement.id, branch_id=announcement.branch_id,
           send_at=announcement.send_at.isoformat(), recipients=total)
    return announcement


def cancel_announcement(announcement: Announcement, *, actor: User) -> Announcement:
    """Stop a scheduled send, or the batches of a send not yet queued."""
    if announcement.status not in _SENDING:
        raise AnnouncementError(_l("Only a scheduled announcement or one being sent can be "
                                   "cancelled."))
    announcement.status = AnnouncementStatus.CANCELLED
    announcement.finished_at = utcnow()
    queued = _queued(announcement)
    record("announcement.cancel", actor=actor, object_type="announcement",
           object_id=announcement.id, branch_id=announcement.branch_id, queued=queued)
    return announcement


def _queued(announcement: Announcement) -> int:
    return db.session.scalar(sa.select(sa.func.count(Delivery.id))
                             .where(Delivery.announcement_id == announcement.id)) or 0


# Rendering -----------------------------------------------------------------

def _render(announcement: Announcement, locale: str, *, test: bool = False) -> dict[str, str]:
    """Subject, text and HTML in `locale`, with a placeholder for the unsubscribe link."""
    context = {"announcement": announcement, "body_html": render_markdown(announcement.body),
               "web_link": external_url("announcements.show", announcement_id=announcement.id),
               "settings_link": external_url("notifications.settings"),
               "unsubscribe_link": _LINK, "test": test}
    with force_locale(locale):
        subject = render_template("email/announcement.subject.txt", **context).strip()
        return {"subject": subject[:300],
                "body_text": render_template("email/announcement.txt", **context),
                "body_html": render_template("email/announcement.html", subject=subject,
                                             **context)}


def _message_row(rendered: dict[str, str], address: str, link: str) -> dict[str, Any]:
    """The outbox row of one recipient: the rendered message with their unsubscribe link."""
    return {"to_address": address, "template": "announcement", "list_unsubscribe": link,
            "subject": rendered["subject"],
            "body_text": rendered["body_text"].replace(_LINK, link),
            "body_html": rendered["body_html"].replace(_LINK, link)}


def _message(rendered: dict[str, str], user: User, link: str) -> OutboxMessage:
    return OutboxMessage(**_message_row(rendered, user.email, link))


def email_preview(announcement: Announcement, user: User) -> OutboxMessage:
    """The message as `user` would receive it (not stored)."""
    return _message(_render(announcement, user.locale or "en"), user,
                    _unsubscribe_link(announcement, user.id))


def _unsubscribe_link(announcement: Announcement, user_id: int) -> str:
    return _unsubscribe_links(announcement)(user_id)


def _unsubscribe_links(announcement: Announcement) -> Any:
    """A function of a user id giving their link: the address and the signing key are made
    once (a batch makes hundreds of links)."""
    branch_id = None if announcement.scope == Scope.FEDERATION else announcement.branch_id
    hole = "T"  # a token the address is built around, then cut off
    prefix = external_url("announcements.unsubscribe", token=hole).removesuffix(hole)
    serializer = unsubscribe_serializer()
    return lambda user_id: prefix + unsubscribe_token(user_id, branch_id, serializer=serializer)


def send_test(announcement: Announcement, *, actor: User) -> OutboxMessage:
    """The message to the officer themselves, marked as a test (counts in no limit)."""
    rendered = _render(announcement, actor.locale or "en", test=True)
    return queue_message(_message(rendered, actor, _unsubscribe_link(announcement, actor.id)))


# Batches -------------------------------------------------------------------

def run_batch(announcement_id: int, size: int | None = None) -> int:
    """Queue the next batch of the announcement's recipients; returns how many.

    The caller commits. The row lock makes concurrent runners take turns (PostgreSQL;
    SQLite has one writer anyway); the unique Delivery row per person is the guarantee.
    """
    announcement = db.session.scalars(sa.select(Announcement).where(
        Announcement.id == announcement_id).with_for_update()).first()
    if (announcement is None or announcement.status not in _SENDING
            or announcement.send_at is None or announcement.send_at > utcnow()):
        return 0
    announcement.status = AnnouncementStatus.SENDING
    size = size or current_app.config["ANNOUNCEMENT_BATCH_SIZE"]
    users = list(db.session.scalars(sa.select(User).where(
        User.id.in_(audience.recipients(announcement).limit(size).scalar_subquery()))
        .order_by(User.id)))
    _queue(announcement, users)
    if len(users) < size:  # that was the last batch
        announcement.status = AnnouncementStatus.SENT
        announcement.finished_at = utcnow()
        record("announcement.sent", actor=None, object_type="announcement",
               object_id=announcement.id, branch_id=announcement.branch_id,
               queued=_queued(announcement))
    return len(users)


def _queue(announcement: Announcement, users: list[User]) -> None:
    if not users:
        return
    digest = set(db.session.scalars(sa.select(NotificationSettings.user_id).where(
        NotificationSettings.user_id.in_([u.id for u in users]),
        NotificationSettings.weekly_digest.is_(True))))
    rendered: dict[str, dict[str, str]] = {}
    link_of = _unsubscribe_links(announcement)
    mailed = [user for user in users if user.id not in digest]
    messages = []
    for user in mailed:
        locale = user.locale or "en"
        if locale not in rendered:
            rendered[locale] = _render(announcement, locale)
        messages.append(_message_row(rendered[locale], user.email, link_of(user.id)))
    ids = queue_many(messages)
    rows = [{"announcement_id": announcement.id, "user_id": user.id,
             "outbox_message_id": ids[user.email], "in_digest": False} for user in mailed]
    rows += [{"announcement_id": announcement.id, "user_id": uid, "in_digest": True}
             for uid in sorted(digest)]
    db.session.execute(sa.insert(Delivery), rows)


def due_ids() -> list[int]:
    return list(db.session.scalars(sa.select(Announcement.id).where(
        Announcement.status.in_(_SENDING), Announcement.send_at <= utcnow())
        .order_by(Announcement.send_at)))


def run_due(max_batches: int = 20) -> int:
    """Run up to `max_batches` batches of the due announcements, committing each; returns
    how many messages were queued."""
    queued = batches = 0
    for announcement_id in due_ids():
        while batches < max_batches:
            count = run_batch(announcement_id)
            db.session.commit()
            batches += 1
            queued += count
            if count == 0:
                break
    return queued


@dataclass
class Progress:
    total: int
    queued: int
    sent: int
    failed: int
    digest: int

    @property
    def percent(self) -> int:
        done = self.queued + self.digest
        return 100 if not self.total else min(100, round(100 * done / self.total))


def progress(announcement: Announcement) -> Progress:
    """Recipients so far, and what the outbox did with their messages (one query)."""
    rows = db.session.execute(
        sa.select(Delivery.in_digest, OutboxMessage.status, sa.func.count())
        .outerjoin(OutboxMessage, OutboxMessage.id == Delivery.outbox_message_id)
        .where(Delivery.announcement_id == announcement.id)
        .group_by(Delivery.in_digest, OutboxMessage.status)).all()
    counts = {"queued": 0, "sent": 0, "failed": 0, "digest": 0}
    for in_digest, status, number in rows:
        if in_digest:
            counts["digest"] += number
            continue
        counts["queued"] += number
        if status == OutboxStatus.SENT:
            counts["sent"] += number
        elif status == OutboxStatus.FAILED:
            counts["failed"] += number
    return Progress(total=announcement.recipient_count, **counts)
