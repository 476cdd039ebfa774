"""Every outreach route x every role, and one mission's staff against another's."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jetaa.missions.models import MissionStaff
from jetaa.outreach.models import OfferStatus, RequestStatus, VolunteerOffer, VolunteerRequest
from tests.conftest import (
    LOGIN,
    ROLES,
    assert_answers,
    by_role,
    signed_in,
    table_rows,
)

STAFF = by_role(403, anonymous=LOGIN, mission=200, admin=200)
SEE_OPEN = by_role(404, anonymous=LOGIN, member=200, officer=200, mission=200, admin=200)
MANAGE = by_role(404, anonymous=LOGIN, member=403, officer=403, mission=200, admin=200)
MANAGE_POST = by_role(404, anonymous=LOGIN, member=403, officer=403, mission=302, admin=302)
DECIDE = by_role(404, anonymous=LOGIN, member=403, officer=302, mission=302, admin=302)
OWN = by_role(404, anonymous=LOGIN, member=302, officer=403, mission=403, admin=403)

TABLE = {
    ("GET", "/outreach"): signed_in(200),
    ("GET", "/outreach?past=1"): signed_in(200),
    ("GET", "/outreach/{open}"): SEE_OPEN,
    ("GET", "/outreach/{draft}"): by_role(404, anonymous=LOGIN, mission=200, admin=200),
    ("GET", "/outreach/{open}.ics"): by_role(404, anonymous=LOGIN, member=403, officer=403,
                                            mission=200, admin=200),
    ("GET", "/missions/cg-test/requests/new"): STAFF,
    ("POST", "/missions/cg-test/requests/new"): STAFF,  # an empty form, re-rendered
    ("GET", "/missions/nowhere/requests/new"): signed_in(404),
    ("GET", "/outreach/{open}/edit"): MANAGE,
    ("POST", "/outreach/{open}/edit"): MANAGE,  # an empty form, re-rendered
    ("POST", "/outreach/{draft}/publish"): by_role(404, anonymous=LOGIN, mission=302, admin=302),
    ("POST", "/outreach/{open}/cancel"): MANAGE_POST,
    ("POST", "/outreach/{open}/close"): MANAGE_POST,
    ("POST", "/outreach/offers/{offer}/still-coming"): OWN,  # refused (not confirmed): 302
    ("POST", "/outreach/{open}/share"): by_role(404, anonymous=LOGIN, member=403, officer=302,
                                               mission=403, admin=403),
    ("POST", "/outreach/{open}/offer"): by_role(404, anonymous=LOGIN, member=302, officer=302,
                                               mission=403, admin=403),
    ("POST", "/outreach/{open}/invite"): MANAGE_POST,
    ("POST", "/outreach/offers/{offer}/confirm"): DECIDE,
    ("POST", "/outreach/offers/{offer}/waitlist"): DECIDE,
    ("POST", "/outreach/offers/{offer}/decline"): DECIDE,
    ("POST", "/outreach/offers/{offer}/withdraw"): OWN,
    ("POST", "/outreach/offers/{offer}/declaration"): OWN,
    ("POST", "/outreach/offers/{offer}/conflict"): by_role(404, anonymous=LOGIN, member=403,
                                                           officer=403, mission=302, admin=302),
    ("GET", "/outreach/{open}/outcome"): MANAGE,
    ("POST", "/outreach/{open}/outcome"): by_role(404, anonymous=LOGIN, member=403, officer=403,
                                                 mission=400, admin=400),  # not started yet
    ("GET", "/missions/cg-test/dashboard"): STAFF,
    ("GET", "/missions/cg-test/dashboard?cycle=2024-25"): STAFF,
    ("GET", "/missions/cg-test/dashboard.csv"): STAFF,
    ("GET", "/missions/cg-test/report/2026-27"): STAFF,
    ("GET", "/missions/cg-test/report/2026-99"): by_role(403, anonymous=LOGIN, mission=404,
                                                         admin=404),
    ("GET", "/missions/cg-test/staff"): STAFF,
    ("POST", "/missions/cg-test/staff"): by_role(403, anonymous=LOGIN, mission=400, admin=400),
    ("POST", "/missions/cg-test/staff/{staff}/remove"): by_role(403, anonymous=LOGIN, mission=302,
                                                               admin=302),
    ("GET", "/missions/cg-test/area"): by_role(403, anonymous=LOGIN, admin=200),
    ("POST", "/missions/cg-test/area"): by_role(403, anonymous=LOGIN, admin=302),
    ("GET", "/account/volunteering"): signed_in(200),
    ("POST", "/account/volunteering"): signed_in(302),
}


@pytest.fixture
def things(world, make_request, make_offer):  # noqa: ANN001, ANN201
    open_ = make_request(title="Open info session")
    draft = make_request(status="draft", title="Draft fair")
    offer = make_offer(open_, world.users["member"])
    return {"open": open_.id, "draft": draft.id, "offer": offer.id,
            "staff": world.users["mission"].id}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, things, login_as, role, method, url):  # noqa: ANN001
    response = login_as(world.users[role]).open(url.format(**things), method=method)
    assert_answers(response, TABLE[method, url][role])
    if response.status_code == 404:
        assert "Draft fair" not in response.get_data(as_text=True)


def test_a_member_volunteers_through_the_form(world, things, login_as, db, make_request):
    req = make_request(title="Career fair")
    response = login_as(world.users["member"]).post(f"/outreach/{req.id}/offer", data={
        "role_id": req.roles[0].id, "note": "I can staff the booth", "availability": "all day"})
    assert response.status_code == 302
    offer = db.scalar(sa.select(VolunteerOffer).where(VolunteerOffer.request_id == req.id))
    assert (offer.user_id, offer.status, offer.note) == (
        world.users["member"].id, OfferStatus.OFFERED, "I can staff the booth")
    again = login_as(world.users["member"]).post(f"/outreach/{req.id}/offer", data={
        "role_id": req.roles[0].id}, follow_redirects=True)
    assert "already answered" in again.get_data(as_text=True)
    other = make_request(title="Other request")
    stray = login_as(world.users["member"]).post(f"/outreach/{other.id}/offer", data={
        "role_id": req.roles[0].id}, follow_redirects=True)  # a role of another request
    assert "choose a role" in stray.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(VolunteerOffer.id))) == 2  # things' and this one


def test_refused_posts_change_nothing(world, things, login_as, db):
    login_as(world.users["member"]).post(f"/outreach/offers/{things['offer']}/confirm")
    login_as(world.users["other_officer"]).post(f"/outreach/offers/{things['offer']}/decline")
    login_as(world.users["officer"]).post(f"/outreach/{things['open']}/cancel")
    login_as(world.users["member"]).post(f"/outreach/{things['draft']}/publish")
    assert db.get(VolunteerOffer, things["offer"]).status == OfferStatus.OFFERED
    assert db.get(VolunteerRequest, things["open"]).status == RequestStatus.OPEN
    assert db.get(VolunteerRequest, things["draft"]).status == RequestStatus.DRAFT


def test_staff_of_another_mission_see_nothing(world, things, make_user, make_mission, login_as,
                                              db):
    other = make_mission(slug="cg-other")
    stranger = make_user("Sam Otherstaff")
    db.add(MissionStaff(user_id=stranger.id, mission_id=other.id))
    db.commit()
    client = login_as(stranger)
    for url in (f"/outreach/{things['open']}", f"/outreach/{things['draft']}",
                f"/outreach/{things['open']}/outcome", f"/outreach/{things['open']}/edit"):
        assert client.get(url).status_code == 404, url
    for url in ("/missions/cg-test/dashboard", "/missions/cg-test/dashboard.csv",
                "/missions/cg-test/staff"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/outreach/offers/{things['offer']}/confirm").status_code == 404
    board = client.get("/outreach").get_data(as_text=True)
    assert "Open info session" not in board
    assert db.get(VolunteerOffer, things["offer"]).status == OfferStatus.OFFERED


def test_board_shows_each_role_only_its_requests(world, things, login_as, make_request,
                                                 make_branch, db):
    away_only = make_request(title="For the away branch")
    away_only.branches = [world.other_branch]
    db.commit()
    member = login_as(world.users["member"]).get("/outreach").get_data(as_text=True)
    assert "Open info session" in member
    assert "Draft fair" not in member
    assert "For the away branch" not in member
    other = login_as(world.users["other_officer"]).get("/outreach").get_data(as_text=True)
    assert "For the away branch" in other
    assert "Open info session" not in other
    staff = login_as(world.users["mission"]).get("/outreach").get_data(as_text=True)
    assert "Draft fair" in staff
    assert "Open info session" in staff
    pending = login_as(world.users["pending"]).get("/outreach").get_data(as_text=True)
    assert "Open info session" not in pending


def test_officers_see_their_members_offers_but_not_conflicts(world, make_request, make_offer,
                                                             login_as, make_user,
                                                             make_membership):
    from jetaa.db import utcnow
    from jetaa.outreach.models import ConflictKind, RequestKind

    panel = make_request(kind=RequestKind.INTERVIEW_PANEL, title="Panel")
    make_offer(panel, world.users["member"], declared_at=utcnow(), has_conflict=True,
               conflict_kind=ConflictKind.RELATIVE, conflict_details="My cousin applied")
    officer = login_as(world.users["officer"]).get(f"/outreach/{panel.id}").get_data(as_text=True)
    assert "Mia Member" in officer
    assert "My cousin applied" not in officer
    staff = login_as(world.users["mission"]).get(f"/outreach/{panel.id}").get_data(as_text=True)
    assert "My cousin applied" in staff


def test_admins_move_branches_into_an_area(world, login_as, db):
    from jetaa.audit.models import AuditEntry
    from jetaa.branches.models import Branch

    response = login_as(world.users["admin"]).post("/missions/cg-test/area", data={
        "branches": [world.other_branch.id]})
    assert response.status_code == 302
    assert db.get(Branch, world.other_branch.id).mission_id == world.mission.id
    assert db.get(Branch, world.branch.id).mission_id is None
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "mission.area"))
    assert sorted(m[0] for m in entry.payload["moved"]) == ["away", "home"]


def _form(world, **changes):  # noqa: ANN001, ANN202
    data = {"kind": "information_session", "title": "Fair", "timezone": "America/New_York",
            "starts_local": "2031-03-10T10:00", "ends_local": "2031-03-10T13:00",
            "respond_by_local": "2031-03-01T10:00", "branches": [world.branch.id],
            "roles-0-name": "Host", "roles-0-places": "2", "city": "New York", "country": "US"}
    data.update(changes)
    return data


@pytest.mark.parametrize(("changes", "message"), [
    ({"country": "USA"}, "Not a valid choice"),
    ({"roles-0-region": "x" * 80}, "Not a valid choice"),
    ({"roles-0-places": "0"}, "between 1 and 200"),
    ({"roles-0-places": "-3"}, "between 1 and 200"),
    ({"respond_by_local": "2031-03-11T10:00"}, "on or before the start"),
    ({"ends_local": "2031-03-10T09:00"}, "after the start"),
    ({"roles-0-name": ""}, "at least one role"),
    ({"kind": "party"}, "Not a valid choice"),
    ({"title": "Two\nlines"}, "one line"),
    ({"starts_local": "yesterday"}, "This field is required"),
])
def test_bad_request_forms_re_render_with_the_reason(world, login_as, db, changes, message):
    response = login_as(world.users["mission"]).post("/missions/cg-test/requests/new",
                                                     data=_form(world, **changes))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(VolunteerRequest.id))) == 0


def test_a_good_request_form_saves_a_draft(world, login_as, db):
    response = login_as(world.users["mission"]).post("/missions/cg-test/requests/new",
                                                     data=_form(world))
    assert response.status_code == 302
    req = db.scalar(sa.select(VolunteerRequest))
    assert (req.title, req.status, req.cycle, req.branch_ids) == (
        "Fair", RequestStatus.DRAFT, "2030-31", {world.branch.id})
    assert [(r.name, r.places) for r in req.roles] == [("Host", 2)]
    assert req.latitude is not None  # New York, from the gazetteer
