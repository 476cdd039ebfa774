"""Logging, reviewing and publishing activities: the rules, the audit, what is saved."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from jetaa.activities import services
from jetaa.activities.models import (
    Activity,
    ActivityError,
    ActivityMember,
    ActivityPartner,
    ActivityStatus,
    Category,
    FundingSource,
)
from jetaa.audit.models import AuditEntry
from jetaa.db import utcnow


def _data(day, **fields) -> services.ActivityData:  # noqa: ANN001
    values = {"title": "Taiko in the park", "category": "festivals", "starts_on": day,
              "ends_on": day, "city": "Boston", "country": "us", "people_reached": 300,
              "volunteers": 6, "volunteer_hours": Decimal("30.5"), "currency": "usd",
              "money_raised": Decimal("1250.50"), "money_spent": Decimal("200"),
              "funding_source": "clair", "partners": ["Boston Taiko Club", " boston  taiko club "],
              "links": ["https://example.org/taiko"]}
    values.update(fields)
    return services.ActivityData(**values)


def test_a_logged_activity_is_a_draft_with_its_figures_in_minor_units(world, db, a_day):
    member = world.users["member"]
    activity = services.create_activity(world.branch, _data(a_day), actor=member)
    db.commit()
    saved = db.get(Activity, activity.id)
    assert saved.status == ActivityStatus.DRAFT
    assert saved.created_by_id == member.id
    assert saved.category == Category.FESTIVALS
    assert saved.funding_source == FundingSource.CLAIR
    assert (saved.money_raised, saved.money_spent, saved.currency) == (125050, 20000, "USD")
    assert saved.volunteer_tenths == 305
    assert saved.volunteer_hours == 30.5
    assert saved.country == "US"
    # " boston  taiko club " is the same partner in other capitals: kept once, as first spelled.
    assert [p.name for p in saved.partners] == ["Boston Taiko Club"]
    assert db.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_id == saved.id)) \
        == "activity.create"


def test_yen_have_no_minor_unit(world, db, a_day):
    activity = services.create_activity(world.branch, _data(a_day, currency="JPY",
                                                             money_raised=Decimal("120000")),
                                        actor=world.users["member"])
    assert activity.money_raised == 120000


@pytest.mark.parametrize(("fields", "message"), [
    ({"people_reached": 1_000_001}, "a million"),
    ({"people_reached": -1}, "a million"),
    ({"volunteers": 2, "volunteer_hours": Decimal(49)}, "could give: at most 48 "),
    ({"volunteer_hours": Decimal(-1)}, "cannot be negative"),
    ({"category": "karaoke"}, "Unknown category"),
    ({"currency": "XXQ"}, "Unknown currency"),
    ({"funding_source": "lottery"}, "Unknown funding source"),
    ({"money_raised": Decimal("100000000.01")}, "between 0 and 100,000,000"),
    ({"partners": [f"Partner {n}" for n in range(21)]}, "At most 20"),
])
def test_absurd_figures_are_refused_with_a_reason(world, db, a_day, fields, message):
    with pytest.raises(ActivityError, match=message):
        services.create_activity(world.branch, _data(a_day, **fields), actor=world.users["member"])


def test_dates_must_be_in_order_and_in_the_past(world, a_day):
    member = world.users["member"]
    with pytest.raises(ActivityError, match="end on or after"):
        services.create_activity(world.branch, _data(a_day, ends_on=a_day - timedelta(days=1)),
                                 actor=member)
    future = utcnow().date() + timedelta(days=2)
    with pytest.raises(ActivityError, match="once it has happened"):
        services.create_activity(world.branch, _data(future), actor=member)
    with pytest.raises(ActivityError, match="at most a year"):
        services.create_activity(world.branch, _data(a_day - timedelta(days=400), ends_on=a_day),
                                 actor=member)


def test_only_members_of_the_host_branches_can_be_named(world, db, make_user, a_day):
    member, officer, stranger = world.users["member"], world.users["officer"], make_user()
    activity = services.create_activity(
        world.branch, _data(a_day, member_ids=[member.id, officer.id, stranger.id,
                                               world.users["pending"].id], members_involved=1),
        actor=member)
    db.commit()
    named = set(db.scalars(sa.select(ActivityMember.user_id)
                           .where(ActivityMember.activity_id == activity.id)))
    assert named == {member.id, officer.id}
    assert db.get(Activity, activity.id).members_involved == 2  # at least the people named


def test_review_flow_with_changes_requested_and_an_email(world, db, outbox, a_day):
    member, officer = world.users["member"], world.users["officer"]
    activity = services.create_activity(world.branch, _data(a_day), actor=member)
    services.submit_activity(activity, actor=member)
    services.request_changes(activity, "Add the number of volunteers, please.", actor=officer)
    db.commit()
    assert activity.status == ActivityStatus.CHANGES_REQUESTED
    mail = outbox()[-1]
    assert mail.to_address == member.email
    assert "Add the number of volunteers" in mail.body_text
    services.submit_activity(activity, actor=member)
    services.verify_activity(activity, actor=officer)
    services.set_published(activity, True, actor=officer)
    db.commit()
    assert (activity.status, activity.is_published, activity.reviewed_by_id) == (
        ActivityStatus.VERIFIED, True, officer.id)
    actions = list(db.scalars(sa.select(AuditEntry.action).where(AuditEntry.object_id == activity.id)
                              .order_by(AuditEntry.id)))
    assert actions == ["activity.create", "activity.submit", "activity.changes_requested",
                       "activity.submit", "activity.verified", "activity.publish"]


def test_asking_for_changes_needs_a_comment_and_nobody_reviews_their_own(world, db, a_day):
    officer = world.users["officer"]
    own = services.create_activity(world.branch, _data(a_day), actor=officer)
    services.submit_activity(own, actor=officer)
    with pytest.raises(ActivityError, match="Another officer or an admin"):
        services.verify_activity(own, actor=officer)
    with pytest.raises(ActivityError, match="Say what should change"):
        services.request_changes(own, "  ", actor=world.users["admin"])
    services.verify_activity(own, actor=world.users["admin"])
    assert own.status == ActivityStatus.VERIFIED


def test_a_verified_activity_that_is_edited_goes_back_to_review_and_off_the_public_page(
        world, db, a_day):
    member, officer = world.users["member"], world.users["officer"]
    activity = services.create_activity(world.branch, _data(a_day), actor=member)
    services.submit_activity(activity, actor=member)
    services.verify_activity(activity, actor=officer)
    services.set_published(activity, True, actor=officer)
    db.commit()
    assert services.update_activity(activity, _data(a_day), actor=member) == {}  # no change
    assert activity.status == ActivityStatus.VERIFIED
    changed = services.update_activity(activity, _data(a_day, people_reached=350), actor=member)
    db.commit()
    assert changed["people_reached"] == ["300", "350"]
    assert (activity.status, activity.is_published) == (ActivityStatus.SUBMITTED, False)


def test_only_submitted_entries_are_decided_and_rejected_ones_stay_rejected(world, db, a_day):
    member, officer = world.users["member"], world.users["officer"]
    activity = services.create_activity(world.branch, _data(a_day), actor=member)
    with pytest.raises(ActivityError, match="waiting for review"):
        services.verify_activity(activity, actor=officer)
    with pytest.raises(ActivityError, match="Only a verified"):
        services.set_published(activity, True, actor=officer)
    services.submit_activity(activity, actor=member)
    services.reject_activity(activity, "A duplicate of last week's entry.", actor=officer)
    with pytest.raises(ActivityError, match="rejected activity cannot be changed"):
        services.update_activity(activity, _data(a_day), actor=member)
    with pytest.raises(ActivityError, match="Only a draft"):
        services.submit_activity(activity, actor=member)


def test_members_choose_not_to_be_named(world, db, a_day):
    member = world.users["member"]
    activity = services.create_activity(world.branch, _data(a_day, member_ids=[member.id]),
                                        actor=member)
    services.set_named(activity, member, False)
    db.commit()
    assert db.scalar(sa.select(ActivityMember.hidden)) is True
    with pytest.raises(ActivityError, match="not listed"):
        services.set_named(activity, world.users["officer"], True)


def test_a_past_event_becomes_an_activity_in_one_step(world, db, make_event, login_as):
    from jetaa.events.models import Rsvp, RsvpStatus

    event = make_event(world.branch, title="Hanami picnic", starts_at=utcnow() - timedelta(days=2),
                       address="Central Park, New York")
    db.add_all([Rsvp(event_id=event.id, user_id=world.users["member"].id,
                     status=RsvpStatus.GOING, guests=2)])
    db.commit()
    client = login_as(world.users["officer"])
    page = client.get(f"/branches/home/activities/new?event={event.id}").get_data(as_text=True)
    assert 'value="Hanami picnic"' in page
    assert 'value="New York"' in page
    assert 'name="people_reached" type="number" value="3"' in page
    response = client.post(f"/branches/home/activities/new?event={event.id}", data={
        "title": "Hanami picnic", "category": "festivals",
        "starts_on": (utcnow().date() - timedelta(days=2)).isoformat(), "currency": "USD",
        "people_reached": "3", "volunteers": "1", "volunteer_hours": "2"})
    assert response.status_code == 302
    activity = db.scalar(sa.select(Activity))
    assert (activity.event_id, activity.title, activity.status) == (event.id, "Hanami picnic",
                                                                     ActivityStatus.DRAFT)


def test_a_stranger_cannot_log_someone_elses_event(world, db, make_event, login_as):
    event = make_event(world.branch, starts_at=utcnow() - timedelta(days=2))
    client = login_as(world.users["other_officer"])
    assert client.get(f"/branches/away/activities/new?event={event.id}").status_code == 403


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(world, db, login_as):
    client = login_as(world.users["member"])
    future = (utcnow().date() + timedelta(days=5)).isoformat()
    response = client.post("/branches/home/activities/new", data={
        "title": "Tomorrow's tea", "category": "culture", "starts_on": future, "currency": "USD",
        "people_reached": "12", "links": "not a link"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "starting with https://" in page
    assert 'value="Tomorrow&#39;s tea"' in page
    response = client.post("/branches/home/activities/new", data={
        "title": "Tomorrow's tea", "category": "culture", "starts_on": future, "currency": "USD",
        "people_reached": "12"})
    assert "once it has happened" in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count(Activity.id))) == 0
    assert db.scalar(sa.select(sa.func.count(ActivityPartner.id))) == 0


def test_the_officer_reviews_from_the_queue(world, db, login_as, make_activity):
    activity = make_activity(world.branch, world.users["member"], status="submitted",
                             title="Library story time")
    client = login_as(world.users["officer"])
    assert "Library story time" in client.get("/branches/home/activities/review").get_data(
        as_text=True)
    response = client.post(f"/activities/{activity.id}/review",
                           data={"decision": "changes", "comment": ""})
    assert response.status_code == 302
    assert db.get(Activity, activity.id).status == ActivityStatus.SUBMITTED  # no comment: refused
    client.post(f"/activities/{activity.id}/review", data={"decision": "verify"})
    assert db.get(Activity, activity.id).status == ActivityStatus.VERIFIED
