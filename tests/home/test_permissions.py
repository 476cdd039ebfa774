"""The home and My events x every role."""

from __future__ import annotations

import pytest

from tests.conftest import ROLES, assert_answers, by_role, signed_in, table_rows

TABLE = {
    ("GET", "/"): by_role(200),
    ("GET", "/my/events"): signed_in(200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):  # noqa: ANN001
    assert_answers(login_as(world.users[role]).open(url, method=method), TABLE[method, url][role])


def test_visitors_keep_the_public_home(world, login_as):
    body = login_as(None).get("/").get_data(as_text=True)
    assert "Create an account" in body
    assert "Welcome," not in body
    assert "Welcome, Mia Member" in login_as(world.users["member"]).get("/").get_data(as_text=True)
