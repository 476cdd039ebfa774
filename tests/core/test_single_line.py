"""Names and titles are one line: a CR or LF would break the mail that carries them."""


import pytest

from jetaa.auth.models import User
from jetaa.core.validators import has_control_characters
from jetaa.events.models import Event
from tests.conftest import PASSWORD


@pytest.mark.parametrize("text", ["a\rb", "a\nb", "a\x00b", "a\x1bb", "a\u2028b", "a\x85b"])
def test_control_characters_are_found(text):
    assert has_control_characters(text)


@pytest.mark.parametrize("text", ["José Núñez", "田中 花子", "a\u3000b", "", None])
def test_ordinary_text_passes(text):
    assert not has_control_characters(text)


def test_register_refuses_a_name_with_a_line_break(client, db):
    response = client.post("/register", data={"name": "Eve\r\nBcc: all@example.com",
                                              "email": "eve@example.com",
                                              "password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 200
    assert "without control characters" in response.get_data(as_text=True)
    assert db.query(User).filter_by(email="eve@example.com").first() is None


def test_event_form_refuses_a_title_with_a_line_break(world, login_as, db):
    response = login_as(world.users["officer"]).post("/branches/home/events/new", data={
        "title": "Picnic\nSubject: spam", "category": "social", "audience": "public",
        "timezone": "America/New_York", "starts_local": "2027-05-01T12:00",
        "ends_local": "2027-05-01T14:00", "venue": "Park", "description": ""})
    assert response.status_code == 200
    assert "without control characters" in response.get_data(as_text=True)
    assert db.query(Event).count() == 0


def test_profile_name_with_a_line_break_is_refused(world, login_as):
    response = login_as(world.users["member"]).post("/profile/edit", data={"name": "Mia\rMember"})
    assert response.status_code == 200
    assert "without control characters" in response.get_data(as_text=True)


