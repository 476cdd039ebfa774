"""Editing one's profile, privacy choices, data export, account deletion."""

import json

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import User
from jetaa.members.models import AlumniProfile
from jetaa.memberships.models import Membership
from tests.conftest import PASSWORD

FORM = {"name": "Mia Member", "jet_roles": ["CIR"], "prefecture_code": "47",
        "municipality": "Naha", "start_year": "2018", "end_year": "2020", "home_country": "NZ",
        "current_city": "Wellington", "industry": "government", "employer": "MFAT",
        "bio": "Loves awamori.", "phone": "+64 4 555 0100", "visibility": "federation",
        "contact_visibility": "branches", "open_to_mentoring": "y"}


def test_member_edits_profile_and_privacy(world, login_as, db, prefectures):
    member = world.users["member"]
    response = login_as(member).post("/profile/edit", data=FORM)
    assert response.status_code == 302
    profile = db.get(AlumniProfile, member.id)
    assert profile.role_values == ["CIR"]
    assert profile.prefecture_code == 47
    assert profile.visibility.value == "federation"
    assert profile.contact_visibility.value == "branches"
    assert profile.open_to_mentoring
    assert not profile.open_to_recruitment
    assert {"municipality", "phone", "visibility"} <= set(profile.member_set_fields)
    page = login_as(world.users["officer"]).get(f"/members/{member.id}").get_data(as_text=True)
    assert "Naha" in page
    assert "Loves awamori." in page
    assert "+64 4 555 0100" in page


def test_profile_edit_refuses_bad_input(world, login_as, prefectures):
    data = dict(FORM, website_url="not a url", end_year="2010", name="")
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
    """The stored end year (2014) stays when the field is left out: before 2018, a 500."""
    member = world.users["member"]
    client = login_as(member)
    assert client.post("/profile/edit", data=dict(FORM, start_year="2010",
                                                  end_year="2014")).status_code == 302
    data = {k: v for k, v in FORM.items() if k != "end_year"}
    response = client.post("/profile/edit", data=data)
    assert response.status_code == 200
    assert "The last year cannot be before the first year." in response.get_data(as_text=True)
    profile = db.get(AlumniProfile, member.id)
    assert (profile.start_year, profile.end_year) == (2010, 2014)


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
    assert ('for="municipality">Municipality <span class="required-mark" aria-hidden="true">'
            '(required)</span>') in page
    assert 'for="employer">Employer <span class="required-mark">' not in page
    join = login_as(world.users["other_officer"]).get("/branches/home/join").get_data(as_text=True)
    assert join.count('class="required-mark"') >= 5
