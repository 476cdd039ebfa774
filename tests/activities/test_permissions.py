"""Every activities route x every role, and the activity questions beside their SQL twin."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jetaa.activities import uploads
from jetaa.activities.models import Activity, ActivityStatus
from jetaa.activities.permissions import can_view_activity, visible_activities_clause
from tests.activities.conftest import image_bytes
from tests.conftest import LOGIN, ROLES, assert_answers, by_role, home_managers, signed_in, table_rows

LOGGERS = by_role(403, anonymous=LOGIN, member=200, officer=200, admin=200)
AUTHOR_ONLY = by_role(404, anonymous=LOGIN, member=302, admin=403)  # the member's own draft
PUBLIC_EDITORS = by_role(403, anonymous=LOGIN, member=302, officer=302, admin=302)

# (method, url) -> {role: expected status}. The member wrote {draft}, {submitted},
# {verified} (not published) and {public} (published, with {photo} and {receipt});
# the officer wrote {own} (submitted). `home` is in the jurisdiction of the mission.
TABLE = {
    ("GET", "/branches/home/activities"): by_role(200),
    ("GET", "/branches/home/activities/new"): LOGGERS,
    ("POST", "/branches/home/activities/new"): LOGGERS,  # an empty form comes back with messages
    ("GET", "/branches/home/activities/review"): home_managers(200),
    ("GET", "/activities/{draft}"): by_role(404, member=200, admin=200),
    ("GET", "/activities/{submitted}"): by_role(404, member=200, officer=200, admin=200),
    ("GET", "/activities/{verified}"): by_role(404, member=200, officer=200, mission=200,
                                               admin=200),
    ("GET", "/activities/{public}"): by_role(200),
    ("GET", "/activities/{draft}/edit"): by_role(404, anonymous=LOGIN, member=200, admin=403),
    ("POST", "/activities/{draft}/edit"): by_role(404, anonymous=LOGIN, member=200, admin=403),
    ("GET", "/activities/{submitted}/edit"): by_role(404, anonymous=LOGIN, member=200,
                                                     officer=200, admin=200),
    ("GET", "/activities/{public}/edit"): by_role(403, anonymous=LOGIN, member=200, officer=200,
                                                  admin=200),
    ("POST", "/activities/{draft}/submit"): AUTHOR_ONLY,
    ("POST", "/activities/{submitted}/review"): by_role(404, anonymous=LOGIN, member=403,
                                                        officer=302, admin=302),
    ("POST", "/activities/{own}/review"): by_role(404, anonymous=LOGIN, officer=403, admin=302),
    ("POST", "/activities/{verified}/publish"): by_role(404, anonymous=LOGIN, member=403,
                                                        officer=302, mission=403, admin=302),
    ("POST", "/activities/{public}/unpublish"): home_managers(302),
    ("POST", "/activities/{public}/named"): signed_in(302),
    ("POST", "/activities/{draft}/delete"): AUTHOR_ONLY,
    ("POST", "/activities/{draft}/photos"): AUTHOR_ONLY,
    ("GET", "/activities/{public}/photos/{photo}"): by_role(200),
    ("GET", "/activities/{public}/photos/{photo}?thumb=1"): by_role(200),
    ("GET", "/activities/{draft}/photos/{photo}"): by_role(404, member=200, admin=200),
    ("POST", "/activities/{public}/photos/{photo}/delete"): PUBLIC_EDITORS,
    ("POST", "/activities/{public}/receipts"): PUBLIC_EDITORS,
    ("GET", "/activities/{public}/receipts/{receipt}"): home_managers(200),
    ("POST", "/activities/{public}/receipts/{receipt}/delete"): home_managers(302),
    ("GET", "/activities/999999"): by_role(404),
}


@pytest.fixture
def activities(world, make_activity, db) -> dict[str, int]:  # noqa: ANN001
    member, officer = world.users["member"], world.users["officer"]
    made = {
        "draft": make_activity(world.branch, member, status="draft", title="Draft origami"),
        "submitted": make_activity(world.branch, member, status="submitted", title="Sent taiko"),
        "verified": make_activity(world.branch, member, title="Quiet tea ceremony"),
        "public": make_activity(world.branch, member, published=True, title="Public matsuri"),
        "own": make_activity(world.branch, officer, status="submitted", title="Officer's own"),
    }
    ids = {name: a.id for name, a in made.items()}
    public = db.get(Activity, ids["public"])
    ids["photo"] = uploads.add_photo(public, image_bytes(), "Dancers").id
    ids["receipt"] = uploads.add_receipt(public, b"%PDF-1.4 receipt", "hall.pdf").id
    draft = db.get(Activity, ids["draft"])
    draft_photo = uploads.add_photo(draft, image_bytes(), "Folding")
    db.commit()
    # The draft's photo answers at its own address (the table asks {draft}/photos/{photo}).
    ids["draft_photo"] = draft_photo.id
    return ids


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, activities, login_as, role, method, url):  # noqa: ANN001
    ids = dict(activities)
    if url.startswith("/activities/{draft}/photos/"):
        ids["photo"] = ids["draft_photo"]
    response = login_as(world.users[role]).open(url.format(**ids), method=method)
    assert_answers(response, TABLE[method, url][role])
    if response.status_code == 404:
        body = response.get_data(as_text=True)
        for hidden in ("Draft origami", "Sent taiko", "Quiet tea ceremony", "Officer's own"):
            assert hidden not in body


def test_refused_posts_change_nothing(world, activities, login_as, db):
    login_as(world.users["other_officer"]).post(f"/activities/{activities['submitted']}/review",
                                                data={"decision": "verify"})
    login_as(world.users["mission"]).post(f"/activities/{activities['verified']}/publish")
    login_as(world.users["officer"]).post(f"/activities/{activities['own']}/review",
                                          data={"decision": "verify"})
    login_as(world.users["member"]).post(f"/activities/{activities['submitted']}/review",
                                         data={"decision": "verify"})
    statuses = dict(db.execute(sa.select(Activity.id, Activity.status)).all())
    assert statuses[activities["submitted"]] == ActivityStatus.SUBMITTED
    assert statuses[activities["own"]] == ActivityStatus.SUBMITTED
    assert db.get(Activity, activities["verified"]).is_published is False


@pytest.mark.parametrize("role", ROLES)
def test_sql_and_python_questions_agree(app, world, activities, make_activity, role):
    """visible_activities_clause() and can_view_activity() are one rule: every pair."""
    from flask import g

    make_activity(world.other_branch, world.users["other_officer"], title="Away verified")
    make_activity(world.other_branch, world.users["other_officer"], status="submitted",
                  title="Away submitted")
    viewer = world.users[role]
    with app.test_request_context():
        g.pop("_memberships", None)
        from jetaa.extensions import db

        listed = set(db.session.scalars(sa.select(Activity.id)
                                        .where(visible_activities_clause(viewer))))
        for activity in db.session.scalars(sa.select(Activity)):
            assert (activity.id in listed) is can_view_activity(viewer, activity), \
                (role, activity.title)


def test_the_public_log_lists_published_entries_only(world, activities, login_as):
    page = login_as(None).get("/branches/home/activities").get_data(as_text=True)
    assert "Public matsuri" in page
    for hidden in ("Draft origami", "Sent taiko", "Quiet tea ceremony", "Officer's own"):
        assert hidden not in page
    page = login_as(world.users["other_officer"]).get("/branches/home/activities").get_data(
        as_text=True)
    assert "Quiet tea ceremony" not in page
    page = login_as(world.users["mission"]).get("/branches/home/activities").get_data(as_text=True)
    assert "Quiet tea ceremony" in page
    assert "Sent taiko" not in page

