"""What the events keep in the cache: the public feeds, within the minute. No calendar and
no event page, for anyone."""

from __future__ import annotations

import sqlalchemy as sa

from jetaa.core import cache
from jetaa.events.models import Rsvp
from jetaa.events.rsvp import respond
from jetaa.events.services import cancel_event
from tests.conftest import signed_in_id

LIST = "/events?view=list"


def _keys(prefix: str) -> list[str]:
    return [key for key in cache._local if key.startswith(f"jetaa:cache:{prefix}")]


def _next_minute(monkeypatch) -> None:  # noqa: ANN001
    later = f"{int(cache.minute()) + 1}"
    monkeypatch.setattr(cache, "minute", lambda: later)


def test_no_calendar_is_kept_and_a_visitor_sees_a_new_event_at_once(client, world, make_event,
                                                                    caching):
    make_event(world.branch, title="First social")
    assert "First social" in client.get(LIST).get_data(as_text=True)
    make_event(world.branch, title="Second social")
    page = client.get(LIST).get_data(as_text=True)
    assert "First social" in page
    assert "Second social" in page
    assert _keys("calendar") == []


def test_a_signed_in_calendar_is_never_kept_and_shows_changes_at_once(login_as, world,
                                                                      make_event, make_user,
                                                                      make_membership, db,
                                                                      caching):
    event = make_event(world.branch, title="Tiny dinner", capacity=2)
    member = login_as(world.users["member"])
    assert "2 seats left" in member.get(LIST).get_data(as_text=True)
    guest = make_user("Gina Guest")
    make_membership(guest, world.branch)
    respond(event, guest, going=True)
    db.commit()
    assert "1 seat left" in member.get(LIST).get_data(as_text=True)
    make_event(world.branch, title="Members only supper", audience="branch")
    assert "Members only supper" in member.get(LIST).get_data(as_text=True)
    cancel_event(event, actor=world.users["officer"])
    db.commit()
    month = member.get(f"/events?month={event.starts_at:%Y-%m}").get_data(as_text=True)
    assert "is-cancelled" in month
    assert "Cancelled" in member.get(LIST).get_data(as_text=True)
    assert _keys("calendar") == []


def test_each_audience_sees_its_own_calendar(login_as, world, make_event, caching):
    make_event(world.branch, title="Members only supper", audience="branch")
    make_event(world.branch, title="Open picnic")
    assert "Members only supper" in login_as(world.users["member"]).get(LIST).get_data(
        as_text=True)
    for role in ("anonymous", "pending", "other_officer", "mission"):
        page = login_as(world.users[role]).get(LIST).get_data(as_text=True)
        assert "Open picnic" in page
        assert "Members only supper" not in page, role


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _signed_in(app, user):  # noqa: ANN001, ANN202 - a browser of its own
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_id(user)
        session["_fresh"] = True
    return client


def test_an_event_page_gives_each_session_its_own_working_form(app, world, make_event, db,
                                                              monkeypatch, caching):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    event = make_event(world.branch, title="Shared supper", capacity=3)
    member = world.users["member"]
    laptop, phone = _signed_in(app, member), _signed_in(app, member)
    laptop_page = laptop.get(f"/events/{event.id}").get_data(as_text=True)
    phone_page = phone.get(f"/events/{event.id}").get_data(as_text=True)
    assert _csrf(laptop_page) != _csrf(phone_page)
    answer = {"csrf_token": _csrf(phone_page), "answer": "going", "guests": 0}
    assert phone.post(f"/events/{event.id}/rsvp", data=answer).status_code == 302
    assert db.scalar(sa.select(Rsvp.status).where(Rsvp.user_id == member.id)).value == "going"
    assert "You are going." in laptop.get(f"/events/{event.id}").get_data(as_text=True)
    assert cache._local == {}  # no part of an event page is kept


def test_an_event_page_is_never_served_past_its_permission(login_as, world, make_event,
                                                           caching):
    draft = make_event(world.branch, title="Secret draft", status="draft")
    members_only = make_event(world.branch, title="Members only supper", audience="branch")
    assert "Secret draft" in login_as(world.users["officer"]).get(
        f"/events/{draft.id}").get_data(as_text=True)
    assert "Members only supper" in login_as(world.users["member"]).get(
        f"/events/{members_only.id}").get_data(as_text=True)
    for role in ("anonymous", "pending", "member", "other_officer", "mission"):
        assert login_as(world.users[role]).get(f"/events/{draft.id}").status_code == 404, role
    for role, status in (("anonymous", 401), ("pending", 403), ("other_officer", 404)):
        response = login_as(world.users[role]).get(f"/events/{members_only.id}")
        assert response.status_code == status, role
        assert "Members only supper" not in response.get_data(as_text=True)


def test_a_public_feed_is_kept_within_the_minute_and_answers_304_when_unchanged(
        client, world, make_event, monkeypatch, caching):
    make_event(world.branch, title="Feed social")
    first = client.get("/events.ics")
    assert b"Feed social" in first.data
    again = client.get("/events.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    make_event(world.branch, title="Feed supper")
    assert b"Feed supper" not in client.get("/events.ics").data  # within the minute
    _next_minute(monkeypatch)
    changed = client.get("/events.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert b"Feed supper" in changed.data
    assert changed.headers["ETag"] != first.headers["ETag"]
