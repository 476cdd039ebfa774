"""Every events route x every role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jetaa.events.feed_tokens import make_private_feed
from jetaa.events.models import Event, EventStatus, FeedToken
from tests.conftest import (
    LOGIN,
    PASSWORD,
    ROLES,
    assert_answers,
    by_role,
    home_managers,
    signed_in,
    table_rows,
)
from tests.events.conftest import shown_feed_address

# A branch-only event: visitors are offered to sign in (401), the branch's pending applicant is
# told why (403), everyone else outside the branch sees nothing (404).
HOME_MEMBERS = by_role(404, anonymous=401, pending=403, member=200, officer=200, admin=200)
# A federation-wide members' event: outsiders who are signed in are told why (403).
ALL_MEMBERS = by_role(200, anonymous=401, pending=403, mission=403)
DRAFT_VIEW = by_role(404, officer=200, admin=200)
RSVP = signed_in(302, pending=403, mission=403, admin=403)

# (method, url) -> {role: expected status}; urls use {pub}, {members}, {draft}, {token}.
TABLE = {
    ("GET", "/events"): by_role(200),
    ("GET", "/events?view=list"): by_role(200),
    ("GET", "/branches/home/events"): by_role(200),
    ("GET", "/events/{pub}"): by_role(200),
    ("GET", "/events/{members}"): HOME_MEMBERS,
    ("GET", "/events/{fed}"): ALL_MEMBERS,
    ("GET", "/events/{draft}"): DRAFT_VIEW,
    ("GET", "/branches/home/events/new"): home_managers(200),
    ("POST", "/branches/home/events/new"): home_managers(200),  # an empty form, re-rendered
    ("GET", "/events/{pub}/edit"): home_managers(200),
    ("POST", "/events/{pub}/edit"): home_managers(200),  # an empty form, re-rendered
    ("GET", "/events/{members}/edit"): home_managers(200, pending=403, other_officer=404, mission=404),
    ("POST", "/events/{draft}/publish"): by_role(404, anonymous=LOGIN, officer=302, admin=302),
    ("POST", "/events/{pub}/cancel"): home_managers(302),
    ("POST", "/events/{pub}/duplicate"): home_managers(302),
    ("POST", "/events/{pub}/rsvp"): RSVP,
    ("POST", "/events/{members}/rsvp"): signed_in(302, pending=403, other_officer=404, mission=404,
                                                  admin=403),
    ("GET", "/events/{pub}/attendees"): home_managers(200),
    ("GET", "/events/{pub}/attendees.csv"): home_managers(200),
    ("POST", "/events/{pub}/attendance"): home_managers(302),
    ("GET", "/events/{pub}.ics"): by_role(200),
    ("GET", "/events/{members}.ics"): HOME_MEMBERS,
    ("GET", "/events/{draft}.ics"): by_role(404),
    ("GET", "/events.ics"): by_role(200),
    ("GET", "/branches/home/events.ics"): by_role(200),
    ("GET", "/branches/home/events/widget"): by_role(200),
    ("GET", "/events/subscribe"): by_role(200),
    ("POST", "/events/subscribe/private"): signed_in(200),
    ("GET", "/events/feed/{token}.ics"): by_role(200),
    ("GET", "/events/feed/not-a-token.ics"): by_role(404),
}


@pytest.fixture
def events(world, make_event, db):  # noqa: ANN001, ANN201
    pub = make_event(world.branch, title="Public picnic")
    members = make_event(world.branch, title="Members mixer", audience="branch")
    draft = make_event(world.branch, title="Draft dinner", status="draft")
    fed = make_event(world.branch, title="Federation forum", audience="federation")
    token = make_private_feed(world.users["member"])
    db.commit()
    return {"pub": pub.id, "members": members.id, "draft": draft.id, "fed": fed.id,
            "token": token}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, events, login_as, role, method, url):  # noqa: ANN001
    response = login_as(world.users[role]).open(url.format(**events), method=method)
    assert_answers(response, TABLE[method, url][role])
    if response.status_code in (401, 403, 404):
        body = response.get_data(as_text=True)
        assert "Members mixer" not in body
        assert "Draft dinner" not in body
        assert "Federation forum" not in body


def test_refused_posts_change_nothing(world, events, login_as, db):
    login_as(world.users["other_officer"]).post(f"/events/{events['pub']}/cancel")
    login_as(world.users["member"]).post(f"/events/{events['draft']}/publish")
    assert db.get(Event, events["pub"]).status == EventStatus.PUBLISHED
    assert db.get(Event, events["draft"]).status == EventStatus.DRAFT


def test_cohost_officers_can_edit(world, make_event, login_as, db):
    event = make_event(world.branch, title="Joint event")
    event.cohosts = [world.other_branch]
    db.commit()
    client = login_as(world.users["other_officer"])
    assert client.get(f"/events/{event.id}/edit").status_code == 200
    assert client.post(f"/events/{event.id}/cancel").status_code == 302
    assert db.get(Event, event.id).status == EventStatus.CANCELLED


def test_members_only_events_are_invisible_in_calendars_and_feeds(world, events, login_as, db):
    for role in ("anonymous", "pending", "other_officer", "mission"):
        client = login_as(world.users[role])
        for url in ("/events?view=list", "/branches/home/events?view=list", "/events",
                    "/events.ics", "/branches/home/events.ics", "/api/v1/events?branch=home",
                    "/branches/home/events/widget", "/branches"):
            body = client.get(url).get_data(as_text=True)
            assert "Members mixer" not in body, (role, url)
            assert "Draft dinner" not in body, (role, url)
    member = login_as(world.users["member"])
    assert "Members mixer" in member.get("/events?view=list").get_data(as_text=True)
    assert "Draft dinner" not in member.get("/events?view=list").get_data(as_text=True)
    # Feeds are for calendar apps without a session: public events only, even for members.
    assert "Members mixer" not in member.get("/events.ics").get_data(as_text=True)
    officer = login_as(world.users["officer"])
    assert "Draft dinner" in officer.get("/branches/home/events?view=list").get_data(as_text=True)


def test_mission_staff_see_events_their_mission_partners(world, make_event, login_as):
    event = make_event(world.branch, title="Consulate reception", audience="branch",
                       mission_id=world.mission.id)
    assert login_as(world.users["mission"]).get(f"/events/{event.id}").status_code == 200
    assert login_as(world.users["other_officer"]).get(f"/events/{event.id}").status_code == 404


def test_private_feed_token_is_created_and_revoked(world, login_as, db, client):
    client = login_as(world.users["member"])
    first = shown_feed_address(client.post("/events/subscribe/private"))
    assert client.get(first).status_code == 200
    second = shown_feed_address(client.post("/events/subscribe/private"))
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert db.scalar(sa.select(sa.func.count()).select_from(FeedToken)) == 1
    assert second.rsplit("/", 1)[1] not in client.get("/events/subscribe").get_data(as_text=True)


def test_visitor_is_offered_to_sign_in_and_comes_back(world, events, client):
    response = client.get(f"/events/{events['members']}")
    assert response.status_code == 401
    body = response.get_data(as_text=True)
    assert "This event is for members" in body
    assert f"/login?next=/events/{events['members']}" in body.replace("%2F", "/")
    client.post("/login", data={"email": world.users["member"].email,
                                "password": PASSWORD,
                                "next": f"/events/{events['members']}"})
    assert "Members mixer" in client.get(f"/events/{events['members']}").get_data(as_text=True)


def test_signed_in_outsiders_are_told_why(world, events, login_as):
    page = login_as(world.users["mission"]).get(f"/events/{events['fed']}")
    assert page.status_code == 403
    assert "not an approved member of a branch" in page.get_data(as_text=True)
    pending = login_as(world.users["pending"]).get(f"/events/{events['members']}")
    assert "application is waiting" in pending.get_data(as_text=True)


def test_drafts_and_other_branches_hidden_events_stay_not_found(world, events, client, login_as):
    assert client.get(f"/events/{events['draft']}").status_code == 404
    response = login_as(world.users["other_officer"]).get(f"/events/{events['members']}")
    assert response.status_code == 404
    assert "for members" not in response.get_data(as_text=True)
