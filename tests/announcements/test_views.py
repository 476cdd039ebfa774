"""The officers' pages and the unsubscribe link, through the test client."""

from __future__ import annotations

import sqlalchemy as sa

from jetaa.announcements.models import Announcement, AnnouncementStatus, Delivery
from jetaa.announcements.tokens import unsubscribe_token
from jetaa.audit.models import AuditEntry
from jetaa.notifications.models import BranchOptOut, NotificationSettings
from jetaa.notifications.rules import Kind, wants_mail
from tests.activities.conftest import image_bytes


def test_officer_writes_previews_tests_and_sends(world, login_as, db, outbox):
    client = login_as(world.users["officer"])
    response = client.post("/branches/home/announcements/new", data={
        "subject": "Bonenkai", "body": "Join us <script>alert(1)</script> **soon**",
        "scope": "branch", "event_id": "0", "rsvp": "going", "is_public": "y",
        "image": (__import__("io").BytesIO(image_bytes("JPEG", (900, 600))), "party.jpg")},
        content_type="multipart/form-data")
    announcement = db.scalar(sa.select(Announcement))
    assert response.headers["Location"].endswith(f"/announcements/{announcement.id}")
    assert announcement.image_name
    assert announcement.is_public
    page = client.get(f"/announcements/{announcement.id}").get_data(as_text=True)
    assert "<strong>soon</strong>" in page
    assert "<script>alert" not in page
    assert "2 people would receive it" in page
    assert client.get(f"/announcements/{announcement.id}/email").status_code == 200
    frame = client.get(f"/announcements/{announcement.id}/email.html")
    assert "sandbox" in frame.headers["Content-Security-Policy"]
    client.post(f"/announcements/{announcement.id}/test")
    assert [m.to_address for m in outbox()] == [world.users["officer"].email]
    client.post(f"/announcements/{announcement.id}/send", data={"send_at": ""})
    db.expire_all()
    assert db.get(Announcement, announcement.id).status == AnnouncementStatus.SENT
    assert db.scalar(sa.select(sa.func.count(Delivery.id))) == 2
    page = client.get(f"/announcements/{announcement.id}").get_data(as_text=True)
    assert "Queued" in page
    assert "(100%)" in page
    actions = set(db.scalars(sa.select(AuditEntry.action)))
    assert {"announcement.create", "announcement.schedule", "announcement.sent"} <= actions
    # The archive shows it to visitors, as the officer chose.
    assert "Bonenkai" in login_as(None).get("/branches/home").get_data(as_text=True)


def test_bad_input_re_renders_with_a_message(world, login_as, db):
    client = login_as(world.users["officer"])
    response = client.post("/branches/home/announcements/new", data={
        "subject": "Segment", "scope": "segment", "event_id": "0", "rsvp": "going",
        "year_from": "1900"})
    assert response.status_code == 200
    assert "Please correct the marked fields" in response.get_data(as_text=True)
    response = client.post("/branches/home/announcements/new", data={
        "subject": "Segment", "scope": "segment", "event_id": "0", "rsvp": "going"})
    assert "at least one condition" in response.get_data(as_text=True)
    response = client.post("/branches/home/announcements/new", data={
        "subject": "All", "scope": "federation", "event_id": "0", "rsvp": "going"})
    assert response.status_code == 200  # not a choice for officers
    response = client.post("/branches/home/announcements/new", data={
        "subject": "Pic", "scope": "branch", "event_id": "0", "rsvp": "going",
        "image": (__import__("io").BytesIO(b"not an image"), "x.jpg")},
        content_type="multipart/form-data")
    assert "not an image we can read" in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(Announcement.id))) == 0


def test_send_later_in_the_branch_zone(world, login_as, db, make_announcement):
    announcement = make_announcement(world.branch)
    client = login_as(world.users["officer"])
    client.post(f"/announcements/{announcement.id}/send", data={"send_at": "2099-01-02T09:00"})
    db.expire_all()
    saved = db.get(Announcement, announcement.id)
    assert saved.status == AnnouncementStatus.SCHEDULED
    assert saved.send_at.year == 2099
    assert db.scalar(sa.select(sa.func.count(Delivery.id))) == 0
    client.post(f"/announcements/{announcement.id}/cancel")
    db.expire_all()
    assert db.get(Announcement, announcement.id).status == AnnouncementStatus.CANCELLED


def test_unsubscribe_page_asks_and_one_click_post_acts(world, client, db):
    member = world.users["member"]
    token = unsubscribe_token(member.id, world.branch.id)
    page = client.get(f"/unsubscribe/{token}")
    assert "Stop announcements from JETAA Home?" in page.get_data(as_text=True)
    assert db.scalar(sa.select(BranchOptOut)) is None  # a link checker's GET changes nothing
    # RFC 8058: the mail client posts List-Unsubscribe=One-Click, without a session or CSRF.
    response = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert db.get(BranchOptOut, (member.id, world.branch.id)) is not None
    assert not wants_mail(member, Kind.ANNOUNCEMENT, branch_id=world.branch.id)
    assert wants_mail(member, Kind.ANNOUNCEMENT, branch_id=world.other_branch.id)
    client.post(f"/unsubscribe/{token}")  # twice: still one row
    assert db.scalar(sa.select(sa.func.count()).select_from(BranchOptOut)) == 1
    everything = unsubscribe_token(member.id, None)
    client.post(f"/unsubscribe/{everything}")
    assert db.get(NotificationSettings, member.id).announcement_mail is False
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/unsubscribe/{forged}").status_code == 404
