"""Editing one's profile, privacy choices, data export, account deletion."""

import json

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import User
from jetaa.members.models import AlumniProfile
from jetaa.memberships.models import Membership
from tests.conftest import PASSWORD
from tests.members.conftest import placement_form

NAHA = {"role": "CIR", "prefecture_code": "47", "municipality": "Naha", "start_year": "2018",
        "end_year": "2020"}
FORM = {"name": "Mia Member", **placement_form(NAHA), "home_country": "NZ",
        "current_city": "Wellington", "industry": "government", "employer": "MFAT",
        "bio": "Loves awamori.", "phone": "+64 4 555 0100", "visibility": "federation",
        "contact_visibility": "branches", "open_to_mentoring": "y"}


def test_member_edits_profile_and_privacy(world, login_as, db, prefectures):
    member = world.users["member"]
    response = login_as(member).post("/profile/edit", data=FORM)
    assert response.status_code == 302
    profile = db.get(AlumniProfile, member.id)
    assert profile.role_values == ["CIR"]
    assert [(p.prefecture_code, p.municipality, p.start_year, p.end_year)
            for p in profile.placements] == [(47, "Naha", 2018, 2020)]
    assert (profile.first_year, profile.last_year) == (2018, 2020)
    assert profile.visibility.value == "federation"
    assert profile.contact_visibility.value == "branches"
    assert profile.open_to_mentoring
    assert not profile.open_to_recruitment
    assert {"placements", "phone", "visibility"} <= set(profile.member_set_fields)
    page = login_as(world.users["officer"]).get(f"/members/{member.id}").get_data(as_text=True)
    assert "Naha" in page
    assert "Loves awamori." in page
    assert "+64 4 555 0100" in page


def test_profile_edit_refuses_bad_input(world, login_as, prefectures):
    data = dict(FORM, website_url="not a url", name="",
                **placement_form(dict(NAHA, end_year="2010")))
    response = login_as(world.users["member"]).post("/profile/edit", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The last year cannot be before the first year." in page
    assert "Invalid URL." in page
    assert 'value="Naha"' in page


def test_name_change_updates_the_search(world, login_as, db, prefectures):
    login_as(world.users["member"]).post("/profile/edit", data=dict(FORM, name="Mía Müller"))
    assert db.get(User, world.users["member"].id).name_key == "mia muller"
    names = [m["name"] for m in login_as(world.users["officer"])
             .get("/api/v1/directory?q=muller").json["items"]]
    assert names == ["Mía Müller"]


def test_export_holds_everything_about_the_member(world, login_as, make_profile):
    member = world.users["member"]
    make_profile(member, phone="+1 555 0111", languages=("fr",))
    response = login_as(member).get("/account/export.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == member.email
    assert data["profile"]["phone"] == "+1 555 0111"
    assert data["profile"]["languages"] == ["fr"]
    assert data["memberships"][0]["branch_slug"] == "home"


def test_delete_account_anonymises_and_keeps_shared_records(world, login_as, db, make_profile):
    member = world.users["member"]
    make_profile(member)
    client = login_as(member)
    client.post(f"/branches/home/roster/{member.id}/lapse")  # a record that stays (403, no-op)
    response = client.post("/account/delete", data={"password": "wrong", "confirm": "y"})
    assert "That is not your password." in response.get_data(as_text=True)
    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})
    assert response.status_code == 302
    user = db.get(User, member.id)
    assert user.deleted_at is not None
    assert user.name == "Deleted member"
    assert "mia" not in user.email
    assert user.password_hash is None
    assert db.get(AlumniProfile, member.id) is None
    assert db.scalars(sa.select(Membership).where(Membership.user_id == member.id)).all() == []
    assert db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "account.delete")).one()
    assert client.get("/account").status_code == 302  # logged out
    names = [m["name"] for m in login_as(world.users["officer"]).get("/api/v1/directory").json["items"]]
    assert "Mia Member" not in names
    assert "Deleted member" not in names


