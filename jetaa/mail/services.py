"""The outbox: queue a message with the change that causes it, deliver it later.

queue_email() only adds a row to the caller's transaction, so a message exists
exactly when the change that caused it was committed. deliver_due() (the
`flask send-mail` command, or an RQ job when Redis is configured) sends them,
with retries and the last error kept on the row.
"""

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context, has_request_context, render_template
from flask_babel import force_locale

from jetaa.core import outages
from jetaa.core.validators import has_control_characters
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.mail.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)
_QUEUED_KEY = "jetaa_outbox_queued"
_QUEUE_SERVICE = "Redis (mail queue)"


def queue_email(to: str, template: str, *, locale: str | None = None, calendar: str | None = None,
                **context: Any) -> OutboxMessage:
    """Render templates/email/<template>.{txt,html} and store the message for delivery.

    `calendar`: an iCalendar text sent along as an invite.ics attachment.
    """
    with force_locale(locale or "en"):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", subject=subject, **context)
    message = OutboxMessage(
        to_address=to, subject=subject, body_text=text, body_html=html, template=template,
        calendar_ics=calendar,
    )
    return queue_message(message)


def queue_message(message: OutboxMessage) -> OutboxMessage:
    """Store a message rendered by the caller."""
    db.session.add(message)
    db.session.info.setdefault(_QUEUED_KEY, []).append(message)
    return message


