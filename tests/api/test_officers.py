"""Officers' lists through the API: the roster and an event's attendees, as their pages
show them; a branch's activity totals, as its impact dashboard counts them."""

from datetime import date

from jetaa.events.models import Rsvp, RsvpStatus
from jetaa.members.models import AlumniProfile, Visibility


def test_the_roster_lists_approved_and_lapsed_members_officers_first(world, make_user,
                                                                      make_membership, client,
                                                                      bearer):
    make_membership(make_user("Lee Lapsed"), world.branch, status="lapsed")
    body = client.get("/api/v1/branches/home/roster?per_page=2",
                      headers=bearer(world.users["officer"])).json
    assert [m["name"] for m in body["items"]] == ["Olga Officer", "Mia Member"]
    assert body["items"][0]["role"] == "officer"
    assert body["pagination"]["total"] == 3, "approved and lapsed; the pending one is not"
    rest = client.get(body["links"]["next"], headers=bearer(world.users["officer"])).json
    assert [(m["name"], m["status"]) for m in rest["items"]] == [("Lee Lapsed", "lapsed")]


def test_attendees_show_contact_only_as_each_member_allows(world, make_event, make_user,
                                                           make_membership, client, bearer, db):
    event = make_event(world.branch)
    open_one, shy = make_user("Open Olive"), make_user("Shy Sam")
    for person, contact in ((open_one, Visibility.BRANCHES), (shy, Visibility.HIDDEN)):
        make_membership(person, world.branch)
        db.add(AlumniProfile(user_id=person.id, visibility=Visibility.BRANCHES,
                             contact_visibility=contact))
        db.add(Rsvp(event_id=event.id, user_id=person.id, status=RsvpStatus.GOING))
    db.commit()
    body = client.get(f"/api/v1/events/{event.id}/attendees",
                      headers=bearer(world.users["officer"])).json
    emails = {row["name"]: row["email"] for row in body["items"]}
    assert emails == {"Open Olive": open_one.email, "Shy Sam": ""}
    assert body["event"]["id"] == event.id


def test_activity_totals_count_verified_activities_in_the_period(world, client, bearer, db):
    from jetaa.activities.models import Activity, ActivityStatus

    def activity(status: ActivityStatus, day: date, people: int) -> None:
        db.add(Activity(branch_id=world.branch.id, title="Talk", category="schools",
                        status=status, starts_on=day, ends_on=day, people_reached=people,
                        volunteer_tenths=25, members_involved=2, currency="USD",
                        money_raised=1250, money_spent=0))

    activity(ActivityStatus.VERIFIED, date(2025, 5, 1), 40)
    activity(ActivityStatus.VERIFIED, date(2025, 6, 1), 10)
    activity(ActivityStatus.SUBMITTED, date(2025, 6, 1), 99)
    activity(ActivityStatus.VERIFIED, date(2024, 6, 1), 7)
    db.commit()
    body = client.get("/api/v1/branches/home/activity-totals?from=2025-04-01&to=2026-03-31",
                      headers=bearer(world.users["member"])).json
    assert (body["activities"], body["people_reached"], body["volunteer_hours"]) == (2, 50, "5")
    assert body["money_raised"] == [{"currency": "USD", "amount": "25.00"}]
    assert (body["start"], body["end"]) == ("2025-04-01", "2026-03-31")
    backwards = client.get("/api/v1/branches/home/activity-totals?from=2026-01-01&to=2025-01-01",
                           headers=bearer(world.users["member"]))
    assert backwards.status_code == 400
    assert "start date" in backwards.json["error"]["message"]
    assert client.get("/api/v1/branches/home/activity-totals",
                      headers=bearer(world.users["member"])).status_code == 200


def test_everyone_else_gets_the_totals_of_the_published_activities(world, client, bearer, db):
    from jetaa.activities.models import Activity, ActivityStatus

    for status, published, people in ((ActivityStatus.VERIFIED, True, 40),
                                      (ActivityStatus.VERIFIED, False, 10),
                                      (ActivityStatus.SUBMITTED, True, 99)):
        db.add(Activity(branch_id=world.branch.id, title="Talk", category="schools",
                        status=status, is_published=published, starts_on=date(2025, 5, 1),
                        ends_on=date(2025, 5, 1), people_reached=people, volunteer_tenths=10,
                        members_involved=1, currency="USD", money_raised=500, money_spent=0))
    db.commit()
    url = "/api/v1/branches/home/activity-totals?from=2025-04-01&to=2026-03-31"
    visitor = client.get(url, headers={"Origin": "https://jetaa-home.example"})
    assert visitor.status_code == 200
    assert visitor.headers["Access-Control-Allow-Origin"] == "*"  # a branch website may show it
    for who, answer in ((None, visitor), ("other_officer", None), ("pending", None)):
        body = (answer or client.get(url, headers=bearer(world.users[who]))).json
        assert (body["counted"], body["activities"], body["people_reached"]) == (
            "published", 1, 40), who
        assert body["money_raised"] == [{"currency": "USD", "amount": "5.00"}]
    for who in ("member", "officer", "admin"):
        body = client.get(url, headers=bearer(world.users[who])).json
        assert (body["counted"], body["activities"], body["people_reached"]) == (
            "verified", 2, 50), who
