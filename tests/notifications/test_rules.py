"""The one function that decides: a test per kind, and every sender asks it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from jetaa.auth.services import request_password_reset
from jetaa.db import utcnow
from jetaa.events.models import Rsvp, RsvpStatus
from jetaa.events.notify import notify_rsvps
from jetaa.mail.models import OutboxMessage, OutboxStatus
from jetaa.notifications.models import BranchOptOut, NotificationSettings, TopicOptIn
from jetaa.notifications.rules import TEMPLATE_KINDS, Kind, kind_of, receiving_clause, wants_mail
from jetaa.notifications.services import notify

ROOT = Path(__file__).resolve().parents[2]


def test_every_mail_template_has_a_kind():
    templates = {p.name.removesuffix(".subject.txt")
                 for p in (ROOT / "templates" / "email").glob("*.subject.txt")}
    assert templates == set(TEMPLATE_KINDS)


def _everything_off(db, user) -> None:  # noqa: ANN001
    db.add(NotificationSettings(user_id=user.id, event_mail=False, recruitment_mail=False,
                                announcement_mail=False))
    db.commit()


@pytest.mark.parametrize("template", sorted(t for t, k in TEMPLATE_KINDS.items()
                                            if k == Kind.TRANSACTIONAL))
def test_transactional_mail_is_always_sent(world, db, template):
    member = world.users["member"]
    _everything_off(db, member)
    member.disabled_at = utcnow()  # even a disabled account hears about itself
    assert wants_mail(member, kind_of(template))


@pytest.mark.parametrize(("kind", "setting"), [(Kind.EVENT, "event_mail"),
                                               (Kind.RECRUITMENT, "recruitment_mail"),
                                               (Kind.ANNOUNCEMENT, "announcement_mail")])
def test_each_kind_follows_its_own_setting(world, db, kind, setting):
    member = world.users["member"]
    assert wants_mail(member, kind)  # the default: everything
    db.add(NotificationSettings(user_id=member.id, **{setting: False}))
    db.commit()
    assert not wants_mail(member, kind)
    others = {Kind.EVENT, Kind.RECRUITMENT, Kind.ANNOUNCEMENT} - {kind}
    assert all(wants_mail(member, other) for other in others)


def test_announcements_per_branch_and_the_sql_form_agree(world, db, make_user):
    member, officer = world.users["member"], world.users["officer"]
    db.add(BranchOptOut(user_id=member.id, branch_id=world.branch.id))
    db.commit()
    assert not wants_mail(member, Kind.ANNOUNCEMENT, branch_id=world.branch.id)
    assert wants_mail(member, Kind.ANNOUNCEMENT, branch_id=world.other_branch.id)
    from jetaa.auth.models import User

    ids = set(db.scalars(sa.select(User.id).where(
        receiving_clause(Kind.ANNOUNCEMENT, branch_id=world.branch.id))))
    assert officer.id in ids
    assert member.id not in ids


def test_bouncing_and_closed_addresses_get_nothing_but_transactional_mail(world, db):
    member = world.users["member"]
    db.add(OutboxMessage(to_address=member.email, subject="x", body_text="x", body_html="x",
                         template="event_reminder", status=OutboxStatus.FAILED))
    db.commit()
    assert not wants_mail(member, Kind.EVENT)
    assert wants_mail(member, Kind.TRANSACTIONAL)
    officer = world.users["officer"]
    officer.deleted_at = utcnow()
    assert not wants_mail(officer, Kind.ANNOUNCEMENT)


def test_event_changes_honour_the_setting(world, db, make_event, outbox):
    event = make_event(world.branch)
    for role in ("member", "officer"):
        db.add(Rsvp(event_id=event.id, user_id=world.users[role].id, status=RsvpStatus.GOING))
    db.add(NotificationSettings(user_id=world.users["member"].id, event_mail=False))
    db.commit()
    assert notify_rsvps(event, "event_changed") == 1
    db.commit()
    assert [m.to_address for m in outbox()] == [world.users["officer"].email]


def test_notify_sends_in_the_persons_language(world, db, outbox):
    member = world.users["member"]
    member.locale = "ja"
    assert notify(member, "membership_approved", branch=world.branch, message="",
                  link="http://jetaa.test/") is not None
    db.commit()
    assert outbox()[0].to_address == member.email


def test_a_password_reset_is_sent_whatever_the_settings(world, db, outbox):
    _everything_off(db, world.users["member"])
    request_password_reset(world.users["member"].email)
    db.commit()
    assert outbox()[0].template == "reset_password"


def test_settings_page_saves_choices(world, login_as, db):
    member = world.users["member"]
    client = login_as(member)
    page = client.get("/account/notifications").get_data(as_text=True)
    assert "JETAA Home" in page  # the branches whose announcements can be turned off
    refused = client.post("/account/notifications", data={
        "event_mail": "y", "muted_branches": [str(world.other_branch.id)],
        "topics": ["not-a-topic"]})
    assert refused.status_code == 200
    assert "Please correct" in refused.get_data(as_text=True)
    assert db.get(NotificationSettings, member.id) is None  # a choice not offered: nothing saved
    client.post("/account/notifications", data={
        "event_mail": "y", "announcement_mail": "y", "weekly_digest": "y",
        "muted_branches": [str(world.branch.id)], "topics": ["careers"]})
    settings = db.get(NotificationSettings, member.id)
    assert settings.event_mail
    assert settings.weekly_digest
    assert not settings.recruitment_mail
    assert db.get(BranchOptOut, (member.id, world.branch.id)) is not None
    topics = set(db.scalars(sa.select(TopicOptIn.topic).where(TopicOptIn.user_id == member.id)))
    assert topics == {"careers"}
    client.post("/account/notifications", data={"event_mail": "y"})
    assert db.get(BranchOptOut, (member.id, world.branch.id)) is None
    assert not db.scalars(sa.select(TopicOptIn).where(TopicOptIn.user_id == member.id)).all()
