"""The API in a real browser: a member creates a token, a script uses it, the member
revokes it; the documentation page draws the generated document."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.helpers import log_in

pytestmark = pytest.mark.e2e
SHOTS = os.environ.get("E2E_SCREENSHOTS", "/tmp")


def test_create_use_and_revoke_a_token(page, world):
    log_in(page, world.users["member"].email, PASSWORD)
    page.goto("/account")
    page.get_by_role("link", name="API tokens").click()
    page.wait_for_url("**/account/api-tokens")
    page.get_by_label("Name").fill("Branch website")
    page.get_by_label("Access").select_option("write")
    page.get_by_role("button", name="Create token").click()
    secret_box = page.locator("#token-secret")
    expect(secret_box).to_be_visible()
    secret = secret_box.inner_text().strip()
    assert secret.startswith("jetaa_")
    for width, name in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/e2e-api-tokens-{name}.png", full_page=True)
    me = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.json()["name"] == "Mia Member"
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/account/api-tokens")
    expect(page.locator("#token-secret")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("it no longer works")).to_be_visible()
    again = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert again.status == 401


def test_the_documentation_page_draws_the_document(page, world):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/")
    page.locator("footer").get_by_role("link", name="API").click()
    page.wait_for_url("**/api/v1/docs")
    expect(page.get_by_role("heading", name="JETAA Connect API")).to_be_visible()
    expect(page.get_by_text("/api/v1/events").first).to_be_attached()
    page.screenshot(path=f"{SHOTS}/e2e-api-docs-desktop.png")
    page.set_viewport_size({"width": 390, "height": 900})
    page.screenshot(path=f"{SHOTS}/e2e-api-docs-phone.png")
    # Nothing the page needs is refused; ReDoc's "powered by" logo is on its makers' CDN, so
    # the policy refuses it (never fetched) and ReDoc leaves it out.
    refused = [e for e in errors if "Content Security Policy" in e and "logo-mini.svg" not in e]
    assert not refused, errors
