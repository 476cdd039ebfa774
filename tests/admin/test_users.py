"""Admin user management: finding, disabling (sessions end), re-enabling, staff, audit."""

from __future__ import annotations

import sqlalchemy as sa

from jetaa.admin.users import disable_user, enable_user
from jetaa.audit.models import AuditEntry
from jetaa.auth.models import LoginSession
from jetaa.missions.models import MissionStaff
from tests.conftest import PASSWORD


def test_find_by_name_or_address(world, login_as, make_user):
    make_user("José Núñez", "jose@example.net")
    client = login_as(world.users["admin"])
    assert "José Núñez" in client.get("/admin/users?q=nunez").get_data(as_text=True)
    found = client.get("/admin/users?q=JOSE@").get_data(as_text=True)
    assert "jose@example.net" in found
    assert "Mia Member" not in found
    assert "No account matches" in client.get("/admin/users?q=zzzz").get_data(as_text=True)


def test_account_page_shows_memberships_staff_and_audit(world, login_as):
    member = world.users["member"]
    client = login_as(world.users["admin"])
    client.post(f"/admin/users/{member.id}/staff", data={"mission_id": world.mission.id})
    page = client.get(f"/admin/users/{member.id}").get_data(as_text=True)
    assert "JETAA Home" in page
    assert world.mission.name in page
    assert "mission.staff_add" not in page
    page = client.get(f"/admin/users/{world.users['admin'].id}").get_data(as_text=True)
    assert "mission.staff_add" in page  # what the admin did


def test_disable_ends_sessions_and_sign_in_until_re_enabled(world, login_as, db):
    member, admin = world.users["member"], world.users["admin"]
    client = login_as(member)
    assert client.get("/my/events").status_code == 200
    disable_user(member, actor=admin)
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(LoginSession)
                     .where(LoginSession.user_id == member.id)) == 0
    assert client.get("/my/events").status_code == 302  # the session is over
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert client.get("/my/events").status_code == 302  # and signing in is refused
    enable_user(member, actor=admin)
    db.commit()
    client.post("/login", data={"email": member.email, "password": PASSWORD})
    assert client.get("/my/events").status_code == 200
    actions = list(db.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_id == member.id,
                                                                 AuditEntry.object_type == "user")))
    assert "user.disable" in actions
    assert "user.enable" in actions


def test_disable_through_the_page(world, login_as, db):
    member = world.users["member"]
    login_as(world.users["admin"]).post(f"/admin/users/{member.id}/disable")
    db.refresh(member)
    assert member.disabled_at is not None
    assert not member.is_active


def test_admins_cannot_disable_themselves_and_resend_needs_an_unconfirmed_address(
        world, login_as, db, make_user, outbox):
    admin = world.users["admin"]
    client = login_as(admin)
    client.post(f"/admin/users/{admin.id}/disable")
    db.refresh(admin)
    assert admin.disabled_at is None
    client.post(f"/admin/users/{world.users['member'].id}/resend-confirmation")
    assert outbox() == []
    newcomer = make_user("New Comer", confirmed=False)
    client.post(f"/admin/users/{newcomer.id}/resend-confirmation")
    assert [m.template for m in outbox()] == ["confirm_email"]


def test_appoint_and_remove_mission_staff(world, login_as, db):
    member = world.users["member"]
    client = login_as(world.users["admin"])
    client.post(f"/admin/users/{member.id}/staff", data={"mission_id": world.mission.id})
    assert db.scalar(sa.select(MissionStaff).where(MissionStaff.user_id == member.id))
    assert client.post(f"/admin/users/{member.id}/staff",
                       data={"mission_id": "99999"}).status_code == 404
    client.post(f"/admin/users/{member.id}/staff/{world.mission.id}/remove")
    assert db.scalar(sa.select(MissionStaff).where(MissionStaff.user_id == member.id)) is None
