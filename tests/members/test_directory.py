"""Directory search, filters, privacy (no hidden field leaks) and query counts."""


import pytest
import sqlalchemy as sa

from jetaa.extensions import db as _db
from jetaa.members.models import AlumniProfile, Visibility
from jetaa.memberships.models import Membership, MembershipStatus
from tests.conftest import _counting


@pytest.fixture
def home_member(world, make_user, make_membership, make_profile):
    """Make an approved member of the `home` branch with a profile."""

    def make(name, **profile):
        user = make_user(name)
        make_membership(user, world.branch)
        make_profile(user, **profile)
        return user

    return make


def _names(client, query=""):
    response = client.get(f"/api/v1/directory{query}")
    assert response.status_code == 200
    return [m["name"] for m in response.json["items"]]


@pytest.mark.parametrize(("query", "expected"), [
    ("jose", "José Núñez"), ("NUNEZ", "José Núñez"), ("núñ", "José Núñez"),
    ("zoe", "Zoë O'Brien"), ("田中", "田中 花子"), ("花子", "田中 花子"),
    ("たなか", "タナカ ケン"), ("ＴＡＮＡＫＡ", "Kenji Tanaka"), ("ke", "Kenji Tanaka"),
    ("ken tanaka", "Kenji Tanaka"), ("o'brien", "Zoë O'Brien"),
])
def test_name_search_ignores_case_accents_width_and_kana(world, login_as, home_member,
                                                          query, expected):
    for name in ("José Núñez", "Zoë O'Brien", "田中 花子", "タナカ ケン", "Kenji Tanaka",
                 "Someone Else"):
        home_member(name)
    names = _names(login_as(world.users["member"]), f"?q={query}")
    assert expected in names
    assert "Someone Else" not in names


def test_filters_combine_and_the_query_string_is_the_bookmark(world, login_as, home_member):
    home_member("Ann Alt", roles=("ALT",), prefecture_code=13, start_year=2010, end_year=2012,
                home_country="GB", current_city="London", industry="education",
                languages=("fr",), open_to_mentoring=True)
    home_member("Cid Cir", roles=("ALT", "CIR"), prefecture_code=13, start_year=2015,
                end_year=2017, home_country="GB", current_city="Leeds", industry="law",
                open_to_recruitment=True, japanese_level="fluent")
    home_member("Sam Sea", roles=("SEA",), prefecture_code=1, start_year=1999, end_year=2000)
    client = login_as(world.users["member"])
    assert _names(client, "?role=CIR") == ["Cid Cir"]
    assert _names(client, "?prefecture=13&sort=-years") == ["Cid Cir", "Ann Alt"]
    assert _names(client, "?prefecture=13&sort=years") == ["Ann Alt", "Cid Cir"]
    assert _names(client, "?year_from=2011&year_to=2014") == ["Ann Alt"]
    assert _names(client, "?country=GB&city=lee") == ["Cid Cir"]
    assert _names(client, "?industry=education") == ["Ann Alt"]
    assert _names(client, "?language=fr") == ["Ann Alt"]
    assert _names(client, "?language=ja") == ["Cid Cir"]
    assert _names(client, "?mentoring=y") == ["Ann Alt"]
    assert _names(client, "?recruitment=y") == ["Cid Cir"]
    assert _names(client, "?branch=away") == []
    page = client.get("/directory?q=ann&role=ALT").get_data(as_text=True)
    assert "Ann Alt" in page
    assert "Cid Cir" not in page
    assert 'value="ann"' in page  # the search stays in the form


def test_bad_filters_show_a_message_and_keep_the_input(world, login_as):
    page = login_as(world.users["member"]).get("/directory?year_from=2015&year_to=2010")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "The end of the range is before its start." in text
    assert 'value="2010"' in text


def test_pagination_keeps_the_filters(world, login_as, home_member):
    for n in range(30):
        home_member(f"Paged Person {n:02d}", roles=("CIR",))
    client = login_as(world.users["member"])
    first = client.get("/directory?role=CIR").get_data(as_text=True)
    assert "Paged Person 00" in first
    assert "Paged Person 29" not in first
    assert "page=2" in first
    assert "role=CIR" in first
    second = client.get("/directory?role=CIR&page=2").get_data(as_text=True)
    assert "Paged Person 29" in second
    assert "Paged Person 00" not in second
    api = client.get("/api/v1/directory?role=CIR&page=2").json
    assert api["pagination"]["total"] == 30
    assert api["pagination"]["pages"] == 2
    assert len(api["items"]) == 5


