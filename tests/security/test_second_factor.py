"""The second factor: set up, sign in with it or a recovery code, required for power."""

import re
from datetime import timedelta

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import LoginSession
from jetaa.db import utcnow
from jetaa.security.models import RecoveryCode, SecondFactor, SecurityEvent
from tests.conftest import PASSWORD
from tests.security.conftest import code_for


def _log_in(client, user, **fields):  # noqa: ANN001, ANN202
    return client.post("/login", data={"email": user.email, "password": PASSWORD, **fields})


def _kinds(db, user):  # noqa: ANN001, ANN202
    return list(db.scalars(sa.select(SecurityEvent.kind).where(SecurityEvent.user_id == user.id)
                           .order_by(SecurityEvent.id)))


def test_a_member_sets_it_up_with_a_local_qr_code_and_gets_hashed_recovery_codes(
        client, login_as, make_user, db):
    user = make_user()
    login_as(user)
    page = client.get("/account/security/setup").get_data(as_text=True)
    factor = db.get(SecondFactor, user.id)
    assert factor.enabled_at is None
    assert "<svg" in page, "the QR code is drawn here, not fetched from elsewhere"
    assert factor.secret in page

    wrong = client.post("/account/security/setup", data={"code": "000000"})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.get_data(as_text=True)
    assert db.get(SecondFactor, user.id).enabled_at is None

    done = client.post("/account/security/setup", data={"code": code_for(factor.secret)})
    assert done.status_code == 200
    db.expire_all()
    assert db.get(SecondFactor, user.id).enabled_at is not None
    hashes = list(db.scalars(sa.select(RecoveryCode.code_hash)
                             .where(RecoveryCode.user_id == user.id)))
    text = done.get_data(as_text=True)
    assert len(hashes) == 10
    assert all(h not in text for h in hashes)
    shown = re.findall(r"<li><code>([0-9a-f-]+)</code></li>", text)
    assert len(shown) == 10
    assert not set(shown) & set(hashes), "stored hashed, never as shown"
    assert db.scalar(sa.select(AuditEntry.action).where(
        AuditEntry.action == "account.second_factor_enabled", AuditEntry.actor_id == user.id))
    assert "second_factor.enabled" in _kinds(db, user)


def test_signing_in_asks_for_the_code_and_each_code_works_once(client, make_user,
                                                                with_factor, db):
    user = make_user()
    secret, _codes = with_factor(user)
    first = _log_in(client, user)
    assert first.headers["Location"].endswith("/login/code")
    assert client.get("/account").status_code == 302, "not signed in before the code"
    assert client.post("/login/code", data={"code": "123456"}).status_code == 200

    code = code_for(secret, steps_ahead=1)  # the set-up used this step's code
    response = client.post("/login/code", data={"code": code})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    session = db.scalar(sa.select(LoginSession).where(LoginSession.user_id == user.id))
    assert session.second_factor_at is not None

    client.post("/logout")
    _log_in(client, user)
    replay = client.post("/login/code", data={"code": code})
    assert replay.status_code == 200, "a code is accepted once"
    kinds = _kinds(db, user)
    assert "second_factor.given" in kinds
    assert "second_factor.failed" in kinds
    assert "login.success" in kinds


def test_a_recovery_code_signs_in_once(client, make_user, with_factor, db):
    user = make_user()
    _secret, codes = with_factor(user)
    _log_in(client, user)
    assert client.post("/login/code", data={"code": codes[3].upper()}).status_code == 302
    assert client.get("/account").status_code == 200
    used = db.scalars(sa.select(RecoveryCode).where(RecoveryCode.used_at.is_not(None))).all()
    assert len(used) == 1
    client.post("/logout")
    _log_in(client, user)
    assert client.post("/login/code", data={"code": codes[3]}).status_code == 200
    assert client.get("/account").status_code == 302


def test_the_code_step_expires_and_needs_the_same_password(client, make_user, with_factor):
    user = make_user()
    secret, _codes = with_factor(user)
    _log_in(client, user)
    with client.session_transaction() as session:
        session["pending_sign_in"] = {**session["pending_sign_in"],
                                      "at": session["pending_sign_in"]["at"] - 301}
    response = client.post("/login/code", data={"code": code_for(secret, 1)})
    assert "/login" in response.headers["Location"]
    assert client.get("/account").status_code == 302


def test_an_officer_must_set_it_up_and_is_held_back_until_then(
        client, login_without_factor, world, db):
    officer = world.users["officer"]
    response = _log_in(client, officer, remember="y")
    assert "/account/security/setup" in response.headers["Location"]
    session = db.scalar(sa.select(LoginSession).where(LoginSession.user_id == officer.id))
    assert session.remember is False, "no remember-me for privileged roles"

    roster = client.get("/branches/home/roster")
    assert roster.status_code == 302
    assert "/account/security/setup" in roster.headers["Location"]
    assert client.get("/branches/home/roster.csv").status_code == 302
    assert client.get("/branches/home").status_code == 200, "the rest of the site is open"

    client.get("/account/security/setup")
    secret = db.get(SecondFactor, officer.id).secret
    client.post("/account/security/setup", data={"code": code_for(secret)})
    assert client.get("/branches/home/roster").status_code == 200


