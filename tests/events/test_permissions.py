"""Every events route x every role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from jetaa.events.models import Event, EventStatus, FeedToken
from tests.conftest import ROLES

ALL_200 = dict.fromkeys(ROLES, 200)
EDITORS = {"anonymous": 302, "pending": 403, "member": 403, "officer": 200,
           "other_officer": 403, "mission": 403, "admin": 200}
EDIT_POST = {role: (302 if code == 200 else code) for role, code in EDITORS.items()}
BRANCH_MEMBERS = {"anonymous": 404, "pending": 404, "member": 200, "officer": 200,
                  "other_officer": 404, "mission": 404, "admin": 200}
DRAFT_VIEW = {"anonymous": 404, "pending": 404, "member": 404, "officer": 200,
              "other_officer": 404, "mission": 404, "admin": 200}
RSVP = {"anonymous": 302, "pending": 403, "member": 302, "officer": 302,
        "other_officer": 302, "mission": 403, "admin": 403}
LOGGED_IN_POST = {role: 302 for role in ROLES}

# (method, url) -> {role: status}; urls use {pub}, {members}, {draft}, {token}.
# The project-wide route test reads this table like the other features' TABLEs.
TABLE = {
    ("GET", "/events"): ALL_200,
    ("GET", "/events?view=list"): ALL_200,
    ("GET", "/branches/home/events"): ALL_200,
    ("GET", "/events/{pub}"): ALL_200,
    ("GET", "/events/{members}"): BRANCH_MEMBERS,
    ("GET", "/events/{draft}"): DRAFT_VIEW,
    ("GET", "/branches/home/events/new"): EDITORS,
    ("POST", "/branches/home/events/new"): {**EDITORS, "officer": 200, "admin": 200},
    ("GET", "/events/{pub}/edit"): EDITORS,
    ("POST", "/events/{pub}/edit"): EDITORS,
    ("GET", "/events/{members}/edit"): {**EDITORS, "pending": 404, "other_officer": 404,
                                        "mission": 404},
    ("POST", "/events/{draft}/publish"): {**EDIT_POST, "pending": 404, "member": 404,
                                          "other_officer": 404, "mission": 404},
    ("POST", "/events/{pub}/cancel"): EDIT_POST,
    ("POST", "/events/{pub}/duplicate"): EDIT_POST,
    ("POST", "/events/{pub}/rsvp"): RSVP,
    ("POST", "/events/{members}/rsvp"): {**RSVP, "pending": 404, "other_officer": 404,
                                         "mission": 404},
    ("GET", "/events/{pub}/attendees"): EDITORS,
    ("GET", "/events/{pub}/attendees.csv"): EDITORS,
    ("POST", "/events/{pub}/attendance"): EDIT_POST,
    ("GET", "/events/{pub}.ics"): ALL_200,
    ("GET", "/events/{members}.ics"): BRANCH_MEMBERS,
    ("GET", "/events/{draft}.ics"): {**DRAFT_VIEW, "officer": 404, "admin": 404},
    ("GET", "/events.ics"): ALL_200,
    ("GET", "/branches/home/events.ics"): ALL_200,
    ("GET", "/branches/home/events/widget"): ALL_200,
    ("GET", "/branches/home/events.json"): ALL_200,
    ("GET", "/events/subscribe"): ALL_200,
    ("POST", "/events/subscribe/private"): LOGGED_IN_POST,
    ("GET", "/events/feed/{token}.ics"): ALL_200,
    ("GET", "/events/feed/not-a-token.ics"): dict.fromkeys(ROLES, 404),
}


# Every (method, URL rule) of the events blueprints, each covered by a row of TABLE above:
# a new events route without a row fails test_every_events_route_is_in_the_table.
COVERED_RULES = {
    ("GET", "/events"), ("GET", "/branches/<slug>/events"), ("GET", "/events/<int:event_id>"),
    ("GET", "/branches/<slug>/events/new"), ("POST", "/branches/<slug>/events/new"),
    ("GET", "/events/<int:event_id>/edit"), ("POST", "/events/<int:event_id>/edit"),
    ("POST", "/events/<int:event_id>/publish"), ("POST", "/events/<int:event_id>/cancel"),
    ("POST", "/events/<int:event_id>/duplicate"), ("POST", "/events/<int:event_id>/rsvp"),
    ("GET", "/events/<int:event_id>/attendees"), ("GET", "/events/<int:event_id>/attendees.csv"),
    ("POST", "/events/<int:event_id>/attendance"), ("GET", "/events/<int:event_id>.ics"),
    ("GET", "/events.ics"), ("GET", "/branches/<slug>/events.ics"),
    ("GET", "/branches/<slug>/events/widget"), ("GET", "/branches/<slug>/events.json"),
    ("GET", "/events/subscribe"), ("POST", "/events/subscribe/private"),
    ("GET", "/events/feed/<token>.ics"),
}


def test_every_events_route_is_in_the_table(app):
    rules = {(method, rule.rule) for rule in app.url_map.iter_rules()
             if rule.endpoint.split(".")[0] in ("events", "event_feeds")
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert rules == COVERED_RULES


@pytest.fixture
def events(world, make_event, db):  # noqa: ANN001, ANN201
    pub = make_event(world.branch, title="Public picnic")
    members = make_event(world.branch, title="Members mixer", audience="branch")
    draft = make_event(world.branch, title="Draft dinner", status="draft")
    token = FeedToken(user_id=world.users["member"].id)
    db.add(token)
    db.commit()
    return {"pub": pub.id, "members": members.id, "draft": draft.id, "token": token.token}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), list(TABLE), ids=[f"{m} {u}" for m, u in TABLE])
def test_role_route_table(world, events, login_as, role, method, url):  # noqa: ANN001
    expected = TABLE[(method, url)]
    client = login_as(world.users[role])
    response = client.open(url.format(**events), method=method)
    assert response.status_code == expected[role]
    if response.status_code == 302 and role == "anonymous":
        assert "/login" in response.headers["Location"]
    if response.status_code == 404:
        body = response.get_data(as_text=True)
        assert "Members mixer" not in body
        assert "Draft dinner" not in body


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
                    "/events.ics", "/branches/home/events.ics", "/branches/home/events.json",
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
    client.post("/events/subscribe/private")
    first = db.scalar(sa.select(FeedToken.token))
    assert client.get(f"/events/feed/{first}.ics").status_code == 200
    client.post("/events/subscribe/private")
    second = db.scalar(sa.select(FeedToken.token))
    assert second != first
    assert client.get(f"/events/feed/{first}.ics").status_code == 404
    assert client.get(f"/events/feed/{second}.ics").status_code == 200
    assert second in client.get("/events/subscribe").get_data(as_text=True)