def test_pending_member_sees_no_directory_and_is_not_listed(world, login_as, make_profile):
    make_profile(world.users["pending"], visibility=Visibility.FEDERATION)
    assert login_as(world.users["pending"]).get("/directory").status_code == 403
    names = _names(login_as(world.users["officer"]), "?q=pat")
    assert "Pat Pending" not in names


# Hidden fields never leak --------------------------------------------------

@pytest.fixture
def secretive(world, home_member):
    """A member of `home` whose profile only the officers may see."""
    return home_member("Zelda Secretive", visibility=Visibility.OFFICERS,
                       current_city="Secretville", contact_visibility=Visibility.FEDERATION,
                       phone="+1 555 0199")


@pytest.mark.parametrize(("role", "sees"), [
    ("member", False), ("other_officer", False), ("officer", True), ("admin", True),
])
def test_officers_only_profile_does_not_leak(world, login_as, secretive, role, sees):
    client = login_as(world.users[role])
    assert ("Zelda Secretive" in _names(client, "?q=zelda")) is sees
    assert ("Zelda Secretive" in _names(client, "?city=secretville")) is sees
    page = client.get("/directory?city=Secretville").get_data(as_text=True)
    assert ("Zelda Secretive" in page) is sees
    assert client.get(f"/members/{secretive.id}").status_code == (200 if sees else 404)
    assert client.get(f"/api/v1/members/{secretive.id}").status_code == (200 if sees else 404)


def test_branch_only_profile_is_hidden_from_other_branches(world, login_as, home_member):
    user = home_member("Bea Branchonly", visibility=Visibility.BRANCHES)
    assert "Bea Branchonly" in _names(login_as(world.users["member"]), "?q=bea")
    assert "Bea Branchonly" not in _names(login_as(world.users["other_officer"]), "?q=bea")
    assert login_as(world.users["other_officer"]).get(f"/members/{user.id}").status_code == 404


def test_federation_profile_is_visible_to_other_branches(world, login_as, home_member):
    home_member("Fay Federation", visibility=Visibility.FEDERATION)
    assert "Fay Federation" in _names(login_as(world.users["other_officer"]), "?q=fay")


def test_contact_details_have_their_own_gate(world, login_as, home_member):
    user = home_member("Cora Contact", visibility=Visibility.FEDERATION,
                       contact_visibility=Visibility.OFFICERS, phone="+1 555 0142",
                       linkedin_url="https://linkedin.example/cora")
    for role, sees in (("member", False), ("other_officer", False), ("officer", True),
                       ("admin", True)):
        client = login_as(world.users[role])
        page = client.get(f"/members/{user.id}").get_data(as_text=True)
        assert "Cora Contact" in page
        assert (user.email in page) is sees
        assert ("+1 555 0142" in page) is sees
        detail = client.get(f"/api/v1/members/{user.id}").json
        assert ("contact" in detail) is sees
        listing = client.get("/api/v1/directory?q=cora").get_data(as_text=True)
        assert user.email not in listing
        assert "0142" not in listing


def test_hidden_contact_is_shown_to_no_one_but_the_member(world, login_as, home_member):
    user = home_member("Hal Hidden", visibility=Visibility.FEDERATION, phone="+1 555 0177")
    page = login_as(world.users["officer"]).get(f"/members/{user.id}").get_data(as_text=True)
    assert user.email not in page
    assert "0177" not in page
    page = login_as(user).get(f"/members/{user.id}").get_data(as_text=True)
    assert user.email in page
    assert "0177" in page


def test_phone_and_email_are_not_searchable(world, login_as, home_member):
    user = home_member("Pia Phone", visibility=Visibility.FEDERATION, phone="+1 555 0123")
    client = login_as(world.users["member"])
    assert _names(client, "?q=0123") == []
    assert _names(client, f"?q={user.email.split('@')[0]}") == []


