"""RSVPs, the waitlist, promotion in order, reminders, attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from jetaa.db import utcnow
from jetaa.events.models import Event, EventError, Rsvp, RsvpStatus
from jetaa.events.rsvp import respond, send_reminders
from jetaa.mail.models import OutboxMessage


@pytest.fixture
def members(world, make_user, make_membership):  # noqa: ANN001, ANN201
    def make(n: int) -> list:
        people = []
        for i in range(n):
            user = make_user(f"Attendee {i}")
            make_membership(user, world.branch)
            people.append(user)
        return people

    return make


def _status(db, event, user) -> RsvpStatus:  # noqa: ANN001
    return db.scalar(sa.select(Rsvp.status).where(Rsvp.event_id == event.id,
                                                  Rsvp.user_id == user.id))


def test_full_event_waitlists_and_promotes_in_order_with_emails(world, make_event, members, db,
                                                               outbox):
    event = make_event(world.branch, capacity=2)
    a, b, c, d = members(4)
    for user in (a, b, c, d):
        respond(event, user, going=True)
        db.commit()
    assert [_status(db, event, u) for u in (a, b, c, d)] == [
        RsvpStatus.GOING, RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.WAITLISTED]
    assert [m.to_address for m in outbox() if m.template == "event_waitlisted"] == [c.email, d.email]

    respond(event, a, going=False)
    db.commit()
    assert _status(db, event, c) == RsvpStatus.GOING  # first in the queue, not d
    assert _status(db, event, d) == RsvpStatus.WAITLISTED
    promoted = [m for m in outbox() if m.template == "event_promoted"]
    assert [m.to_address for m in promoted] == [c.email]
    assert "Sake tasting" in promoted[0].subject
    db.refresh(event)
    assert event.seats_taken == 2


def test_promotion_stops_at_a_party_too_big_for_the_free_seats(world, make_event, members, db):
    event = make_event(world.branch, capacity=3, guests_allowed=2)
    a, b, c, d = members(4)
    respond(event, a, going=True, guests=1)  # 2 seats
    respond(event, c, going=True)  # 1 seat: full
    respond(event, b, going=True, guests=2)  # needs 3: first in the queue
    respond(event, d, going=True)  # needs 1: second
    db.commit()
    respond(event, c, going=False)  # one seat frees: b does not fit, and d must wait behind b
    db.commit()
    assert _status(db, event, b) == RsvpStatus.WAITLISTED
    assert _status(db, event, d) == RsvpStatus.WAITLISTED
    respond(event, a, going=False)  # three free: b's party gets them
    db.commit()
    db.refresh(event)
    assert _status(db, event, b) == RsvpStatus.GOING
    assert _status(db, event, d) == RsvpStatus.WAITLISTED
    assert event.seats_taken == 3


@pytest.mark.parametrize(("change", "message"), [
    ({"status": "cancelled"}, "cancelled"),
    ({"status": "draft"}, "not published"),
    ({"rsvp_deadline": "past"}, "deadline"),
    ({"ends": "past"}, "over"),
])
def test_rsvp_refused_with_a_reason(world, make_event, members, db, change, message):
    start = utcnow() - timedelta(hours=5) if change.get("ends") else None
    fields = {"status": change.get("status", "published"), "starts_at": start, "hours": 1}
    event = make_event(world.branch, **fields)
    if change.get("rsvp_deadline"):
        event.rsvp_deadline = utcnow() - timedelta(minutes=1)
        db.commit()
    (user,) = members(1)
    with pytest.raises(EventError, match=message):
        respond(event, user, going=True)


def test_guests_over_the_limit_are_refused_in_the_browser(world, make_event, login_as, db):
    event = make_event(world.branch, guests_allowed=1)
    client = login_as(world.users["member"])
    response = client.post(f"/events/{event.id}/rsvp", data={"answer": "going", "guests": "2"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "at most 1 guests" in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0


def test_rsvp_after_deadline_is_refused_in_the_browser(world, make_event, login_as, db):
    event = make_event(world.branch, rsvp_deadline=utcnow() - timedelta(hours=1))
    response = login_as(world.users["member"]).post(
        f"/events/{event.id}/rsvp", data={"answer": "going"}, follow_redirects=True)
    assert "closed at the deadline" in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0


def test_rsvp_to_cancelled_event_is_refused_in_the_browser(world, make_event, login_as, db):
    event = make_event(world.branch, status="cancelled")
    response = login_as(world.users["member"]).post(
        f"/events/{event.id}/rsvp", data={"answer": "going"}, follow_redirects=True)
    assert "This event is cancelled." in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 0


def test_rsvp_in_the_browser_going_then_not_going(world, make_event, login_as, db):
    event = make_event(world.branch, capacity=5, guests_allowed=2)
    client = login_as(world.users["member"])
    page = client.post(f"/events/{event.id}/rsvp", data={"answer": "going", "guests": "2"},
                       follow_redirects=True).get_data(as_text=True)
    assert "You are going" in page
    db.refresh(event)
    assert event.seats_taken == 3
    client.post(f"/events/{event.id}/rsvp", data={"answer": "not_going"})
    db.refresh(event)
    assert event.seats_taken == 0
    assert _status(db, event, world.users["member"]) == RsvpStatus.NOT_GOING


def test_reminders_are_sent_once_however_often_the_command_runs(app, world, make_event, members,
                                                               db, outbox):
    soon = make_event(world.branch, starts_at=utcnow() + timedelta(hours=10), capacity=1)
    later = make_event(world.branch, starts_at=utcnow() + timedelta(days=3))
    a, b = members(2)
    respond(soon, a, going=True)
    respond(soon, b, going=True)  # waitlisted: no reminder
    respond(later, a, going=True)
    db.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-reminders"])
    assert "queued 1 reminders" in first.output
    assert "queued 0 reminders" in runner.invoke(args=["send-reminders"]).output
    assert send_reminders() == 0
    reminders = [m for m in outbox() if m.template == "event_reminder"]
    assert [m.to_address for m in reminders] == [a.email]
    assert db.scalar(sa.select(Rsvp.reminded_at).where(Rsvp.user_id == a.id,
                                                       Rsvp.event_id == soon.id)) is not None


def test_officer_marks_attendance_and_exports_csv(world, make_event, members, login_as, db):
    event = make_event(world.branch, starts_at=utcnow() + timedelta(days=1))
    a, b = members(2)
    respond(event, a, going=True)
    respond(event, b, going=True)
    db.commit()
    event.starts_at, event.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
    db.commit()
    rsvp_a = db.scalar(sa.select(Rsvp).where(Rsvp.user_id == a.id))
    client = login_as(world.users["officer"])
    odd = ["²", "٣", "9" * 5000, "-1", ""]  # never a 500, and ignored
    response = client.post(f"/events/{event.id}/attendance",
                           data={"attended": [str(rsvp_a.id), *odd]})
    assert response.status_code == 302
    attended = dict(db.execute(sa.select(Rsvp.user_id, Rsvp.attended)).tuples().all())
    assert attended == {a.id: True, b.id: False}
    csv_text = client.get(f"/events/{event.id}/attendees.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0] == "name,email,status,guests,jet_role,years,attended"
    assert f"{a.name},,going,0,,,yes" in csv_text
    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert a.name in page
    assert b.name in page


def test_csv_neutralises_formulas(world, make_event, make_user, make_membership, login_as, db):
    event = make_event(world.branch)
    evil = make_user("=HYPERLINK(\"http://evil\")")
    make_membership(evil, world.branch)
    respond(event, evil, going=True)
    db.commit()
    csv_text = login_as(world.users["officer"]).get(
        f"/events/{event.id}/attendees.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text


def test_members_see_attendees_only_as_far_as_visibility_allows(world, make_event, members,
                                                               make_user, make_membership,
                                                               login_as, db):
    from jetaa.members.models import AlumniProfile, Visibility

    event = make_event(world.branch)
    shy, open_ = members(2)
    outsider = make_user("Far Away")
    make_membership(outsider, world.other_branch)
    db.add_all([AlumniProfile(user_id=shy.id, visibility=Visibility.OFFICERS),
                AlumniProfile(user_id=outsider.id, visibility=Visibility.BRANCHES)])
    db.commit()
    for user in (shy, open_, outsider):
        respond(event, user, going=True)
    db.commit()
    member_page = login_as(world.users["member"]).get(f"/events/{event.id}").get_data(as_text=True)
    assert open_.name in member_page
    assert shy.name not in member_page
    assert outsider.name not in member_page
    assert "3 people going" in member_page
    assert "and 2 more" in member_page
    officer_page = login_as(world.users["officer"]).get(f"/events/{event.id}").get_data(as_text=True)
    assert shy.name in officer_page
    anonymous = login_as(None).get(f"/events/{event.id}").get_data(as_text=True)
    assert open_.name not in anonymous


def test_outbox_untouched_when_rsvp_is_refused(world, make_event, members, db):
    event = make_event(world.branch, capacity=1, status="cancelled")
    (user,) = members(1)
    with pytest.raises(EventError):
        respond(event, user, going=True)
    db.rollback()
    assert db.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert db.get(Event, event.id).seats_taken == 0


def test_a_lost_race_for_the_first_answer_is_retried(world, make_event, login_as, db,
                                                     monkeypatch):
    from jetaa.events import views

    event = make_event(world.branch, capacity=3)
    calls = []

    def racing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 1:  # another request inserted the same (event, user) row first
            raise sa.exc.IntegrityError("INSERT INTO event_rsvps", {}, Exception("unique"))
        return respond(*args, **kwargs)

    monkeypatch.setattr(views, "respond", racing)
    response = login_as(world.users["member"]).post(f"/events/{event.id}/rsvp",
                                                    data={"answer": "going"})
    assert response.status_code == 302
    assert len(calls) == 2
    assert _status(db, event, world.users["member"]) == RsvpStatus.GOING
    db.refresh(event)
    assert event.seats_taken == 1


def test_deleting_an_account_frees_its_seat_and_moves_the_waitlist(world, make_event, make_user,
                                                                    make_membership, login_as,
                                                                    db, outbox):
    from jetaa.members.services.profiles import delete_account

    event = make_event(world.branch, capacity=1)
    leaver, waiter = make_user("Leaving Lee"), make_user("Waiting Wu")
    for person in (leaver, waiter):
        make_membership(person, world.branch)
        respond(event, person, going=True)
    db.commit()
    delete_account(leaver, actor=leaver)
    db.commit()
    db.expire_all()
    statuses = dict(db.execute(sa.select(Rsvp.user_id, Rsvp.status)
                               .where(Rsvp.event_id == event.id)).all())
    assert statuses == {leaver.id: RsvpStatus.NOT_GOING, waiter.id: RsvpStatus.GOING}
    assert db.get(Event, event.id).seats_taken == 1
    assert [m.to_address for m in outbox() if m.template == "event_promoted"] == [waiter.email]
    client = login_as(world.users["officer"])
    for page in (f"/events/{event.id}/attendees", f"/events/{event.id}/attendees.csv"):
        assert "deleted.invalid" not in client.get(page).get_data(as_text=True), page


def test_a_deleted_attendee_of_a_past_event_shows_no_address(world, make_event, make_user,
                                                              make_membership, login_as, db):
    from jetaa.members.services.profiles import delete_account

    event = make_event(world.branch)
    person = make_user("Past Pat")
    make_membership(person, world.branch)
    respond(event, person, going=True)
    db.commit()
    event.starts_at -= timedelta(days=30)
    event.ends_at -= timedelta(days=30)
    db.commit()
    delete_account(person, actor=person)
    db.commit()
    text = login_as(world.users["officer"]).get(f"/events/{event.id}/attendees.csv")
    assert "deleted.invalid" not in text.get_data(as_text=True)


def test_the_page_says_where_the_member_stands(world, make_event, members, db, login_as):
    event = make_event(world.branch, capacity=1)
    a, b, c = members(3)
    for user in (a, b, c):
        respond(event, user, going=True)
        db.commit()
    going = login_as(a).get(f"/events/{event.id}").get_data(as_text=True)
    assert "You are going." in going
    assert ">Update<" not in going
    assert "Change my guests" not in going
    assert "I can no longer go" in going
    third = login_as(c).get(f"/events/{event.id}").get_data(as_text=True)
    assert "You are number 2 on the waitlist." in third
    assert "join the waitlist" not in third.lower().replace("leave the waitlist", "")
    assert "Leave the waitlist" in third
    outsider = members(1)[0]
    full = login_as(outsider).get(f"/events/{event.id}").get_data(as_text=True)
    assert "The event is full" in full
    assert "Join the waitlist" in full


def test_guests_can_be_changed_when_the_event_allows_them(world, make_event, members, db,
                                                          login_as):
    event = make_event(world.branch, guests_allowed=2)
    (a,) = members(1)
    respond(event, a, going=True, guests=1)
    db.commit()
    page = login_as(a).get(f"/events/{event.id}").get_data(as_text=True)
    assert "You are going, with 1 guest." in page
    assert "Change my guests" in page
