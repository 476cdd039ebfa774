"""Every route of the members feature, for every role: (role, route, expected status)."""

import pytest

from tests.conftest import LOGIN, ROLES, assert_answers, by_role, home_managers, signed_in, table_rows

# (method, url) -> {role: expected status}; urls use {member}, {pending}, {officer} (user ids).
TABLE = {
    ("GET", "/directory"): signed_in(200, pending=403, mission=403),
    ("GET", "/branches/home/members"): by_role(403, anonymous=LOGIN, member=200, officer=200, admin=200),
    ("GET", "/members/{member}"): signed_in(200, pending=403, other_officer=404, mission=403),
    ("GET", "/profile/edit"): signed_in(200),
    ("GET", "/account/export.json"): signed_in(200),
    ("GET", "/account/delete"): signed_in(200),
    ("GET", "/branches/home/join"): signed_in(200, pending=302, member=302, officer=302),
    # Empty forms: re-rendered with messages for those who may post them.
    ("POST", "/branches/home/join"): signed_in(200, pending=302, member=302, officer=302),
    ("POST", "/profile/edit"): signed_in(200),
    ("POST", "/account/delete"): signed_in(200),
    ("POST", "/branches/home/roster/import"): home_managers(200),
    ("GET", "/branches/home/applications"): home_managers(200),
    ("POST", "/branches/home/applications/{pending}"): home_managers(302),
    ("POST", "/branches/home/leave"): signed_in(302),
    ("POST", "/branches/home/primary"): signed_in(302, other_officer=403, mission=403, admin=403),
    ("GET", "/branches/home/roster"): home_managers(200),
    ("POST", "/branches/home/roster/{member}/lapse"): home_managers(302),
    ("POST", "/branches/home/roster/{member}/promote"): home_managers(302),
    ("POST", "/branches/home/roster/{member}/reinstate"): home_managers(302),
    ("POST", "/branches/home/roster/{member}/remove"): home_managers(302),
    ("POST", "/branches/home/roster/{officer}/demote"): home_managers(302),
    ("GET", "/branches/home/roster.csv"): home_managers(200),
    ("GET", "/branches/home/roster/sample.csv"): home_managers(200),
    ("GET", "/branches/home/roster/import"): home_managers(200),
    ("POST", "/branches/home/roster/import/confirm"): home_managers(302),
    ("GET", "/api/directory"): by_role(200, anonymous=401, pending=403, mission=403),
    ("GET", "/api/members/{member}"): by_role(200, anonymous=401, pending=403, other_officer=404,
                                              mission=403),
}
FORMS = {("POST", "/branches/home/applications/{pending}"): {"decision": "approve"}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    path = url.format(member=world.users["member"].id, pending=world.users["pending"].id,
                      officer=world.users["officer"].id)
    response = login_as(world.users[role]).open(path, method=method, data=FORMS.get((method, url)))
    assert_answers(response, TABLE[method, url][role])


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