def test_admins_and_mission_staff_are_held_back_too(login_without_factor, world):
    client = login_without_factor(world.users["admin"])
    assert "/account/security/setup" in client.get("/admin/audit").headers["Location"]
    client = login_without_factor(world.users["mission"])
    assert client.get("/missions/cg-test/dashboard").status_code == 302
    assert "/account/security/setup" in client.get("/outreach").headers["Location"]
    member = login_without_factor(world.users["member"])
    assert member.get("/directory").status_code == 200


def test_exports_ask_again_after_fifteen_minutes(client, login_as, world, with_factor, db):
    officer = world.users["officer"]
    secret, _codes = with_factor(officer)
    login_as(officer)
    assert client.get("/branches/home/roster.csv").status_code == 200
    db.execute(sa.update(LoginSession).where(LoginSession.user_id == officer.id)
               .values(second_factor_at=utcnow() - timedelta(minutes=16)))
    db.commit()
    response = client.get("/branches/home/roster.csv")
    assert "/account/security/again" in response.headers["Location"]
    assert client.get("/branches/home/roster").status_code == 200, "only exports ask again"
    import_confirm = client.post("/branches/home/roster/import/confirm", data={},
                                 headers={"Referer": "http://jetaa.test/branches/home/roster/import"})
    assert "/account/security/again" in import_confirm.headers["Location"]
    again = client.post("/account/security/again",
                        data={"code": code_for(secret, 1), "next": "/branches/home/roster.csv"})
    assert again.headers["Location"].endswith("/branches/home/roster.csv")
    assert client.get("/branches/home/roster.csv").status_code == 200


def test_an_admin_resets_a_lost_second_factor(client, login_as, world, with_factor, outbox, db):
    officer, admin = world.users["officer"], world.users["admin"]
    with_factor(officer)
    login_as(admin)
    response = client.post(f"/admin/users/{officer.id}/security/reset-second-factor")
    assert response.status_code == 302
    assert db.get(SecondFactor, officer.id) is None
    assert not db.scalars(sa.select(RecoveryCode).where(RecoveryCode.user_id == officer.id)).all()
    assert not db.scalars(sa.select(LoginSession).where(LoginSession.user_id == officer.id)).all()
    assert outbox()[-1].template == "second_factor_reset"
    assert outbox()[-1].to_address == officer.email
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.second_factor_reset"))
    assert entry.actor_id == admin.id
    assert entry.object_id == officer.id


def test_a_member_may_turn_it_off_and_an_officer_may_not(client, login_as, world, with_factor, db):
    member, officer = world.users["member"], world.users["officer"]
    secret, _codes = with_factor(member)
    login_as(member)
    client.post("/account/security/off", data={"code": code_for(secret, 1)})
    assert db.get(SecondFactor, member.id) is None
    secret, _codes = with_factor(officer)
    login_as(officer)
    client.post("/account/security/off", data={"code": code_for(secret, 1)})
    db.expire_all()
    assert db.get(SecondFactor, officer.id).enabled_at is not None


def test_new_recovery_codes_replace_the_old_ones(client, login_as, make_user, with_factor, db):
    user = make_user()
    secret, old = with_factor(user)
    login_as(user)
    page = client.post("/account/security/recovery-codes", data={"code": code_for(secret, 1)})
    assert page.status_code == 200
    assert db.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 10
    client.post("/logout")
    _log_in(client, user)
    assert client.post("/login/code", data={"code": old[0]}).status_code == 200


def test_every_export_asks_for_a_recent_second_factor_and_counts_as_an_export(app):
    """A guard: a new CSV export route that forgets either fails here."""
    from jetaa.security import policy, scraping

    exports = {rule.endpoint for rule in app.url_map.iter_rules()
               if rule.rule.endswith(".csv") and rule.endpoint != "memberships.sample_csv"}
    assert exports >= {"memberships.export_csv", "events.attendees_csv",
                       "outreach_missions.dashboard_csv", "impact.branch_report_csv"}
    for endpoint in sorted(exports):
        assert policy.needs_second_factor(endpoint), endpoint
        assert policy.needs_fresh_second_factor(endpoint), endpoint
        assert scraping.kind_of(endpoint) == "exports", endpoint
    assert policy.needs_fresh_second_factor("memberships.confirm_import")
    assert scraping.kind_of("profiles.export") == "exports"  # one's own data: counted only


def test_an_attendee_list_export_asks_again_after_fifteen_minutes(client, login_as, world,
                                                                   with_factor, make_event, db):
    officer = world.users["officer"]
    secret, _codes = with_factor(officer)
    event = make_event(world.branch)
    login_as(officer)
    assert client.get(f"/events/{event.id}/attendees.csv").status_code == 200
    db.execute(sa.update(LoginSession).where(LoginSession.user_id == officer.id)
               .values(second_factor_at=utcnow() - timedelta(minutes=16)))
    db.commit()
    response = client.get(f"/events/{event.id}/attendees.csv")
    assert "/account/security/again" in response.headers["Location"]
    assert client.get(f"/events/{event.id}/attendees").status_code == 200
    client.post("/account/security/again", data={"code": code_for(secret, 1)})
    assert client.get(f"/events/{event.id}/attendees.csv").status_code == 200
