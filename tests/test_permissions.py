"""jetaa/permissions.py as role x action x (own branch / other branch) tables.

`own` is the world's `home` branch (and its mission), `other` is `away` (and a
second mission). Each row lists the seven roles in ROLES order.
"""

import pytest
from flask import Flask
from werkzeug.exceptions import Forbidden, NotFound

from jetaa import permissions
from jetaa.members.models import Visibility
from jetaa.missions.models import MissionStaff
from tests.conftest import ROLES

T, F = True, False


def _row(*values: bool) -> dict[str, bool]:
    assert len(values) == len(ROLES)
    return dict(zip(ROLES, values, strict=True))


# (function, own branch, other branch); values in ROLES order:
#                anonymous pending member officer other_officer mission admin
BRANCH_QUESTIONS = [
    ("is_member_of",
     _row(F, F, T, T, F, F, F), _row(F, F, F, F, T, F, F)),
    ("is_officer_of",
     _row(F, F, F, T, F, F, F), _row(F, F, F, F, T, F, F)),
    ("can_manage_branch",
     _row(F, F, F, T, F, F, T), _row(F, F, F, F, T, F, T)),
    ("can_edit_branch_details",
     _row(F, F, F, T, F, F, T), _row(F, F, F, F, T, F, T)),
    ("can_change_join_policy",
     _row(F, F, F, T, F, F, T), _row(F, F, F, F, T, F, T)),
    ("can_appoint_officer",
     _row(F, F, F, T, F, F, T), _row(F, F, F, F, T, F, T)),
    ("can_join_branch",
     _row(F, F, F, F, T, T, T), _row(F, T, T, T, F, T, T)),
]


@pytest.mark.parametrize(("question", "own", "other"), BRANCH_QUESTIONS,
                         ids=[q[0] for q in BRANCH_QUESTIONS])
@pytest.mark.parametrize("role", ROLES)
def test_branch_questions(world, question, own, other, role):
    ask = getattr(permissions, question)
    user = world.users[role]
    assert ask(user, world.branch) is own[role]
    assert ask(user, world.other_branch) is other[role]


# Questions without a branch; values in ROLES order.
USER_QUESTIONS = [
    ("is_admin", _row(F, F, F, F, F, F, T)),
    ("is_approved_member", _row(F, F, T, T, T, F, F)),
    ("is_mission_staff", _row(F, F, F, F, F, T, F)),
    ("can_view_federation_reports", _row(F, F, F, F, F, F, T)),
    ("can_view_audit", _row(F, F, F, F, F, F, T)),
    ("can_edit_reference_data", _row(F, F, F, F, F, F, T)),
]


@pytest.mark.parametrize(("question", "expected"), USER_QUESTIONS,
                         ids=[q[0] for q in USER_QUESTIONS])
@pytest.mark.parametrize("role", ROLES)
def test_user_questions(world, question, expected, role):
    assert getattr(permissions, question)(world.users[role]) is expected[role]


@pytest.fixture
def other_mission(make_mission):
    return make_mission(slug="cg-elsewhere")


#                       anonymous pending member officer other_officer mission admin
MISSION_OWN = _row(F, F, F, F, F, T, T)
MISSION_OTHER = _row(F, F, F, F, F, F, T)


@pytest.mark.parametrize("role", ROLES)
def test_can_act_for_mission(world, other_mission, role):
    user = world.users[role]
    assert permissions.can_act_for_mission(user, world.mission) is MISSION_OWN[role]
    assert permissions.can_act_for_mission(user, other_mission) is MISSION_OTHER[role]


@pytest.mark.parametrize("role", ROLES)
def test_can_see_mission_branch(world, other_mission, role):
    """Staff see the branches in their own mission's jurisdiction only."""
    user = world.users[role]
    see = permissions.can_see_mission_branch
    assert see(user, world.mission, world.branch) is MISSION_OWN[role]
    # `away` is not in the mission's jurisdiction, and the other mission is not theirs.
    assert see(user, world.mission, world.other_branch) is (role == "admin")
    assert see(user, other_mission, world.branch) is (role == "admin")


@pytest.mark.parametrize(("role", "label"), [
    ("pending", "pending"), ("member", "member"), ("officer", "officer"),
    ("other_officer", "officer"), ("mission", "mission"), ("admin", "admin"),
])
def test_role_label(world, role, label):
    assert permissions.role_label(world.users[role]) == label


