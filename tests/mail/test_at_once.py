"""Development without a worker: the mail a request queues is delivered as the request ends."""

import sqlalchemy as sa

from config import DevelopmentConfig
from jetaa.mail.models import OutboxMessage, OutboxStatus
from tests.conftest import PASSWORD

FORM = {"name": "Rita Register", "email": "rita@example.com", "password": PASSWORD,
        "confirm": PASSWORD}


def test_development_delivers_at_once_without_a_mail_server(app, client, db, tmp_path,
                                                            monkeypatch):
    assert DevelopmentConfig.MAIL_DELIVER_AT_ONCE  # `make run`'s default
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path / "mail"))
    monkeypatch.setitem(app.config, "MAIL_DELIVER_AT_ONCE", True)
    client.post("/register", data=FORM)
    [message] = db.scalars(sa.select(OutboxMessage)).all()
    assert message.status == OutboxStatus.SENT
    [written] = (tmp_path / "mail").glob("*.eml")
    assert "rita@example.com" in written.read_text()


def test_without_the_setting_mail_waits_in_the_outbox(app, client, db, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path / "mail"))
    client.post("/register", data=FORM)
    assert db.scalar(sa.select(OutboxMessage.status)) == OutboxStatus.PENDING
    assert not list((tmp_path / "mail").glob("*.eml"))
