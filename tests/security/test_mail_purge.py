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
