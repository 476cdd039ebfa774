"""The foundation in a real browser: sign up by e-mail, the language switch, the phone menu."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from jetaa.auth.models import User
from tests.conftest import PASSWORD
from tests.e2e.helpers import links_in, log_in

pytestmark = pytest.mark.e2e

TRANSLATIONS = Path(__file__).resolve().parents[2] / "jetaa" / "translations"
JAPANESE_CATALOGUE = TRANSLATIONS / "ja" / "LC_MESSAGES" / "messages.mo"
NEW_PASSWORD = "violet kettle orbit harbour"


def test_register_confirm_from_the_eml_log_in_and_see_a_branch(page, live_server, read_mail, make_branch, db):
    make_branch(slug="e2e-city", name="JETAA E2E City", description="Alumni of E2E City.")
    address = "new.alum@example.net"

    page.goto("/register")
    page.get_by_label("Full name").fill("Nora Newcomer")
    page.get_by_label("E-mail address").fill(address)
    page.get_by_label(re.compile(r"^Password\b")).fill(NEW_PASSWORD)
    page.get_by_label("Repeat password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/register/check-email")
    user = db.scalars(sa.select(User).where(User.email == address)).one()
    assert user.email_confirmed_at is None

    message = read_mail(address)
    assert "confirm" in message["Subject"].lower()
    [link] = links_in(message, "/confirm/")
    assert link.startswith(f"{live_server}/confirm/")
    page.goto(link)
    page.wait_for_url("**/login")
    assert "is confirmed. Log in below" in page.locator(".flashes").inner_text()
    db.expire_all()
    assert db.get(User, user.id).email_confirmed_at is not None

    page.get_by_label("E-mail address").fill(address)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("link", name="Nora Newcomer").is_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Branches").click()
    page.get_by_role("link", name="JETAA E2E City").click()
    page.wait_for_url("**/branches/e2e-city")
    assert page.get_by_role("heading", level=1).inner_text() == "JETAA E2E City"
    assert "Alumni of E2E City." in page.locator("main").inner_text()


def test_a_used_confirmation_link_is_refused(page, read_mail):
    page.goto("/register")
    page.get_by_label("Full name").fill("Otis Once")
    page.get_by_label("E-mail address").fill("otis@example.net")
    page.get_by_label(re.compile(r"^Password\b")).fill(NEW_PASSWORD)
    page.get_by_label("Repeat password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/register/check-email")
    [link] = links_in(read_mail("otis@example.net"), "/confirm/")
    page.goto(link)
    page.goto(link)
    assert "invalid, expired or already used" in page.locator(".flashes").inner_text()


def test_log_in_helper_opens_a_page_that_needs_a_login(page, make_user):
    make_user("Lena Login", "lena@example.net")
    log_in(page, "lena@example.net", PASSWORD)
    page.goto("/account")
    assert page.url.endswith("/account")
    assert "lena@example.net" in page.locator("main").inner_text()


@pytest.mark.xfail(
    not JAPANESE_CATALOGUE.exists(),
    strict=False,
    reason="the Japanese catalogue (jetaa/translations/ja) is not compiled yet",
)
def test_language_switch_shows_japanese(page):
    catalogue = gettext.translation("messages", TRANSLATIONS, languages=["ja"])
    branches_in_japanese = catalogue.gettext("Branches")
    assert branches_in_japanese != "Branches"

    page.goto("/branches")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="日本語").click()
    page.wait_for_url("**/branches")
    assert page.locator("html").get_attribute("lang") == "ja"
    nav = page.get_by_role("navigation").first
    assert nav.get_by_role("link", name=branches_in_japanese).is_visible()
    # The choice sticks to the browser session.
    page.goto("/missions")
    assert page.locator("html").get_attribute("lang") == "ja"


def test_phone_menu_opens_and_its_links_work(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    branches = page.get_by_role("link", name="Branches", exact=True)
    assert menu.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"
    assert not branches.is_visible()

    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    for name in ("Branches", "Missions", "Log in", "Join"):
        link = page.get_by_role("link", name=name, exact=True)
        assert link.is_visible(), name
        box = link.bounding_box()
        assert box is not None, name
        assert box["x"] >= 0, name
        assert box["x"] + box["width"] <= 390, name
    branches.click()
    page.wait_for_url(re.compile(r".*/branches$"))
    assert page.get_by_role("heading", level=1).is_visible()
    # No sideways scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_live_server_checks_csrf_tokens(page):
    page.goto("/login")
    response = page.request.post("/language", form={"language": "ja", "next": "/"})
    assert response.status == 400
    page.reload()
    assert page.locator("html").get_attribute("lang") == "en"
