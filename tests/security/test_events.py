"""Security events: stored with address and browser, shown to admins, logged on one line."""

import io
import logging

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.security.events import EscapingFormatter
from jetaa.security.models import SecurityEvent
from tests.conftest import PASSWORD

BROWSER = {"User-Agent": "TestBrowser/1.0"}


def _events(db, kind=None):  # noqa: ANN001, ANN202
    query = sa.select(SecurityEvent).order_by(SecurityEvent.id)
    if kind:
        query = query.where(SecurityEvent.kind == kind)
    return list(db.scalars(query))


def test_sign_ins_failures_and_sign_outs_are_recorded_with_address_and_browser(
        client, make_user, db):
    user = make_user()
    client.post("/login", data={"email": user.email.upper(), "password": "wrong password!"},
                headers=BROWSER)
    client.post("/login", data={"email": user.email, "password": PASSWORD}, headers=BROWSER)
    client.post("/logout", headers=BROWSER)
    kinds = [(e.kind, e.email, e.user_id) for e in _events(db)]
    assert kinds == [("login.failed", user.email, None), ("login.success", user.email, user.id),
                     ("logout", user.email, user.id)]
    assert {(e.ip_address, e.user_agent) for e in _events(db)} == {("127.0.0.1", "TestBrowser/1.0")}


def test_password_changes_and_refusals_are_recorded(client, login_as, world, app, db,
                                                     monkeypatch):
    member = world.users["member"]
    login_as(member)
    client.post("/account/password", data={"current_password": PASSWORD,
                                           "password": "another long passphrase",
                                           "confirm": "another long passphrase"})
    assert _events(db, "password.changed")[0].user_id == member.id
    login_as(member).get("/admin/audit")
    [forbidden] = _events(db, "forbidden")
    assert (forbidden.user_id, forbidden.path) == (member.id, "/admin/audit")
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client.post("/account/email", data={"email": "x@example.com"})
    assert _events(db, "csrf.failed")[0].user_id == member.id


def test_audit_entries_carry_the_address_and_browser(client, login_as, world, db):
    login_as(world.users["admin"])
    client.post(f"/admin/users/{world.users['member'].id}/security/end-sessions",
                headers=BROWSER)
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.sessions_ended"))
    assert (entry.ip_address, entry.user_agent) == ("127.0.0.1", "TestBrowser/1.0")


def test_no_value_can_forge_a_log_line():
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(EscapingFormatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("tests.forged")
    logger.addHandler(handler)
    try:
        logger.warning("not found: %s", "/x\nCRITICAL jetaa: database wiped\r\x1b[2J")
    finally:
        logger.removeHandler(handler)
    lines = out.getvalue().splitlines()
    assert lines == ["WARNING tests.forged: not found: /x\\x0aCRITICAL jetaa: database "
                     "wiped\\x0d\\x1b[2J"]


def test_the_app_logs_through_the_escaping_formatter(app):
    assert any(isinstance(handler.formatter, EscapingFormatter)
               for handler in logging.getLogger().handlers)


def test_a_path_with_a_line_break_is_stored_escaped(app, db):
    from jetaa.security.events import log_event

    with app.test_request_context("/admin/audit%0aCRITICAL"):
        log_event("forbidden")
        db.commit()
    [event] = _events(db, "forbidden")
    assert event.path == "/admin/audit\\x0aCRITICAL"


def test_admins_see_recent_events_and_failed_sign_ins_per_account(client, login_as, world, db):
    for _attempt in range(3):
        client.post("/login", data={"email": "target@example.com", "password": "guess guess!"})
    page = login_as(world.users["admin"]).get("/admin/security").get_data(as_text=True)
    assert "target@example.com" in page
    assert "<td>3</td>" in page
    assert "login.failed" in page
    filtered = client.get("/admin/security?kind=logout").get_data(as_text=True)
    assert "<code>login.failed</code>" not in filtered
    member_page = client.get(f"/admin/users/{world.users['member'].id}/security")
    assert member_page.status_code == 200
