"""Cached calendars: shared by viewers who see the same events, never stale after a change."""

from __future__ import annotations

import sqlalchemy as sa

from jetaa.core.generations import Generation
from jetaa.events.models import Event
from jetaa.events.rsvp import respond
from jetaa.events.services import cancel_event
from tests.conftest import signed_in_id

LIST = "/events?view=list"


def _events_generation(db) -> int:  # noqa: ANN001
    return db.scalar(sa.select(Generation.value).where(Generation.name == "events")) or 0


def test_an_update_statement_on_events_moves_their_generation(world, db, make_event):
    event = make_event(world.branch)
    before = _events_generation(db)
    db.execute(sa.update(Event).where(Event.id == event.id).values(capacity=5))
    db.commit()
    assert _events_generation(db) == before + 1


def test_a_new_event_shows_at_once_in_a_cached_list(client, world, make_event, caching):
    make_event(world.branch, title="First social")
    assert "First social" in client.get(LIST).get_data(as_text=True)
    make_event(world.branch, title="Second social")
    page = client.get(LIST).get_data(as_text=True)
    assert "First social" in page
    assert "Second social" in page


def test_the_cache_is_not_shared_across_audiences(login_as, world, make_event, caching):
    make_event(world.branch, title="Members only supper", audience="branch")
    make_event(world.branch, title="Open picnic")
    member_page = login_as(world.users["member"]).get(LIST).get_data(as_text=True)
    assert "Members only supper" in member_page
    for role in ("anonymous", "pending", "other_officer"):
        page = login_as(world.users[role]).get(LIST).get_data(as_text=True)
        assert "Open picnic" in page
        assert "Members only supper" not in page, role


def test_cancelling_and_rsvps_show_at_once(client, world, make_event, make_user,
                                           make_membership, db, caching):
    event = make_event(world.branch, title="Tiny dinner", capacity=2)
    assert "2 seats left" in client.get(LIST).get_data(as_text=True)
    guest = make_user("Gina Guest")
    make_membership(guest, world.branch)
    respond(event, guest, going=True)
    db.commit()
    assert "1 seat left" in client.get(LIST).get_data(as_text=True)
    cancel_event(event, actor=world.users["officer"])
    db.commit()
    month = client.get(f"/events?month={event.starts_at:%Y-%m}").get_data(as_text=True)
    assert "is-cancelled" in month
    assert "Cancelled" in client.get(LIST).get_data(as_text=True)


def test_invalid_filters_are_answered_but_not_cached(client, world, caching):
    from jetaa.core import cache

    assert client.get("/events?view=list&start=2030-01-01&end=2020-01-01").status_code == 400
    assert not any(key.startswith("jetaa:cache:calendar") for key in cache._local)
    assert client.get(LIST).status_code == 200
    assert any(key.startswith("jetaa:cache:calendar") for key in cache._local)


def _csrf(page: str) -> str:
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def _signed_in(app, user):  # noqa: ANN001, ANN202 - a browser of its own
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = signed_in_id(user)
        session["_fresh"] = True
    return client


def test_a_cached_event_page_gives_each_session_its_own_working_form(app, world, make_event,
                                                                    db, monkeypatch, caching):
    from jetaa.events.models import Rsvp

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    event = make_event(world.branch, title="Shared supper", capacity=3)
    member = world.users["member"]
    laptop, phone = _signed_in(app, member), _signed_in(app, member)
    laptop_page = laptop.get(f"/events/{event.id}").get_data(as_text=True)
    phone_page = phone.get(f"/events/{event.id}").get_data(as_text=True)  # from the cache
    assert "\x00" not in laptop_page + phone_page
    assert _csrf(laptop_page) != _csrf(phone_page)
    answer = {"csrf_token": _csrf(phone_page), "answer": "going", "guests": 0}
    assert phone.post(f"/events/{event.id}/rsvp", data=answer).status_code == 302
    assert db.scalar(sa.select(Rsvp.status).where(Rsvp.user_id == member.id)).value == "going"
    again = laptop.get(f"/events/{event.id}").get_data(as_text=True)
    assert "You are going." in again  # the RSVP moved the generation: a fresh page


def test_a_cached_event_page_is_never_served_past_its_permission(login_as, world, make_event,
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


def test_sending_reminders_leaves_the_cached_pages_alone(world, make_event, make_user,
                                                         make_membership, db):
    from datetime import timedelta

    from jetaa.db import utcnow
    from jetaa.events.rsvp import send_reminders

    event = make_event(world.branch, starts_at=utcnow() + timedelta(hours=20))
    respond(event, world.users["member"], going=True)
    db.commit()
    before = _events_generation(db)
    assert send_reminders() == 1
    assert _events_generation(db) == before  # the sent-at stamp is shown nowhere


def test_made_up_parameters_neither_multiply_entries_nor_reach_links(client, world, make_event,
                                                                     login_as, caching):
    from jetaa.core import cache

    make_event(world.branch, title="Plain social")
    for junk in ("", "&x=1", "&x=2", "&utm_source=mail"):
        page = client.get(f"{LIST}{junk}").get_data(as_text=True)
        assert "Plain social" in page
        assert "mail&amp;view=" not in page  # the view links
        assert "x=1&amp;view=" not in page
    assert len([k for k in cache._local if k.startswith("jetaa:cache:calendar")]) == 1
    member = login_as(world.users["member"])
    for junk in ("", "&x=1", "&x=2"):
        assert member.get(f"/directory?q=mia{junk}").status_code == 200
    assert len([k for k in cache._local if k.startswith("jetaa:cache:directory")]) == 1
