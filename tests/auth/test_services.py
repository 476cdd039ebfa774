"""The account services on their own: what they change and what they mail."""

import pytest
import sqlalchemy as sa

from jetaa.auth import services
from jetaa.auth.models import User
from jetaa.auth.passwords import verify_password
from tests.conftest import PASSWORD


@pytest.fixture
def request_context(app):  # noqa: ANN001, ANN201
    with app.test_request_context():
        yield


def test_register_user_stores_a_normalised_unconfirmed_account(request_context, db, outbox):
    user = services.register_user(" Kim Lee ", " Kim@Example.COM", PASSWORD, locale="ja")
    db.commit()
    assert (user.name, user.email, user.locale, user.is_confirmed) == (
        "Kim Lee", "kim@example.com", "ja", False)
    assert [(m.template, m.to_address) for m in outbox()] == [("confirm_email", "kim@example.com")]


def test_register_user_with_a_taken_address_changes_nothing(request_context, make_user, db,
                                                            outbox):
    owner = make_user("Olive Owner", "olive@example.com")
    assert services.register_user("Mallory", "OLIVE@example.com", "mallory's password") is None
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 1
    db.refresh(owner)
    assert owner.name == "Olive Owner"
    assert verify_password(owner.password_hash, PASSWORD)
    assert [(m.template, m.to_address) for m in outbox()] == [
        ("already_registered", "olive@example.com")]


def test_register_user_spends_the_same_hashing_work_either_way(request_context, make_user,
                                                               monkeypatch):
    """A taken address must not answer faster: Argon2 is the slow part."""
    make_user(email="olive@example.com")
    calls = []
    real_hash = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda p: calls.append(p) or real_hash(p))
    services.register_user("New", "new@example.com", PASSWORD)
    services.register_user("Mallory", "olive@example.com", PASSWORD)
    assert len(calls) == 2


def test_authenticate_answers(request_context, make_user, db, outbox):
    make_user(email="kim@example.com")
    make_user(email="una@example.com", confirmed=False)
    assert services.authenticate("kim@example.com", PASSWORD).user.email == "kim@example.com"
    assert services.authenticate("kim@example.com", "wrong password").user is None
    assert services.authenticate("nobody@example.com", PASSWORD).user is None
    unconfirmed = services.authenticate("una@example.com", PASSWORD)
    assert (unconfirmed.user, unconfirmed.unconfirmed) == (None, True)
    wrong = services.authenticate("una@example.com", "wrong password")
    assert (wrong.user, wrong.unconfirmed) == (None, False)
    db.commit()
    assert [m.to_address for m in outbox()] == ["una@example.com"]


def test_reset_request_for_an_unknown_address_queues_nothing(request_context, db, outbox):
    services.request_password_reset("nobody@example.com")
    db.commit()
    assert outbox() == []


def test_a_reset_token_dies_with_the_password_change(request_context, make_user, db, outbox):
    user = make_user(email="kim@example.com")
    services.request_password_reset("kim@example.com")
    services.request_password_reset("kim@example.com")
    db.commit()
    tokens = [m.body_text.split("/reset-password/")[1].split()[0] for m in outbox()]
    assert all(services.user_for_reset_token(t) == user for t in tokens)
    services.set_password(user, "a brand new passphrase")
    db.commit()
    assert [services.user_for_reset_token(t) for t in tokens] == [None, None]


def test_email_change_to_a_taken_address_tells_its_owner_only(request_context, make_user, db,
                                                              outbox):
    user = make_user(email="me@example.com")
    make_user(email="taken@example.com")
    services.request_email_change(user, " Taken@Example.com")
    db.commit()
    db.refresh(user)
    assert user.email == "me@example.com"
    assert [(m.template, m.to_address) for m in outbox()] == [("email_taken", "taken@example.com")]


def test_confirm_email_change_works_once(request_context, make_user, db, outbox):
    user = make_user(email="me@example.com")
    services.request_email_change(user, "new@example.com")
    db.commit()
    token = outbox()[0].body_text.split("/account/email/")[1].split()[0]
    assert services.confirm_email_change(token) == user
    db.commit()
    assert services.confirm_email_change(token) is None
    db.refresh(user)
    assert user.email == "new@example.com"
