"""RSVPs through the API: the events service's seats and waitlist, never past capacity."""

import sqlalchemy as sa

from jetaa.events.models import Event, Rsvp, RsvpStatus


def _going(client, headers, event_id, guests=0):  # noqa: ANN001, ANN202
    return client.post("/api/v1/me/rsvps", json={"event_id": event_id, "guests": guests},
                       headers=headers)


def test_a_full_event_waitlists_and_a_cancellation_promotes(world, make_event, make_user,
                                                            make_membership, client, bearer, db,
                                                            outbox):
    event = make_event(world.branch, title="Small dinner", capacity=1)
    member, officer = bearer(world.users["member"]), bearer(world.users["officer"])
    first = _going(client, member, event.id)
    assert (first.status_code, first.json["status"]) == (200, "going")
    second = _going(client, officer, event.id)
    assert second.json["status"] == "waitlisted"
    assert second.json["waitlist_place"] == 1
    db.expire_all()
    assert db.get(Event, event.id).seats_taken == 1
    listed = client.get("/api/v1/me/rsvps", headers=officer).json["items"]
    assert [(r["event"]["title"], r["status"], r["waitlist_place"]) for r in listed] == [
        ("Small dinner", "waitlisted", 1)]
    cancelled = client.delete(f"/api/v1/me/rsvps/{event.id}", headers=member)
    assert cancelled.json["status"] == "not_going"
    db.expire_all()
    promoted = db.scalar(sa.select(Rsvp).where(Rsvp.user_id == world.users["officer"].id))
    assert promoted.status == RsvpStatus.GOING
    assert db.get(Event, event.id).seats_taken == 1
    assert client.get("/api/v1/me/rsvps", headers=member).json["items"] == []


def test_guests_within_the_events_rules(world, make_event, client, bearer, db):
    event = make_event(world.branch, capacity=3, guests_allowed=1)
    headers = bearer(world.users["member"])
    too_many = _going(client, headers, event.id, guests=2)
    assert too_many.status_code == 409
    assert "at most 1 guests" in too_many.json["error"]["message"]
    assert _going(client, headers, event.id, guests=1).json["guests"] == 1
    db.expire_all()
    assert db.get(Event, event.id).seats_taken == 2


def test_an_event_that_is_over_or_cancelled_refuses(world, make_event, client, bearer, db):
    from datetime import timedelta

    from jetaa.db import utcnow

    past = make_event(world.branch, starts_at=utcnow() - timedelta(days=2))
    cancelled = make_event(world.branch, status="cancelled")
    headers = bearer(world.users["member"])
    for event in (past, cancelled):
        assert _going(client, headers, event.id).status_code == 409
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0


def test_my_past_rsvps(world, make_event, client, bearer, db):
    from datetime import timedelta

    from jetaa.db import utcnow

    event = make_event(world.branch, title="Last year", starts_at=utcnow() - timedelta(days=300))
    db.add(Rsvp(event_id=event.id, user_id=world.users["member"].id, status=RsvpStatus.GOING))
    db.commit()
    headers = bearer(world.users["member"], "read")
    assert client.get("/api/v1/me/rsvps", headers=headers).json["items"] == []
    past = client.get("/api/v1/me/rsvps?past=true", headers=headers).json["items"]
    assert [r["event"]["title"] for r in past] == ["Last year"]
