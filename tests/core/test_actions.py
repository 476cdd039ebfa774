"""act(): the one shape of a POST view (call, commit or roll back, flash, redirect)."""

import pytest
import sqlalchemy as sa
from flask import get_flashed_messages

from jetaa.audit.services import apply_changes
from jetaa.branches.models import Branch
from jetaa.core.actions import Refused, act
from jetaa.core.spreadsheets import safe_cell
from jetaa.events.models import EventError
from jetaa.memberships.services import MembershipError


def test_success_commits_flashes_and_redirects(app, world, db):
    with app.test_request_context():
        def rename() -> Branch:
            world.branch.name = "Renamed"
            return world.branch

        response = act(rename, done=lambda b: f"/branches/{b.slug}", back="/nowhere",
                       success=lambda b: f"{b.name} saved")
        assert response.status_code == 302
        assert response.headers["Location"] == "/branches/home"
        assert get_flashed_messages(with_categories=True) == [("success", "Renamed saved")]
    db.expire_all()
    assert db.scalar(sa.select(Branch.name).where(Branch.slug == "home")) == "Renamed"


@pytest.mark.parametrize("refusal", [Refused, EventError, MembershipError])
def test_a_refusal_rolls_everything_back_and_says_why(app, world, db, refusal):
    with app.test_request_context():
        def half_done() -> None:
            world.branch.name = "Half saved"
            db.flush()
            raise refusal("Not like that.")

        response = act(half_done, done="/done", back="/back", success="never")
        assert response.headers["Location"] == "/back"
        assert get_flashed_messages(with_categories=True) == [("error", "Not like that.")]
    assert db.scalar(sa.select(Branch.name).where(Branch.slug == "home")) == "JETAA Home"


def test_other_errors_are_not_swallowed(app, world):
    with app.test_request_context(), pytest.raises(ZeroDivisionError):
        act(lambda: 1 / 0, done="/done", back="/back", success="never")


def test_apply_changes_sets_and_reports_only_what_changed(world):
    changed = apply_changes(world.branch, {"name": "New name", "region": world.branch.region,
                                           "website": None})
    assert changed == {"name": ["JETAA Home", "New name"]}  # website was None already
    assert world.branch.name == "New name"
    assert apply_changes(world.branch, {"website": "https://x.example"}) == {
        "website": [None, "https://x.example"]}


@pytest.mark.parametrize(("value", "cell"), [
    ("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@cmd", "'@cmd"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), (None, ""), (2014, "2014"),
])
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell
