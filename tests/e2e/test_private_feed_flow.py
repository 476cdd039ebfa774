"""A member's private calendar address in a real browser: made and shown once, then only
its date; a new one revokes the old."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_make_the_address_see_it_once_and_replace_it(page, world):
    log_in(page, world.users["member"].email, PASSWORD)
    page.goto("/my/events")
    page.get_by_role("button", name="Make my calendar address").click()
    page.wait_for_url("**/events/subscribe/private")
    link = page.locator("#feed-link")
    expect(link).to_be_visible()
    first = link.input_value()
    assert "/events/feed/" in first
    assert _status(first) == 200
    page.get_by_role("link", name="I have copied it, continue").click()
    page.wait_for_url("**/my/events")
    expect(page.get_by_role("button", name="Make a new address")).to_be_visible()
    assert first not in page.content()

    page.get_by_role("button", name="Make a new address").click()
    page.wait_for_url("**/events/subscribe/private")
    expect(page.get_by_text("the old one no longer works")).to_be_visible()
    second = page.locator("#feed-link").input_value()
    assert second != first
    assert _status(first) == 404
    assert _status(second) == 200
