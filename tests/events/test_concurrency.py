"""The last seat is never sold twice, and a reminder never goes out twice, under real concurrency.

Each thread has its own app context, hence its own session and database
connection. The suite runs this on SQLite (a file database) and, with
TEST_DATABASE_URL, on PostgreSQL: the same code path on both.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.db import utcnow
from jetaa.events.models import Event, Rsvp, RsvpStatus
from jetaa.events.rsvp import respond, send_reminders
from jetaa.extensions import db as _db
from jetaa.mail.models import OutboxMessage

THREADS = 12


def _race(app, work, count: int) -> list[BaseException]:  # noqa: ANN001
    """Run work(i) in `count` threads released at the same instant."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                work(i)
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
                _db.session.rollback()
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.fixture
def crowd(world, make_user, make_membership):  # noqa: ANN001, ANN201
    people = []
    for i in range(THREADS):
        user = make_user(f"Racer {i}")
        make_membership(user, world.branch)
        people.append(user.id)
    return people


@pytest.mark.parametrize("capacity", [1, 3])
def test_concurrent_rsvps_never_oversell(app, world, make_event, crowd, db, capacity):
    event_id = make_event(world.branch, capacity=capacity).id

    def rsvp(i: int) -> None:
        event = _db.session.get(Event, event_id)
        respond(event, _db.session.get(User, crowd[i]), going=True)
        _db.session.commit()

    errors = _race(app, rsvp, THREADS)
    assert errors == []
    statuses = Counter(db.scalars(sa.select(Rsvp.status).where(Rsvp.event_id == event_id)))
    assert statuses == {RsvpStatus.GOING: capacity, RsvpStatus.WAITLISTED: THREADS - capacity}
    db.expire_all()
    assert db.get(Event, event_id).seats_taken == capacity
    waitlist_mails = db.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)
                               .where(OutboxMessage.template == "event_waitlisted"))
    assert waitlist_mails == THREADS - capacity


def test_concurrent_cancellations_promote_each_waiter_once(app, world, make_event, crowd, db):
    event = make_event(world.branch, capacity=4)
    users = [db.get(User, uid) for uid in crowd]
    for user in users:
        respond(event, user, going=True)
        db.commit()
    leavers, event_id = crowd[:4], event.id

    def leave(i: int) -> None:
        respond(_db.session.get(Event, event_id), _db.session.get(User, leavers[i]), going=False)
        _db.session.commit()

    assert _race(app, leave, len(leavers)) == []
    going = set(db.scalars(sa.select(Rsvp.user_id).where(Rsvp.status == RsvpStatus.GOING)))
    assert going == set(crowd[4:8])  # the first four in the queue, no more
    db.expire_all()
    assert db.get(Event, event_id).seats_taken == 4
    promoted = list(db.scalars(sa.select(OutboxMessage.to_address)
                               .where(OutboxMessage.template == "event_promoted")))
    assert sorted(promoted) == sorted(u.email for u in users[4:8])


def test_overlapping_reminder_runs_send_each_reminder_once(app, world, make_event, crowd, db):
    event = make_event(world.branch, starts_at=utcnow() + timedelta(hours=6))
    for uid in crowd[:5]:
        respond(event, db.get(User, uid), going=True)
    db.commit()

    errors = _race(app, lambda i: send_reminders(), 4)
    assert errors == []
    sent = list(db.scalars(sa.select(OutboxMessage.to_address)
                           .where(OutboxMessage.template == "event_reminder")))
    assert len(sent) == 5
    assert len(set(sent)) == 5


def test_one_persons_repeated_answers_free_their_seats_once(app, world, make_event, crowd, db):
    """A double-clicked "not going": every request reads GOING unless they queue."""
    event = make_event(world.branch, capacity=2)
    users = [db.get(User, uid) for uid in crowd[:4]]
    for user in users:  # two going, two waiting
        respond(event, user, going=True)
        db.commit()
    event_id, leaver = event.id, crowd[0]

    def leave(_i: int) -> None:
        respond(_db.session.get(Event, event_id), _db.session.get(User, leaver), going=False)
        _db.session.commit()

    assert _race(app, leave, 6) == []
    db.expire_all()
    going = set(db.scalars(sa.select(Rsvp.user_id).where(Rsvp.event_id == event_id,
                                                         Rsvp.status == RsvpStatus.GOING)))
    assert going == {crowd[1], crowd[2]}  # the first in the queue took the seat, no one else
    assert db.get(Event, event_id).seats_taken == 2
