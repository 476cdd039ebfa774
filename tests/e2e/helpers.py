"""Small helpers for e2e tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pyotp
from playwright.sync_api import expect


def links_in(message: EmailMessage, containing: str = "") -> list[str]:
    """The http(s) links in a message's plain-text part (those containing `containing`)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return [link for link in re.findall(r"https?://[^\s<>\"]+", text) if containing in link]


def log_in(page, email: str, password: str) -> None:  # noqa: ANN001 (a Playwright Page)
    """Log in through the real form and wait until the site has let us in."""
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    if "/account/security/setup" in page.url:
        set_up_second_factor(page)


def set_up_second_factor(page) -> tuple[str, list[str]]:  # noqa: ANN001
    """On the set-up page (admins, officers and mission staff are sent there at sign-in):
    add the key to a pretend authenticator, confirm a code, keep the recovery codes and go
    on. Returns (the key, the recovery codes)."""
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on the second factor").click()
    expect(page.locator("#recovery-codes code").first).to_be_visible()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    page.get_by_role("link", name="I have kept them, continue").click()
    page.wait_for_load_state()
    return secret, codes
