"""Every route, every role, GET and POST: the expected status.

The table is keyed by (method, URL rule). test_every_route_is_in_the_table
fails when a route is added to the app without a row here.
"""

from collections import defaultdict

import pytest
import sqlalchemy as sa

from jetaa.reference.models import Prefecture
from tests.conftest import ROLES

LOGIN = "login"  # 302 to the login page


def everyone(status: int | str) -> dict[str, int | str]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int | str) -> dict[str, int | str]:
    """Visitors are sent to log in; everyone signed in gets `status`."""
    return {**everyone(status), "anonymous": LOGIN}


def admins(status: int | str) -> dict[str, int | str]:
    return {**everyone(403), "anonymous": LOGIN, "admin": status}


def managers_of_home(status: int | str) -> dict[str, int | str]:
    return {**everyone(403), "anonymous": LOGIN, "officer": status, "admin": status}


BRANCH_FORM = {"name": "JETAA Home", "region": "Here", "timezone": "Europe/London",
               "contact_email": "home@example.org", "website": "https://home.example.org",
               "description": "Home.", "join_policy": "approval"}
MISSION_FORM = {"name": "Consulate-General of Japan in Test", "name_ja": "", "kind": "embassy",
                "city": "Test City", "timezone": "America/Chicago", "website": ""}
PREFECTURE_FORM = {"name": "Tokyo", "name_ja": "東京都", "region": "Kanto", "region_ja": "関東"}

# (method, rule) -> (url, form data, {role: expected status})
ROUTES = {
    ("GET", "/"): ("/", None, everyone(200)),
    ("GET", "/healthz"): ("/healthz", None, everyone(200)),
    ("GET", "/about"): ("/about", None, everyone(200)),
    ("POST", "/language"): ("/language", {"language": "en"}, everyone(302)),
    ("GET", "/register"): ("/register", None, {**everyone(302), "anonymous": 200}),
    ("POST", "/register"): ("/register", {}, {**everyone(302), "anonymous": 200}),
    ("GET", "/register/check-email"): ("/register/check-email", None, everyone(200)),
    ("GET", "/confirm/<token>"): ("/confirm/not-a-token", None, everyone(302)),
    ("GET", "/login"): ("/login", None, everyone(200)),
    ("POST", "/login"): ("/login", {}, everyone(200)),
    ("POST", "/logout"): ("/logout", {}, everyone(302)),
    ("GET", "/forgot-password"): ("/forgot-password", None, everyone(200)),
    ("POST", "/forgot-password"): ("/forgot-password", {}, everyone(200)),
    ("GET", "/reset-password/<token>"): ("/reset-password/not-a-token", None, everyone(302)),
    ("POST", "/reset-password/<token>"): ("/reset-password/not-a-token", {}, everyone(302)),
    ("GET", "/account"): ("/account", None, signed_in(200)),
    ("GET", "/account/password"): ("/account/password", None, signed_in(200)),
    ("POST", "/account/password"): ("/account/password", {}, signed_in(200)),
    ("GET", "/account/email"): ("/account/email", None, signed_in(200)),
    ("POST", "/account/email"): ("/account/email", {}, signed_in(200)),
    ("GET", "/account/email/<token>"): ("/account/email/not-a-token", None, everyone(302)),
    ("GET", "/branches"): ("/branches", None, everyone(200)),
    ("GET", "/branches/<slug>"): ("/branches/home", None, everyone(200)),
    ("GET", "/branches/<slug>/edit"): ("/branches/home/edit", None, managers_of_home(200)),
    ("POST", "/branches/<slug>/edit"): ("/branches/home/edit", BRANCH_FORM, managers_of_home(302)),
    ("GET", "/missions"): ("/missions", None, everyone(200)),
    ("GET", "/missions/<slug>"): ("/missions/cg-test", None, everyone(200)),
    ("GET", "/admin"): ("/admin", None, admins(200)),
    ("GET", "/admin/audit"): ("/admin/audit", None, admins(200)),
    ("GET", "/admin/reference"): ("/admin/reference", None, admins(200)),
    ("GET", "/admin/missions/<slug>/edit"): ("/admin/missions/cg-test/edit", None, admins(200)),
    ("POST", "/admin/missions/<slug>/edit"):
        ("/admin/missions/cg-test/edit", MISSION_FORM, admins(302)),
    ("GET", "/admin/prefectures/<int:code>/edit"): ("/admin/prefectures/13/edit", None, admins(200)),
    ("POST", "/admin/prefectures/<int:code>/edit"):
        ("/admin/prefectures/13/edit", PREFECTURE_FORM, admins(302)),
}

