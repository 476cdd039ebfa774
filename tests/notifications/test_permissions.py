"""The notification settings page x every role."""

from __future__ import annotations

import pytest

from tests.conftest import ROLES, assert_answers, signed_in, table_rows

TABLE = {
    ("GET", "/account/notifications"): signed_in(200),
    ("POST", "/account/notifications"): signed_in(302),  # every box unticked: saved
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):  # noqa: ANN001
    assert_answers(login_as(world.users[role]).open(url, method=method), TABLE[method, url][role])
