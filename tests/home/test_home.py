"""The personal home and My events: what each person sees, in a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

from jetaa.activities.models import Activity, ActivityStatus, Category
from jetaa.db import utcnow
from jetaa.events.models import Rsvp, RsvpStatus


def _rsvp(db, event, user, status="going", **fields):  # noqa: ANN001, ANN003, ANN202
    rsvp = Rsvp(event_id=event.id, user_id=user.id, status=RsvpStatus(status), **fields)
    db.add(rsvp)
    db.commit()
    return rsvp


def test_member_sees_their_events_waitlist_place_and_what_needs_an_answer(world, db, login_as,
                                                                          make_event, make_user):
    member = world.users["member"]
    going = make_event(world.branch, title="Going gala")
    full = make_event(world.branch, title="Full forum")
    first = make_user("Early Bird")
    _rsvp(db, full, first, "waitlisted", waitlisted_at=utcnow() - timedelta(hours=1))
    _rsvp(db, going, member)
    _rsvp(db, full, member, "waitlisted", waitlisted_at=utcnow())
    make_event(world.branch, title="Unanswered umami")
    make_event(world.branch, title="Deadline dinner", rsvp_deadline=utcnow() + timedelta(days=2))
    make_event(world.other_branch, title="Elsewhere event")
    make_event(world.branch, title="Draft do", status="draft")
    body = login_as(member).get("/").get_data(as_text=True)
    assert "Going gala" in body
    assert "Waitlist: number 2" in body
    assert "Unanswered umami" in body
    assert "Deadline dinner" in body
    assert "RSVP by" in body
    assert "Elsewhere event" not in body
    assert "Draft do" not in body
    assert "For you as an officer" not in body


def test_officer_sees_waiting_applications_and_reviews(world, db, login_as):
    db.add(Activity(branch_id=world.branch.id, title="Origami", category=Category.CULTURE,
                    starts_on=utcnow().date(), ends_on=utcnow().date(),
                    status=ActivityStatus.SUBMITTED))
    db.commit()
    body = login_as(world.users["officer"]).get("/").get_data(as_text=True)
    assert "For you as an officer" in body
    assert "1 application" in body
    assert "1 activity to review" in body


def test_mission_staff_see_open_requests_and_members_their_invitations(world, login_as,
                                                                       make_request, make_offer):
    request = make_request(title="Info session helpers")
    make_offer(request, world.users["member"], status="invited")
    make_offer(request, world.users["officer"], status="offered")
    staff = login_as(world.users["mission"]).get("/").get_data(as_text=True)
    assert "Info session helpers" in staff
    assert "1 offer to decide" in staff
    member = login_as(world.users["member"]).get("/").get_data(as_text=True)
    assert "A mission invited you to volunteer" in member


def test_home_runs_a_bounded_number_of_queries(world, db, login_as, make_event, count_queries):
    officer = world.users["officer"]
    client = login_as(officer)
    client.get("/")  # warm: reference lists, caches
    with count_queries() as few:
        client.get("/")
    for n in range(12):
        event = make_event(world.branch, title=f"Event {n}")
        _rsvp(db, event, officer)
    with count_queries() as many:
        client.get("/")
    assert len(many) == len(few) <= 12, "\n\n".join(many)


def test_my_events_shows_past_attendance_and_the_feed(world, db, login_as, make_event):
    member = world.users["member"]
    past = make_event(world.branch, title="Past party", starts_at=utcnow() - timedelta(days=30))
    _rsvp(db, past, member, attended=True)
    coming = make_event(world.branch, title="Coming concert")
    _rsvp(db, coming, member)
    client = login_as(member)
    body = client.get("/my/events").get_data(as_text=True)
    assert "Past party" in body
    assert "Attended" in body
    assert "Coming concert" in body
    assert "Make my calendar address" in body
    made = client.post("/events/subscribe/private", data={"next": "/my/events"})
    assert "/events/feed/" in made.get_data(as_text=True)
    assert 'href="/my/events"' in made.get_data(as_text=True)
    again = client.get("/my/events").get_data(as_text=True)
    assert "/events/feed/" not in again  # stored hashed: shown only when made
    assert "Make a new address" in again
