"""Destructive roster and membership actions ask first; a removal can be undone."""

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.memberships.models import MemberRole, Membership, MembershipStatus


def _membership(db, user, branch):
    return db.scalar(sa.select(Membership).where(Membership.user_id == user.id,
                                                 Membership.branch_id == branch.id))


def test_roster_links_to_a_confirm_step_for_remove_and_demote(world, login_as):
    page = login_as(world.users["officer"]).get("/branches/home/roster").get_data(as_text=True)
    member = world.users["member"].id
    assert f'href="/branches/home/roster/{member}/remove"' in page
    assert f'action="/branches/home/roster/{member}/remove"' not in page
    assert f'href="/branches/home/roster/{world.users["officer"].id}/demote"' in page
    assert "Step down" in page  # the officer's own row says what it means for them


def test_confirm_page_says_what_happens_and_changes_nothing(world, login_as, db):
    client = login_as(world.users["officer"])
    page = client.get(f"/branches/home/roster/{world.users['member'].id}/remove")
    body = page.get_data(as_text=True)
    assert "Remove Mia Member from" in body
    assert "restore them" in body
    assert f'action="/branches/home/roster/{world.users["member"].id}/remove"' in body
    assert _membership(db, world.users["member"], world.branch) is not None
    own = client.get(f"/branches/home/roster/{world.users['officer'].id}/demote")
    assert "You will no longer manage" in own.get_data(as_text=True)
    assert _membership(db, world.users["officer"], world.branch).role == MemberRole.OFFICER


def test_leave_asks_first_then_leaves(world, login_as, db):
    client = login_as(world.users["member"])
    page = client.get("/branches/home").get_data(as_text=True)
    assert 'href="/branches/home/leave"' in page
    confirm = client.get("/branches/home/leave").get_data(as_text=True)
    assert "You will no longer see" in confirm
    assert _membership(db, world.users["member"], world.branch) is not None
    client.post("/branches/home/leave")
    assert _membership(db, world.users["member"], world.branch) is None
    pending = login_as(world.users["pending"]).get("/branches/home/leave").get_data(as_text=True)
    assert "Withdraw your application" in pending


def test_removed_member_is_restored_from_the_roster(world, login_as, db, make_user,
                                                    make_membership):
    lapsed = make_user("Lapsed Lou")
    make_membership(lapsed, world.branch, status="lapsed")
    client = login_as(world.users["officer"])
    for user in (world.users["member"], lapsed):
        client.post(f"/branches/home/roster/{user.id}/remove")
        assert _membership(db, user, world.branch) is None
    roster = client.get("/branches/home/roster").get_data(as_text=True)
    assert "Recently removed" in roster
    assert f'action="/branches/home/roster/{lapsed.id}/restore"' in roster
    for user, status in ((world.users["member"], MembershipStatus.APPROVED),
                         (lapsed, MembershipStatus.LAPSED)):
        done = client.post(f"/branches/home/roster/{user.id}/restore", follow_redirects=True)
        assert "is back in the branch" in done.get_data(as_text=True)
        back = _membership(db, user, world.branch)
        assert (back.status, back.role) == (status, MemberRole.MEMBER)
    assert _membership(db, world.users["member"], world.branch).is_primary
    assert "Recently removed" not in client.get("/branches/home/roster").get_data(as_text=True)
    actions = db.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.action == "membership.restore")).all()
    assert len(actions) == 2


def test_restore_without_a_removal_is_refused(world, login_as, db):
    client = login_as(world.users["officer"])
    response = client.post(f"/branches/home/roster/{world.users['mission'].id}/restore",
                           follow_redirects=True)
    assert "no recent removal" in response.get_data(as_text=True)
    assert _membership(db, world.users["mission"], world.branch) is None
