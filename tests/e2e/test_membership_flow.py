"""End to end: join a branch -> an officer approves -> the new member finds a classmate."""

from __future__ import annotations

import pytest

from jetaa.members.models import Visibility
from tests.conftest import PASSWORD
from tests.e2e.helpers import set_up_second_factor
from tests.members.conftest import make_profile, prefectures  # noqa: F401 (fixtures)

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api", reason="e2e tests need Playwright").expect

def _logged_in(browser, base_url: str, email: str):  # noqa: ANN001, ANN202
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    if "/account/security/setup" in page.url:  # an officer: the second factor first
        set_up_second_factor(page)
    return context, page


def test_join_approve_and_find_a_classmate(browser, live_server, world,
                                           make_user, make_membership, make_profile):  # noqa: F811
    classmate = make_user("Kenji Núñez")
    make_membership(classmate, world.branch)
    make_profile(classmate, prefecture_code=20, start_year=2012, end_year=2014,
                 visibility=Visibility.BRANCHES)
    newcomer = make_user("Nora Newcomer")

    context, page = _logged_in(browser, live_server, newcomer.email)
    page.goto("/branches/home")
    page.click("text=Apply to join")
    page.select_option("select[name=placements-0-role]", "ALT")
    page.select_option("select[name=placements-0-prefecture_code]", "20")
    page.fill("input[name=placements-0-municipality]", "Matsumoto")
    page.fill("input[name=placements-0-start_year]", "2012")
    page.fill("input[name=placements-0-end_year]", "2014")
    # A second placement, added without JavaScript's help: the form comes back with a row.
    page.click("text=Add another placement")
    expect(page.locator("input[name=placements-1-municipality]")).to_be_visible()
    assert page.input_value("input[name=placements-0-municipality]") == "Matsumoto"
    page.select_option("select[name=placements-1-role]", "CIR")
    page.select_option("select[name=placements-1-prefecture_code]", "28")
    page.fill("input[name=placements-1-municipality]", "Kobe")
    page.fill("input[name=placements-1-start_year]", "2014")
    page.select_option("select[name=home_country]", "US")
    page.fill("textarea[name=message]", "Kenji and I taught together!")
    with page.expect_navigation():
        page.click("text=Send my application")
    assert "Your application is sent" in page.content()
    response = page.goto("/directory")
    assert response.status == 403  # pending applicants see no directory
    assert page.title().startswith("Not allowed")

    officer_context, officer_page = _logged_in(browser, live_server,
                                               world.users["officer"].email)
    officer_page.goto("/branches/home/applications")
    assert "Kenji and I taught together!" in officer_page.content()
    expect(officer_page.locator("article", has_text="Nora Newcomer")).to_contain_text(
        "ALT, Matsumoto, Nagano 2012–2014CIR, Kobe, Hyogo 2014–")
    application = officer_page.locator("article", has_text="Nora Newcomer")
    application.locator("textarea").fill("Welcome, Nora!")
    with officer_page.expect_navigation():
        application.locator("button[value=approve]").click()
    assert "Nora Newcomer is approved." in officer_page.content()
    officer_context.close()

    page.goto("/directory")
    page.fill("input[name=q]", "nunez")
    page.click("button:has-text('Search')")
    assert "q=nunez" in page.url
    page.click("text=Kenji Núñez")
    assert "Matsumoto" in page.content()
    assert "2012" in page.content()
    context.close()
