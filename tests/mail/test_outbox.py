"""The outbox: a message exists exactly when its change committed, and is delivered once."""

import threading
from datetime import timedelta
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from jetaa.auth import services as auth_services
from jetaa.auth.models import User
from jetaa.extensions import db as _db
from jetaa.mail import services
from jetaa.mail.models import OutboxMessage, OutboxStatus
from tests.conftest import PASSWORD
from tests.conftest import TEST_REDIS_URL as REDIS_URL


def _register(app, email: str = "kim@example.com") -> User:  # noqa: ANN001
    with app.test_request_context():
        return auth_services.register_user("Kim Lee", email, PASSWORD)


def _parse(raw: bytes):  # noqa: ANN202
    return BytesParser(policy=policy.default).parsebytes(raw)


@pytest.fixture
def mail_dir(app, tmp_path, monkeypatch) -> Path:  # noqa: ANN001
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path / "mail"))
    return tmp_path / "mail"


# --- the same transaction -------------------------------------------------------------------


def test_a_committed_change_leaves_its_message(app, db, outbox):
    _register(app)
    db.commit()
    [message] = outbox()
    assert (message.to_address, message.template, message.status) == (
        "kim@example.com", "confirm_email", OutboxStatus.PENDING)
    assert message.subject == "Confirm your e-mail address"
    assert "Kim Lee" in message.body_text
    assert message.body_html.startswith("<!doctype html>")
    assert message.attempts == 0
    assert message.sent_at is None


def test_a_rolled_back_change_leaves_no_message(app, db, outbox):
    _register(app)
    db.flush()
    db.rollback()
    assert outbox() == []
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_request_that_fails_after_queueing_leaves_no_message(app, client, make_user, db, outbox,
                                                               monkeypatch):
    make_user(email="kim@example.com")

    def fail(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(auth_services, "record", fail)
    client.post("/forgot-password", data={"email": "kim@example.com"})
    path = outbox()[0].body_text.split("http://jetaa.test")[1].split()[0]
    db.query(OutboxMessage).delete()
    db.commit()
    response = client.post(path, data={"password": "a brand new passphrase",
                                       "confirm": "a brand new passphrase"})
    assert response.status_code == 500
    assert outbox() == []


# --- delivery to files ----------------------------------------------------------------------


def test_send_mail_writes_eml_files_with_both_parts_and_a_working_link(app, client, db, outbox,
                                                                       mail_dir):
    _register(app)
    db.commit()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output

    [path] = mail_dir.glob("*.eml")
    email = _parse(path.read_bytes())
    assert email["To"] == "kim@example.com"
    assert email["Subject"] == "Confirm your e-mail address"
    assert email["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert email["Date"].datetime == outbox()[0].created_at.replace(microsecond=0)
    assert email["Message-ID"]
    assert email.get_content_type() == "multipart/alternative"
    text = email.get_body(("plain",)).get_content()
    html = email.get_body(("html",)).get_content()
    [link] = [word for word in text.split() if "/confirm/" in word]
    assert link in html
    assert client.get(urlsplit(link).path).status_code == 302
    assert db.scalar(sa.select(User)).email_confirmed_at is not None

    [message] = outbox()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 1, None)
    assert message.sent_at is not None
    again = app.test_cli_runner().invoke(args=["send-mail"])
    assert "sent 0, failed 0" in again.output
    assert len(list(mail_dir.glob("*.eml"))) == 1


def test_send_mail_respects_its_limit(app, db, outbox, mail_dir):
    for n in range(3):
        _register(app, f"kim{n}@example.com")
    db.commit()
    result = app.test_cli_runner().invoke(args=["send-mail", "--limit", "2"])
    assert "sent 2, failed 0" in result.output
    assert [m.status for m in outbox()] == [OutboxStatus.SENT, OutboxStatus.SENT,
                                            OutboxStatus.PENDING]


# --- delivery by SMTP -----------------------------------------------------------------------


@pytest.fixture
def smtp_config(app, monkeypatch, smtp_server):  # noqa: ANN001, ANN201
    for key, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port,
                       "MAIL_USE_TLS": False, "MAIL_USERNAME": "jetaa",
                       "MAIL_PASSWORD": "smtp-secret"}.items():
        monkeypatch.setitem(app.config, key, value)
    return smtp_server


