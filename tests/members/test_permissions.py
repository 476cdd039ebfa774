"""Every route of the members feature, for every role: (role, route, expected status)."""

import pytest

from tests.conftest import ROLES

# Columns follow ROLES: anonymous, pending, member, officer, other_officer, mission, admin.
TABLE = {
    ("GET", "/directory"): (302, 403, 200, 200, 200, 403, 200),
    ("GET", "/branches/home/members"): (302, 403, 200, 200, 403, 403, 200),
    ("GET", "/members/{member}"): (302, 403, 200, 200, 404, 403, 200),
    ("GET", "/profile/edit"): (302, 200, 200, 200, 200, 200, 200),
    ("GET", "/account/export.json"): (302, 200, 200, 200, 200, 200, 200),
    ("GET", "/account/delete"): (302, 200, 200, 200, 200, 200, 200),
    ("GET", "/branches/home/join"): (302, 302, 302, 302, 200, 200, 200),
    # Empty forms: re-rendered with messages for those who may post them.
    ("POST", "/branches/home/join"): (302, 302, 302, 302, 200, 200, 200),
    ("POST", "/profile/edit"): (302, 200, 200, 200, 200, 200, 200),
    ("POST", "/account/delete"): (302, 200, 200, 200, 200, 200, 200),
    ("POST", "/branches/home/roster/import"): (302, 403, 403, 200, 403, 403, 200),
    ("GET", "/branches/home/applications"): (302, 403, 403, 200, 403, 403, 200),
    ("POST", "/branches/home/applications/{pending}"): (302, 403, 403, 302, 403, 403, 302),
    ("POST", "/branches/home/leave"): (302, 302, 302, 302, 302, 302, 302),
    ("POST", "/branches/home/primary"): (302, 302, 302, 302, 403, 403, 403),
    ("GET", "/branches/home/roster"): (302, 403, 403, 200, 403, 403, 200),
    ("POST", "/branches/home/roster/{member}/lapse"): (302, 403, 403, 302, 403, 403, 302),
    ("POST", "/branches/home/roster/{member}/promote"): (302, 403, 403, 302, 403, 403, 302),
    ("POST", "/branches/home/roster/{member}/reinstate"): (302, 403, 403, 302, 403, 403, 302),
    ("POST", "/branches/home/roster/{member}/remove"): (302, 403, 403, 302, 403, 403, 302),
    ("POST", "/branches/home/roster/{officer}/demote"): (302, 403, 403, 302, 403, 403, 302),
    ("GET", "/branches/home/roster.csv"): (302, 403, 403, 200, 403, 403, 200),
    ("GET", "/branches/home/roster/sample.csv"): (302, 403, 403, 200, 403, 403, 200),
    ("GET", "/branches/home/roster/import"): (302, 403, 403, 200, 403, 403, 200),
    ("POST", "/branches/home/roster/import/confirm"): (302, 403, 403, 302, 403, 403, 302),
    ("GET", "/api/directory"): (401, 403, 200, 200, 200, 403, 200),
    ("GET", "/api/members/{member}"): (401, 403, 200, 200, 404, 403, 200),
}
CASES = [(method, route, role, expected[i])
         for (method, route), expected in TABLE.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("method", "route", "role", "expected"), CASES,
                         ids=[f"{m} {r} {role}" for m, r, role, _ in CASES])
def test_route_answers_each_role(world, login_as, method, route, role, expected):
    client = login_as(world.users[role])
    url = route.format(member=world.users["member"].id, pending=world.users["pending"].id,
                       officer=world.users["officer"].id)
    data = {"decision": "approve"} if "applications/" in url else {}
    response = client.open(url, method=method, data=data)
    assert response.status_code == expected
    if expected == 302 and role == "anonymous":
        assert "/login" in response.headers["Location"]


def test_api_errors_are_json(world, login_as):
    assert login_as(None).get("/api/directory").json["status"] == 401
    client = login_as(world.users["pending"])
    assert client.get("/api/directory").json["status"] == 403
    client = login_as(world.users["member"])
    response = client.get("/api/members/999999")
    assert response.status_code == 404
    assert response.json["status"] == 404
    assert client.get("/api/no-such-thing").json["status"] == 404
    response = client.get("/api/directory?year_from=1900")
    assert response.status_code == 400
    assert "year_from" in response.json["fields"]


def test_nav_shows_directory_and_branch_admin_to_officers(world, login_as):
    page = login_as(world.users["officer"]).get("/branches").get_data(as_text=True)
    assert 'href="/directory"' in page
    assert 'href="/branches/home/roster"' in page
    page = login_as(world.users["pending"]).get("/branches").get_data(as_text=True)
    assert 'href="/directory"' not in page
    page = login_as(world.users["member"]).get("/branches").get_data(as_text=True)
    assert 'href="/directory"' in page
    assert "/roster" not in page