def test_profile_edit_without_an_end_year_before_a_new_start_year_is_refused(world, login_as,
                                                                              db, prefectures):
    """The stored end year (2014) stays when the field is left out: before 2018, refused."""
    member = world.users["member"]
    client = login_as(member)
    assert client.post("/profile/edit", data=dict(FORM, **placement_form(dict(
        NAHA, start_year="2010", end_year="2014")))).status_code == 302
    data = {k: v for k, v in FORM.items() if k != "placements-0-end_year"}
    response = client.post("/profile/edit", data=data)
    assert response.status_code == 200
    assert "The last year cannot be before the first year." in response.get_data(as_text=True)
    profile = db.get(AlumniProfile, member.id)
    assert [(p.start_year, p.end_year) for p in profile.placements] == [(2010, 2014)]


def test_web_addresses_may_be_typed_without_https(world, login_as, db, prefectures):
    member = world.users["member"]
    page = login_as(member).get("/profile/edit").get_data(as_text=True)
    assert 'type="url"' not in page  # the browser would refuse "linkedin.com/in/mia"
    response = login_as(member).post("/profile/edit", data=dict(
        FORM, linkedin_url=" linkedin.com/in/mia ", website_url="http://mia.example"))
    assert response.status_code == 302
    profile = db.get(AlumniProfile, member.id)
    assert profile.linkedin_url == "https://linkedin.com/in/mia"
    assert profile.website_url == "http://mia.example"


def test_required_fields_are_marked_before_submitting(world, login_as, prefectures):
    page = login_as(world.users["member"]).get("/profile/edit").get_data(as_text=True)
    assert ('for="placements-0-municipality">Town or city <span class="required-mark" '
            'aria-hidden="true">(required)</span>') in page
    assert 'for="placements-0-end_year">Last year <span class="required-mark"' not in page
    assert 'for="employer">Employer <span class="required-mark">' not in page
    join = login_as(world.users["other_officer"]).get("/branches/home/join").get_data(as_text=True)
    assert join.count('class="required-mark"') >= 5


# Several placements ------------------------------------------------------------

HIMEJI = {"role": "ALT", "prefecture_code": "28", "municipality": "Himeji", "start_year": "2015",
          "end_year": "2017", "contracting_organisation": "Himeji City BOE"}
KOBE = {"role": "CIR", "prefecture_code": "28", "municipality": "Kobe", "start_year": "2017",
        "end_year": "2019"}


def test_a_member_saves_two_placements_in_order(world, login_as, db, prefectures):
    member = world.users["member"]
    client = login_as(member)
    response = client.post("/profile/edit", data=dict(FORM, **placement_form(HIMEJI, KOBE)))
    assert response.status_code == 302
    profile = db.get(AlumniProfile, member.id)
    assert [(p.position, p.role.value, p.municipality, p.start_year, p.end_year)
            for p in profile.placements] == [(0, "ALT", "Himeji", 2015, 2017),
                                             (1, "CIR", "Kobe", 2017, 2019)]
    assert profile.placements[0].contracting_organisation == "Himeji City BOE"
    assert (profile.first_year, profile.last_year) == (2015, 2019)
    page = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert "ALT, Himeji, Hyogo 2015–2017 · CIR, Kobe, Hyogo 2017–2019" in page
    # Both show again in the form, and a second save with one changes only that row.
    edit = client.get("/profile/edit").get_data(as_text=True)
    assert 'value="Kobe"' in edit
    assert 'value="Himeji"' in edit
    first_id = profile.placements[0].id
    client.post("/profile/edit", data=dict(FORM, **placement_form(HIMEJI)))
    db.expire_all()
    profile = db.get(AlumniProfile, member.id)
    assert [p.municipality for p in profile.placements] == ["Himeji"]
    assert profile.placements[0].id == first_id