def test_smtp_delivery(app, db, outbox, smtp_config):
    _register(app)
    db.commit()
    assert services.deliver_due() == (1, 0)
    assert smtp_config.logins == ["\0jetaa\0smtp-secret"]
    [received] = smtp_config.messages
    assert received["to"] == ["<kim@example.com>"]
    email = _parse(received["data"])
    assert email["Subject"] == "Confirm your e-mail address"
    assert "/confirm/" in email.get_body(("plain",)).get_content()
    assert "/confirm/" in email.get_body(("html",)).get_content()
    assert outbox()[0].status == OutboxStatus.SENT


def test_a_permanent_refusal_stops_at_once(app, db, outbox, smtp_config, clock):
    smtp_config.reject = True  # 550 no such user
    _register(app)
    db.commit()
    assert services.deliver_due() == (0, 1)
    [message] = outbox()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert message.last_error.startswith("SMTPRecipientsRefused")
    assert "no such user" in message.last_error
    clock.advance(days=30)
    assert services.deliver_due() == (0, 0)
    assert smtp_config.messages == []


def test_transient_failures_are_retried_with_capped_backoff_for_three_days(app, db, outbox,
                                                                          smtp_config, clock):
    smtp_config.reject, smtp_config.reject_code = True, 451
    _register(app)
    db.commit()
    started, waits = clock.now, []
    while True:
        assert services.deliver_due() == (0, 1)
        [message] = outbox()
        assert message.last_error.startswith("SMTPRecipientsRefused")
        if message.status == OutboxStatus.FAILED:
            break
        waits.append((message.next_attempt_at - clock.now).total_seconds() / 60)
        assert services.deliver_due() == (0, 0), "not before its time"
        clock.advance(minutes=waits[-1])
    assert waits[:5] == [1, 4, 16, 60, 60]
    assert max(waits) == 60
    assert clock.now - started >= timedelta(days=3)
    assert clock.now - started < timedelta(days=3, hours=2)


def test_mail_waits_out_a_long_smtp_outage_and_goes_when_it_is_back(app, db, outbox, smtp_config,
                                                                    clock):
    """Six failures (about six hours) used to fail a message for good."""
    smtp_config.reject, smtp_config.reject_code = True, 421
    _register(app)
    db.commit()
    for _ in range(30):  # more than a day of tries
        services.deliver_due()
        clock.advance(hours=1)
    assert outbox()[0].status == OutboxStatus.PENDING
    smtp_config.reject = False
    assert services.deliver_due() == (1, 0)
    assert outbox()[0].status == OutboxStatus.SENT


def test_a_retry_that_works_clears_the_error(app, db, outbox, smtp_config, clock):
    smtp_config.reject, smtp_config.reject_code = True, 451
    _register(app)
    db.commit()
    services.deliver_due()
    smtp_config.reject = False
    clock.advance(minutes=1)
    assert services.deliver_due() == (1, 0)
    [message] = outbox()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 2, None)


def test_line_breaks_in_stored_text_do_not_break_the_headers(app, db, outbox, mail_dir):
    """Rows from before names were validated, and imports, still go out, as one line."""
    _register(app)
    db.commit()
    message = outbox()[0]
    message.subject = "Welcome, Eve\r\nBcc: everyone@example.com"
    db.commit()
    assert services.deliver_due() == (1, 0)
    [path] = mail_dir.glob("*.eml")
    email = _parse(path.read_bytes())
    assert email["Subject"] == "Welcome, Eve Bcc: everyone@example.com"
    assert email["Bcc"] is None


def test_line_breaks_do_not_break_a_message_with_a_calendar(app, db, outbox, mail_dir):
    _register(app)
    db.commit()
    message = outbox()[0]
    message.subject = "Invite:\nPicnic"
    message.calendar_ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    db.commit()
    assert services.deliver_due() == (1, 0)
    email = _parse(next(mail_dir.glob("*.eml")).read_bytes())
    assert email["Subject"] == "Invite: Picnic"
    assert [part.get_filename() for part in email.iter_attachments()] == ["invite.ics"]