def test_sql_and_python_privacy_gates_agree(world, home_member, app):
    """visible_profiles_clause() and can_see_profile() are one rule: check every pair."""
    from flask import g

    from jetaa.members.permissions import Owner, can_see_profile
    from jetaa.members.services.directory import DirectoryFilters, search_members

    owners = {v: home_member(f"Owner {v}", visibility=v) for v in ("federation", "branches",
                                                                   "officers")}
    for role in ("member", "officer", "other_officer", "mission", "admin", "pending"):
        viewer = world.users[role]
        with app.test_request_context():
            g.pop("_memberships", None)
            listed = {e.user.id for e in search_members(viewer, DirectoryFilters(q="owner")).items}
            for visibility, owner in owners.items():
                allowed = can_see_profile(viewer, Owner(owner.id, frozenset({world.branch.id}),
                                                        visibility))
                assert (owner.id in listed) is allowed, (role, visibility)


# Query counts ----------------------------------------------------------------

def _directory_queries(client, url):
    with _counting() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_directory_query_count_does_not_grow_with_members(world, login_as, home_member):
    client = login_as(world.users["officer"])
    urls = ("/directory", "/directory?q=person&role=ALT&sort=years",
            "/branches/home/members", "/api/v1/directory?q=person")
    for n in range(5):
        home_member(f"Person {n}", roles=("ALT", "CIR"), languages=("fr", "de"))
    few = [_directory_queries(client, url) for url in urls]
    for n in range(5, 50):
        home_member(f"Person {n}", roles=("ALT", "CIR"), languages=("fr", "de"))
    many = [_directory_queries(client, url) for url in urls]
    assert few == many
    assert max(many) <= 12


@pytest.mark.parametrize("url", [
    "/members/99999999999999999999", "/api/v1/members/99999999999999999999",
    "/directory?page=abc&prefecture=x&year_from=y&sort=evil&q=" + "x" * 200,
    '/directory?q="*AND OR NEAR(',
])
def test_odd_input_never_gives_a_500(world, login_as, url):
    response = login_as(world.users["officer"]).get(url)
    assert response.status_code in (200, 404)


def test_huge_ids_in_officer_actions_are_404(world, login_as):
    client = login_as(world.users["officer"])
    assert client.post("/branches/home/roster/99999999999999999999/remove").status_code == 404
    assert client.post("/branches/home/applications/99999999999999999999",
                       data={"decision": "approve"}).status_code == 404


# With the caches on (the `caching` fixture): only the lists of branches, prefectures and
# filters are kept, and a change to them shows at once ------------------------------

def test_cached_counts_belong_to_one_viewer(world, login_as, home_member, caching):
    home_member("Cached Open", visibility=Visibility.BRANCHES)
    home_member("Cached Secret", visibility=Visibility.OFFICERS)
    officer = login_as(world.users["officer"]).get("/api/v1/directory?q=cached").json
    member = login_as(world.users["member"]).get("/api/v1/directory?q=cached").json
    assert (officer["pagination"]["total"], member["pagination"]["total"]) == (2, 1)
    assert [m["name"] for m in member["items"]] == ["Cached Open"]
    page = login_as(world.users["member"]).get("/directory?q=cached").get_data(as_text=True)
    assert "1 member found" in page
    assert "Cached Secret" not in page


def test_cached_results_follow_every_change_at_once(world, login_as, home_member,
                                                   make_user, make_membership, db, caching):
    person = home_member("Cached Changer", visibility=Visibility.FEDERATION)
    client = login_as(world.users["member"])
    assert "Cached Changer" in client.get("/directory?q=cached").get_data(as_text=True)

    db.get(AlumniProfile, person.id).visibility = Visibility.OFFICERS  # from members: hidden
    db.commit()
    page = client.get("/directory?q=cached").get_data(as_text=True)
    assert "Cached Changer" not in page
    assert "0 members found" in page

    newcomer = make_user("Cached Newcomer")
    make_membership(newcomer, world.branch)  # approved: shows under the default visibility
    assert "Cached Newcomer" in client.get("/directory?q=cached").get_data(as_text=True)

    membership = db.scalar(sa.select(Membership).where(Membership.user_id == newcomer.id))
    membership.status = MembershipStatus.LAPSED
    db.commit()
    assert "Cached Newcomer" not in client.get("/directory?q=cached").get_data(as_text=True)


