"""The outbox page: admins only."""

import pytest

from tests.conftest import ROLES, admins_only, assert_answers, table_rows

# (method, url) -> {role: expected status}
TABLE = {
    ("GET", "/admin/outbox"): admins_only(200),
    ("POST", "/admin/outbox/999999/retry"): admins_only(404),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    response = login_as(world.users[role]).open(url, method=method)
    assert_answers(response, TABLE[method, url][role])
