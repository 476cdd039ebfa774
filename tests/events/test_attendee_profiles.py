"""The attendee list and its CSV show each person's JET roles and years from their profile."""

from __future__ import annotations

import sqlalchemy as sa

from jetaa.events.models import Rsvp
from jetaa.events.rsvp import respond
from jetaa.members.models import AlumniProfile, JetRole, ProfileJetRole, Visibility


def test_attendees_with_profiles_show_roles_and_years(world, make_event, make_user,
                                                      make_membership, login_as, db):
    event = make_event(world.branch)
    person = make_user("Keiko Ward")
    make_membership(person, world.branch)
    db.add(AlumniProfile(user_id=person.id, start_year=2011, end_year=2014,
                         contact_visibility=Visibility.BRANCHES,
                         jet_roles=[ProfileJetRole(role=JetRole.ALT),
                                    ProfileJetRole(role=JetRole.CIR)]))
    respond(event, person, going=True)
    db.commit()
    assert db.scalar(sa.select(sa.func.count()).select_from(Rsvp)) == 1
    client = login_as(world.users["officer"])

    page = client.get(f"/events/{event.id}/attendees")
    assert page.status_code == 200
    assert "ALT/CIR" in page.get_data(as_text=True)
    csv_text = client.get(f"/events/{event.id}/attendees.csv").get_data(as_text=True)
    assert f"Keiko Ward,{person.email},going,0,ALT/CIR,2011–2014," in csv_text.splitlines()