def test_a_renamed_branch_shows_at_once_on_cached_cards(world, login_as, home_member, db,
                                                       caching):
    from jetaa.branches.services import update_branch

    home_member("Cached Card")
    client = login_as(world.users["member"])
    assert "JETAA Home" in client.get("/directory?q=cached").get_data(as_text=True)
    update_branch(world.branch, {"name": "JETAA Hometown"}, actor=world.users["admin"])
    db.commit()  # the kept branch lists are made afresh once the change commits
    page = client.get("/directory?q=cached").get_data(as_text=True)
    assert "JETAA Hometown" in page  # the card and the branch filter both


def test_a_card_shows_roles_place_years_and_every_branch(world, login_as, home_member,
                                                         make_membership, caching):
    person = home_member("Card Person", placements=[
        {"role": "ALT", "prefecture_code": 28, "municipality": "Himeji", "start_year": 1999,
         "end_year": 2001},
        {"role": "CIR", "prefecture_code": 13, "municipality": "Shinjuku", "start_year": 2001,
         "end_year": 2003}],
        industry="law", home_country="GB", current_city="Leeds", open_to_mentoring=True)
    make_membership(person, world.other_branch)
    client = login_as(world.users["member"])
    for _ in range(2):  # the second time from the caches
        page = client.get("/directory?q=card").get_data(as_text=True)
        assert "ALT, Himeji, Hyogo 1999–2001 · CIR, Shinjuku, Tokyo 2001–2003" in page
        assert "Leeds (United Kingdom)" in page
        assert "Law" in page
        assert page.index("JETAA Away") < page.index("JETAA Home")  # by name
        assert "Mentor" in page
    api = client.get("/api/v1/directory?q=card").json["items"][0]
    assert [(p["role"], p["prefecture"], p["municipality"], p["years"])
            for p in api["placements"]] == [("ALT", "Hyogo", "Himeji", "1999–2001"),
                                            ("CIR", "Tokyo", "Shinjuku", "2001–2003")]
    assert [b["slug"] for b in api["branches"]] == ["away", "home"]


def test_a_member_matches_when_any_placement_matches(world, login_as, home_member):
    home_member("Two Places", placements=[
        {"role": "ALT", "prefecture_code": 28, "municipality": "Himeji", "start_year": 2005,
         "end_year": 2007},
        {"role": "CIR", "prefecture_code": 13, "municipality": "Shinjuku", "start_year": 2008,
         "end_year": 2010}])
    home_member("One Place", placements=[
        {"role": "ALT", "prefecture_code": 13, "municipality": "Shinjuku", "start_year": 2000,
         "end_year": 2001}])
    client = login_as(world.users["member"])
    assert _names(client, "?prefecture=28") == ["Two Places"]
    assert _names(client, "?prefecture=13") == ["One Place", "Two Places"]
    assert _names(client, "?role=CIR") == ["Two Places"]
    assert _names(client, "?year_from=2009&year_to=2012") == ["Two Places"]
    assert _names(client, "?year_from=2001&year_to=2001") == ["One Place"]
    # Role, place and years are asked of one placement: no CIR in Hyogo, no ALT in 2009.
    assert _names(client, "?role=CIR&prefecture=28") == []
    assert _names(client, "?role=ALT&year_from=2009") == []
    assert _names(client, "?role=CIR&prefecture=13&year_from=2009") == ["Two Places"]
    # "By JET years" sorts on the first year of the first placement.
    assert _names(client, "?prefecture=13&sort=years") == ["One Place", "Two Places"]


@pytest.mark.parametrize("sort", ["name", "years", "-years"])
def test_years_with_a_country_match_any_placement_up_to_the_last_year(world, login_as,
                                                                       home_member, sort):
    # The search bounds first_year by year_to (the earliest start): who started before the
    # range and was on JET in it, in a later placement or by its end, still matches.
    home_member("Early Then In", home_country="GB", placements=[
        {"role": "ALT", "prefecture_code": 13, "municipality": "Shinjuku", "start_year": 1995,
         "end_year": 1996},
        {"role": "CIR", "prefecture_code": 28, "municipality": "Himeji", "start_year": 2005,
         "end_year": 2006}])
    home_member("Spans The Start", home_country="GB", start_year=1998, end_year=2001)
    home_member("Starts On The Last", home_country="GB", start_year=2010, end_year=2012)
    home_member("Starts After", home_country="GB", start_year=2011, end_year=2013)
    home_member("Ended Before", home_country="GB", start_year=1990, end_year=1999)
    home_member("Gap Over The Range", home_country="GB", placements=[
        {"role": "ALT", "prefecture_code": 13, "municipality": "Shinjuku", "start_year": 1995,
         "end_year": 1996},
        {"role": "ALT", "prefecture_code": 13, "municipality": "Shinjuku", "start_year": 2012,
         "end_year": 2013}])
    home_member("Elsewhere", home_country="US", start_year=2005, end_year=2006)
    client = login_as(world.users["member"])
    names = _names(client, f"?country=GB&year_from=2000&year_to=2010&sort={sort}")
    assert sorted(names) == ["Early Then In", "Spans The Start", "Starts On The Last"]
    page = client.get(f"/directory?country=GB&year_from=2000&year_to=2010&sort={sort}")
    assert "3 members found" in page.get_data(as_text=True)


