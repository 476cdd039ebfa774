"""Every account route (register, log in and out, passwords, e-mail) x every role.

The posts are empty forms: re-rendered with messages for whoever may post them.
"""

import pytest

from tests.conftest import ROLES, assert_answers, by_role, signed_in, table_rows

# (method, url) -> {role: expected status}
TABLE = {
    ("GET", "/register"): by_role(302, anonymous=200),
    ("POST", "/register"): by_role(302, anonymous=200),
    ("GET", "/register/check-email"): by_role(200),
    ("GET", "/confirm/not-a-token"): by_role(302),
    ("GET", "/login"): by_role(200),
    ("POST", "/login"): by_role(200),
    ("POST", "/logout"): by_role(302),
    ("GET", "/forgot-password"): by_role(200),
    ("POST", "/forgot-password"): by_role(200),
    ("GET", "/reset-password/not-a-token"): by_role(302),
    ("POST", "/reset-password/not-a-token"): by_role(302),
    ("GET", "/account"): signed_in(200),
    ("GET", "/account/password"): signed_in(200),
    ("POST", "/account/password"): signed_in(200),
    ("GET", "/account/email"): signed_in(200),
    ("POST", "/account/email"): signed_in(200),
    ("POST", "/account/sign-out-everywhere"): signed_in(302),
    ("GET", "/account/email/not-a-token"): by_role(302),
}

WRONG_METHOD = [("GET", "/logout")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    response = login_as(world.users[role]).open(url, method=method)
    assert_answers(response, TABLE[method, url][role])


@pytest.mark.parametrize(("method", "url"), WRONG_METHOD)
def test_wrong_method_is_405(world, login_as, method, url):
    assert login_as(world.users["admin"]).open(url, method=method).status_code == 405