def test_role_label_of_an_account_without_roles(make_user):
    assert permissions.role_label(make_user()) == "account"


@pytest.mark.parametrize("role", ROLES)
def test_officer_branch_ids_and_mission_ids(world, role):
    user = world.users[role]
    expected_branches = {"officer": {world.branch.id},
                         "other_officer": {world.other_branch.id}}.get(role, set())
    assert permissions.officer_branch_ids(user) == expected_branches
    assert permissions.mission_ids_of(user) == ({world.mission.id} if role == "mission" else set())


def test_declined_and_lapsed_officers_have_no_powers(world, make_user, make_membership):
    for status in ("declined", "lapsed", "pending"):
        user = make_user()
        make_membership(user, world.branch, role="officer", status=status)
        assert not permissions.is_member_of(user, world.branch)
        assert not permissions.is_officer_of(user, world.branch)
        assert not permissions.can_manage_branch(user, world.branch)
        # Declined and lapsed people may apply again; pending ones wait.
        assert permissions.can_join_branch(user, world.branch) is (status != "pending")


def test_unconfirmed_account_cannot_join(world, make_user):
    user = make_user(confirmed=False)
    assert not permissions.can_join_branch(user, world.branch)


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


# can_see_profile: the owner is an approved member of `home` (own) or `away` (other).
# Values in ROLES order, for each visibility.
# A profile is never hidden from the officers of the member's own branch: "hidden"
# (meant for contact details) reads as "officers" for the profile itself.
PROFILE_OWN = {
    Visibility.HIDDEN: _row(F, F, F, T, F, F, T),
    Visibility.OFFICERS: _row(F, F, F, T, F, F, T),
    Visibility.BRANCHES: _row(F, F, T, T, F, F, T),
    Visibility.FEDERATION: _row(F, F, T, T, T, F, T),
}
PROFILE_OTHER = {
    Visibility.HIDDEN: _row(F, F, F, F, T, F, T),
    Visibility.OFFICERS: _row(F, F, F, F, T, F, T),
    Visibility.BRANCHES: _row(F, F, F, F, T, F, T),
    Visibility.FEDERATION: _row(F, F, T, T, T, F, T),
}


@pytest.mark.parametrize("visibility", list(Visibility), ids=[v.value for v in Visibility])
@pytest.mark.parametrize("role", ROLES)
def test_can_see_profile(world, make_user, make_membership, visibility, role):
    viewer = world.users[role]
    own_owner, other_owner = make_user(), make_user()
    make_membership(own_owner, world.branch)
    make_membership(other_owner, world.other_branch)
    see = permissions.can_see_profile
    assert see(viewer, own_owner.id, {world.branch.id}, visibility.value) is PROFILE_OWN[visibility][role]
    assert see(viewer, other_owner.id, {world.other_branch.id}, visibility.value) \
        is PROFILE_OTHER[visibility][role]


@pytest.mark.parametrize("visibility", list(Visibility), ids=[v.value for v in Visibility])
def test_everyone_sees_their_own_profile(world, visibility):
    member = world.users["member"]
    assert permissions.can_see_profile(member, member.id, {world.branch.id}, visibility.value)


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


def test_require_and_get_branch_or_404(world):
    permissions.require(True)
    with pytest.raises(Forbidden):
        permissions.require(False)
    assert permissions.get_branch_or_404("home").id == world.branch.id
    with pytest.raises(NotFound):
        permissions.get_branch_or_404("nowhere")


@pytest.mark.parametrize("visibility", list(Visibility), ids=[v.value for v in Visibility])
def test_someone_in_no_branch_is_shown_to_no_other_member(world, visibility):
    """Left or lapsed everywhere: the gate itself says no (event attendees ask it too)."""
    owner = world.users["member"]
    for role in ("officer", "other_officer", "mission", "pending"):
        assert not permissions.can_see_profile(world.users[role], owner.id, set(), visibility.value)
        assert not permissions.can_see_contact(world.users[role], owner.id, set(),
                                               visibility.value, visibility.value)
    assert permissions.can_see_profile(owner, owner.id, set(), visibility.value)
    assert permissions.can_see_profile(world.users["admin"], owner.id, set(), visibility.value)
