"""The Subscribe page shows real addresses for the branch the reader came from or picked."""


def test_subscribe_shows_the_branch_come_from(world, client):
    page = client.get("/events/subscribe?branch=away").get_data(as_text=True)
    assert "SLUG" not in page
    assert "/branches/away/events.ics" in page
    assert "/branches/away/events/widget" in page
    assert "/api/v1/events?branch=away" in page
    assert '<option value="away" selected>' in page


def test_branch_calendar_links_to_its_subscribe_page(world, client):
    page = client.get("/branches/home/events").get_data(as_text=True)
    assert 'href="/events/subscribe?branch=home"' in page


def test_subscribe_defaults_to_the_members_primary_branch(world, login_as, client):
    page = login_as(world.users["member"]).get("/events/subscribe").get_data(as_text=True)
    assert "/branches/home/events.ics" in page


def test_subscribe_without_a_branch_offers_the_picker(world, client):
    page = client.get("/events/subscribe?branch=no-such-branch").get_data(as_text=True)
    assert "SLUG" not in page
    assert "/branches/home/events.ics" not in page
    assert "Choose a branch above" in page
    assert '<option value="home">' in page
