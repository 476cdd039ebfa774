"""Every security route x every role (empty forms, no pending sign-in, no second factor)."""

import pytest

from tests.conftest import (
    LOGIN,
    ROLES,
    admins_only,
    assert_answers,
    by_role,
    signed_in,
    table_rows,
)

TABLE = {
    # No password was just given: back to the login page, whoever asks.
    ("GET", "/login/code"): by_role(LOGIN),
    ("POST", "/login/code"): by_role(LOGIN),
    ("GET", "/account/security"): signed_in(200),
    ("GET", "/account/security/setup"): signed_in(200),
    ("POST", "/account/security/setup"): signed_in(200),
    ("GET", "/account/security/again"): signed_in(302),  # no factor yet: set it up
    ("POST", "/account/security/again"): signed_in(302),
    ("POST", "/account/security/recovery-codes"): signed_in(302),
    ("POST", "/account/security/off"): signed_in(302),
    ("POST", "/account/sessions/not-a-session/end"): signed_in(404),
    ("GET", "/admin/security"): admins_only(200),
    ("GET", "/admin/users/{member}/security"): admins_only(200),
    ("POST", "/admin/users/{member}/security/reset-second-factor"): admins_only(302),
    ("POST", "/admin/users/{member}/security/end-sessions"): admins_only(302),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    path = url.format(member=world.users["member"].id)
    response = login_as(world.users[role]).open(path, method=method)
    assert_answers(response, TABLE[method, url][role])


def test_an_unknown_member_is_404(world, login_as):
    assert login_as(world.users["admin"]).get("/admin/users/999999/security").status_code == 404
