"""In a real browser: a removal asks first and is undone; a members-only link signs the visitor
in and brings them back; axe-core finds no accessibility violation on the main pages."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from jetaa.memberships.models import Membership, MembershipStatus
from tests.conftest import PASSWORD
from tests.e2e.helpers import log_in
from tests.events.conftest import make_event  # noqa: F401 (fixture)
from tests.members.conftest import make_profile, prefectures  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def test_removing_a_member_asks_first_and_can_be_undone(page, world, db):
    log_in(page, world.users["officer"].email, PASSWORD)
    page.goto("/branches/home/roster")
    page.locator("tr", has_text="Mia Member").get_by_role("link", name="Remove…").click()
    expect(page.get_by_role("heading", name="Remove Mia Member from JETAA Home?")).to_be_visible()
    assert db.scalar(sa.select(Membership.id).where(
        Membership.user_id == world.users["member"].id)) is not None  # asking changed nothing
    page.get_by_role("button", name="Remove from the branch").click()
    expect(page.get_by_text("Mia Member is removed from the branch.")).to_be_visible()
    db.expire_all()
    assert db.scalar(sa.select(Membership.id).where(
        Membership.user_id == world.users["member"].id)) is None
    page.locator("li", has_text="Mia Member").get_by_role("button", name="Restore").click()
    expect(page.get_by_text("Mia Member is back in the branch.")).to_be_visible()
    db.expire_all()
    assert db.scalar(sa.select(Membership.status).where(
        Membership.user_id == world.users["member"].id)) == MembershipStatus.APPROVED


def test_members_only_link_signs_the_visitor_in_and_back(page, world, make_event):  # noqa: F811
    event = make_event(world.branch, title="Members mixer", audience="branch")
    response = page.goto(f"/events/{event.id}")
    assert response.status == 401
    assert "Members mixer" not in page.content()
    page.get_by_role("link", name="Sign in to see it").click()
    page.get_by_label("E-mail address").fill(world.users["member"].email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**/events/{event.id}")
    assert page.get_by_role("heading", name="Members mixer").is_visible()


def _violations(page) -> list[str]:  # noqa: ANN001
    page.add_script_tag(content=AXE.read_text())
    found = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                          ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target)"
                          ".join(' | '))")
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_violation_on_the_main_pages(browser, live_server, world, make_event,  # noqa: F811
                                                  make_profile, width):  # noqa: F811
    make_profile(world.users["member"])
    event = make_event(world.branch, title="Picnic in the park")
    context = browser.new_context(base_url=live_server, viewport=WIDTHS[width], bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    pages = ["/", "/events", "/events?view=list", f"/events/{event.id}", "/events/subscribe",
             "/branches", "/branches/home", "/login", "/register"]
    signed_in = ["/directory", f"/members/{world.users['member'].id}", "/profile/edit",
                 "/branches/home/roster", f"/branches/home/roster/{world.users['member'].id}/remove",
                 f"/events/{event.id}/attendees", "/admin/audit", "/admin/reference"]
    problems = {}
    for path in pages:
        page.goto(path)
        problems[path] = _violations(page)
    log_in(page, world.users["admin"].email, PASSWORD)
    for path in signed_in:
        page.goto(path)
        problems[path] = _violations(page)
    context.close()
    assert not {path: found for path, found in problems.items() if found}
