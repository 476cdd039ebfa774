"""Every core route (home, health check, about, language) x every role: the expected status."""

import pytest

from tests.conftest import ROLES, assert_answers, by_role, table_rows

# (method, url) -> {role: expected status}
TABLE = {
    ("GET", "/"): by_role(200),
    ("GET", "/healthz"): by_role(200),
    ("GET", "/about"): by_role(200),
    ("POST", "/language"): by_role(302),
}
FORMS = {("POST", "/language"): {"language": "en"}}

WRONG_METHOD = [("GET", "/language"), ("POST", "/healthz")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    response = login_as(world.users[role]).open(url, method=method, data=FORMS.get((method, url)))
    assert_answers(response, TABLE[method, url][role])


@pytest.mark.parametrize(("method", "url"), WRONG_METHOD)
def test_wrong_method_is_405(world, login_as, method, url):
    assert login_as(world.users["admin"]).open(url, method=method).status_code == 405