def test_a_message_that_cannot_be_built_does_not_stop_the_others(app, db, outbox, mail_dir,
                                                                  monkeypatch):
    for n in range(2):
        _register(app, f"kim{n}@example.com")
    db.commit()
    broken, build = outbox()[0].id, services._build

    def refuse_one(message):  # noqa: ANN001, ANN202
        if message.id == broken:
            raise ValueError("the e-mail library refuses this message")
        return build(message)

    monkeypatch.setattr(services, "_build", refuse_one)
    assert services.deliver_due() == (1, 1)
    first, second = outbox()
    assert first.status == OutboxStatus.FAILED  # permanent: retrying cannot help
    assert first.last_error.startswith("PermanentFailure")
    assert second.status == OutboxStatus.SENT


def test_an_unreachable_server_is_an_error_not_a_crash(app, db, outbox, monkeypatch):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", closed_port)
    _register(app)
    db.commit()
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert "sent 0, failed 1" in result.output
    [message] = outbox()
    assert message.last_error.startswith("ConnectionRefusedError")
    assert message.status == OutboxStatus.PENDING


# --- the RQ queue ---------------------------------------------------------------------------


def test_a_commit_enqueues_a_job_and_the_worker_delivers(app, db, outbox, mail_dir, redis_db,
                                                         monkeypatch):
    from rq import Queue, SimpleWorker

    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    queue = Queue("mail", connection=redis_db)
    _register(app, "rolled-back@example.com")
    db.rollback()
    assert queue.count == 0
    _register(app)
    db.commit()
    [message] = outbox()
    assert queue.count == 1
    [job] = queue.jobs
    assert (job.func_name, job.args) == ("jetaa.mail.services.deliver_by_id", (message.id,))

    SimpleWorker([queue], connection=redis_db).work(burst=True)
    db.expire_all()
    [message] = outbox()
    assert message.status == OutboxStatus.SENT
    assert [p.name for p in mail_dir.glob("*.eml")] == [f"{message.id:08d}-confirm_email.eml"]


def test_without_redis_nothing_is_enqueued(app, db, redis_db):
    from rq import Queue

    _register(app)
    db.commit()
    assert Queue("mail", connection=redis_db).count == 0


# --- concurrency ----------------------------------------------------------------------------


@pytest.mark.skipif("postgresql" not in (__import__("os").environ.get("TEST_DATABASE_URL") or ""),
                    reason="needs PostgreSQL's row locks (SKIP LOCKED)")
def test_two_senders_at_once_send_each_message_once(app, db, outbox, monkeypatch):
    for n in range(5):
        _register(app, f"kim{n}@example.com")
    db.commit()
    sent: list[tuple[str, int]] = []
    other_done = threading.Event()

    def other_sender() -> None:
        with app.app_context():
            services.deliver_due()
            _db.session.remove()
        other_done.set()

    def transmit(message: OutboxMessage) -> None:
        sent.append((threading.current_thread().name, message.id))
        if len(sent) == 2 and threading.current_thread().name == "first":
            # The first sender has committed one message and holds the next:
            # the second sender starts now and must skip what the first one holds.
            threading.Thread(target=other_sender, name="second").start()
            assert other_done.wait(timeout=20)

    monkeypatch.setattr(services, "_transmit", transmit)

    def first_sender() -> None:
        with app.app_context():
            services.deliver_due()
            _db.session.remove()

    first = threading.Thread(target=first_sender, name="first")
    first.start()
    first.join(timeout=30)
    assert other_done.is_set()
    ids = [message_id for _, message_id in sent]
    assert sorted(ids) == [m.id for m in outbox()], sent
    assert {name for name, _ in sent} == {"first", "second"}
    assert all(m.status == OutboxStatus.SENT and m.attempts == 1 for m in outbox())


def test_mail_worker_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["mail-worker"])
    assert result.exit_code != 0
    assert "REDIS_URL is not set" in result.output
