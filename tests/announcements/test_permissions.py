"""Every announcements route x every role."""

from __future__ import annotations

import pytest

from jetaa.announcements.models import Announcement, AnnouncementStatus
from jetaa.announcements.permissions import can_edit_announcement, can_view_announcement
from jetaa.announcements.tokens import unsubscribe_token
from tests.conftest import LOGIN, ROLES, assert_answers, by_role, home_managers, table_rows

EDITORS = by_role(404, anonymous=LOGIN, officer=200, admin=200)
EDITORS_POST = by_role(404, anonymous=LOGIN, officer=302, admin=302)
MEMBERS = by_role(404, member=200, officer=200, admin=200)

# (method, url) -> {role: expected status}; urls use {sent}, {public}, {draft}, {token}.
TABLE = {
    ("GET", "/branches/home/announcements"): by_role(200),
    ("GET", "/branches/away/announcements"): by_role(200),
    ("GET", "/branches/nowhere/announcements"): by_role(404),
    ("GET", "/branches/home/announcements/new"): home_managers(200),
    ("POST", "/branches/home/announcements/new"): home_managers(200),  # an empty form, re-rendered
    ("GET", "/announcements/{sent}"): MEMBERS,
    ("GET", "/announcements/{public}"): by_role(200),
    ("GET", "/announcements/{draft}"): by_role(404, officer=200, admin=200),
    ("GET", "/announcements/{draft}/edit"): EDITORS,
    ("POST", "/announcements/{draft}/edit"): EDITORS_POST,  # saved as it was
    ("GET", "/announcements/{sent}/edit"): by_role(404, anonymous=LOGIN, member=403, officer=302,
                                                   admin=302),
    ("GET", "/announcements/{draft}/email"): EDITORS,
    ("GET", "/announcements/{sent}/email"): by_role(404, anonymous=LOGIN, member=403,
                                                    officer=200, admin=200),
    ("GET", "/announcements/{draft}/email.html"): EDITORS,
    ("POST", "/announcements/{draft}/test"): EDITORS_POST,
    ("POST", "/announcements/{draft}/send"): EDITORS_POST,
    ("POST", "/announcements/{sent}/cancel"): by_role(404, anonymous=LOGIN, member=403,
                                                      officer=302, admin=302),
    ("GET", "/unsubscribe/{token}"): by_role(200),
    ("POST", "/unsubscribe/{token}"): by_role(200),
    ("GET", "/unsubscribe/not-a-token"): by_role(404),
    ("POST", "/unsubscribe/not-a-token"): by_role(404),
}


@pytest.fixture
def announcements(world, make_announcement):  # noqa: ANN001, ANN201
    sent = make_announcement(world.branch, status="sent", subject="Members news")
    public = make_announcement(world.branch, status="sent", subject="Public news", is_public=True)
    draft = make_announcement(world.branch, subject="Draft news")
    return {"sent": sent.id, "public": public.id, "draft": draft.id,
            "token": unsubscribe_token(world.users["member"].id, world.branch.id)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, announcements, login_as, role, method, url):  # noqa: ANN001
    response = login_as(world.users[role]).open(url.format(**announcements), method=method)
    assert_answers(response, TABLE[method, url][role])
    if response.status_code == 404:
        assert "Draft news" not in response.get_data(as_text=True)


def test_archive_lists_what_each_role_may_read(world, announcements, login_as):
    expected = {"anonymous": {"Public news"}, "pending": {"Public news"},
                "member": {"Public news", "Members news"},
                "officer": {"Public news", "Members news", "Draft news"},
                "other_officer": {"Public news"}, "mission": {"Public news"},
                "admin": {"Public news", "Members news", "Draft news"}}
    for role, subjects in expected.items():
        body = login_as(world.users[role]).get("/branches/home/announcements").get_data(as_text=True)
        shown = {s for s in ("Public news", "Members news", "Draft news") if s in body}
        assert shown == subjects, role
        branch_page = login_as(world.users[role]).get("/branches/home").get_data(as_text=True)
        assert "Draft news" not in branch_page
        assert ("Members news" in branch_page) is ("Members news" in subjects), role


VIEW_SENT = by_role(False, member=True, officer=True, admin=True)
EDIT = by_role(False, officer=True, admin=True)


@pytest.mark.parametrize("role", ROLES)
def test_questions(world, announcements, db, role):  # noqa: ANN001
    user = world.users[role]
    sent = db.get(Announcement, announcements["sent"])
    assert can_view_announcement(user, sent) is VIEW_SENT[role]
    assert can_edit_announcement(user, sent) is EDIT[role]
    federation = db.get(Announcement, announcements["draft"])
    federation.scope, federation.status = "federation", AnnouncementStatus.SENT
    assert can_edit_announcement(user, federation) is (role == "admin")
    # Any approved member of any branch reads a federation announcement.
    assert can_view_announcement(user, federation) is (role in ("member", "officer",
                                                               "other_officer", "admin"))