# Unknown objects: 404 for whoever may otherwise see the page.
MISSING = [
    ("GET", "/branches/nowhere", everyone(404)),
    ("GET", "/branches/nowhere/edit", signed_in(404)),
    ("GET", "/missions/nowhere", everyone(404)),
    ("GET", "/admin/missions/nowhere/edit", admins(404)),
    ("GET", "/admin/prefectures/99/edit", admins(404)),
]

# Wrong methods.
WRONG_METHOD = [("GET", "/logout"), ("GET", "/language"), ("POST", "/branches"),
                ("POST", "/healthz"), ("POST", "/admin")]


@pytest.fixture
def prefecture(db):
    db.add(Prefecture(code=13, slug="tokyo", name="Tokyo", name_ja="東京都", region="Kanto"))
    db.commit()


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected, response.get_data(as_text=True)[:500]


def _feature_tables() -> list[dict]:
    """Each feature's own (method, url) -> statuses table, in its tests folder."""
    from tests.events.test_permissions import TABLE as EVENTS
    from tests.members.test_permissions import TABLE as MEMBERS

    return [MEMBERS, EVENTS]


def _covered(app) -> set[tuple[str, str]]:
    """(method, endpoint) of every row here and in the feature tables."""
    adapter = app.url_map.bind("jetaa.test")
    placeholders = defaultdict(lambda: "1")
    rows = [(method, url) for (method, _rule), (url, _data, _exp) in ROUTES.items()]
    rows += [(method, url) for table in _feature_tables() for method, url in table]
    covered = set()
    for method, url in rows:
        path = url.format_map(placeholders).split("?")[0]
        endpoint, _args = adapter.match(path, method=method)
        covered.add((method, endpoint))
    return covered


def test_every_route_is_in_a_table(app):
    routes = {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - _covered(app))
    assert not missing, "add these routes to a (role, route, status) table"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "rule"), list(ROUTES), ids=[f"{m} {r}" for m, r in ROUTES])
def test_route_answers_each_role(world, prefecture, login_as, role, method, rule):
    url, data, expected = ROUTES[(method, rule)]
    client = login_as(world.users[role])
    response = client.open(url, method=method, data=data)
    _check(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "expected"), MISSING, ids=[m[1] for m in MISSING])
def test_unknown_objects_are_404(world, login_as, role, method, url, expected):
    _check(login_as(world.users[role]).open(url, method=method), expected[role])


@pytest.mark.parametrize(("method", "url"), WRONG_METHOD)
def test_wrong_method_is_405(world, login_as, method, url):
    assert login_as(world.users["admin"]).open(url, method=method).status_code == 405


def test_other_officer_manages_their_own_branch(world, login_as):
    client = login_as(world.users["other_officer"])
    assert client.get("/branches/away/edit").status_code == 200
    assert client.post("/branches/away/edit", data=BRANCH_FORM | {"name": "JETAA Away"}
                       ).status_code == 302


def test_forbidden_posts_change_nothing(world, prefecture, login_as, db):
    """The 403 rows above leave the branch, mission and prefecture as they were."""
    from jetaa.audit.models import AuditEntry

    for role in ("member", "other_officer", "mission", "pending"):
        client = login_as(world.users[role])
        client.post("/branches/home/edit", data=BRANCH_FORM | {"name": "Hijacked"})
        client.post("/admin/missions/cg-test/edit", data=MISSION_FORM | {"name": "Hijacked"})
        client.post("/admin/prefectures/13/edit", data=PREFECTURE_FORM | {"name": "Hijacked"})
    names = db.scalars(sa.text(
        "SELECT name FROM branches UNION ALL SELECT name FROM missions "
        "UNION ALL SELECT name FROM prefectures")).all()
    assert "Hijacked" not in names
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