def queue_many(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Store many messages rendered by the caller (OutboxMessage column values, each to its
    own address) in few statements, as a bulk send needs; returns their ids by address.

    By address, not in the order of `rows`: asking for that order makes SQLite insert the
    rows one statement each.
    """
    if not rows:
        return {}
    insert = sa.insert(OutboxMessage).returning(OutboxMessage.id, OutboxMessage.to_address)
    ids = {address: message_id for message_id, address in db.session.execute(insert, rows)}
    db.session.info.setdefault(_QUEUED_KEY, []).extend(ids.values())
    return ids


def header_text(text: str) -> str:
    """`text` as one header line: control characters and line breaks become spaces.

    A CR or LF in a header is refused by the email package (and would let stored text
    add headers of its own); names and titles are validated as one line, but rows
    older than that check, imports and admin edits must not lose a message.
    """
    return " ".join("".join(" " if has_control_characters(c) else c for c in text).split())


def _build(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = header_text(message.subject)
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = header_text(message.to_address)
    # RFC 5322 requires a Date; relays do not always add one, and spam filters notice.
    email["Date"] = format_datetime(message.created_at)
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain="jetaa-connect")
    if message.list_unsubscribe:  # RFC 8058: one-click unsubscribe by the mail client
        email["List-Unsubscribe"] = f"<{message.list_unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text)
    email.add_alternative(message.body_html, subtype="html")
    if message.calendar_ics:
        email.add_attachment(message.calendar_ics.encode(), maintype="text", subtype="calendar",
                             filename="invite.ics")
    return email


class PermanentFailure(Exception):
    """The message can never be delivered as it is: retrying would not help."""


def _transmit(message: OutboxMessage) -> None:
    config = current_app.config
    try:
        email = _build(message)
        raw = bytes(email)
    except (ValueError, LookupError, TypeError) as error:  # UnicodeError is a ValueError
        raise PermanentFailure(f"cannot build the message: {type(error).__name__}: {error}") \
            from error
    if not config["MAIL_SERVER"]:
        directory = Path(config["MAIL_FILE_DIR"])
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{message.id:08d}-{message.template}.eml"
        path.write_bytes(raw)
        logger.info("mail to %s: %s (%s)", message.to_address, message.subject, path)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(email)


def is_permanent(error: BaseException) -> bool:
    """A failure retrying cannot cure: the server refused this recipient or this message
    with a 5xx code, or the message cannot be built. Everything else (refused or lost
    connections, timeouts, 4xx answers, a bad login that an admin will fix) is transient.
    """
    if isinstance(error, PermanentFailure):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _answer in error.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(error, smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False


def retry_delay(attempts: int) -> timedelta:
    """1, 4, 16 minutes ... capped at MAIL_MAX_BACKOFF_MINUTES (an hour) between tries."""
    cap = current_app.config["MAIL_MAX_BACKOFF_MINUTES"]
    return timedelta(minutes=min(4 ** min(attempts - 1, 10), cap))


# Messages whose link signs in, sets a password or moves an account: purged once sent.
LIVE_LINK_TEMPLATES = frozenset({"confirm_email", "reset_password", "change_email",
                                 "membership_invite"})


def deliver(message: OutboxMessage) -> bool:
    """Try one message; record success, or the error and when to try again.

    Transient failures are retried with capped backoff until MAIL_RETRY_DAYS after the
    first one (an SMTP outage of a weekend loses nothing); permanent ones stop at once.
    Admins see both on the outbox page and can send a message again.
    """
    message.attempts += 1
    now = utcnow()
    try:
        _transmit(message)
    except Exception as error:  # noqa: BLE001 - one bad message must not stop the others
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        if message.retry_until is None:
            message.retry_until = now + timedelta(days=current_app.config["MAIL_RETRY_DAYS"])
        if is_permanent(error) or now >= message.retry_until:
            message.status = OutboxStatus.FAILED
        else:
            message.next_attempt_at = now + retry_delay(message.attempts)
        logger.warning("mail %s to %s failed: %s", message.id, message.to_address, error)
        return False
    message.status = OutboxStatus.SENT
    message.sent_at = now
    message.last_error = None
    if message.template in LIVE_LINK_TEMPLATES or message.list_unsubscribe:
        # Its link would let whoever reads the outbox in, or unsubscribe the reader with
        # one click (announcements, digests): keep who, what and when only.
        message.body_text = message.body_html = ""
        message.list_unsubscribe = None
    return True


def deliver_due(limit: int = 100) -> tuple[int, int]:
    """Deliver messages whose time has come; returns (sent, failed).

    One message per transaction, locked while it is sent: a commit releases
    every lock of its transaction, so locking a batch up front would let a
    second sender (another cron run, an RQ job) take the rest of the batch
    and send it twice.
    """
    sent = failed = 0
    for _ in range(limit):
        query = (
            sa.select(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.PENDING,
                   OutboxMessage.next_attempt_at <= utcnow())
            .order_by(OutboxMessage.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        message = db.session.scalars(query).first()
        if message is None:
            break
        if deliver(message):
            sent += 1
        else:
            failed += 1
        db.session.commit()
    return sent, failed


def deliver_by_id(message_id: int) -> None:
    """The RQ job: deliver one message if it is still pending."""
    if has_app_context():
        # `flask mail-worker` runs its jobs inside the app it was started with.
        _deliver_one(message_id)
        return
    from jetaa import create_app

    with create_app().app_context():
        _deliver_one(message_id)


def _deliver_one(message_id: int) -> None:
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.PENDING)
        .with_for_update(skip_locked=True)
    )
    message = db.session.scalars(query).first()
    if message is not None:
        deliver(message)
        db.session.commit()


def enqueue_after_commit(session: Any) -> None:
    """After a commit, hand each new message to the RQ queue when Redis is configured."""
    queued = session.info.pop(_QUEUED_KEY, [])
    redis_url = current_app.config.get("REDIS_URL") if queued else None
    if queued and not redis_url and current_app.config.get("MAIL_DELIVER_AT_ONCE") \
            and has_request_context():
        g.mail_waiting = True  # delivered when the request ends (feature.deliver_at_once)
    if not redis_url:
        return
    from redis import Redis
    from rq import Queue

    if outages.skip(_QUEUE_SERVICE):
        return  # the rows stay in the outbox: `flask send-mail` delivers them
    try:
        connection = Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
        queue = Queue("mail", connection=connection)
        for message in queued:  # a message, or the id of one queue_many() stored
            message_id = message if isinstance(message, int) else message.id
            queue.enqueue(deliver_by_id, message_id, retry=None)
    except Exception as error:  # noqa: BLE001 - the outbox row stays; `flask send-mail` sends it
        outages.failed(_QUEUE_SERVICE, error, "mail stays in the outbox for `flask send-mail`")
        return
    outages.worked(_QUEUE_SERVICE)


def discard_queued(session: Any) -> None:
    session.info.pop(_QUEUED_KEY, None)
