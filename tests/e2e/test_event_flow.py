"""In a real browser: an officer posts an event with one seat; the second member waits, then gets it."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from jetaa.events.models import Event, Rsvp, RsvpStatus
from jetaa.mail.services import deliver_due
from tests.conftest import PASSWORD
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


def _session(browser, base: str, email: str):  # noqa: ANN001, ANN202
    """A browser context (own cookies) logged in as `email`."""
    context = browser.new_context(base_url=base)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, email, PASSWORD)  # an officer sets up the second factor on the way
    return page


def test_capacity_one_waitlist_and_promotion_by_email(
    app, live_server, browser, world, make_user, make_membership, db
):
    first, second = make_user("Fumi First"), make_user("Sora Second")
    for user in (first, second):
        make_membership(user, world.branch)
    base = live_server

    officer = _session(browser, base, world.users["officer"].email)
    officer.goto("/branches/home")
    officer.get_by_role("link", name="New event").first.click()
    officer.get_by_label("Title").fill("Tea ceremony for one")
    officer.get_by_label("Category").select_option("cultural")
    officer.get_by_label("Starts").fill("2030-05-10T14:00")
    officer.get_by_label("Ends").fill("2030-05-10T16:00")
    officer.get_by_label("Capacity").fill("1")
    officer.get_by_role("button", name="Save").click()
    officer.wait_for_url("**/events/*")
    assert "saved as a draft" in officer.locator(".flashes").inner_text()
    officer.get_by_role("button", name="Publish").click()
    assert "published" in officer.locator(".flashes").inner_text()
    event = db.scalar(sa.select(Event))
    assert event.capacity == 1

    pages = {}
    for user in (first, second):
        page = _session(browser, base, user.email)
        page.goto(f"/events/{event.id}")
        # The event is full by the second visit: the page offers the waitlist by name.
        page.get_by_role("button", name="I'm going" if user is first else "Join the waitlist").click()
        page.wait_for_load_state()
        pages[user.id] = page
    assert "You are going" in pages[first.id].locator(".flashes").inner_text()
    assert "waitlist" in pages[second.id].locator(".flashes").inner_text()
    db.expire_all()
    status = dict(db.execute(sa.select(Rsvp.user_id, Rsvp.status)).tuples().all())
    assert status == {first.id: RsvpStatus.GOING, second.id: RsvpStatus.WAITLISTED}

    pages[first.id].get_by_role("button", name="I can no longer go").click()
    assert "not going" in pages[first.id].locator(".flashes").inner_text()
    db.expire_all()
    status = dict(db.execute(sa.select(Rsvp.user_id, Rsvp.status)).tuples().all())
    assert status == {first.id: RsvpStatus.NOT_GOING, second.id: RsvpStatus.GOING}

    with app.app_context():
        deliver_due()
    mail_dir = Path(app.config["MAIL_FILE_DIR"])
    promoted = [
        BytesParser(policy=policy.default).parsebytes(p.read_bytes())
        for p in sorted(mail_dir.glob("*-event_promoted.eml"))
    ]
    mine = [m for m in promoted if m["To"] == second.email]
    assert len(mine) == 1
    assert mine[0]["Subject"] == "You have a seat: Tea ceremony for one"
    assert f"/events/{event.id}" in mine[0].get_body(("plain",)).get_content()

    pages[second.id].reload()
    assert "You are going." in pages[second.id].locator("#rsvp").inner_text()
