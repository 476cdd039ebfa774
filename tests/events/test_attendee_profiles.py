"""The attendee list and its CSV show each person's JET roles and years from their profile."""

from __future__ import annotations

import sqlalchemy as sa

from jetaa.events.models import Rsvp
from jetaa.events.rsvp import respond
from jetaa.members.models import AlumniProfile, JetRole, Placement, Visibility


def test_attendees_with_profiles_show_roles_and_years(world, make_event, make_user,
                                                      make_membership, login_as, db):
    event = make_event(world.branch)
    person = make_user("Keiko Ward")
    make_membership(person, world.branch)
    db.add(AlumniProfile(user_id=person.id, contact_visibility=Visibility.BRANCHES, placements=[
        Placement(position=0, role=JetRole.ALT, start_year=2011, end_year=2012),
        Placement(position=1, role=JetRole.CIR, start_year=2013, end_year=2014)]))
    respond(event, person, going=True)
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 1
    client = login_as(world.users["officer"])

    page = client.get(f"/events/{event.id}/attendees")
    assert page.status_code == 200
    assert "ALT/CIR" in page.get_data(as_text=True)
    csv_text = client.get(f"/events/{event.id}/attendees.csv").get_data(as_text=True)
    assert f"Keiko Ward,{person.email},going,0,ALT/CIR,2011–2014," in csv_text.splitlines()


def test_attendee_list_hides_what_the_member_hid_from_these_officers(world, make_event, make_user,
                                                                    make_membership, login_as, db):
    """A member of another branch: this branch's officers see the name, not the profile or e-mail."""
    event = make_event(world.branch)
    visitor = make_user("Olivia Elsewhere")
    make_membership(visitor, world.other_branch)
    db.add(AlumniProfile(user_id=visitor.id,
                         visibility=Visibility.BRANCHES, contact_visibility=Visibility.OFFICERS,
                         placements=[Placement(role=JetRole.ALT, start_year=2008)]))
    respond(event, visitor, going=True)
    db.commit()
    client = login_as(world.users["officer"])

    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert "Olivia Elsewhere" in page
    assert visitor.email not in page
    assert "2008" not in page
    csv_lines = client.get(f"/events/{event.id}/attendees.csv").get_data(as_text=True).splitlines()
    [row] = [line for line in csv_lines if line.startswith("Olivia Elsewhere")]
    assert visitor.email not in row
    assert "ALT" not in row
    assert "2008" not in row


def test_attendee_years_without_an_end_show_no_none(world, make_event, make_user,
                                                    make_membership, login_as, db):
    event = make_event(world.branch)
    person = make_user("Ongoing Person")
    make_membership(person, world.branch)
    db.add(AlumniProfile(user_id=person.id, placements=[
        Placement(position=0, role=JetRole.ALT, start_year=2015, end_year=2016),
        Placement(position=1, role=JetRole.ALT, start_year=2019)]))
    respond(event, person, going=True)
    db.commit()
    page = login_as(world.users["officer"]).get(f"/events/{event.id}/attendees")
    body = page.get_data(as_text=True)
    assert "2015–" in body  # first year of the first placement; the last one goes on
    assert "None" not in body


def test_event_dates_out_of_any_sensible_range_are_refused(world, login_as, db):
    from jetaa.events.models import Event

    client = login_as(world.users["officer"])
    response = client.post("/branches/home/events/new", data={
        "title": "Far future", "category": "social", "timezone": "Pacific/Kiritimati",
        "starts_local": "9999-12-31T10:00", "ends_local": "9999-12-31T11:00",
        "audience": "public", "guests_allowed": "0", "mission_id": "0"})
    assert response.status_code == 200
    assert "Give a date between 1900 and 2200." in response.get_data(as_text=True)
    assert db.scalar(sa.select(sa.func.count()).select_from(Event)) == 0


def test_attendee_csv_guards_an_address_that_looks_like_a_formula(world, make_event, make_user,
                                                                  make_membership, login_as, db):
    event = make_event(world.branch)
    person = make_user("Formula Fan", email="=1+2.x@example.com")
    make_membership(person, world.branch)
    respond(event, person, going=True)
    db.commit()
    response = login_as(world.users["officer"]).get(f"/events/{event.id}/attendees.csv")
    text = response.get_data(as_text=True)
    assert "\n=1+2" not in text
    assert ",=1+2" not in text
    assert response.headers["Content-Disposition"].startswith("attachment")
