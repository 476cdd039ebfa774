"""Every missions route x every role: the expected status."""

import pytest

from tests.conftest import ROLES, assert_answers, by_role, table_rows

# (method, url) -> {role: expected status}
TABLE = {
    ("GET", "/missions"): by_role(200),
    ("GET", "/missions/cg-test"): by_role(200),
    # An unknown mission.
    ("GET", "/missions/nowhere"): by_role(404),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    response = login_as(world.users[role]).open(url, method=method)
    assert_answers(response, TABLE[method, url][role])
