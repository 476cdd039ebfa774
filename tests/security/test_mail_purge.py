"""Sent e-mail holding a live link keeps its metadata, not its body."""

import sqlalchemy as sa

from jetaa.mail.models import OutboxMessage, OutboxStatus
from jetaa.mail.services import deliver_due
from tests.conftest import PASSWORD


def test_a_sent_reset_link_is_purged_and_other_mail_is_kept(app, client, make_user, db):
    user = make_user()
    client.post("/forgot-password", data={"email": user.email})
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    client.post("/account/password", data={"current_password": PASSWORD,
                                           "password": "another long passphrase",
                                           "confirm": "another long passphrase"})
    with app.app_context():
        deliver_due()
    messages = {m.template: m for m in db.scalars(sa.select(OutboxMessage))}
    reset, changed = messages["reset_password"], messages["password_changed"]
    assert reset.status == OutboxStatus.SENT
    assert (reset.body_text, reset.body_html) == ("", "")
    assert reset.to_address == user.email
    assert reset.subject, "who, what and when stay"
    assert reset.sent_at is not None
    assert changed.body_text, "a message without a live link stays readable"


def test_confirmation_and_email_change_links_are_purged_once_sent(app, client, login_as,
                                                                  make_user, db):
    client.post("/register", data={"name": "Rita Register", "email": "rita@example.com",
                                   "password": PASSWORD, "confirm": PASSWORD})
    user = make_user()
    login_as(user).post("/account/email", data={"email": "new.address@example.com",
                                                "current_password": PASSWORD})
    queued = {m.template: m for m in db.scalars(sa.select(OutboxMessage))}
    assert "/confirm/" in queued["confirm_email"].body_text
    assert "/account/email/" in queued["change_email"].body_text
    with app.app_context():
        deliver_due()
    db.expire_all()
    for message in db.scalars(sa.select(OutboxMessage).where(
            OutboxMessage.template.in_(("confirm_email", "change_email")))):
        assert message.status == OutboxStatus.SENT
        assert (message.body_text, message.body_html) == ("", ""), message.template
        assert message.to_address
        assert message.subject



def test_a_sent_message_with_a_one_click_unsubscribe_link_is_purged(app, make_user, db):
    from jetaa.mail.services import queue_message

    user = make_user()
    with app.app_context():
        queue_message(OutboxMessage(
            to_address=user.email, subject="News from JETAA Home",
            body_text="Read it. Unsubscribe: https://jetaa.test/unsubscribe/signed",
            body_html="<p>Read it.</p>", template="announcement",
            list_unsubscribe="https://jetaa.test/unsubscribe/signed"))
        db.commit()
        deliver_due()
    sent = db.scalar(sa.select(OutboxMessage).where(OutboxMessage.template == "announcement"))
    assert sent.status == OutboxStatus.SENT
    assert (sent.body_text, sent.body_html, sent.list_unsubscribe) == ("", "", None)
    assert (sent.to_address, sent.subject) == (user.email, "News from JETAA Home")