def test_filter_options_keep_the_choice_and_escape_names(world, login_as, make_branch,
                                                         prefectures, caching):
    make_branch(slug="odd", name='Odd <b>"&" Branch', country="FR")
    client = login_as(world.users["member"])
    for _ in range(2):
        page = client.get("/directory?prefecture=13&language=fr&branch=odd&sort=-years"
                          ).get_data(as_text=True)
        assert '<option value="13" selected>Tokyo</option>' in page
        assert '<option value="fr" selected>' in page
        assert '<option value="odd" selected>Odd &lt;b&gt;&#34;&amp;&#34; Branch</option>' in page
        assert '<option value="-years" selected>' in page
        assert page.count(" selected>") == 7  # four choices, the other three say "Any"
        assert "<b>" not in page


def test_a_country_without_a_branch_stays_selected_and_a_bad_one_is_refused(world, login_as,
                                                                          caching):
    client = login_as(world.users["member"])
    page = client.get("/directory?country=JP").get_data(as_text=True)
    assert '<option value="JP" selected>Japan</option>' in page
    assert 'value="FR"' not in page  # only the branches' countries are listed otherwise
    page = client.get("/directory?country=XX&role=XYZ").get_data(as_text=True)
    assert page.count("Not a valid choice.") == 2


@pytest.mark.parametrize("federation_size", [1, 10**9])
def test_broad_and_narrow_searches_list_the_same_people(world, login_as, home_member,
                                                        monkeypatch, federation_size):
    """SQLite walks the name index for broad filters (a tiny federation makes every
    filter broad, a huge one none): the same people, in the same order, either way."""
    from jetaa.members.services import directory

    monkeypatch.setattr(directory, "_approved_members", lambda: federation_size)
    for n in range(60):
        home_member(f"Walker {n:02d}", home_country="GB" if n % 2 else "US",
                    visibility=Visibility.OFFICERS if n % 7 == 0 else Visibility.BRANCHES)
    client = login_as(world.users["member"])
    expected = [f"Walker {n:02d}" for n in range(1, 60, 2) if n % 7]
    assert _names(client, "?country=GB") + _names(client, "?country=GB&page=2") == expected
    assert client.get("/api/v1/directory?country=GB").json["pagination"]["total"] == len(expected)
    with _counting() as statements:
        client.get("/api/v1/directory?country=GB")
    walked = any("likely(" in statement for statement in statements)
    assert walked is (federation_size == 1 and _db.engine.dialect.name == "sqlite")


def test_prefectures_show_in_the_readers_language(world, login_as, make_profile):
    member = world.users["member"]
    make_profile(member, prefecture_code=13, municipality="Shinjuku")
    client = login_as(member)
    client.post("/language", data={"language": "ja"})
    page = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert "東京都" in page
    client.post("/language", data={"language": "en"})
    assert "Tokyo" in client.get(f"/members/{member.id}").get_data(as_text=True)


@pytest.mark.parametrize(("query", "opened"), [
    ("?q=smith", False), ("", False), ("?q=smith&sort=name", False),
    ("?q=smith&sort=years", True), ("?country=GB", True), ("?year_from=1", True),
])
def test_the_filters_panel_opens_only_when_a_filter_is_set(world, login_as, query, opened):
    page = login_as(world.users["member"]).get(f"/directory{query}").get_data(as_text=True)
    assert ('<details class="filters-toggle" open>' in page) is opened
