"""End-to-end fixtures: the app served on a free port, headless Chromium, the mail it sends.

`live_server` serves a second app built from the test configuration, on the same
migrated test database as the rest of the suite (the `app` fixture made it), but
with CSRF protection on, as a real browser submitting real forms needs. The `db`
fixture still empties the tables after each test, so every test starts clean.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from config import TestingConfig
from jetaa import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
# A failing step should fail in seconds, not after Playwright's default 30.
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in this folder is an e2e test, even a module that forgets its pytestmark."""
    for item in items:
        if E2E_DIR in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_app(app: Flask) -> Flask:
    """The served app: the suite's database and mail folder, CSRF on, no fixed host name."""

    class LiveConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        MAIL_FILE_DIR = app.config["MAIL_FILE_DIR"]
        ACTIVITY_UPLOAD_DIR = app.config["ACTIVITY_UPLOAD_DIR"]
        PICTURE_DIR = app.config["PICTURE_DIR"]
        WTF_CSRF_ENABLED = True
        SERVER_NAME = None

    return create_app(LiveConfig)


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    """The base URL (http://127.0.0.1:<port>) of the app served in a background thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    # Links in mail (also mail sent outside a request) point at this server.
    live_app.config["PUBLIC_URL"] = base_url
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for the whole run (skips every e2e test when it is missing)."""
    if not CHROMIUM.exists():
        pytest.skip(f"e2e tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="e2e tests need Playwright")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: str) -> Iterator[object]:
    """A fresh page (own cookies) at desktop width; tests set a phone viewport themselves."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def read_mail(live_app: Flask) -> Callable[[str], EmailMessage]:
    """read_mail(address): deliver due mail, then the newest .eml sent to `address` in this test."""
    from jetaa.mail.services import deliver_due

    mail_dir = Path(live_app.config["MAIL_FILE_DIR"])
    # Outbox ids restart when the tables are emptied, so a file name can come back:
    # only files new or rewritten since this test began count.
    before = _written(mail_dir)

    def read(address: str) -> EmailMessage:
        with live_app.app_context():
            deliver_due()
        found: list[tuple[int, str, EmailMessage]] = []
        for name, written_ns in _written(mail_dir).items():
            if before.get(name) == written_ns:
                continue
            path = mail_dir / name
            message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            if str(message["To"]).lower() == address.lower():
                found.append((written_ns, path.name, message))
        if not found:
            raise AssertionError(f"no mail to {address} in {mail_dir} since this test started")
        return max(found, key=lambda item: item[:2])[2]

    return read


def _written(mail_dir: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in mail_dir.glob("*.eml")}
