"""Every impact dashboard and report route x every role.

The world's home branch is in the mission's jurisdiction; the away branch is not.
"""

from __future__ import annotations

from datetime import date

import pytest

from jetaa.activities.models import Activity, ActivityStatus, Category, FundingSource
from jetaa.activities.permissions import (
    can_see_branch_impact,
    can_see_federation_impact,
    can_see_grant_report,
    can_see_mission_impact,
)
from tests.conftest import (
    LOGIN,
    ROLES,
    admins_only,
    assert_answers,
    by_role,
    home_managers,
    table_rows,
)

HOME_VIEWERS = by_role(403, anonymous=LOGIN, member=200, officer=200, mission=200, admin=200)
FEDERATION = by_role(200, anonymous=LOGIN, pending=403)
MISSION = by_role(403, anonymous=LOGIN, mission=200, admin=200)
SIGNED_IN_404 = by_role(404, anonymous=LOGIN)

# (method, url) -> {role: expected status}. Dashboards give each chart's data with ?csv=.
TABLE = {
    ("GET", "/impact"): FEDERATION,
    ("GET", "/impact?grouping=JETAA%20USA&from=2024-04-01&to=2025-03-31"): FEDERATION,
    ("GET", "/impact?csv=totals"): FEDERATION,
    ("GET", "/impact?csv=by_category"): FEDERATION,
    ("GET", "/impact?csv=by_month"): FEDERATION,
    ("GET", "/impact?csv=partners"): FEDERATION,
    ("GET", "/impact?csv=volunteer_value"): FEDERATION,
    ("GET", "/impact?csv=branches"): FEDERATION,
    ("GET", "/impact?csv=nothing"): by_role(404, anonymous=LOGIN, pending=403),
    ("GET", "/impact?from=2024-13-01"): by_role(400, anonymous=LOGIN, pending=403),
    ("GET", "/impact?grouping=JETAA%20Atlantis"): by_role(400, anonymous=LOGIN, pending=403),
    ("GET", "/branches/home/impact"): HOME_VIEWERS,
    ("GET", "/branches/home/impact?csv=by_category"): HOME_VIEWERS,
    ("GET", "/branches/home/impact?csv=branches"): by_role(404, anonymous=LOGIN, pending=403,
                                                            other_officer=403),
    ("GET", "/branches/away/impact"): by_role(403, anonymous=LOGIN, other_officer=200, admin=200),
    ("GET", "/branches/nowhere/impact"): SIGNED_IN_404,
    ("GET", "/missions/cg-test/impact"): MISSION,
    ("GET", "/missions/cg-test/impact?csv=branches"): MISSION,
    ("GET", "/missions/nowhere/impact"): SIGNED_IN_404,
    ("GET", "/branches/home/report/2024"): HOME_VIEWERS,
    ("GET", "/branches/home/report/2024?basis=calendar"): HOME_VIEWERS,
    ("GET", "/branches/home/report/2024.csv"): HOME_VIEWERS,
    ("GET", "/branches/away/report/2024"): by_role(403, anonymous=LOGIN, other_officer=200,
                                                   admin=200),
    ("GET", "/branches/home/report/1989"): SIGNED_IN_404,
    ("GET", "/branches/home/report/2024/grant"): home_managers(200),
    ("GET", "/branches/home/report/2024/grant.csv"): home_managers(200),
    ("GET", "/branches/away/report/2024/grant"): by_role(403, anonymous=LOGIN, other_officer=200,
                                                         admin=200),
    ("GET", "/report/2024"): admins_only(200),
    ("GET", "/report/2024?basis=calendar"): admins_only(200),
    ("GET", "/report/2024.csv"): admins_only(200),
    ("GET", "/report/2201"): admins_only(404),
}

SECRET = "Unverified harbour clean-up"


@pytest.fixture
def activities(world, db):  # noqa: ANN001, ANN201
    """A verified activity of fiscal year 2024 at home (funded, so the grant report lists it)
    and an unverified one that no page may show."""
    for title, status in (("Taiko workshop", ActivityStatus.VERIFIED),
                          (SECRET, ActivityStatus.SUBMITTED)):
        db.add(Activity(branch_id=world.branch.id, title=title, category=Category.CULTURE,
                        starts_on=date(2024, 6, 1), ends_on=date(2024, 6, 1), status=status,
                        people_reached=30, funding_source=FundingSource.CLAIR, money_spent=5000))
    db.commit()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, activities, login_as, role, method, url):  # noqa: ANN001
    response = login_as(world.users[role]).open(url, method=method)
    assert_answers(response, TABLE[method, url][role])
    body = response.get_data(as_text=True)
    assert SECRET not in body
    if response.status_code != 200:
        assert "Taiko workshop" not in body


def test_questions_by_role(world):
    home, away, mission = world.branch, world.other_branch, world.mission
    questions = {
        "federation": (lambda u: can_see_federation_impact(u),
                       by_role(True, anonymous=False, pending=False)),
        "home": (lambda u: can_see_branch_impact(u, home),
                 by_role(False, member=True, officer=True, mission=True, admin=True)),
        "away": (lambda u: can_see_branch_impact(u, away),
                 by_role(False, other_officer=True, admin=True)),
        "mission": (lambda u: can_see_mission_impact(u, mission),
                    by_role(False, mission=True, admin=True)),
        "grant": (lambda u: can_see_grant_report(u, home), by_role(False, officer=True, admin=True)),
    }
    for name, (question, row) in questions.items():
        answers = {role: question(world.users[role]) for role in ROLES}
        assert answers == row, name


def test_impact_is_in_the_navigation_for_those_who_may_see_it(world, login_as):
    for role in ROLES:
        body = login_as(world.users[role]).get("/events").get_data(as_text=True)
        assert ('href="/impact"' in body) == (FEDERATION[role] == 200), role
