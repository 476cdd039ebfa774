"""Sessions that end: new ids at sign-in, idle and absolute timeouts, the sessions list."""

from datetime import timedelta

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import LoginSession
from jetaa.db import utcnow
from jetaa.security.sessions import describe_device
from tests.conftest import PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def _age(db, user, **ago):  # noqa: ANN001, ANN003, ANN202
    """Move the user's sessions back in time: created and last seen `ago`."""
    then = utcnow() - timedelta(**ago)
    db.execute(sa.update(LoginSession).where(LoginSession.user_id == user.id)
               .values(created_at=then, last_seen_at=then))
    db.commit()


def test_signing_in_makes_a_new_session_and_a_new_csrf_secret(client, make_user, db):
    user = make_user()
    client.get("/login")
    with client.session_transaction() as session:
        session["csrf_token"] = "an-old-secret"
        session["locale"] = "ja"
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert session.get("csrf_token") != "an-old-secret"
        assert session["locale"] == "ja", "the chosen language stays"
        first = session["_user_id"].rsplit(":", 1)[1]
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert session["_user_id"].rsplit(":", 1)[1] != first


def test_an_idle_session_ends_sooner_for_privileged_roles(client, login_as, world, db):
    member, officer = world.users["member"], world.users["officer"]
    login_as(member)
    _age(db, member, minutes=45)
    assert client.get("/account").status_code == 200
    _age(db, member, minutes=121)
    assert client.get("/account").status_code == 302
    login_as(officer)
    _age(db, officer, minutes=31)
    assert client.get("/account").status_code == 302


def test_a_session_ends_after_twelve_hours_however_busy(client, login_as, make_user, db):
    user = make_user()
    login_as(user)
    db.execute(sa.update(LoginSession).values(created_at=utcnow() - timedelta(hours=12, minutes=1),
                                              last_seen_at=utcnow()))
    db.commit()
    assert client.get("/account").status_code == 302


def test_remember_me_lasts_thirty_days_for_members(client, make_user, db):
    user = make_user()
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    session = db.scalar(sa.select(LoginSession))
    assert session.remember is True
    _age(db, user, days=29)
    assert client.get("/account").status_code == 200
    _age(db, user, days=31)
    assert client.get("/account").status_code == 302


def test_use_is_noted_at_most_once_a_minute(client, login_as, make_user, db):
    user = make_user()
    login_as(user)
    _age(db, user, minutes=5)
    client.get("/account")
    seen = db.scalar(sa.select(LoginSession.last_seen_at))
    assert utcnow() - seen < timedelta(seconds=30)
    client.get("/account")
    assert db.scalar(sa.select(LoginSession.last_seen_at)) == seen


def test_the_account_lists_its_sessions_and_signs_one_out(app, make_user, db):
    user = make_user()
    phone, laptop = app.test_client(), app.test_client()
    for browser in (phone, laptop):
        browser.post("/login", data={"email": user.email, "password": PASSWORD},
                     headers={"User-Agent": FIREFOX})
    page = laptop.get("/account/security").get_data(as_text=True)
    assert page.count("Firefox on Windows") == 2
    assert "127.0.0.1" in page
    with phone.session_transaction() as session:
        phone_session = session["_user_id"].rsplit(":", 1)[1]
    response = laptop.post(f"/account/sessions/{phone_session}/end")
    assert response.status_code == 302
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200
    assert laptop.post("/account/sessions/someone-elses/end").status_code == 404


def test_an_admin_ends_a_members_sessions(client, login_as, world, app, db):
    member = world.users["member"]
    browser = app.test_client()
    browser.post("/login", data={"email": member.email, "password": PASSWORD})
    login_as(world.users["admin"])
    assert client.post(f"/admin/users/{member.id}/security/end-sessions").status_code == 302
    assert browser.get("/account").status_code == 302
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.sessions_ended"))
    assert entry.actor_id == world.users["admin"].id
    assert entry.object_id == member.id


def test_the_end_sessions_button_shows_only_when_there_are_sessions(client, login_as, world, app):
    member = world.users["member"]
    login_as(world.users["admin"])
    page = client.get(f"/admin/users/{member.id}/security").get_data(as_text=True)
    assert "Not signed in anywhere." in page
    assert "End every session" not in page
    app.test_client().post("/login", data={"email": member.email, "password": PASSWORD})
    page = client.get(f"/admin/users/{member.id}/security").get_data(as_text=True)
    assert "End every session" in page


def test_end_sessions_is_a_service_others_can_call(world, db, app):
    from jetaa.security.sessions import end_sessions

    member = world.users["member"]
    token = member.session_token
    with app.test_request_context():
        end_sessions(member, actor=world.users["admin"], reason="account disabled")
        db.commit()
    assert member.session_token != token
    assert not db.scalars(sa.select(LoginSession).where(LoginSession.user_id == member.id)).all()


def test_devices_are_named_from_the_user_agent():
    assert describe_device(FIREFOX) == "Firefox on Windows"
    iphone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
              "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
    assert describe_device(iphone) == "Safari on iPhone"
    assert describe_device("") == "Unknown device"
    assert describe_device("curl/8.5") == "curl"
