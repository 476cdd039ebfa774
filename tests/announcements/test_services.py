"""Writing, segmenting, sending in batches, limits, cancelling, unsubscribing, digests."""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
import sqlalchemy as sa

from jetaa.announcements import services
from jetaa.announcements.digest import send_digests
from jetaa.announcements.models import (
    Announcement,
    AnnouncementError,
    AnnouncementStatus,
    Delivery,
    Scope,
)
from jetaa.auth.models import User
from jetaa.db import utcnow
from jetaa.events.models import Rsvp, RsvpStatus
from jetaa.mail.models import OutboxMessage, OutboxStatus
from jetaa.mail.services import _build
from jetaa.members.models import AlumniProfile, JetRole, Placement
from jetaa.notifications.models import BranchOptOut, NotificationSettings, TopicOptIn


@pytest.fixture
def members(world, make_user, make_membership, db):  # noqa: ANN001, ANN201
    """Five more approved members of the home branch."""
    people = []
    for n in range(5):
        person = make_user(f"Extra Member {n}")
        make_membership(person, world.branch)
        people.append(person)
    db.commit()
    return people


def _recipients(db, announcement) -> set[int]:  # noqa: ANN001
    return set(db.scalars(sa.select(Delivery.user_id)
                          .where(Delivery.announcement_id == announcement.id)))


def _send_all(db, announcement, *, actor, size: int = 2) -> None:  # noqa: ANN001
    services.schedule_announcement(announcement, actor=actor)
    db.commit()
    while services.run_batch(announcement.id, size=size):
        db.commit()
    db.commit()


def test_branch_send_reaches_approved_members_once_in_batches(world, members, db, make_announcement):
    announcement = make_announcement(world.branch)
    _send_all(db, announcement, actor=world.users["officer"])
    expected = {world.users["member"].id, world.users["officer"].id} | {m.id for m in members}
    assert _recipients(db, announcement) == expected  # not the pending member, not other branches
    assert announcement.status == AnnouncementStatus.SENT
    assert announcement.recipient_count == len(expected)
    # A batch run again (a second cron, a retry) queues nobody twice.
    announcement.status = AnnouncementStatus.SENDING
    db.commit()
    assert services.run_batch(announcement.id) == 0
    messages = db.scalars(sa.select(OutboxMessage).where(OutboxMessage.template == "announcement"))
    addresses = [m.to_address for m in messages]
    assert len(addresses) == len(set(addresses)) == len(expected)
    progress = services.progress(announcement)
    assert (progress.total, progress.queued, progress.sent, progress.percent) == (7, 7, 0, 100)


def test_opted_out_and_bouncing_addresses_are_left_out(world, members, db, make_announcement):
    db.add(NotificationSettings(user_id=members[0].id, announcement_mail=False))
    db.add(BranchOptOut(user_id=members[1].id, branch_id=world.branch.id))
    db.add(OutboxMessage(to_address=members[2].email, subject="x", body_text="x", body_html="x",
                         template="event_changed", status=OutboxStatus.FAILED))
    members[3].disabled_at = utcnow()
    db.commit()
    announcement = make_announcement(world.branch)
    _send_all(db, announcement, actor=world.users["officer"])
    got = _recipients(db, announcement)
    assert not got & {members[0].id, members[1].id, members[2].id, members[3].id}
    assert members[4].id in got


def test_segments_select_by_topic_role_years_city_and_event(app, world, members, db, make_event,
                                                            monkeypatch):
    monkeypatch.setitem(app.config, "ANNOUNCEMENTS_PER_DAY", 10)
    db.add(TopicOptIn(user_id=members[0].id, topic="careers"))
    # An ALT (2001-2002) who came back as a CIR (2010-2012); an ALT of 2001-2002.
    db.add(AlumniProfile(user_id=members[1].id, current_city="Brooklyn", placements=[
        Placement(position=0, role=JetRole.ALT, start_year=2001, end_year=2002),
        Placement(position=1, role=JetRole.CIR, start_year=2010, end_year=2012)]))
    db.add(AlumniProfile(user_id=members[2].id, current_city="Boston", placements=[
        Placement(role=JetRole.ALT, start_year=2001, end_year=2002)]))
    event = make_event(world.branch)
    db.add(Rsvp(event_id=event.id, user_id=members[3].id, status=RsvpStatus.GOING))
    db.add(Rsvp(event_id=event.id, user_id=members[4].id, status=RsvpStatus.WAITLISTED,
                waitlisted_at=utcnow()))
    db.commit()
    cases = [({"topic": "careers"}, {members[0].id}),
             ({"jet_role": "CIR"}, {members[1].id}),
             ({"year_from": 2011, "year_to": 2015}, {members[1].id}),
             # Any placement counts; role and years are asked of the same placement.
             ({"year_from": 2001, "year_to": 2001}, {members[1].id, members[2].id}),
             ({"jet_role": "ALT", "year_from": 2001, "year_to": 2002},
              {members[1].id, members[2].id}),
             ({"jet_role": "CIR", "year_from": 2011}, {members[1].id}),
             ({"city": "  brooklyn "}, {members[1].id}),
             ({"event_id": event.id, "rsvp": "going"}, {members[3].id}),
             ({"event_id": event.id, "rsvp": "waitlisted"}, {members[4].id})]
    officer = world.users["officer"]
    for segment, expected in cases:
        data = services.AnnouncementData(subject="Segment", scope=Scope.SEGMENT, segment=segment)
        announcement = services.create_announcement(world.branch, data, actor=officer)
        db.commit()
        assert services.audience.count(announcement) == len(expected), segment
        _send_all(db, announcement, actor=officer)
        assert _recipients(db, announcement) == expected, segment
    # No placement was an ALT's after 2010: nobody, though members[1] was an ALT and was
    # on JET then.
    assert db.scalars(sa.select(User.id).where(*services.audience.segment_clauses(
        {"jet_role": "ALT", "year_from": 2010}))).all() == []


