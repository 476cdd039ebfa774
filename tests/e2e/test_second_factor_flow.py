"""The second factor in a real browser: set up, sign in with it and with a recovery code;
an officer is made to set it up before reaching the roster."""

from __future__ import annotations

import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.helpers import set_up_second_factor

pytestmark = pytest.mark.e2e


def _password(page, email: str) -> None:  # noqa: ANN001
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _log_out(page) -> None:  # noqa: ANN001
    page.locator("form[action='/logout'] button").first.click()
    page.wait_for_load_state()


def test_set_up_sign_in_with_the_app_then_with_a_recovery_code(page, make_user):
    member = make_user("Tomo Twofactor")
    _password(page, member.email)
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/account/security")
    page.get_by_role("link", name="Set up the second factor").click()
    page.wait_for_url("**/account/security/setup")
    expect(page.locator(".qr svg")).to_have_count(1)  # the QR code is drawn by the site
    secret, codes = set_up_second_factor(page)
    assert len(codes) == 10
    assert "On" in page.locator("main").inner_text()
    _log_out(page)

    _password(page, member.email)
    page.wait_for_url("**/login/code")
    # The set-up used this 30-second step's code; the next step's is good too.
    page.get_by_label("Code").fill(pyotp.TOTP(secret).at(int(time.time()) + 30))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto("/account")
    assert "Tomo Twofactor" in page.locator("main").inner_text()
    _log_out(page)

    _password(page, member.email)
    page.wait_for_url("**/login/code")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert "9 are left" in page.locator(".flash").first.inner_text()


def test_an_officer_must_set_it_up_before_the_roster(page, world):
    _password(page, world.users["officer"].email)
    page.wait_for_url("**/account/security/setup**")
    assert "needs a second factor" in page.locator("main").inner_text()
    page.goto("/branches/home/roster")
    page.wait_for_url("**/account/security/setup**")
    set_up_second_factor(page)
    page.wait_for_url("**/branches/home/roster")
    assert page.get_by_role("heading", level=1).count() == 1
    assert "Mia Member" in page.locator("main").inner_text()
