"""In a real browser: an officer sends an announcement to a segment; a member in it gets the
.eml, follows its unsubscribe link, and the personal home shows what is theirs."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from jetaa.db import utcnow
from jetaa.events.models import Audience, Category, Event, EventStatus, Rsvp, RsvpStatus
from jetaa.members.models import AlumniProfile, JetRole, Placement
from jetaa.notifications.models import BranchOptOut
from tests.conftest import PASSWORD
from tests.e2e.helpers import links_in, log_in

pytestmark = pytest.mark.e2e


def test_officer_sends_to_a_segment_and_a_member_unsubscribes(page, browser, live_server, world,
                                                              make_user, make_membership, db,
                                                              read_mail):
    cir = make_user("Chika Cir")
    make_membership(cir, world.branch)
    db.add(AlumniProfile(user_id=cir.id, placements=[Placement(role=JetRole.CIR)]))
    db.commit()

    log_in(page, world.users["officer"].email, PASSWORD)
    page.goto("/branches/home")
    page.get_by_role("link", name="Write an announcement").first.click()
    page.get_by_label("Subject").fill("CIR meet-up")
    page.get_by_label("Message").fill("Tea with fellow **CIRs**.")
    page.get_by_label("A segment of the branch's members").check()
    page.get_by_label("JET role").select_option("CIR")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/announcements/*")
    assert "1 person would receive it" in page.inner_text("main")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url("**/announcements/*")
    assert "Queued" in page.inner_text("main")
    assert "(100%)" in page.inner_text("main")

    message = read_mail(cir.email)
    assert message["Subject"] == "CIR meet-up"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    with pytest.raises(AssertionError):
        read_mail(world.users["member"].email)  # not in the segment

    visitor = browser.new_context(base_url=live_server).new_page()  # not signed in
    visitor.goto(links_in(message, "/unsubscribe/")[0])
    visitor.get_by_role("button", name="Unsubscribe").click()
    expect(visitor.locator("main")).to_contain_text("You are unsubscribed")
    assert db.scalar(sa.select(BranchOptOut).where(BranchOptOut.user_id == cir.id)) is not None


def test_personal_home_at_phone_width(page, world, db):
    start = utcnow() + timedelta(days=3)
    event = Event(branch_id=world.branch.id, title="Karaoke night", category=Category.SOCIAL,
                  timezone=world.branch.timezone, starts_at=start,
                  ends_at=start + timedelta(hours=2), audience=Audience.BRANCH,
                  status=EventStatus.PUBLISHED)
    db.add(event)
    db.commit()
    db.add(Rsvp(event_id=event.id, user_id=world.users["member"].id, status=RsvpStatus.GOING))
    db.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, world.users["member"].email, PASSWORD)
    page.goto("/")
    assert "Welcome, Mia Member" in page.inner_text("h1")
    assert page.get_by_role("link", name="Karaoke night").is_visible()
    page.get_by_role("link", name="My events").first.click()
    page.wait_for_url("**/my/events")
    assert "Karaoke night" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
