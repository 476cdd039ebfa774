"""iCalendar feeds, read back by independent parsers (vobject, icalendar) and a strict line check."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import sqlalchemy as sa
import vobject

from jetaa.db import utcnow
from jetaa.events.models import Category, Event, EventStatus, Frequency
from jetaa.events.services import EventData, cancel_event, create_event, publish_event, update_event

NY = ZoneInfo("America/New_York")


def check_rfc5545_lines(body: bytes) -> None:
    """What calendar apps choke on: bare LF, long lines, unbalanced blocks, missing properties."""
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), "lines are folded at 75 octets"
    unfolded = body.decode().replace("\r\n ", "").split("\r\n")[:-1]
    stack = []
    for line in unfolded:
        assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert unfolded[0] == "BEGIN:VCALENDAR"
    assert "VERSION:2.0" in unfolded
    assert any(line.startswith("PRODID:") for line in unfolded)
    tzids = set(re.findall(r";TZID=([^:;]+)", "\n".join(unfolded)))
    defined = {line[5:] for line in unfolded if line.startswith("TZID:")}
    assert tzids <= defined, "every TZID used has a VTIMEZONE"
    for block in re.findall(r"BEGIN:VEVENT\n(.*?)\nEND:VEVENT", "\n".join(unfolded), re.S):
        for prop in ("UID:", "DTSTAMP:", "DTSTART"):
            assert prop in block


def _data(**changes) -> EventData:  # noqa: ANN003
    values = {"title": "Nihongo night", "category": Category.LANGUAGE_EXCHANGE,
              "timezone": "America/New_York", "starts_local": datetime(2027, 3, 2, 19, 0),
              "ends_local": datetime(2027, 3, 2, 21, 0), "venue": "Café Kyoto",
              "frequency": Frequency.WEEKLY, "repeat_until": date(2027, 3, 30)}
    values.update(changes)
    return EventData(**values)


@pytest.fixture
def calendar_data(world, make_event, db):  # noqa: ANN001, ANN201
    officer = world.users["officer"]
    first = create_event(world.branch, _data(), actor=officer)
    publish_event(first, actor=officer)
    db.commit()
    occurrences = list(db.scalars(sa.select(Event).where(Event.series_id == first.series_id)
                                  .order_by(Event.starts_at)))
    cancel_event(occurrences[1], actor=officer)  # 9 March
    moved = occurrences[3]  # 23 March, moved to 24 March 18:00
    update_event(moved, _data(frequency=None, starts_local=datetime(2027, 3, 24, 18, 0),
                              ends_local=datetime(2027, 3, 24, 20, 0)), actor=officer)
    db.commit()
    start = datetime(2027, 3, 5, 18, 0, tzinfo=ZoneInfo("UTC"))
    single = make_event(world.branch, title="Bonenkai; \"party\", with, commas", starts_at=start,
                        timezone="Europe/London", description="Line one\nLine two " + "x" * 120)
    gone = make_event(world.branch, title="Rained off", status="cancelled", starts_at=start)
    make_event(world.branch, title="Members mixer", audience="branch", starts_at=start)
    make_event(world.branch, title="Draft dinner", status="draft", starts_at=start)
    return {"series": first.series_id, "single": single, "gone": gone, "moved": moved}


def _get(client, url: str) -> bytes:  # noqa: ANN001
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return response.data


def test_federation_feed_parses_and_has_series_exceptions_and_cancellations(client,
                                                                            calendar_data):
    body = _get(client, "/events.ics?from=2027-01-01&to=2027-12-31")
    check_rfc5545_lines(body)
    cal = vobject.readOne(body.decode())
    events = cal.contents["vevent"]
    summaries = sorted(e.summary.value for e in events)
    assert "Members mixer" not in summaries
    assert "Draft dinner" not in summaries
    assert summaries.count("Nihongo night") == 2  # the master and the moved date
    assert {tz.tzid.value for tz in cal.contents["vtimezone"]} == {"America/New_York",
                                                                  "Europe/London"}
    master = next(e for e in events if "rrule" in e.contents)
    assert master.uid.value == f"series-{calendar_data['series']}@jetaa-connect"
    dates = [d.astimezone(NY) for d in master.getrruleset()]
    # 2, 9 (cancelled), 16, 23 (moved: still in the rule, replaced by the override), 30 March
    assert [d.day for d in dates] == [2, 16, 23, 30]
    assert {d.strftime("%H:%M") for d in dates} == {"19:00"}  # across the 14 March DST change
    override = next(e for e in events if "recurrence-id" in e.contents)
    assert override.uid.value == master.uid.value
    original = override.contents["recurrence-id"][0].value
    assert original.astimezone(NY) == datetime(2027, 3, 23, 19, 0, tzinfo=NY)
    assert override.dtstart.value.astimezone(NY) == datetime(2027, 3, 24, 18, 0, tzinfo=NY)
    gone = next(e for e in events if e.summary.value == "Rained off")
    assert gone.status.value == "CANCELLED"
    single_uid = f"event-{calendar_data['single'].id}@jetaa-connect"
    single = next(e for e in events if e.uid.value == single_uid)
    assert b"DTSTART;TZID=Europe/London:20270305T180000" in body
    assert single.dtstart.value.astimezone(ZoneInfo("UTC")).hour == 18
    assert single.summary.value == 'Bonenkai; "party", with, commas'
    assert single.description.value.startswith("Line one\nLine two x")


def test_feeds_also_parse_with_icalendar_and_uids_are_stable(client, calendar_data):
    first = _get(client, "/branches/home/events.ics?from=2027-01-01&to=2027-12-31")
    second = _get(client, "/branches/home/events.ics?from=2027-01-01&to=2027-12-31")
    uids = [sorted(str(c["UID"]) for c in icalendar.Calendar.from_ical(body).walk("VEVENT"))
            for body in (first, second)]
    assert uids[0] == uids[1]
    assert len(uids[0]) == 4


def test_single_event_feed(client, calendar_data):
    body = _get(client, f"/events/{calendar_data['moved'].id}.ics")
    check_rfc5545_lines(body)
    (event,) = vobject.readOne(body.decode()).contents["vevent"]
    assert event.uid.value == f"event-{calendar_data['moved'].id}@jetaa-connect"
    assert event.sequence.value == "1"
    assert "rrule" not in event.contents


def test_private_feed_lists_my_events_only(world, client, login_as, calendar_data, db):
    from jetaa.events.feed_tokens import make_private_feed
    from jetaa.events.rsvp import respond

    single = calendar_data["single"]
    single.starts_at, single.ends_at = utcnow() + timedelta(days=2), utcnow() + timedelta(days=2, hours=2)
    db.commit()
    respond(single, world.users["member"], going=True)
    token = make_private_feed(world.users["member"])
    db.commit()
    body = _get(login_as(None), f"/events/feed/{token}.ics")
    check_rfc5545_lines(body)
    assert [e.summary.value for e in vobject.readOne(body.decode()).contents["vevent"]] == [
        single.title]


@pytest.mark.parametrize(("query", "message"), [
    ("from=2020-01-01&to=2026-01-01", "at most three years"),
    ("from=2026-01-01&to=2025-01-01", "before the start date"),
    ("from=yesterday", "YYYY-MM-DD"),
])
def test_feed_refuses_bad_ranges(client, world, query, message):
    for url in (f"/events.ics?{query}", f"/branches/home/events.ics?{query}"):
        response = client.get(url)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_cancelled_whole_event_stays_in_feed_as_cancelled(client, world, make_event, db):
    event = make_event(world.branch, title="Picnic")
    cancel_event(event, actor=world.users["officer"])
    db.commit()
    (vevent,) = vobject.readOne(_get(client, "/events.ics").decode()).contents["vevent"]
    assert vevent.status.value == "CANCELLED"
    assert db.get(Event, event.id).status == EventStatus.CANCELLED


def test_widget_is_frameable_and_json_lists_public_events(client, world, make_event):
    make_event(world.branch, title="Public picnic")
    make_event(world.branch, title="Members mixer", audience="branch")
    widget = client.get("/branches/home/events/widget")
    assert "X-Frame-Options" not in widget.headers
    assert "frame-ancestors *" in widget.headers["Content-Security-Policy"]
    assert "Public picnic" in widget.get_data(as_text=True)
    other = client.get("/events")
    assert other.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in other.headers["Content-Security-Policy"]
    data = client.get("/api/v1/events?branch=home").json
    assert [e["title"] for e in data["items"]] == ["Public picnic"]
    assert data["items"][0]["url"].endswith(f"/events/{data['items'][0]['id']}")


def test_a_kept_feed_shows_a_change_within_the_minute_and_answers_conditional_requests(
        client, world, make_event, db, monkeypatch, caching):
    from jetaa.core import cache

    event = make_event(world.branch, title="First title")
    first = client.get("/events.ics")
    assert b"First title" in first.data
    again = client.get("/events.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    cancel_event(event, actor=world.users["officer"])
    db.commit()
    later = f"{int(cache.minute()) + 1}"
    monkeypatch.setattr(cache, "minute", lambda: later)
    changed = client.get("/events.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert b"STATUS:CANCELLED" in changed.data


def test_private_feed_drops_members_only_events_when_membership_lapses(world, client, make_event,
                                                                       db):
    from jetaa.events.feed_tokens import make_private_feed
    from jetaa.events.rsvp import respond
    from jetaa.memberships.models import Membership, MembershipStatus

    member = world.users["member"]
    secret = make_event(world.branch, title="Members mixer", audience="branch")
    open_event = make_event(world.branch, title="Public picnic")
    respond(secret, member, going=True)
    respond(open_event, member, going=True)
    token = make_private_feed(member)
    db.commit()
    assert b"Members mixer" in client.get(f"/events/feed/{token}.ics").data
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == member.id))
    membership.status = MembershipStatus.LAPSED
    db.commit()
    body = client.get(f"/events/feed/{token}.ics").data
    assert b"Members mixer" not in body
    assert b"Public picnic" in body


def _series_dates(body: bytes) -> tuple[list[int], list[str]]:
    """(days of March the public rule still yields, titles of the feed's events)."""
    events = vobject.readOne(body.decode()).contents["vevent"]
    master = next(e for e in events if "rrule" in e.contents)
    return ([d.astimezone(NY).day for d in master.getrruleset()],
            sorted(e.summary.value for e in events))


def test_a_public_series_date_made_members_only_leaves_the_public_feeds(world, db, client):
    from jetaa.events.models import Audience

    officer = world.users["officer"]
    first = create_event(world.branch, _data(), actor=officer)
    publish_event(first, actor=officer)
    db.commit()
    dates = list(db.scalars(sa.select(Event).where(Event.series_id == first.series_id)
                            .order_by(Event.starts_at)))
    update_event(dates[2], _data(frequency=None, title="Secret tasting", audience=Audience.BRANCH,
                                 starts_local=datetime(2027, 3, 16, 19, 0),
                                 ends_local=datetime(2027, 3, 16, 21, 0)), actor=officer)
    db.commit()
    for url in ("/events.ics?from=2027-01-01&to=2027-12-31",
                "/branches/home/events.ics?from=2027-01-01&to=2027-12-31"):
        days, titles = _series_dates(_get(client, url))
        assert days == [2, 9, 23, 30], url
        assert "Secret tasting" not in titles


def test_a_members_only_series_with_one_public_date_shows_only_that_date(world, db, client):
    from jetaa.events.models import Audience

    officer = world.users["officer"]
    first = create_event(world.branch, _data(audience=Audience.BRANCH), actor=officer)
    publish_event(first, actor=officer)
    db.commit()
    dates = list(db.scalars(sa.select(Event).where(Event.series_id == first.series_id)
                            .order_by(Event.starts_at)))
    dates[1].audience = Audience.PUBLIC
    db.commit()
    days, _titles = _series_dates(_get(client, "/events.ics?from=2027-01-01&to=2027-12-31"))
    assert days == [9]


def test_an_online_link_reaches_a_calendar_file_only_as_on_the_page(world, make_event, login_as,
                                                                    db):
    from jetaa.events.feed_tokens import make_private_feed
    from jetaa.events.rsvp import respond

    link = "https://meet.example.org/secret-room"
    event = make_event(world.branch, audience="branch", online_url=link)
    member = world.users["member"]
    assert link not in login_as(member).get(f"/events/{event.id}.ics").get_data(as_text=True)
    assert link in login_as(world.users["officer"]).get(f"/events/{event.id}.ics").get_data(
        as_text=True)
    token = make_private_feed(member)
    event.capacity = 1
    respond(event, world.users["officer"], going=True)
    respond(event, member, going=True)  # waitlisted: no seat, no link
    db.commit()
    private = login_as(None).get(f"/events/feed/{token}.ics").get_data(as_text=True)
    assert "BEGIN:VEVENT" in private
    assert link not in private
    respond(event, world.users["officer"], going=False)  # the member is promoted
    db.commit()
    assert link in login_as(None).get(f"/events/feed/{token}.ics").get_data(as_text=True)
    assert link in login_as(member).get(f"/events/{event.id}.ics").get_data(as_text=True)


def test_a_forged_host_does_not_poison_the_cached_feed(app, client, world, make_event, caching):
    make_event(world.branch, title="Public picnic")  # the caching fixture: an empty cache
    forged = client.get("/events.ics", headers={"Host": "evil.example"})
    assert forged.status_code == 200
    honest = client.get("/events.ics").get_data(as_text=True)
    for body in (forged.get_data(as_text=True), honest):
        assert "evil.example" not in body
        assert "http://jetaa.test/events/" in body


def test_a_forged_host_does_not_reach_the_widget(client, world, make_event):
    make_event(world.branch, title="Public picnic")
    for url in ("/branches/home/events/widget", "/api/v1/events?branch=home"):
        body = client.get(url, headers={"Host": "evil.example"}).get_data(as_text=True)
        assert "evil.example" not in body, url
        assert "http://jetaa.test/" in body, url


def test_feed_has_readable_categories_and_a_plain_text_description(world, make_event, client):
    event = make_event(world.branch, category=Category.LANGUAGE_EXCHANGE,
                       description="**Bring** a [map](https://example.org)\n\n- tea\n- cake")
    body = client.get(f"/events/{event.id}.ics").data
    vevent = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert [str(c) for c in vevent["categories"].cats] == ["Language exchange"]
    assert str(vevent["description"]) == "Bring a map (https://example.org)\n- tea\n- cake"
