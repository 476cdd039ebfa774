"""Joining, deciding, leaving, lapsing and officer appointments."""

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.branches.models import JoinPolicy
from jetaa.members.models import AlumniProfile
from jetaa.memberships.models import Membership
from tests.members.conftest import placement_form

MATSUMOTO = {"role": "ALT", "prefecture_code": "20", "municipality": "Matsumoto",
             "contracting_organisation": "Matsumoto BOE", "start_year": "2012",
             "end_year": "2014"}
NAGANO = {"role": "CIR", "prefecture_code": "20", "municipality": "Nagano",
          "start_year": "2014", "end_year": "2015"}
ANSWERS = {**placement_form(MATSUMOTO, NAGANO),
           "home_country": "US", "current_city": "Boston", "languages": ["fr"],
           "japanese_level": "business", "jlpt_level": "N2", "message": "Hello officers"}


def _membership(db, user, branch):
    return db.scalar(sa.select(Membership).where(Membership.user_id == user.id,
                                                 Membership.branch_id == branch.id))


def _actions(db):
    return [e.action for e in db.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_application_waits_for_an_officer_who_is_emailed(world, login_as, db, outbox,
                                                         prefectures):
    applicant = world.users["other_officer"]
    response = login_as(applicant).post("/branches/home/join", data=ANSWERS)
    assert response.status_code == 302
    membership = _membership(db, applicant, world.branch)
    assert membership.status.value == "pending"
    assert membership.application_message == "Hello officers"
    profile = db.get(AlumniProfile, applicant.id)
    assert profile.role_values == ["ALT", "CIR"]
    assert [p.municipality for p in profile.placements] == ["Matsumoto", "Nagano"]
    assert set(profile.member_set_fields) >= {"placements", "languages"}
    mails = [m for m in outbox() if m.template == "membership_application"]
    assert [m.to_address for m in mails] == [world.users["officer"].email]
    assert "membership.apply" in _actions(db)
    queue = login_as(world.users["officer"]).get("/branches/home/applications")
    assert "Otto Otherofficer" in queue.get_data(as_text=True)
    assert "Hello officers" in queue.get_data(as_text=True)
    assert ("ALT, Matsumoto, Nagano 2012–2014 (Matsumoto BOE)<br>CIR, Nagano, Nagano 2014–2015"
            in queue.get_data(as_text=True))


def test_open_branch_lets_people_in_at_once(world, login_as, db, prefectures):
    world.branch.join_policy = JoinPolicy.OPEN
    db.commit()
    login_as(world.users["mission"]).post("/branches/home/join", data=ANSWERS)
    membership = _membership(db, world.users["mission"], world.branch)
    assert membership.status.value == "approved"
    assert membership.is_primary
    assert "membership.join" in _actions(db)


def test_bad_answers_are_refused_and_kept(world, login_as, db, prefectures):
    data = dict(ANSWERS, **placement_form(dict(MATSUMOTO, start_year="2016", end_year="2012",
                                               prefecture_code="99", municipality="Kept Town")))
    response = login_as(world.users["mission"]).post("/branches/home/join", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The last year cannot be before the first year." in page
    assert "Not a valid choice" in page
    assert 'value="Kept Town"' in page
    assert _membership(db, world.users["mission"], world.branch) is None
    data = dict(ANSWERS, **placement_form(MATSUMOTO, dict(NAGANO, start_year="1950")))
    page = login_as(world.users["mission"]).post("/branches/home/join", data=data)
    assert "Enter a year between 1987 and 2030." in page.get_data(as_text=True)


def test_officer_approves_with_a_message_and_the_applicant_is_told(world, login_as, db, outbox):
    pending = world.users["pending"]
    response = login_as(world.users["officer"]).post(
        f"/branches/home/applications/{pending.id}",
        data={"decision": "approve", "message": "Welcome aboard"})
    assert response.status_code == 302
    membership = _membership(db, pending, world.branch)
    assert membership.status.value == "approved"
    assert membership.decided_by_id == world.users["officer"].id
    mail = outbox()[-1]
    assert mail.to_address == pending.email
    assert mail.template == "membership_approved"
    assert "Welcome aboard" in mail.body_text
    entry = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "membership.approve")).one()
    assert entry.payload["message"] == "Welcome aboard"
    assert login_as(pending).get("/directory").status_code == 200


def test_officer_declines_and_a_decision_is_final(world, login_as, db, outbox):
    pending = world.users["pending"]
    client = login_as(world.users["officer"])
    client.post(f"/branches/home/applications/{pending.id}",
                data={"decision": "decline", "message": "Wrong city"})
    assert _membership(db, pending, world.branch).status.value == "declined"
    assert outbox()[-1].template == "membership_declined"
    assert "membership.decline" in _actions(db)
    client.post(f"/branches/home/applications/{pending.id}", data={"decision": "approve"})
    assert _membership(db, pending, world.branch).status.value == "declined"


