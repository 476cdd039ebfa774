"""Every branches route x every role, and the branch questions (can_manage_branch)."""

import pytest
import sqlalchemy as sa
from werkzeug.exceptions import Forbidden, NotFound

from jetaa.branches.permissions import can_manage_branch, get_branch_or_404
from tests.conftest import ROLES, assert_answers, by_role, home_managers, signed_in, table_rows

BRANCH_FORM = {"name": "JETAA Home", "region": "Here", "timezone": "Europe/London",
               "contact_email": "home@example.org", "website": "https://home.example.org",
               "description": "Home.", "join_policy": "approval"}

# (method, url) -> {role: expected status}
TABLE = {
    ("GET", "/branches"): by_role(200),
    ("GET", "/branches/home"): by_role(200),
    ("GET", "/branches/home/edit"): home_managers(200),
    ("POST", "/branches/home/edit"): home_managers(302),
    # An unknown branch: 404 for whoever may otherwise see the page.
    ("GET", "/branches/nowhere"): by_role(404),
    ("GET", "/branches/nowhere/edit"): signed_in(404),
}
FORMS = {("POST", "/branches/home/edit"): BRANCH_FORM}

WRONG_METHOD = [("POST", "/branches")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, login_as, role, method, url):
    response = login_as(world.users[role]).open(url, method=method, data=FORMS.get((method, url)))
    assert_answers(response, TABLE[method, url][role])


@pytest.mark.parametrize(("method", "url"), WRONG_METHOD)
def test_wrong_method_is_405(world, login_as, method, url):
    assert login_as(world.users["admin"]).open(url, method=method).status_code == 405


def test_other_officer_manages_their_own_branch(world, login_as):
    client = login_as(world.users["other_officer"])
    assert client.get("/branches/away/edit").status_code == 200
    assert client.post("/branches/away/edit", data=BRANCH_FORM | {"name": "JETAA Away"}
                       ).status_code == 302


def test_forbidden_posts_change_nothing(world, login_as, db):
    """The 403 rows above leave the branch as it was."""
    from jetaa.audit.models import AuditEntry

    for role in ("member", "other_officer", "mission", "pending"):
        login_as(world.users[role]).post("/branches/home/edit", data=BRANCH_FORM | {"name": "Hijacked"})
    assert "Hijacked" not in db.scalars(sa.text("SELECT name FROM branches")).all()
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


# Who may manage a branch: (own branch, other branch) for each role.
MANAGE_OWN = by_role(False, officer=True, admin=True)
MANAGE_OTHER = by_role(False, other_officer=True, admin=True)


@pytest.mark.parametrize("role", ROLES)
def test_can_manage_branch(world, role):
    user = world.users[role]
    assert can_manage_branch(user, world.branch) is MANAGE_OWN[role]
    assert can_manage_branch(user, world.other_branch) is MANAGE_OTHER[role]


def test_lapsed_declined_and_pending_officers_cannot_manage(world, make_user, make_membership):
    for status in ("declined", "lapsed", "pending"):
        user = make_user()
        make_membership(user, world.branch, role="officer", status=status)
        assert not can_manage_branch(user, world.branch)


@pytest.mark.parametrize("role", ROLES)
def test_get_branch_or_404_asks_the_question_it_is_given(app, world, login_as, role):
    from flask_login import login_user

    with app.test_request_context():
        if world.users[role] is not None:
            login_user(world.users[role])
        assert get_branch_or_404("home").id == world.branch.id
        with pytest.raises(NotFound):
            get_branch_or_404("nowhere", require=can_manage_branch)
        if MANAGE_OWN[role]:
            assert get_branch_or_404("home", require=can_manage_branch) is not None
        else:
            with pytest.raises(Forbidden):
                get_branch_or_404("home", require=can_manage_branch)
