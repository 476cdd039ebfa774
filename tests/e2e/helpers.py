"""Small helpers for e2e tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import re
from email.message import EmailMessage


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