def test_several_branches_one_primary_and_leaving(world, login_as, db, make_membership):
    member = world.users["member"]
    make_membership(member, world.other_branch, primary=False)
    client = login_as(member)
    client.post("/branches/away/primary")
    assert _membership(db, member, world.other_branch).is_primary
    assert not _membership(db, member, world.branch).is_primary
    client.post("/branches/away/leave")
    assert _membership(db, member, world.other_branch) is None
    assert _membership(db, member, world.branch).is_primary
    assert "membership.leave" in _actions(db)


def test_the_last_officer_cannot_leave_or_be_demoted(world, login_as, db):
    officer = world.users["officer"]
    client = login_as(officer)
    page = client.post("/branches/home/leave", follow_redirects=True).get_data(as_text=True)
    assert "at least one officer" in page
    client.post(f"/branches/home/roster/{officer.id}/demote")
    assert _membership(db, officer, world.branch).role.value == "officer"
    client.post(f"/branches/home/roster/{officer.id}/lapse")
    assert _membership(db, officer, world.branch).status.value == "approved"


def test_promote_then_demote_and_admin_appoints_the_first(world, login_as, db,
                                                           make_user, make_membership):
    member = world.users["member"]
    client = login_as(world.users["officer"])
    client.post(f"/branches/home/roster/{member.id}/promote")
    assert _membership(db, member, world.branch).role.value == "officer"
    client.post(f"/branches/home/roster/{member.id}/demote")
    assert _membership(db, member, world.branch).role.value == "member"
    newcomer = make_user("Nina New")
    make_membership(newcomer, world.other_branch)
    away_officer = _membership(db, world.users["other_officer"], world.other_branch)
    db.delete(away_officer)
    db.commit()
    login_as(world.users["admin"]).post(f"/branches/away/roster/{newcomer.id}/promote")
    assert _membership(db, newcomer, world.other_branch).role.value == "officer"
    assert _actions(db).count("membership.promote") == 2


def test_lapse_reinstate_and_remove(world, login_as, db):
    member = world.users["member"]
    client = login_as(world.users["officer"])
    client.post(f"/branches/home/roster/{member.id}/lapse")
    assert _membership(db, member, world.branch).status.value == "lapsed"
    assert login_as(member).get("/directory").status_code == 403
    client = login_as(world.users["officer"])
    client.post(f"/branches/home/roster/{member.id}/reinstate")
    assert _membership(db, member, world.branch).status.value == "approved"
    client.post(f"/branches/home/roster/{member.id}/remove")
    assert _membership(db, member, world.branch) is None
    assert {"membership.lapse", "membership.reinstate", "membership.remove"} <= set(_actions(db))


def test_other_branch_officer_cannot_touch_this_roster(world, login_as, db):
    member = world.users["member"]
    response = login_as(world.users["other_officer"]).post(
        f"/branches/home/roster/{member.id}/remove")
    assert response.status_code == 403
    assert _membership(db, member, world.branch) is not None


def test_branch_page_offers_the_right_action(world, login_as):
    page = login_as(None).get("/branches/home").get_data(as_text=True)
    assert "Log in to join" in page
    assert "/login?next=" in page
    page = login_as(world.users["other_officer"]).get("/branches/home").get_data(as_text=True)
    assert "Apply to join" in page
    assert 'href="/branches/home/join"' in page
    page = login_as(world.users["pending"]).get("/branches/home").get_data(as_text=True)
    assert "Withdraw my application" in page
    assert "Apply to join" not in page
    page = login_as(world.users["member"]).get("/branches/home").get_data(as_text=True)
    assert "Leave this branch" in page
    assert 'href="/branches/home/members"' in page
    page = login_as(world.users["officer"]).get("/branches/home").get_data(as_text=True)
    assert 'href="/branches/home/applications"' in page


def test_unconfirmed_account_is_asked_to_confirm_first(login_as, make_user, make_branch, db):
    make_branch(slug="somewhere")
    user = make_user("Una Unconfirmed", confirmed=False)
    response = login_as(user).get("/branches/somewhere/join", follow_redirects=True)
    assert "Confirm your e-mail address first" in response.get_data(as_text=True)
    assert db.scalars(sa.select(Membership)).all() == []


def test_the_join_form_adds_a_placement_row_without_saving(world, login_as, db, prefectures):
    client = login_as(world.users["mission"])
    page = client.get("/branches/home/join").get_data(as_text=True)
    assert 'name="placements-0-role"' in page
    assert "Add another placement" in page
    page = client.post("/branches/home/join", data=dict(ANSWERS, add_placement="1")
                       ).get_data(as_text=True)
    assert 'name="placements-2-municipality"' in page
    assert _membership(db, world.users["mission"], world.branch) is None
