"""Creating, editing, publishing, cancelling and duplicating events; series and DST."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.core.markdown import render_markdown
from jetaa.db import utcnow
from jetaa.events.models import Category, Event, EventError, EventStatus, Frequency
from jetaa.events.rsvp import respond
from jetaa.events.services import (
    EventData,
    cancel_event,
    create_event,
    duplicate_event,
    publish_event,
    update_event,
)


def _data(**changes) -> EventData:  # noqa: ANN003
    values = {"title": "Language exchange", "category": Category.LANGUAGE_EXCHANGE,
              "timezone": "America/New_York", "starts_local": datetime(2027, 3, 2, 19, 0),
              "ends_local": datetime(2027, 3, 2, 21, 0), "venue": "Café Kyoto"}
    values.update(changes)
    return EventData(**values)


def test_create_stores_utc_and_audits(world, db):
    event = create_event(world.branch, _data(), actor=world.users["officer"])
    db.commit()
    assert event.status == EventStatus.DRAFT
    assert event.starts_at == datetime(2027, 3 , 3, 0, 0, tzinfo=ZoneInfo("UTC"))
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "event.create"))
    assert entry.object_id == event.id
    assert entry.actor_id == world.users["officer"].id


@pytest.mark.parametrize(("changes", "message"), [
    ({"ends_local": datetime(2027, 3, 2, 18, 0)}, "end after it starts"),
    ({"timezone": "Mars/Olympus_Mons"}, "Unknown time zone"),
    ({"capacity": 0}, "at least 1"),
    ({"frequency": Frequency.WEEKLY, "repeat_until": date(2030, 1, 1)}, "at most two years"),
    ({"frequency": Frequency.WEEKLY, "repeat_until": None}, "last date"),
])
def test_create_refuses_bad_input(world, changes, message):
    with pytest.raises(EventError, match=message):
        create_event(world.branch, _data(**changes), actor=world.users["officer"])


def test_weekly_series_keeps_local_time_across_dst(world, db):
    # New York springs forward on 14 March 2027: 19:00 stays 19:00, UTC moves from 00:00 to 23:00.
    create_event(world.branch, _data(frequency=Frequency.WEEKLY, repeat_until=date(2027, 3, 30)),
                 actor=world.users["officer"])
    db.commit()
    events = list(db.scalars(sa.select(Event).order_by(Event.starts_at)))
    assert len(events) == 5
    zone = ZoneInfo("America/New_York")
    assert {e.starts_at.astimezone(zone).strftime("%H:%M") for e in events} == {"19:00"}
    assert {e.ends_at.astimezone(zone).strftime("%H:%M") for e in events} == {"21:00"}
    assert [e.starts_at.hour for e in events] == [0, 0, 23, 23, 23]
    assert all(e.series_id == events[0].series_id for e in events)
    assert [e.recurrence_start for e in events] == [e.starts_at for e in events]


def test_monthly_series_uses_the_same_weekday(world, db):
    create_event(world.branch, _data(frequency=Frequency.MONTHLY, repeat_until=date(2027, 6, 30)),
                 actor=world.users["officer"])
    db.commit()
    zone = ZoneInfo("America/New_York")
    starts = [e.starts_at.astimezone(zone) for e in db.scalars(
        sa.select(Event).order_by(Event.starts_at))]
    assert [d.date() for d in starts] == [date(2027, 3, 2), date(2027, 4, 6), date(2027, 5, 4),
                                          date(2027, 6, 1)]  # first Tuesdays
    assert {d.strftime("%H:%M") for d in starts} == {"19:00"}


def test_publish_series_publishes_every_occurrence(world, db):
    first = create_event(world.branch, _data(frequency=Frequency.WEEKLY,
                                             repeat_until=date(2027, 3, 16)),
                         actor=world.users["officer"])
    assert publish_event(first, actor=world.users["officer"]) == 3
    db.commit()
    assert set(db.scalars(sa.select(Event.status))) == {EventStatus.PUBLISHED}


def test_moving_one_occurrence_marks_it_and_leaves_the_others(world, db):
    first = create_event(world.branch, _data(frequency=Frequency.WEEKLY,
                                             repeat_until=date(2027, 3, 16)),
                         actor=world.users["officer"])
    db.commit()
    update_event(first, _data(starts_local=datetime(2027, 3, 3, 18, 0),
                              ends_local=datetime(2027, 3, 3, 20, 0)), actor=world.users["officer"])
    db.commit()
    events = list(db.scalars(sa.select(Event).order_by(Event.recurrence_start)))
    assert [e.is_exception for e in events] == [True, False, False]
    assert events[0].recurrence_start.date() == date(2027, 3, 3)  # 19:00 EST is 00:00 UTC
    assert events[0].starts_at == datetime(2027, 3, 3, 23, 0, tzinfo=ZoneInfo("UTC"))


def _going(world, make_user, make_membership, event, n=2):  # noqa: ANN001, ANN202
    people = []
    for i in range(n):
        user = make_user(f"Goer {i}")
        make_membership(user, world.branch)
        respond(event, user, going=True)
        people.append(user)
    return people


def test_cancel_notifies_everyone_with_an_rsvp(world, make_event, make_user, make_membership,
                                               db, outbox):
    event = make_event(world.branch, capacity=1)
    a, b = _going(world, make_user, make_membership, event)
    db.commit()
    cancel_event(event, actor=world.users["officer"])
    db.commit()
    mails = [m for m in outbox() if m.template == "event_cancelled"]
    assert sorted(m.to_address for m in mails) == sorted([a.email, b.email])
    assert mails[0].subject == "Cancelled: Sake tasting"
    with pytest.raises(EventError, match="already cancelled"):
        cancel_event(event, actor=world.users["officer"])


def test_changing_time_or_place_notifies_but_title_does_not(world, make_event, make_user,
                                                           make_membership, db, outbox):
    event = make_event(world.branch, starts_at=datetime(2027, 5, 1, 16, 0, tzinfo=ZoneInfo("UTC")))
    _going(world, make_user, make_membership, event, 1)
    db.commit()
    data = _data(title="Renamed", starts_local=datetime(2027, 5, 1, 12, 0),
                 ends_local=datetime(2027, 5, 1, 14, 0), venue="The Hall", address="1 Main St",
                 category=Category.SOCIAL)
    update_event(event, data, actor=world.users["officer"])
    db.commit()
    assert [m.template for m in outbox()] == []
    data.venue = "Somewhere else"
    update_event(event, data, actor=world.users["officer"])
    db.commit()
    assert [m.template for m in outbox()] == ["event_changed"]
    assert event.sequence == 2


def test_capacity_cannot_go_below_confirmed_seats(world, make_event, make_user, make_membership,
                                                  login_as, db):
    event = make_event(world.branch, capacity=5, starts_at=datetime(2027, 5, 1, 16, 0,
                                                                    tzinfo=ZoneInfo("UTC")))
    _going(world, make_user, make_membership, event, 3)
    db.commit()
    client = login_as(world.users["officer"])
    form = {"title": "Sake tasting", "category": "social", "timezone": "America/New_York",
            "starts_local": "2027-05-01T12:00", "ends_local": "2027-05-01T14:00",
            "audience": "public", "capacity": "2", "guests_allowed": "0", "mission_id": "0"}
    page = client.post(f"/events/{event.id}/edit", data=form).get_data(as_text=True)
    assert "Capacity cannot be below the 3 seats already confirmed" in page
    db.expire_all()
    assert db.get(Event, event.id).capacity == 5
    form["capacity"] = "3"
    assert client.post(f"/events/{event.id}/edit", data=form).status_code == 302
    db.expire_all()
    assert db.get(Event, event.id).capacity == 3


def test_raising_capacity_promotes_the_waitlist(world, make_event, make_user, make_membership,
                                                db, outbox):
    event = make_event(world.branch, capacity=1, starts_at=datetime(2027, 5, 1, 16, 0,
                                                                    tzinfo=ZoneInfo("UTC")))
    _a, b = _going(world, make_user, make_membership, event, 2)
    db.commit()
    update_event(event, _data(capacity=2, starts_local=datetime(2027, 5, 1, 12, 0),
                              ends_local=datetime(2027, 5, 1, 14, 0), title="Sake tasting",
                              category=Category.SOCIAL, venue="The Hall", address="1 Main St"),
                 actor=world.users["officer"])
    db.commit()
    assert [m.to_address for m in outbox() if m.template == "event_promoted"] == [b.email]
    assert event.seats_taken == 2


def test_duplicate_is_a_draft_a_week_later(world, make_event, db):
    event = make_event(world.branch, capacity=10)
    event.cohosts = [world.other_branch]
    db.commit()
    copy = duplicate_event(event, actor=world.users["officer"])
    db.commit()
    assert copy.status == EventStatus.DRAFT
    assert copy.starts_at - event.starts_at == timedelta(days=7)
    assert copy.seats_taken == 0
    assert [b.id for b in copy.cohosts] == [world.other_branch.id]


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>", "[click](javascript:alert(1))",
    '<img src=x onerror="alert(1)">', "[x](JaVaScRiPt:alert(1))",
])
def test_markdown_is_cleaned(app, text):
    html = str(render_markdown(text))
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html.lower()


def test_markdown_keeps_formatting_and_safe_links(app):
    html = str(render_markdown("**Bring** a [map](https://example.org)\n\n- one\n- two"))
    assert "<strong>Bring</strong>" in html
    assert 'href="https://example.org"' in html
    assert "<li>one</li>" in html


def test_officer_creates_event_in_the_browser(world, login_as, db):
    client = login_as(world.users["officer"])
    form = {"title": "Hanami", "category": "cultural", "timezone": "America/New_York",
            "starts_local": "2027-04-10T11:00", "ends_local": "2027-04-10T15:00",
            "audience": "branch", "capacity": "30", "guests_allowed": "1", "mission_id": "0",
            "cohosts": [str(world.other_branch.id)], "description": "Under the *cherry* trees"}
    response = client.post("/branches/home/events/new", data=form)
    assert response.status_code == 302
    event = db.scalar(sa.select(Event))
    assert response.headers["Location"].endswith(f"/events/{event.id}")
    assert (event.title, event.capacity, event.audience.value) == ("Hanami", 30, "branch")
    assert [b.slug for b in event.cohosts] == ["away"]
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "<em>cherry</em>" in page
    # The officer's branch is in New York: the zone goes without saying.
    assert "Sat 10 Apr 2027, 11:00–15:00<" in page
    assert "America/New_York" not in page
    client.post(f"/events/{event.id}/publish")
    db.expire_all()
    assert db.get(Event, event.id).status == EventStatus.PUBLISHED


@pytest.mark.parametrize(("changes", "message"), [
    ({"ends_local": "2027-04-10T10:00"}, "The event must end after it starts."),
    ({"ends_local": "2027-05-11T11:01"}, "An event can last at most 31 days."),
    ({"timezone": "Nowhere/Special"}, "Unknown time zone"),
    ({"capacity": "0"}, "Number must be between 1 and 100000"),
    ({"frequency": "weekly", "repeat_until": "2031-01-01"}, "at most two years"),
    ({"rsvp_deadline_local": "2027-04-11T10:00"}, "deadline must be before the event ends"),
])
def test_event_form_refuses_bad_input_with_a_message(world, login_as, db, changes, message):
    form = {"title": "Hanami", "category": "cultural", "timezone": "America/New_York",
            "starts_local": "2027-04-10T11:00", "ends_local": "2027-04-10T15:00",
            "audience": "public", "guests_allowed": "0", "mission_id": "0", **changes}
    response = login_as(world.users["officer"]).post("/branches/home/events/new", data=form)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_an_event_may_last_31_days_and_no_more(world):
    from jetaa.events.services import check

    start = datetime(2027, 4, 10, 11, 0)
    data = EventData(title="Exhibition", category=Category.CULTURAL, description="",
                     timezone="America/New_York", starts_local=start,
                     ends_local=start + timedelta(days=31))
    check(data)
    data.ends_local += timedelta(minutes=1)
    with pytest.raises(EventError, match="at most 31 days"):
        check(data)


def test_an_event_under_way_is_still_listed(client, world, make_event):
    make_event(world.branch, title="Month of film", starts_at=utcnow() - timedelta(days=30),
               hours=31 * 24 - 1)
    make_event(world.branch, title="Ended festival", starts_at=utcnow() - timedelta(days=30),
               hours=29 * 24)
    page = client.get("/events?view=list").get_data(as_text=True)
    assert "Month of film" in page
    assert "Ended festival" not in page


def test_viewer_zone_is_shown_when_it_differs(world, make_branch, make_event, make_user,
                                              make_membership, login_as):
    tokyo = make_branch(slug="tokyo", timezone="Asia/Tokyo")
    event = make_event(world.branch, starts_at=datetime(2027, 5, 1, 23, 0, tzinfo=ZoneInfo("UTC")))
    traveller = make_user("Tomo")
    make_membership(traveller, tokyo)
    page = login_as(traveller).get(f"/events/{event.id}").get_data(as_text=True)
    assert "Sat 1 May 2027, 19:00–21:00 (New York time)" in page
    assert "Sun 2 May 2027, 08:00–10:00 (Tokyo time)" in page
    local = login_as(world.users["member"]).get(f"/events/{event.id}").get_data(as_text=True)
    assert "Your time" not in local
    assert "New York time" not in local  # the reader's own zone is not named
    visitor = login_as(world.users["anonymous"]).get(f"/events/{event.id}").get_data(as_text=True)
    assert "(New York time)" in visitor  # a visitor's zone is unknown: say whose time it is


def test_event_form_offers_the_branchs_zones_by_name(world, login_as):
    page = login_as(world.users["officer"]).get("/branches/home/events/new").get_data(as_text=True)
    assert re.search(r'<select[^>]* id="timezone"', page)  # no free-text IANA box
    assert '<option selected value="America/New_York">New York time</option>' in page
    assert '<option value="America/Los_Angeles">Los Angeles time</option>' in page
    assert '<option value="Asia/Tokyo">Tokyo time</option>' in page
