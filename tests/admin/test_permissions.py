"""Every admin route x every role: the expected status."""

import pytest
import sqlalchemy as sa

from jetaa.reference.models import Prefecture
from tests.conftest import ROLES, admins_only, assert_answers, table_rows

MISSION_FORM = {"name": "Consulate-General of Japan in Test", "name_ja": "", "kind": "embassy",
                "city": "Test City", "timezone": "America/Chicago", "website": ""}
PREFECTURE_FORM = {"name": "Tokyo", "name_ja": "東京都", "region": "Kanto", "region_ja": "関東"}
CYCLE_FORM = {"applications_open__start": "2026-09-24", "applications_open__end": "2026-11-14"}

# (method, url) -> {role: expected status}
TABLE = {
    ("GET", "/admin"): admins_only(200),
    ("GET", "/admin/audit"): admins_only(200),
    ("GET", "/admin/reference"): admins_only(200),
    ("GET", "/admin/missions/cg-test/edit"): admins_only(200),
    ("POST", "/admin/missions/cg-test/edit"): admins_only(302),
    ("GET", "/admin/prefectures/13/edit"): admins_only(200),
    ("POST", "/admin/prefectures/13/edit"): admins_only(302),
    ("GET", "/admin/recruitment"): admins_only(200),
    ("GET", "/admin/recruitment?intake=2027"): admins_only(200),
    ("GET", "/admin/recruitment/US/2027/edit"): admins_only(200),
    ("POST", "/admin/recruitment/US/2027/edit"): admins_only(302),
    # Unknown objects: 404 for whoever may otherwise see the page.
    ("GET", "/admin/missions/nowhere/edit"): admins_only(404),
    ("GET", "/admin/prefectures/99/edit"): admins_only(404),
    ("GET", "/admin/recruitment/JP/2027/edit"): admins_only(404),  # no branch in Japan
    ("GET", "/admin/recruitment/us/2027/edit"): admins_only(404),
    ("GET", "/admin/recruitment/US/1900/edit"): admins_only(404),
}
FORMS = {
    ("POST", "/admin/missions/cg-test/edit"): MISSION_FORM,
    ("POST", "/admin/prefectures/13/edit"): PREFECTURE_FORM,
    ("POST", "/admin/recruitment/US/2027/edit"): CYCLE_FORM,
}

WRONG_METHOD = [("POST", "/admin")]


@pytest.fixture
def prefecture(db):
    db.add(Prefecture(code=13, slug="tokyo", name="Tokyo", name_ja="東京都", region="Kanto"))
    db.commit()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, prefecture, login_as, role, method, url):
    response = login_as(world.users[role]).open(url, method=method, data=FORMS.get((method, url)))
    assert_answers(response, TABLE[method, url][role])


@pytest.mark.parametrize(("method", "url"), WRONG_METHOD)
def test_wrong_method_is_405(world, login_as, method, url):
    assert login_as(world.users["admin"]).open(url, method=method).status_code == 405


def test_forbidden_posts_change_nothing(world, prefecture, login_as, db):
    """The 403 rows above leave the mission and the prefecture as they were."""
    from jetaa.audit.models import AuditEntry

    for role in ("member", "other_officer", "mission", "pending"):
        client = login_as(world.users[role])
        client.post("/admin/missions/cg-test/edit", data=MISSION_FORM | {"name": "Hijacked"})
        client.post("/admin/prefectures/13/edit", data=PREFECTURE_FORM | {"name": "Hijacked"})
        client.post("/admin/recruitment/US/2027/edit", data=CYCLE_FORM)
    names = db.scalars(sa.text("SELECT name FROM missions UNION ALL SELECT name FROM prefectures")).all()
    assert "Hijacked" not in names
    assert db.scalar(sa.text("SELECT count(*) FROM recruitment_dates")) == 0
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0
