"""Every route of the memberships feature (joining, applications, roster), for every role."""

import pytest

from jetaa.memberships.permissions import can_join_branch
from tests.conftest import ROLES, assert_answers, by_role, home_managers, signed_in, table_rows

# (method, url) -> {role: expected status}; urls use {member}, {pending}, {officer} (user ids).
TABLE = {
    ("GET", "/branches/home/join"): signed_in(200, pending=302, member=302, officer=302),
    # Empty forms: re-rendered with messages for those who may post them.
    ("POST", "/branches/home/join"): signed_in(200, pending=302, member=302, officer=302),
    ("POST", "/branches/home/roster/import"): home_managers(200),
    ("GET", "/branches/home/applications"): home_managers(200),
    ("POST", "/branches/home/applications/{pending}"): home_managers(302),
    ("GET", "/branches/home/leave"): signed_in(302, pending=200, member=200, officer=200),
    ("POST", "/branches/home/leave"): signed_in(302),
    ("POST", "/branches/home/primary"): signed_in(302, other_officer=403, mission=403, admin=403),
    ("GET", "/branches/home/roster"): home_managers(200),
    ("POST", "/branches/home/roster/{member}/lapse"): home_managers(302),
    ("POST", "/branches/home/roster/{member}/promote"): home_managers(302),
    ("POST", "/branches/home/roster/{member}/reinstate"): home_managers(302),
    ("POST", "/branches/home/roster/{member}/remove"): home_managers(302),
    ("POST", "/branches/home/roster/{officer}/demote"): home_managers(302),
    ("GET", "/branches/home/roster/{member}/remove"): home_managers(200),
    ("GET", "/branches/home/roster/{officer}/demote"): home_managers(200),
    ("POST", "/branches/home/roster/{member}/restore"): home_managers(302),
    ("GET", "/branches/home/roster.csv"): home_managers(200),
    ("GET", "/branches/home/roster/sample.csv"): home_managers(200),
    ("GET", "/branches/home/roster/import"): home_managers(200),
    ("POST", "/branches/home/roster/import/confirm"): home_managers(302),
}
FORMS = {("POST", "/branches/home/applications/{pending}"): {"decision": "approve"}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    path = url.format(member=world.users["member"].id, pending=world.users["pending"].id,
                      officer=world.users["officer"].id)
    response = login_as(world.users[role]).open(path, method=method, data=FORMS.get((method, url)))
    assert_answers(response, TABLE[method, url][role])


# Who may apply to join: (own branch, other branch) for each role.
JOIN_OWN = by_role(False, other_officer=True, mission=True, admin=True)
JOIN_OTHER = by_role(False, pending=True, member=True, officer=True, mission=True, admin=True)


@pytest.mark.parametrize("role", ROLES)
def test_can_join_branch(world, role):
    user = world.users[role]
    assert can_join_branch(user, world.branch) is JOIN_OWN[role]
    assert can_join_branch(user, world.other_branch) is JOIN_OTHER[role]


def test_declined_and_lapsed_people_may_apply_again_pending_ones_wait(world, make_user,
                                                                      make_membership):
    for status in ("declined", "lapsed", "pending"):
        user = make_user()
        make_membership(user, world.branch, status=status)
        assert can_join_branch(user, world.branch) is (status != "pending")


def test_unconfirmed_account_cannot_join(world, make_user):
    assert not can_join_branch(make_user(confirmed=False), world.branch)
