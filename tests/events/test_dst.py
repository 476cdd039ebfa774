"""Times the clocks skip: refused for an event's own times, shifted forward for a series'
later dates (as calendar programs do). Both used to end in a 500 (the end before the start
in UTC broke the table's check)."""

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from jetaa.events.models import Category, Event, EventError, Frequency
from jetaa.events.services import EventData, create_event
from jetaa.events.times import exists, to_local

SPRING_FORWARD = date(2027, 3, 14)  # America/New_York: 02:00 EST -> 03:00 EDT
FALL_BACK = date(2027, 11, 7)  # 02:00 EDT -> 01:00 EST


def _data(start: datetime, minutes: int = 30, **changes) -> EventData:  # noqa: ANN003
    values = {"title": "Night owls", "category": Category.SOCIAL, "timezone": "America/New_York",
              "starts_local": start, "ends_local": start + timedelta(minutes=minutes)}
    values.update(changes)
    return EventData(**values)


def test_skipped_and_repeated_times():
    assert not exists(datetime(2027, 3, 14, 2, 30), "America/New_York")
    assert exists(datetime(2027, 3, 14, 3, 0), "America/New_York")
    assert exists(datetime(2027, 11, 7, 1, 30), "America/New_York")  # twice: the first


def test_an_event_at_a_time_that_does_not_exist_is_refused(world):
    with pytest.raises(EventError, match="Sun 14 Mar 2027, 02:30 does not exist in America/New_York"):
        create_event(world.branch, _data(datetime(2027, 3, 14, 2, 30)),
                     actor=world.users["officer"])


def test_the_form_says_which_time_does_not_exist(world, login_as, db):
    form = {"title": "Night owls", "category": "social", "timezone": "America/New_York",
            "starts_local": "2027-03-14T02:30", "ends_local": "2027-03-14T03:00",
            "audience": "public", "guests_allowed": "0", "mission_id": "0"}
    response = login_as(world.users["officer"]).post("/branches/home/events/new", data=form)
    assert response.status_code == 200
    assert "does not exist in America/New_York" in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_a_weekly_series_crossing_the_night_shifts_that_date_forward(world, db):
    first = create_event(world.branch, _data(datetime(2027, 3, 7, 2, 30), frequency=Frequency.WEEKLY,
                                             repeat_until=date(2027, 3, 21)),
                         actor=world.users["officer"])
    db.commit()
    events = db.scalars(sa.select(Event).where(Event.series_id == first.series_id)
                        .order_by(Event.starts_at)).all()
    local = [(to_local(e.starts_at, e.timezone), to_local(e.ends_at, e.timezone)) for e in events]
    assert local == [
        (datetime(2027, 3, 7, 2, 30), datetime(2027, 3, 7, 3, 0)),
        (datetime(2027, 3, 14, 3, 30), datetime(2027, 3, 14, 4, 0)),  # shifted by the gap
        (datetime(2027, 3, 21, 2, 30), datetime(2027, 3, 21, 3, 0)),
    ]
    assert all(e.ends_at - e.starts_at == timedelta(minutes=30) for e in events)


def test_an_event_across_the_change_keeps_its_wall_clock_times(world, db):
    event = create_event(world.branch, _data(datetime(2027, 3, 14, 1, 0), minutes=180),
                         actor=world.users["officer"])
    db.commit()
    assert to_local(event.ends_at, event.timezone) == datetime(2027, 3, 14, 4, 0)
    assert event.ends_at - event.starts_at == timedelta(hours=2)  # the night is an hour short


def test_a_time_that_happens_twice_is_the_first(world, db):
    event = create_event(world.branch, _data(datetime(2027, 11, 7, 1, 30)),
                         actor=world.users["officer"])
    db.commit()
    assert event.starts_at.utcoffset() == timedelta(0)
    assert event.starts_at.hour == 5  # 01:30 EDT (UTC-4), not EST
