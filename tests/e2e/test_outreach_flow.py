"""In a real browser: a mission asks JETAA for two panelists, a member volunteers and declares no
conflict, staff confirm from the request page (beside the suggestions), the member gets the .ics
by e-mail, staff record attendance and the outcome, and the dashboards show it."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jetaa.db import utcnow
from jetaa.members.models import AlumniProfile, JapaneseLevel, Placement
from jetaa.outreach.models import OfferStatus, VolunteerOffer, VolunteerRequest
from tests.conftest import PASSWORD
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="e2e tests need Playwright").expect
TITLE = "Interview panel in January"


def _session(browser, base: str, email: str):  # noqa: ANN001, ANN202
    context = browser.new_context(base_url=base)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, email, PASSWORD)
    return page


def test_request_volunteer_confirm_outcome(live_server, browser, world, db, read_mail,
                                           make_user, make_membership):
    member_user = world.users["member"]
    db.add(AlumniProfile(user_id=member_user.id, open_to_recruitment=True,
                         placements=[Placement(start_year=2016, end_year=2019)],
                         japanese_level=JapaneseLevel.BUSINESS,
                         home_country="US", current_city="New York"))
    spare = make_user("Sora Suggested")
    make_membership(spare, world.branch)
    db.add(AlumniProfile(user_id=spare.id, open_to_recruitment=True,
                         placements=[Placement(start_year=2010, end_year=2012)],
                         japanese_level=JapaneseLevel.FLUENT))
    db.commit()

    # 1. Staff post a request for two panelists from the interview-panel template.
    staff = _session(browser, live_server, world.users["mission"].email)
    staff.goto("/missions/cg-test/requests/new?kind=interview_panel")
    staff.get_by_label("Title").fill(TITLE)
    staff.locator("#roles-0-name").fill("Panelist")
    staff.locator("#roles-0-places").fill("2")
    staff.locator("#roles-0-returned_min_years").fill("")
    staff.locator("#roles-1-name").fill("")
    staff.get_by_role("button", name="Save").click()
    expect(staff.locator(".flashes")).to_contain_text("saved as a draft")
    request_id = int(staff.url.rsplit("/", 1)[1])
    staff.get_by_role("button", name="Publish and ask the branches").click()
    expect(staff.locator(".flashes")).to_contain_text("The request is open")

    # 2. The member finds it on the board, volunteers and declares no conflict.
    member = _session(browser, live_server, member_user.email)
    member.goto("/outreach")
    member.get_by_role("link", name=TITLE).click()
    member.get_by_label("Note for the mission").fill("Happy to sit on a panel")
    member.get_by_label("Conflict of interest").select_option("no")
    member.get_by_label("I will keep everything about applicants confidential").check()
    member.get_by_role("button", name="Offer to help").click()
    expect(member.locator(".flashes")).to_contain_text("Your offer is sent")
    offer = db.scalar(sa.select(VolunteerOffer).where(VolunteerOffer.request_id == request_id))
    assert offer.status == OfferStatus.OFFERED
    assert offer.declared_at is not None

    # 3. Staff see the offer and the suggestions, and confirm the member.
    staff.goto(f"/outreach/{request_id}")
    expect(staff.locator(".suggestions")).to_contain_text("Sora Suggested")
    staff.locator("tr", has_text=member_user.name).get_by_role("button", name="Confirm").click()
    expect(staff.locator(".flashes")).to_contain_text("Confirmed")
    db.expire_all()
    assert db.get(VolunteerOffer, offer.id).status == OfferStatus.CONFIRMED

    # 4. The member's confirmation carries the calendar entry.
    message = read_mail(member_user.email)
    calendars = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert calendars
    assert f"SUMMARY:{TITLE}" in calendars[0].get_content()

    # 5. After the day, staff record attendance, hours and the outcome.
    req = db.get(VolunteerRequest, request_id)
    req.starts_at = utcnow() - timedelta(days=1, hours=6)
    req.ends_at = utcnow() - timedelta(days=1)
    req.respond_by = req.starts_at - timedelta(days=3)
    db.commit()
    staff.goto(f"/outreach/{request_id}/outcome")
    staff.get_by_label(f"Hours of {member_user.name}").fill("5.5")
    staff.get_by_label("People reached").fill("24")
    staff.get_by_role("button", name="Save the outcome").click()
    expect(staff.locator(".flashes")).to_contain_text("outcome is recorded")

    # 6. The mission dashboard and the branch's activity dashboard count it.
    staff.goto(f"/missions/cg-test/dashboard?cycle={req.cycle}")
    expect(staff.locator(".stats")).to_contain_text("5.5")
    expect(staff.locator("table", has_text="JETAA Home")).to_contain_text("1")
    officer = _session(browser, live_server, world.users["officer"].email)
    officer.goto("/branches/home/impact")
    expect(officer.locator("main")).to_contain_text("JET recruitment support")
    expect(officer.locator("main")).to_contain_text("24")