@pytest.mark.parametrize(("segment", "message"), [
    ({}, "at least one condition"),
    ({"topic": "astrology"}, "Unknown topic"),
    ({"jet_role": "CEO"}, "Unknown JET role"),
    ({"year_from": 2015, "year_to": 2010}, "must not be after"),
    ({"event_id": 999999}, "branch's own events"),
])
def test_bad_segments_are_refused(world, db, segment, message):
    data = services.AnnouncementData(subject="Segment", scope=Scope.SEGMENT, segment=segment)
    with pytest.raises(AnnouncementError, match=message):
        services.create_announcement(world.branch, data, actor=world.users["officer"])


def test_only_admins_write_to_the_federation(world, members, db):
    data = services.AnnouncementData(subject="To all", scope=Scope.FEDERATION)
    with pytest.raises(AnnouncementError, match="federation admins"):
        services.create_announcement(world.branch, data, actor=world.users["officer"])
    announcement = services.create_announcement(world.branch, data, actor=world.users["admin"])
    db.commit()
    _send_all(db, announcement, actor=world.users["admin"], size=100)
    got = _recipients(db, announcement)
    assert world.users["other_officer"].id in got  # another branch's member
    assert world.users["pending"].id not in got
    assert world.users["mission"].id not in got


def test_daily_limits_refuse_and_a_subject_is_needed(app, world, members, db, make_announcement,
                                                     monkeypatch):
    with pytest.raises(AnnouncementError, match="subject"):
        services.create_announcement(world.branch, services.AnnouncementData(subject="  "),
                                     actor=world.users["officer"])
    monkeypatch.setitem(app.config, "ANNOUNCEMENTS_PER_DAY", 1)
    first, second = make_announcement(world.branch), make_announcement(world.branch)
    services.schedule_announcement(first, actor=world.users["officer"])
    db.commit()
    with pytest.raises(AnnouncementError, match="at most 1 announcements a day"):
        services.schedule_announcement(second, actor=world.users["officer"])
    monkeypatch.setitem(app.config, "ANNOUNCEMENTS_PER_DAY", 5)
    monkeypatch.setitem(app.config, "ANNOUNCEMENT_RECIPIENTS_PER_DAY", 10)
    with pytest.raises(AnnouncementError, match="at most 10 messages a day"):
        services.schedule_announcement(second, actor=world.users["officer"])
    db.rollback()
    assert db.get(Announcement, second.id).status == AnnouncementStatus.DRAFT


def test_cancel_stops_the_remaining_batches(world, members, db, make_announcement):
    announcement = make_announcement(world.branch)
    services.schedule_announcement(announcement, actor=world.users["officer"])
    db.commit()
    assert services.run_batch(announcement.id, size=2) == 2
    db.commit()
    services.cancel_announcement(announcement, actor=world.users["officer"])
    db.commit()
    assert services.run_batch(announcement.id, size=2) == 0
    assert len(_recipients(db, announcement)) == 2
    with pytest.raises(AnnouncementError, match="Only a scheduled"):
        services.cancel_announcement(announcement, actor=world.users["officer"])


def test_scheduled_send_waits_for_its_time(world, members, db, make_announcement):
    announcement = make_announcement(world.branch)
    services.schedule_announcement(announcement, actor=world.users["officer"],
                                   at=utcnow() + timedelta(hours=2))
    db.commit()
    assert services.run_due() == 0
    announcement.send_at = utcnow() - timedelta(seconds=1)
    db.commit()
    assert services.run_due() == 7
    assert db.get(Announcement, announcement.id).status == AnnouncementStatus.SENT


def test_message_has_one_click_unsubscribe_and_web_version(app, world, db, make_announcement):
    announcement = make_announcement(world.branch)
    _send_all(db, announcement, actor=world.users["officer"])
    message = db.scalar(sa.select(OutboxMessage).where(
        OutboxMessage.to_address == world.users["member"].email))
    email = BytesParser(policy=policy.default).parsebytes(bytes(_build(message)))
    link = str(email["List-Unsubscribe"]).strip().strip("<>")
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.startswith("http://jetaa.test/unsubscribe/")
    assert link in message.body_text
    assert link in message.body_html
    assert f"http://jetaa.test/announcements/{announcement.id}" in message.body_text
    assert "<strong>along</strong>" in message.body_html  # the Markdown, cleaned


def test_test_message_goes_to_the_officer_only(world, db, make_announcement, outbox):
    announcement = make_announcement(world.branch)
    services.send_test(announcement, actor=world.users["officer"])
    db.commit()
    (message,) = outbox()
    assert message.to_address == world.users["officer"].email
    assert message.subject.startswith("[Test]")
    assert db.get(Announcement, announcement.id).status == AnnouncementStatus.DRAFT


def test_weekly_digest_gathers_announcements_instead(world, db, make_announcement, outbox):
    member = world.users["member"]
    db.add(NotificationSettings(user_id=member.id, weekly_digest=True))
    db.commit()
    first = make_announcement(world.branch, subject="First news")
    second = make_announcement(world.branch, subject="Second news")
    for announcement in (first, second):
        _send_all(db, announcement, actor=world.users["officer"])
    assert member.email not in [m.to_address for m in outbox()]
    assert services.progress(first).digest == 1
    assert send_digests() == 1
    db.commit()
    digest = [m for m in outbox() if m.to_address == member.email]
    assert len(digest) == 1
    assert "First news" in digest[0].body_text
    assert "Second news" in digest[0].body_text
    assert send_digests() == 0  # each announcement once
