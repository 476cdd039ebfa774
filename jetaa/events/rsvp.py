"""RSVPs, the waitlist and reminders.

Seats are taken and given back only by one conditional UPDATE on the event
row (`seats_taken + n <= capacity`). PostgreSQL re-checks the condition after
waiting for a concurrent writer's row lock; SQLite lets one writer at a time.
Either way the last seat cannot be sold twice, and the code path is the same.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.db import utcnow
from jetaa.events.models import Event, EventError, EventStatus, Rsvp, RsvpStatus
from jetaa.events.notify import event_link
from jetaa.extensions import db
from jetaa.notifications.services import notify

logger = logging.getLogger(__name__)


def _take_seats(event: Event, seats: int) -> bool:
    query = (
        sa.update(Event)
        .where(Event.id == event.id,
               sa.or_(Event.capacity.is_(None), Event.seats_taken + seats <= Event.capacity))
        .values(seats_taken=Event.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    taken = db.session.execute(query).rowcount == 1
    db.session.expire(event, ["seats_taken"])
    return taken


def _release_seats(event: Event, seats: int) -> None:
    query = (sa.update(Event).where(Event.id == event.id)
             .values(seats_taken=Event.seats_taken - seats)
             .execution_options(synchronize_session=False))
    db.session.execute(query)
    db.session.expire(event, ["seats_taken"])


def _lock(event: Event) -> None:
    """Hold the event row's write lock from here to the commit (a no-op UPDATE).

    Answers for one event then go one at a time, reading the RSVP only once the
    lock is held: a double-clicked "not going" frees its seats once, not twice.
    PostgreSQL locks the row; SQLite takes its single write lock.
    """
    db.session.execute(
        sa.update(Event).where(Event.id == event.id)
        .values(seats_taken=Event.seats_taken, updated_at=Event.updated_at)
        .execution_options(synchronize_session=False))


def check_open(event: Event, guests: int, now: datetime | None = None) -> None:
    """Refuse an RSVP the event cannot take, with the reason."""
    now = now or utcnow()
    if event.status == EventStatus.CANCELLED:
        raise EventError(_l("This event is cancelled."))
    if event.status != EventStatus.PUBLISHED:
        raise EventError(_l("This event is not published yet."))
    if event.ends_at <= now:
        raise EventError(_l("This event is over."))
    if event.rsvp_deadline is not None and now > event.rsvp_deadline:
        raise EventError(_l("RSVPs for this event closed at the deadline."))
    if guests < 0 or guests > event.guests_allowed:
        raise EventError(_l("You can bring at most %(n)d guests to this event.",
                            n=event.guests_allowed))


def respond(event: Event, user: User, *, going: bool, guests: int = 0,
            now: datetime | None = None) -> Rsvp:
    """Going (a seat or a waitlist place) or not going (freeing seats for the waitlist)."""
    guests = guests if going else 0
    check_open(event, guests, now)
    _lock(event)
    rsvp = db.session.scalar(sa.select(Rsvp).where(Rsvp.event_id == event.id,
                                                   Rsvp.user_id == user.id)
                             .execution_options(populate_existing=True))
    if rsvp is None:
        rsvp = Rsvp(event_id=event.id, user_id=user.id, status=RsvpStatus.NOT_GOING, guests=0)
        db.session.add(rsvp)
    if going:
        _go(event, rsvp, user, guests)
    elif rsvp.status == RsvpStatus.GOING:
        _release_seats(event, rsvp.seats)
        rsvp.status, rsvp.guests = RsvpStatus.NOT_GOING, 0
        promote_waitlist(event)
    else:
        rsvp.status, rsvp.guests, rsvp.waitlisted_at = RsvpStatus.NOT_GOING, 0, None
    return rsvp


def withdraw_everywhere(user: User, now: datetime | None = None) -> int:
    """Free the seats and waitlist places of someone leaving (a deleted account) in every
    event not yet over, promoting each waitlist; past answers stay as history.

    Returns how many answers were withdrawn. Deadlines do not apply: a person who is
    gone will not come.
    """
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Rsvp.id, Rsvp.event_id).join(Event, Event.id == Rsvp.event_id)
        .where(Rsvp.user_id == user.id, Event.ends_at > now,
               Rsvp.status.in_((RsvpStatus.GOING, RsvpStatus.WAITLISTED)))
        .order_by(Rsvp.event_id)).all()  # one order for every writer: no deadlock
    for _rsvp_id, event_id in rows:
        event = db.session.get(Event, event_id)
        _lock(event)
        rsvp = db.session.scalar(sa.select(Rsvp).where(Rsvp.event_id == event_id,
                                                       Rsvp.user_id == user.id)
                                 .execution_options(populate_existing=True))
        was_going = rsvp.status == RsvpStatus.GOING
        if was_going:
            _release_seats(event, rsvp.seats)
        rsvp.status, rsvp.guests, rsvp.waitlisted_at = RsvpStatus.NOT_GOING, 0, None
        if was_going and event.status == EventStatus.PUBLISHED:
            promote_waitlist(event)
    return len(rows)


def _go(event: Event, rsvp: Rsvp, user: User, guests: int) -> None:
    if rsvp.status == RsvpStatus.GOING:
        extra = guests - rsvp.guests
        if extra > 0 and not _take_seats(event, extra):
            raise EventError(_l("There are not enough seats left for more guests."))
        if extra < 0:
            _release_seats(event, -extra)
            promote_waitlist(event)
        rsvp.guests = guests
        return
    if rsvp.status == RsvpStatus.WAITLISTED:
        rsvp.guests = guests  # keeps its place in the queue
        return
    if _take_seats(event, 1 + guests):
        rsvp.status, rsvp.guests, rsvp.waitlisted_at = RsvpStatus.GOING, guests, None
        return
    rsvp.status, rsvp.guests, rsvp.waitlisted_at = RsvpStatus.WAITLISTED, guests, utcnow()
    notify(user, "event_waitlisted", event=event, link=event_link(event))


def promote_waitlist(event: Event) -> list[Rsvp]:
    """Give freed seats to the waitlist, strictly in order, and tell each person promoted.

    The caller already changed the event row in this transaction, so on
    PostgreSQL concurrent promotions for the same event wait for each other.
    """
    query = (
        sa.select(Rsvp).join(Rsvp.user).options(sa.orm.contains_eager(Rsvp.user))
        .where(Rsvp.event_id == event.id, Rsvp.status == RsvpStatus.WAITLISTED)
        .order_by(Rsvp.waitlisted_at, Rsvp.id)
    )
    promoted = []
    for rsvp in db.session.scalars(query).all():
        if not _take_seats(event, rsvp.seats):
            break
        rsvp.status, rsvp.waitlisted_at = RsvpStatus.GOING, None
        promoted.append(rsvp)
        notify(rsvp.user, "event_promoted", event=event, link=event_link(event))
    return promoted


def mark_attendance(event: Event, attended_ids: set[int], *, actor: User) -> int:
    """After the event: who came (RSVP ids), of the people who said they were going."""
    if event.starts_at > utcnow():
        raise EventError(_l("Attendance can be marked once the event has started."))
    rsvps = db.session.scalars(sa.select(Rsvp).where(Rsvp.event_id == event.id,
                                                     Rsvp.status == RsvpStatus.GOING)).all()
    for rsvp in rsvps:
        rsvp.attended = rsvp.id in attended_ids
    record("event.attendance", actor=actor, object_type="event", object_id=event.id,
           branch_id=event.branch_id, attended=sum(1 for r in rsvps if r.attended))
    return len(rsvps)


def send_reminders(now: datetime | None = None, window: timedelta = timedelta(hours=24)) -> int:
    """Queue a reminder for each person going to an event starting within `window`.

    Each RSVP is claimed by an UPDATE ... WHERE reminded_at IS NULL in the same
    transaction as its message, so overlapping runs never send one twice.
    """
    now = now or utcnow()
    query = (
        sa.select(Rsvp).join(Rsvp.event).join(Rsvp.user)
        .options(sa.orm.contains_eager(Rsvp.event), sa.orm.contains_eager(Rsvp.user))
        .where(Rsvp.status == RsvpStatus.GOING, Rsvp.reminded_at.is_(None),
               Event.status == EventStatus.PUBLISHED,
               Event.starts_at > now, Event.starts_at <= now + window)
        .order_by(Event.starts_at, Rsvp.id)
    )
    sent = 0
    for rsvp in db.session.scalars(query).all():
        claim = (sa.update(Rsvp).where(Rsvp.id == rsvp.id, Rsvp.reminded_at.is_(None))
                 .values(reminded_at=now)
                 .execution_options(synchronize_session=False, unseen_by_pages=True))
        if db.session.execute(claim).rowcount != 1:
            continue
        notify(rsvp.user, "event_reminder", event=rsvp.event, link=event_link(rsvp.event))
        db.session.commit()
        sent += 1
    return sent
