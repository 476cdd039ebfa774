"""Admin user management x every role."""

from __future__ import annotations

import pytest

from tests.conftest import ROLES, admins_only, assert_answers, table_rows

TABLE = {
    ("GET", "/admin/users"): admins_only(200),
    ("GET", "/admin/users?q=mia"): admins_only(200),
    ("GET", "/admin/users/{target}"): admins_only(200),
    ("GET", "/admin/users/999999"): admins_only(404),
    ("POST", "/admin/users/{target}/disable"): admins_only(302),
    ("POST", "/admin/users/{target}/enable"): admins_only(302),  # refused: not disabled
    ("POST", "/admin/users/{target}/resend-confirmation"): admins_only(302),
    ("POST", "/admin/users/{target}/staff"): admins_only(302),
    ("POST", "/admin/users/{target}/staff/{mission}/remove"): admins_only(302),  # refused
}
FORMS = {("POST", "/admin/users/{target}/staff"): {"mission_id": "{mission}"}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, make_user, login_as, role, method, url):  # noqa: ANN001
    ids = {"target": make_user("Tess Target", confirmed=False).id, "mission": world.mission.id}
    data = {k: v.format(**ids) for k, v in FORMS.get((method, url), {}).items()}
    response = login_as(world.users[role]).open(url.format(**ids), method=method, data=data)
    assert_answers(response, TABLE[method, url][role])
