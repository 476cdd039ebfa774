"""Admins see failed and stuck messages and the oldest pending age, and can send again."""

from datetime import timedelta

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.db import utcnow
from jetaa.mail import services
from jetaa.mail.models import OutboxMessage, OutboxStatus


def _message(db, **fields) -> OutboxMessage:  # noqa: ANN001, ANN003
    values = {"to_address": "kim@example.com", "subject": "Hello", "body_text": "Hi",
              "body_html": "<p>Hi</p>", "template": "confirm_email"}
    values.update(fields)
    message = OutboxMessage(**values)
    db.add(message)
    db.commit()
    return message


def test_the_page_shows_failed_and_stuck_messages_and_the_oldest_pending_age(world, login_as,
                                                                               db):
    _message(db, status=OutboxStatus.FAILED, attempts=1, to_address="gone@example.com",
             last_error="SMTPRecipientsRefused: 550 no such user")
    _message(db, attempts=3, to_address="waiting@example.com", last_error="TimeoutError",
             created_at=utcnow() - timedelta(hours=5))
    _message(db, status=OutboxStatus.SENT, to_address="fine@example.com")
    page = login_as(world.users["admin"]).get("/admin/outbox").get_data(as_text=True)
    assert "gone@example.com" in page
    assert "550 no such user" in page
    assert "waiting@example.com" in page
    assert "fine@example.com" not in page
    assert '<dd id="oldest-pending">300 minutes</dd>' in page


def test_an_admin_sends_a_failed_message_again(app, world, login_as, db, tmp_path,
                                               monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    message = _message(db, status=OutboxStatus.FAILED, attempts=9, last_error="boom",
                       retry_until=utcnow() - timedelta(days=1))
    response = login_as(world.users["admin"]).post(f"/admin/outbox/{message.id}/retry")
    assert response.status_code == 302
    db.expire_all()
    message = db.get(OutboxMessage, message.id)
    assert (message.status, message.attempts, message.retry_until) == (
        OutboxStatus.PENDING, 0, None)
    assert db.scalar(sa.select(AuditEntry.action).where(AuditEntry.action == "outbox.retry"))
    assert services.deliver_due() == (1, 0)


def test_a_sent_message_is_not_sent_again(world, login_as, db):
    message = _message(db, status=OutboxStatus.SENT)
    client = login_as(world.users["admin"])
    client.post(f"/admin/outbox/{message.id}/retry")
    db.expire_all()
    assert db.get(OutboxMessage, message.id).status == OutboxStatus.SENT
