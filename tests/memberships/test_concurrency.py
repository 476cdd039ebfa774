"""Double submits of a join or an import confirmation: one row, a friendly answer each
(they were unique-violation 500s: 5 of 6 joins, 4-5 of 6 confirmations)."""

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.memberships.models import Membership
from tests.conftest import signed_in_id
from tests.events.test_concurrency import _race
from tests.memberships.test_services import ANSWERS

REQUESTS = 6


def _browsers(app, user_id: str):  # noqa: ANN001, ANN202
    browsers = []
    for _ in range(REQUESTS):
        browser = app.test_client()
        with browser.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
        browsers.append(browser)
    return browsers


def test_concurrent_joins_make_one_membership(app, world, make_user, db, prefectures):
    person = make_user("Double Clicker")
    browsers = _browsers(app, signed_in_id(person))
    statuses: list[int] = []
    errors = _race(app, lambda i: statuses.append(
        browsers[i].post("/branches/home/join", data=ANSWERS).status_code), REQUESTS)
    assert errors == []
    assert statuses == [302] * REQUESTS
    assert db.scalar(sa.select(sa.func.count()).select_from(Membership)
                     .where(Membership.user_id == person.id)) == 1


def test_concurrent_import_confirmations_make_one_account(app, world, db, prefectures):
    text = "email,name\nnew.person@example.com,New Person\n"
    browsers = _browsers(app, signed_in_id(world.users["officer"]))
    statuses: list[int] = []
    errors = _race(app, lambda i: statuses.append(browsers[i].post(
        "/branches/home/roster/import/confirm", data={"csv_text": text}).status_code), REQUESTS)
    assert errors == []
    assert statuses == [302] * REQUESTS
    users = db.scalars(sa.select(User).where(User.email == "new.person@example.com")).all()
    assert len(users) == 1
    assert db.scalar(sa.select(sa.func.count()).select_from(Membership)
                     .where(Membership.user_id == users[0].id)) == 1
