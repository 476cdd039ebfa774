"""Every route of the API for every role, each role calling with a write token of its own;
and the token states (none, malformed, unknown, expired, revoked, read-only)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from jetaa.api.models import ApiToken
from jetaa.db import utcnow
from jetaa.events.models import Rsvp, RsvpStatus
from tests.conftest import LOGIN, ROLES, assert_answers, by_role, signed_in, table_rows

APPROVED = by_role(200, anonymous=401, pending=403, mission=403, admin=403)  # can_rsvp
DIRECTORY = by_role(200, anonymous=401, pending=403, mission=403)  # can_use_directory

# (method, url) -> {role: expected status}; {pub}, {members}, {draft}, {fed}: events.
TABLE = {
    ("GET", "/api/v1/openapi.json"): by_role(200),
    ("GET", "/api/v1/docs"): by_role(200),
    ("GET", "/api/v1/branches"): by_role(200),
    ("GET", "/api/v1/branches/home"): by_role(200),
    ("GET", "/api/v1/branches/nowhere"): by_role(404),
    ("GET", "/api/v1/events"): by_role(200),
    ("GET", "/api/v1/events/{pub}"): by_role(200),
    # As the event pages answer (tests/events/test_permissions.py), in JSON.
    ("GET", "/api/v1/events/{members}"): by_role(404, anonymous=401, member=200, officer=200,
                                                 admin=200),
    ("GET", "/api/v1/events/{fed}"): by_role(200, anonymous=401, pending=403, mission=403),
    ("GET", "/api/v1/events/{draft}"): by_role(404, officer=200, admin=200),
    ("GET", "/api/v1/directory"): DIRECTORY,
    ("GET", "/api/v1/members/{member}"): by_role(200, anonymous=401, pending=403,
                                                 other_officer=404, mission=403),
    ("GET", "/api/v1/me"): by_role(200, anonymous=401),
    ("GET", "/api/v1/me/rsvps"): by_role(200, anonymous=401),
    ("POST", "/api/v1/me/rsvps"): APPROVED,
    ("DELETE", "/api/v1/me/rsvps/{pub}"): APPROVED,
    ("DELETE", "/api/v1/me/rsvps/{draft}"): by_role(404, anonymous=401, officer=409,
                                                    admin=403),
    # Officers' lists, for tokens only; the impact dashboard's figures.
    ("GET", "/api/v1/branches/home/roster"): by_role(403, anonymous=401, officer=200, admin=200),
    ("GET", "/api/v1/events/{pub}/attendees"): by_role(403, anonymous=401, officer=200,
                                                       admin=200),
    ("GET", "/api/v1/events/{draft}/attendees"): by_role(404, anonymous=401, officer=200,
                                                         admin=200),
    ("GET", "/api/v1/branches/home/activity-totals"): by_role(200),  # what each may see
    # Activities: the log for everyone; logging, submitting, reviewing with a token.
    ("GET", "/api/v1/branches/home/activities"): by_role(200),
    ("POST", "/api/v1/branches/home/activities"): by_role(403, anonymous=401, member=201,
                                                          officer=201, admin=201),
    ("POST", "/api/v1/activities/{act_draft}/submit"): by_role(404, anonymous=401, member=200,
                                                               admin=403),
    ("POST", "/api/v1/activities/{act_sub}/review"): by_role(404, anonymous=401, member=403,
                                                             officer=200, admin=200),
    # Outreach: as the request pages answer, for tokens only.
    ("GET", "/api/v1/outreach/requests"): by_role(200, anonymous=401),
    ("GET", "/api/v1/outreach/requests/{req}/volunteers"): by_role(
        404, anonymous=401, member=200, officer=200, mission=200, admin=200),
    ("POST", "/api/v1/outreach/offers/{offer}/confirm"): by_role(
        404, anonymous=401, member=403, officer=200, mission=200, admin=200),
    ("POST", "/api/v1/outreach/missions/cg-test/requests"): by_role(
        403, anonymous=401, mission=201, admin=201),
    ("PUT", "/api/v1/outreach/requests/{req}"): by_role(
        404, anonymous=401, member=403, officer=403, mission=200, admin=200),
    ("POST", "/api/v1/outreach/requests/{req}/publish"): by_role(  # open already
        404, anonymous=401, member=403, officer=403, mission=409, admin=409),
    # The addresses from before /api/v1/ (and the widget's JSON) moved for good.
    ("GET", "/api/directory"): by_role(308),
    ("GET", "/api/members/{member}"): by_role(308),
    ("GET", "/branches/home/events.json"): by_role(308),
    # The settings page (a browser session).
    ("GET", "/account/api-tokens"): signed_in(200),
    ("POST", "/account/api-tokens"): signed_in(400),  # no name: the form again
    ("POST", "/account/api-tokens/{token}/revoke"): by_role(404, anonymous=LOGIN, member=302),
}
def request_body(ids: dict) -> dict:
    """A request as its form would send it: ten days ahead, in New York's wall-clock time."""
    start = (datetime.now(ZoneInfo("America/New_York")) + timedelta(days=10)).replace(
        tzinfo=None, microsecond=0, second=0)
    return {"kind": "information_session", "title": "Info session", "timezone":
            "America/New_York", "starts_local": start.isoformat(),
            "ends_local": (start + timedelta(hours=2)).isoformat(),
            "respond_by_local": (start - timedelta(days=3)).isoformat(),
            "roles": [{"name": "Panelist", "places": 2}], "branches": ["home"],
            "city": "New York", "country": "US"}


