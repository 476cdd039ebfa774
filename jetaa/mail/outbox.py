"""The outbox as admins see it: what is stuck or failed, how old the oldest pending message
is, and sending a message again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.core.actions import Refused
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.mail.models import OutboxMessage, OutboxStatus

SHOWN = 200  # rows per list on the page


class OutboxError(Refused):
    """An outbox action that cannot be done."""


@dataclass
class OutboxSummary:
    counts: dict[str, int]
    oldest_pending_age: timedelta | None
    failed: list[OutboxMessage]
    stuck: list[OutboxMessage]


def oldest_pending_age() -> timedelta | None:
    """How long the oldest message still to be sent has waited (None: nothing waits)."""
    oldest = db.session.scalar(sa.select(sa.func.min(OutboxMessage.created_at))
                               .where(OutboxMessage.status == OutboxStatus.PENDING))
    return None if oldest is None else max(utcnow() - oldest, timedelta(0))


def summary() -> OutboxSummary:
    """Counts by status, the oldest pending age, failed messages and pending ones that have
    failed at least once (stuck: SMTP is down or refusing them for now)."""
    counts = {status.value: 0 for status in OutboxStatus}
    for status, count in db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)):
        counts[OutboxStatus(status).value] = count
    newest_first = OutboxMessage.id.desc()
    failed = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.FAILED).order_by(newest_first).limit(SHOWN)).all()
    stuck = db.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.attempts > 0)
        .order_by(OutboxMessage.id).limit(SHOWN)).all()
    return OutboxSummary(counts, oldest_pending_age(), list(failed), list(stuck))


def retry_message(message: OutboxMessage, *, actor: User) -> OutboxMessage:
    """Send a failed or stuck message at the next delivery run, with a new retry window."""
    if message.status == OutboxStatus.SENT:
        from flask_babel import gettext as _

        raise OutboxError(_("This message was sent already."))
    message.status = OutboxStatus.PENDING
    message.next_attempt_at = utcnow()
    message.retry_until = None
    message.attempts = 0
    record("outbox.retry", actor=actor, object_type="outbox_message", object_id=message.id,
           to=message.to_address, template=message.template, last_error=message.last_error)
    return message
