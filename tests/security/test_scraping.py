"""No bulk scraping: per-account allowances, an audit entry and an admin alert, a page cap."""

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.mail.models import OutboxMessage
from jetaa.members.services.directory import PER_PAGE
from jetaa.security.models import SecurityEvent
from tests.conftest import signed_in_id

TIGHT = {"RATELIMIT_ENABLED": True, "RATELIMIT_SCRAPE_API": "3 per minute",
         "RATELIMIT_SCRAPE_DIRECTORY": "3 per minute"}


def _browser(app, user):  # noqa: ANN001, ANN202
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = signed_in_id(user)
    return browser


def test_an_account_paging_through_the_api_is_stopped_and_the_admins_told(make_app, world, db):
    app = make_app(**TIGHT)
    member = world.users["member"]
    browser = _browser(app, member)
    statuses = [browser.get(f"/api/v1/directory?page={n}").status_code for n in range(1, 6)]
    assert statuses == [200, 200, 200, 429, 429]
    other = _browser(app, world.users["officer"])
    assert other.get("/api/v1/directory").status_code == 200, "counted per account"
    entries = db.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "security.unusual_volume")).all()
    assert [(e.actor_id, e.payload["kind"]) for e in entries] == [(member.id, "api")]
    alerts = db.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.template == "unusual_volume")).all()
    assert [m.to_address for m in alerts] == [world.users["admin"].email], "once, to admins"
    assert db.scalar(sa.select(sa.func.count()).select_from(SecurityEvent).where(
        SecurityEvent.kind == "ratelimit.scraping")) == 2
    assert db.scalar(sa.select(sa.func.count()).select_from(SecurityEvent).where(
        SecurityEvent.kind == "ratelimit.refused")) == 2, "every 429 is a security event"


def test_the_directory_pages_count_too_and_other_pages_do_not(make_app, world):
    app = make_app(**TIGHT)
    browser = _browser(app, world.users["member"])
    assert [browser.get("/directory").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert browser.get("/account").status_code == 200


def test_the_page_size_is_fixed_whatever_is_asked(world, login_as, make_user, make_membership):
    for n in range(PER_PAGE + 5):
        make_membership(make_user(f"Alum {n:02d}"), world.branch)
    body = login_as(world.users["member"]).get("/api/v1/directory?per_page=1000&limit=1000").json
    assert len(body["items"]) <= PER_PAGE


def test_profiles_and_exports_have_allowances_of_their_own(make_app, world, db):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_SCRAPE_PROFILES="2 per minute",
                   RATELIMIT_SCRAPE_EXPORTS="2 per minute")
    officer, member = world.users["officer"], world.users["member"]
    browser = _browser(app, officer)
    profile = f"/members/{member.id}"
    assert [browser.get(profile).status_code for _ in range(3)] == [200, 200, 429]
    exports = [browser.get("/branches/home/roster.csv").status_code for _ in range(2)]
    exports.append(browser.get("/account/export.json").status_code)
    assert exports == [200, 200, 429], "every export draws on one allowance"
    kinds = sorted(e.payload["kind"] for e in db.scalars(sa.select(AuditEntry).where(
        AuditEntry.action == "security.unusual_volume")))
    assert kinds == ["exports", "profiles"]