def test_add_and_remove_placement_buttons_work_without_javascript(world, login_as, db,
                                                                   prefectures):
    member = world.users["member"]
    client = login_as(member)
    page = client.post("/profile/edit", data=dict(FORM, add_placement="1")).get_data(as_text=True)
    assert 'name="placements-1-municipality"' in page
    assert "Placement 2" in page
    assert "This field is required." not in page  # adding a row is not a failed save
    assert db.get(AlumniProfile, member.id) is None  # nothing saved yet
    page = client.post("/profile/edit", data=dict(
        FORM, **placement_form(HIMEJI, KOBE), remove_placement="0")).get_data(as_text=True)
    assert 'value="Kobe"' in page
    assert 'value="Himeji"' not in page
    assert 'name="placements-1-municipality"' in page  # the kept row keeps its name
    # The kept row saves as the only placement.
    data = dict(FORM, **{k.replace("-0-", "-1-"): v for k, v in placement_form(KOBE).items()})
    data = {k: v for k, v in data.items() if not k.startswith("placements-0-")}
    assert client.post("/profile/edit", data=data).status_code == 302
    assert [p.municipality for p in db.get(AlumniProfile, member.id).placements] == ["Kobe"]


def test_the_last_placement_cannot_be_removed_and_each_row_is_checked(world, login_as, db,
                                                                       prefectures):
    client = login_as(world.users["member"])
    page = client.post("/profile/edit", data=dict(FORM, remove_placement="0")).get_data(
        as_text=True)
    assert 'name="placements-0-municipality"' in page
    assert "Remove placement 1" not in page  # one row: nothing to remove
    bad = dict(KOBE, prefecture_code="99", start_year="1950")
    response = client.post("/profile/edit", data=dict(FORM, **placement_form(HIMEJI, bad)))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not a valid choice." in page
    assert "Enter a year between 1987 and 2030." in page
    assert db.get(AlumniProfile, world.users["member"].id) is None
    missing = {k: v for k, v in placement_form(HIMEJI).items() if not k.endswith("role")}
    page = client.post("/profile/edit", data=dict(FORM, **missing) | {
        "placements-0-role": ""}).get_data(as_text=True)
    assert "Choose a role." in page


def test_profile_page_and_cards_name_prefectures_in_japanese(world, login_as, make_profile,
                                                             make_membership):
    member = world.users["member"]
    make_profile(member, visibility="federation", placements=[
        {"role": "ALT", "prefecture_code": 28, "municipality": "Himeji", "start_year": 2015,
         "end_year": 2017},
        {"role": "CIR", "prefecture_code": 13, "municipality": "Shinjuku", "start_year": 2017,
         "end_year": None}])
    client = login_as(world.users["officer"])
    ja = {"Accept-Language": "ja"}
    page = client.get(f"/members/{member.id}", headers=ja).get_data(as_text=True)
    assert "ALT, Himeji, 兵庫県 2015–2017 · CIR, Shinjuku, 東京都 2017–" in page
    directory = client.get("/directory", headers=ja).get_data(as_text=True)
    assert "ALT, Himeji, 兵庫県 2015–2017 · CIR, Shinjuku, 東京都 2017–" in directory


def test_export_lists_every_placement(world, login_as, make_profile):
    member = world.users["member"]
    make_profile(member, placements=[
        {"role": "ALT", "prefecture_code": 28, "municipality": "Himeji", "start_year": 2015,
         "end_year": 2017, "contracting_organisation": "Himeji BOE"},
        {"role": "CIR", "prefecture_code": 28, "municipality": "Kobe", "start_year": 2017,
         "end_year": 2019}])
    data = json.loads(login_as(member).get("/account/export.json").get_data(as_text=True))
    assert data["profile"]["placements"] == [
        {"role": "ALT", "prefecture_code": 28, "municipality": "Himeji",
         "contracting_organisation": "Himeji BOE", "start_year": 2015, "end_year": 2017},
        {"role": "CIR", "prefecture_code": 28, "municipality": "Kobe",
         "contracting_organisation": "", "start_year": 2017, "end_year": 2019}]
