"""In a real browser: a member logs an activity with a photo, an officer sends it back, then
verifies and publishes it; it counts on the dashboard and the report and shows publicly."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image

from jetaa.activities.models import Activity, ActivityPhoto, ActivityStatus
from tests.conftest import PASSWORD
from tests.e2e.helpers import links_in, log_in

pytestmark = pytest.mark.e2e
# expect() retries until the page after a click shows the text (not the page before it).
expect = pytest.importorskip("playwright.sync_api", reason="e2e tests need Playwright").expect
TITLE = "Origami at the public library"


def _session(browser, base: str, email: str | None = None):  # noqa: ANN001, ANN202
    """A page in its own browser context (own cookies), logged in as `email` unless None."""
    context = browser.new_context(base_url=base)
    context.set_default_timeout(10_000)
    page = context.new_page()
    if email:
        log_in(page, email, PASSWORD)
    return page


def _status(db, activity_id: int) -> ActivityStatus:  # noqa: ANN001
    db.expire_all()  # the server wrote it in its own session
    return db.get(Activity, activity_id).status


def test_log_review_fix_verify_publish(live_server, browser, world, db, read_mail, tmp_path):
    member_user = world.users["member"]
    day = date.today() - timedelta(days=3)  # in the past: a future activity cannot be submitted
    fiscal_year = day.year if day.month >= 4 else day.year - 1

    # 1. The member logs the activity (only two volunteers counted), adds a photo, submits it.
    member = _session(browser, live_server, member_user.email)
    member.goto("/branches/home")
    member.get_by_role("link", name="All activities").click()
    member.get_by_role("link", name="Log an activity").click()
    member.get_by_label("Title").fill(TITLE)
    member.get_by_label("Category").select_option("culture")
    member.get_by_label(re.compile(r"^Date\b")).fill(day.isoformat())
    member.get_by_label("City").fill("Leeds")
    member.get_by_label("People reached").fill("137")
    member.get_by_label(re.compile(r"^Volunteers\b")).fill("2")
    member.get_by_label("Volunteer hours").fill("12.5")
    member.get_by_label("Money spent").fill("80")
    member.get_by_label("Funded by").select_option("clair")
    member.get_by_role("button", name="Save").click()
    member.wait_for_url(lambda url: "/branches/" not in url)  # on /activities/<id>
    expect(member.locator(".flashes")).to_contain_text("saved as a draft")
    activity_id = int(member.url.rsplit("/", 1)[1])
    assert _status(db, activity_id) == ActivityStatus.DRAFT

    png = tmp_path / "origami.png"
    Image.new("RGB", (64, 48), (200, 60, 40)).save(png)
    member.get_by_label("Photo (").set_input_files(png)
    member.get_by_label("Caption").fill("Cranes folded by the visitors")
    member.get_by_role("button", name="Add the photo").click()
    expect(member.locator(".flashes")).to_contain_text("photo is added")
    photo = db.scalar(sa.select(ActivityPhoto).where(ActivityPhoto.activity_id == activity_id))
    assert (photo.caption, photo.content_type) == ("Cranes folded by the visitors", "image/png")
    member.get_by_role("button", name="Submit for review").click()
    expect(member.locator(".flashes")).to_contain_text("Submitted")
    assert _status(db, activity_id) == ActivityStatus.SUBMITTED

    # 2. The officer asks for changes from the review queue.
    officer = _session(browser, live_server, world.users["officer"].email)
    officer.goto("/branches/home/activities/review")
    card = officer.locator("article", has_text=TITLE)
    card.get_by_label("Comment").fill("Please add the number of volunteers")
    card.get_by_role("button", name="Ask for changes").click()
    expect(officer.locator(".flashes")).to_contain_text("Sent back")
    assert _status(db, activity_id) == ActivityStatus.CHANGES_REQUESTED

    # 3. The e-mail brings the member to the edit page; she fixes the figure and resubmits.
    mail = read_mail(member_user.email)
    assert "Please add the number of volunteers" in mail.get_body(("plain",)).get_content()
    member.goto(links_in(mail, f"/activities/{activity_id}/edit")[0])
    expect(member.locator(".flash-warning")).to_contain_text("Please add the number of volunteers")
    member.get_by_label(re.compile(r"^Volunteers\b")).fill("5")
    member.get_by_role("button", name="Save").click()
    member.wait_for_url(f"**/activities/{activity_id}")
    member.get_by_role("button", name="Submit for review").click()
    expect(member.locator(".flashes")).to_contain_text("Submitted")
    assert _status(db, activity_id) == ActivityStatus.SUBMITTED
    assert db.get(Activity, activity_id).volunteers == 5

    # 4. The officer verifies it (the queue empties), then publishes it.
    officer.goto("/branches/home/activities/review")
    officer.locator("article", has_text=TITLE).get_by_role("button", name="Verify").click()
    expect(officer.locator(".flashes")).to_contain_text("Verified")
    expect(officer.locator("main")).to_contain_text("Nothing is waiting")
    officer.goto(f"/activities/{activity_id}")
    officer.get_by_role("button", name="Publish on the branch page").click()
    expect(officer.locator(".flashes")).to_contain_text("public page")
    assert _status(db, activity_id) == ActivityStatus.VERIFIED
    assert db.get(Activity, activity_id).is_published

    # 5. It counts on the dashboard (its fiscal year, whatever today's) and in the report.
    officer.goto(f"/branches/home/impact?from={fiscal_year}-04-01&to={fiscal_year + 1}-03-31")
    expect(officer.locator(".stats")).to_contain_text("137 people reached")
    expect(officer.locator("[aria-labelledby=by-category-title]")).to_contain_text("Culture and arts")
    officer.goto(f"/branches/home/report/{fiscal_year}")
    expect(officer.locator("main")).to_contain_text(TITLE)

    # An anonymous visitor sees it on the branch page, and its photo loads on its page.
    visitor = _session(browser, live_server)
    visitor.goto("/branches/home")
    recent = visitor.locator("section", has=visitor.get_by_role("heading", name="Recent activities"))
    recent.get_by_role("link", name=TITLE).click()
    thumb = visitor.get_by_role("img", name="Cranes folded by the visitors")
    thumb.scroll_into_view_if_needed()  # the <img> is loading="lazy"
    visitor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    assert thumb.evaluate("img => img.naturalWidth") > 0

    # Screenshots of the activity page, desktop and phone, to look at.
    for width, name in ((1280, "desk"), (390, "phone")):
        visitor.set_viewport_size({"width": width, "height": 900})
        visitor.screenshot(path=f"/tmp/e2e-activity-{name}.png", full_page=True)
    for page in (visitor, member, officer):
        page.context.close()