BODIES = {
    ("POST", "/api/v1/me/rsvps"): lambda ids: {"event_id": ids["pub"], "guests": 0},
    ("POST", "/api/v1/branches/home/activities"): lambda ids: {
        "title": "School visit", "category": "schools", "starts_on": "2025-05-01"},
    ("POST", "/api/v1/activities/{act_sub}/review"): lambda ids: {"decision": "verify"},
    ("POST", "/api/v1/outreach/missions/cg-test/requests"): request_body,
    ("PUT", "/api/v1/outreach/requests/{req}"): lambda ids: {  # its role kept, by id
        **request_body(ids), "roles": [{"id": ids["role"], "name": "Panelist", "places": 3}]},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_route_answers_each_role(world, events, outreach, activities, client, login_as, bearer,
                                 make_token, role, method, url):
    user = world.users[role]
    if url.startswith("/account/"):
        token_id = _token_id(make_token(world.users["member"]))
        response = login_as(user).open(url.format(token=token_id), method=method)
    else:
        body = BODIES.get((method, url))
        ids = {**events, **outreach, **{f"act_{k}": v for k, v in activities.items()}}
        response = client.open(url.format(**ids), method=method, headers=bearer(user),
                               json=body(ids) if body else None)
    assert_answers(response, TABLE[method, url][role])
    if url.startswith("/api/v1/") and response.status_code >= 400:
        assert set(response.json["error"]) == {"code", "message", "fields"}
    if response.status_code in (401, 403, 404):
        text = response.get_data(as_text=True)
        for title in ("Members mixer", "Draft dinner", "Federation forum"):
            assert title not in text


def _token_id(secret: str) -> int:
    from jetaa.api.models import hash_token
    from jetaa.extensions import db

    return db.session.scalar(sa.select(ApiToken.id).where(ApiToken.token_hash == hash_token(secret)))


def test_refused_rsvps_change_nothing(world, events, client, bearer, db):
    for role in ("pending", "mission", "admin"):
        client.post("/api/v1/me/rsvps", json={"event_id": events["pub"]},
                    headers=bearer(world.users[role]))
    client.post("/api/v1/me/rsvps", json={"event_id": events["members"]},
                headers=bearer(world.users["other_officer"]))
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0


# Token states, on a read (/me) and on a write (an RSVP) --------------------------

def _states(make_token, member):  # noqa: ANN001, ANN202
    now = utcnow()
    return {
        "none": None,
        "malformed": "Token abc",
        "empty": "Bearer ",
        "unknown": "Bearer jetaa_" + "x" * 43,
        "expired": f"Bearer {make_token(member, expires_at=now - timedelta(seconds=1))}",
        "revoked": f"Bearer {make_token(member, revoked_at=now)}",
        "read": f"Bearer {make_token(member, 'read')}",
        "write": f"Bearer {make_token(member, 'write')}",
        "write, expiring later": f"Bearer {make_token(member, expires_at=now + timedelta(days=1))}",
    }


STATES = {  # state -> (GET /me, POST /me/rsvps)
    "none": (401, 401), "malformed": (401, 401), "empty": (401, 401), "unknown": (401, 401),
    "expired": (401, 401), "revoked": (401, 401), "read": (200, 403), "write": (200, 200),
    "write, expiring later": (200, 200),
}


@pytest.mark.parametrize("state", list(STATES))
def test_token_states(world, events, client, make_token, db, state):
    header = _states(make_token, world.users["member"])[state]
    headers = {"Authorization": header} if header else {}
    read = client.get("/api/v1/me", headers=headers)
    write = client.post("/api/v1/me/rsvps", json={"event_id": events["pub"]}, headers=headers)
    assert (read.status_code, write.status_code) == STATES[state], (read.json, write.json)
    if read.status_code == 401:
        assert read.headers["WWW-Authenticate"].startswith("Bearer")
        assert read.json["error"]["code"] == "unauthorized"
    going = db.scalar(sa.select(sa.func.count()).select_from(Rsvp).where(
        Rsvp.status == RsvpStatus.GOING))
    assert going == (1 if STATES[state][1] == 200 else 0)


def test_a_refused_token_does_not_fall_back_to_the_browser_session(world, login_as):
    client = login_as(world.users["member"])
    assert client.get("/api/v1/me").status_code == 200, "a browser session reads"
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer jetaa_nope"})
    assert response.status_code == 401


def test_a_browser_session_never_writes(world, events, login_as, db):
    """No cookie acts on a write (so the API needs no CSRF token): a token is needed."""
    client = login_as(world.users["member"])
    response = client.post("/api/v1/me/rsvps", json={"event_id": events["pub"]})
    assert response.status_code == 401
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0


def test_a_token_of_a_deleted_account_stops_working(world, bearer, client, db):
    headers = bearer(world.users["member"])
    world.users["member"].deleted_at = utcnow()
    db.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401
