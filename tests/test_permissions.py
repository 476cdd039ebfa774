"""jetaa/permissions.py: the roles everyone's questions are built from, loaded once per request.

`own` is the world's `home` branch, `other` is `away`. The feature's own questions
(can_manage_branch, can_view_event, can_see_profile ...) are tested beside their
feature, in tests/<feature>/test_permissions.py.
"""

import pytest
from flask import Flask
from werkzeug.exceptions import Forbidden

from jetaa import permissions
from jetaa.missions.models import MissionStaff
from tests.conftest import ROLES, by_role

# question -> (own branch, other branch)
BRANCH_QUESTIONS = {
    "is_member_of": (by_role(False, member=True, officer=True), by_role(False, other_officer=True)),
    "is_officer_of": (by_role(False, officer=True), by_role(False, other_officer=True)),
}


@pytest.mark.parametrize("question", list(BRANCH_QUESTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_branch_roles(world, question, role):
    own, other = BRANCH_QUESTIONS[question]
    ask = getattr(permissions, question)
    assert ask(world.users[role], world.branch) is own[role]
    assert ask(world.users[role], world.other_branch) is other[role]


USER_QUESTIONS = {
    "signed_in": by_role(True, anonymous=False),
    "is_admin": by_role(False, admin=True),
    "is_approved_member": by_role(False, member=True, officer=True, other_officer=True),
    "is_mission_staff": by_role(False, mission=True),
}


@pytest.mark.parametrize("question", list(USER_QUESTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_user_roles(world, question, role):
    assert bool(getattr(permissions, question)(world.users[role])) is USER_QUESTIONS[question][role]


@pytest.mark.parametrize("role", ROLES)
def test_officer_branch_ids_and_mission_ids(world, role):
    user = world.users[role]
    expected_branches = {"officer": {world.branch.id},
                         "other_officer": {world.other_branch.id}}.get(role, set())
    assert permissions.officer_branch_ids(user) == expected_branches
    assert permissions.mission_ids_of(user) == ({world.mission.id} if role == "mission" else set())


def test_declined_lapsed_and_pending_officers_have_no_powers(world, make_user, make_membership):
    for status in ("declined", "lapsed", "pending"):
        user = make_user()
        make_membership(user, world.branch, role="officer", status=status)
        assert not permissions.is_member_of(user, world.branch)
        assert not permissions.is_officer_of(user, world.branch)
        assert permissions.officer_branch_ids(user) == set()
        assert permissions.approved_branch_ids(user) == set()


def test_memberships_are_cached_until_forgotten(world, make_membership, db):
    member = world.users["member"]
    assert not permissions.is_member_of(member, world.other_branch)
    make_membership(member, world.other_branch, primary=False)
    # One query per request: the answer is the cached one until told to forget.
    assert not permissions.is_member_of(member, world.other_branch)
    permissions.forget_cached_roles()
    assert permissions.is_member_of(member, world.other_branch)


def test_mission_roles_are_cached_until_forgotten(world, db):
    member = world.users["member"]
    assert not permissions.is_mission_staff(member)
    db.add(MissionStaff(user_id=member.id, mission_id=world.mission.id))
    db.commit()
    assert not permissions.is_mission_staff(member)
    permissions.forget_cached_roles()
    assert permissions.is_mission_staff(member)


@pytest.mark.parametrize("role", ["admin", "member", "pending"])
def test_admin_required(app: Flask, world, login_as, role):
    calls = []

    @permissions.admin_required
    def view():
        calls.append(1)
        return "ok"

    user = world.users[role]
    with app.test_request_context():
        from flask_login import login_user

        login_user(user)
        if role == "admin":
            assert view() == "ok"
        else:
            with pytest.raises(Forbidden):
                view()
    assert len(calls) == (1 if role == "admin" else 0)


def test_admin_required_sends_visitors_to_log_in(app: Flask):
    @permissions.admin_required
    def view():
        raise AssertionError("must not run")

    with app.test_request_context("/admin"):
        response = view()
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_require():
    permissions.require(True)
    with pytest.raises(Forbidden):
        permissions.require(False)
