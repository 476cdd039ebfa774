"""Roster CSV export and import."""

import csv
import io

import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.auth.models import User
from jetaa.members.models import AlumniProfile, Visibility
from jetaa.memberships.models import Membership

HEADER = "email,name,placements,home_country\n"


def _upload(client, text, encoding="utf-8"):
    data = {"file": (io.BytesIO(text.encode(encoding)), "roster.csv")}
    return client.post("/branches/home/roster/import", data=data,
                       content_type="multipart/form-data")


def _confirm(client, text):
    return client.post("/branches/home/roster/import/confirm", data={"csv_text": text})


def test_export_has_officer_fields_only_and_neutralises_formulas(world, login_as, db,
                                                                make_user, make_membership,
                                                                make_profile):
    open_person = make_user("=HYPERLINK(\"http://evil\")")
    make_membership(open_person, world.branch)
    make_profile(open_person, contact_visibility=Visibility.OFFICERS, phone="+1 555 0101",
                 current_city="@SUM(1)")
    make_profile(world.users["member"], phone="+1 555 0202")  # contact hidden
    response = login_as(world.users["officer"]).get("/branches/home/roster.csv")
    assert response.mimetype == "text/csv"
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    evil = rows["'=HYPERLINK(\"http://evil\")"]
    assert evil["email"] == open_person.email
    assert evil["phone"] == "'+1 555 0101"
    assert evil["current_city"] == "'@SUM(1)"
    assert rows["Mia Member"]["email"] == ""
    assert rows["Mia Member"]["phone"] == ""
    assert world.users["member"].email not in response.get_data(as_text=True)
    assert "Pat Pending" not in rows
    entry = db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "roster.export")).one()
    assert entry.actor_id == world.users["officer"].id
    assert entry.payload["rows"] == 3


def test_export_gives_no_contact_details_of_a_lapsed_member(world, login_as, db, make_user,
                                                             make_membership, make_profile):
    lapsed = make_user("Lapsed Lee")
    make_membership(lapsed, world.branch, status="lapsed")
    make_profile(lapsed, contact_visibility=Visibility.OFFICERS, phone="+1 555 0303")
    text = login_as(world.users["officer"]).get("/branches/home/roster.csv").get_data(as_text=True)
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["name"] == "Lapsed Lee")
    assert (row["status"], row["email"], row["phone"]) == ("lapsed", "", "")


def test_sample_csv_previews_cleanly(world, login_as, prefectures):
    client = login_as(world.users["officer"])
    sample = client.get("/branches/home/roster/sample.csv").get_data(as_text=True)
    page = _upload(client, sample).get_data(as_text=True)
    assert "Add to the branch (e-mailed)" in page
    assert "with errors" in page
    assert page.count("Add to the branch (e-mailed)") == 2


def test_import_preview_then_confirm_is_idempotent(world, login_as, db, outbox, prefectures):
    text = HEADER + ("new.person@example.com,New Person,\"ALT, Nagano, Matsumoto, 2015-2017; "
                     "CIR, 兵庫県, Kobe, 2017-, Kobe City\",US\n"
                     f"{world.users['member'].email},Ignored Name,\"CIR, 14, Yokohama, 2009-2011\","
                     "CA\n")
    client = login_as(world.users["officer"])
    page = _upload(client, text).get_data(as_text=True)
    assert "Add to the branch (e-mailed)" in page
    assert "Update:" in page
    assert db.scalar(sa.select(User).where(User.email == "new.person@example.com")) is None
    _confirm(client, text)
    new = db.scalar(sa.select(User).where(User.email == "new.person@example.com"))
    assert new is not None
    assert new.password_hash is None
    membership = db.scalar(sa.select(Membership).where(Membership.user_id == new.id))
    assert membership.status.value == "approved"
    assert membership.branch_id == world.branch.id
    placements = db.get(AlumniProfile, new.id).placements
    assert [(p.role.value, p.prefecture_code, p.municipality, p.start_year, p.end_year,
             p.contracting_organisation) for p in placements] == [
        ("ALT", 20, "Matsumoto", 2015, 2017, ""), ("CIR", 28, "Kobe", 2017, None, "Kobe City")]
    assert db.get(AlumniProfile, new.id).first_year == 2015
    assert [m.template for m in outbox()] == ["membership_invite"]
    assert db.get(User, world.users["member"].id).name == "Mia Member"
    page = _upload(client, text).get_data(as_text=True)
    assert "Nothing to change" in page
    assert "Add to the branch (e-mailed)" not in page
    _confirm(client, text)
    assert len(outbox()) == 1
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 7
    assert len(db.scalars(sa.select(AuditEntry).where(AuditEntry.action == "roster.import")).all()) == 2


def test_import_never_overwrites_what_the_member_set(world, login_as, db, make_profile):
    member = world.users["member"]
    make_profile(member, municipality="Own Town", start_year=2001, end_year=2003,
                 home_country="", member_set_fields=["placements"])
    text = HEADER + f"{member.email},Mia,\"ALT, 20, Officer Town, 2001-2004\",GB\n"
    client = login_as(world.users["officer"])
    _confirm(client, text)
    profile = db.get(AlumniProfile, member.id)
    assert [(p.municipality, p.end_year) for p in profile.placements] == [("Own Town", 2003)]
    assert profile.home_country == "GB"  # not set by the member: the import fills it in
    # Placements the member never set are the import's to replace, all of them.
    profile.member_set_fields = []
    db.commit()
    _confirm(client, text)
    db.expire_all()
    profile = db.get(AlumniProfile, member.id)
    assert [(p.municipality, p.end_year) for p in profile.placements] == [("Officer Town", 2004)]


def test_import_reports_row_errors_and_duplicates(world, login_as, prefectures):
    text = HEADER + ("bad-address,No Email,\"ALT,20,X,2015-2016\",US\n"
                     "a@example.com,Years Wrong,\"ALT,20,X,2015-2016; CIR,20,Y,2016-2012\",US\n"
                     "b@example.com,Unknown Pref,\"ALT,Atlantis,X,2015-2016\",US\n"
                     "c@example.com,Bad Role,\"TEACHER,20,X,1970-2016\",USA\n"
                     "d@example.com,Fine,\"ALT,20,X,2015-2016\",US\n"
                     "D@example.com,Twice,\"ALT,20,X,2015-2016\",US\n"
                     "e@example.com,Odd Years,\"ALT,20,X,in 2015\",US\n")
    page = _upload(login_as(world.users["officer"]), text).get_data(as_text=True)
    for message in ("A valid e-mail address is required.",
                    "Placement 2 (CIR,20,Y,2016-2012): the last year is before the first year.",
                    "Unknown prefecture &#34;Atlantis&#34;.",
                    "Placement 1 (TEACHER,20,X,1970-2016): the JET role must be ALT, CIR or SEA",
                    "Placement 1 (TEACHER,20,X,1970-2016): the first year must be a year between "
                    "1987", "two-letter code", "Duplicate of row 6.",
                    "Placement 1 (ALT,20,X,in 2015): the years must read like 2015-2017"):
        assert message in page, message
    assert page.count("Add to the branch (e-mailed)") == 1


def test_import_refuses_wrong_files_clearly(world, login_as, db, app):
    client = login_as(world.users["officer"])
    page = _upload(client, "mail,fullname\nx@example.com,X\n").get_data(as_text=True)
    assert "The columns are not right" in page
    assert "missing: email, name" in page
    page = _upload(client, HEADER + "é@example.com,Éric,ALT,\n", "latin-1").get_data(as_text=True)
    assert "not UTF-8" in page
    page = _upload(client, HEADER + "x" * 300_000).get_data(as_text=True)
    assert "too large" in page
    page = _upload(client, "").get_data(as_text=True)
    assert "The file is empty." in page
    response = _confirm(client, "")
    assert response.status_code == 302
    assert db.scalar(sa.select(sa.func.count()).select_from(User)) == 6


def test_import_refuses_a_file_csv_cannot_read(world, login_as):
    client = login_as(world.users["officer"])
    page = _upload(client, HEADER + "a@example.com,\"" + "x" * 140_000 + "\",ALT,\n")
    assert "not a readable CSV file" in page.get_data(as_text=True)
    page = _upload(client, HEADER + "a@example.com,A\x00B,ALT,\n")
    assert "control characters" in page.get_data(as_text=True)


def test_import_does_not_tell_officers_who_has_an_account(world, login_as, db, outbox):
    existing = world.users["mission"]  # has an account, not in the branch
    text = HEADER + f"{existing.email},Someone,,\nnobody.yet@example.com,Nobody Yet,,\n"
    client = login_as(world.users["officer"])
    page = _upload(client, text).get_data(as_text=True)
    assert page.count("Add to the branch (e-mailed)") == 2
    _confirm(client, text)
    # The existing account is invited to apply, not added: no membership, no profile change.
    assert db.scalar(sa.select(Membership).where(Membership.user_id == existing.id)) is None
    assert sorted(m.template for m in outbox()) == ["branch_invitation", "membership_invite"]
    assert db.get(User, existing.id).name == "Mika Mission"


def test_import_cannot_pull_another_branchs_member_in_or_edit_their_profile(world, login_as, db,
                                                                           make_profile, outbox):
    """An officer learns and changes nothing about a member of another branch by importing them."""
    from jetaa.members.models import AlumniProfile, Visibility

    other_member = world.users["other_officer"]  # approved (as officer) in the away branch
    make_profile(other_member, visibility=Visibility.OFFICERS)
    text = HEADER
    client = login_as(world.users["officer"])
    before = [p.municipality for p in db.get(AlumniProfile, other_member.id).placements]
    _confirm(client, text + f"{other_member.email},Someone Else,CIR,\n")
    assert db.scalar(sa.select(Membership).where(Membership.user_id == other_member.id,
                                                 Membership.branch_id == world.branch.id)) is None
    assert [p.municipality for p in db.get(AlumniProfile, other_member.id).placements] == before
    assert db.get(User, other_member.id).name == "Otto Otherofficer"
    assert client.get(f"/members/{other_member.id}").status_code == 404


def test_import_refuses_odd_digits_and_overlong_or_invalid_addresses(world, login_as, db):
    client = login_as(world.users["officer"])
    long_address = "a" * 300 + "@example.com"
    text = (HEADER + "sup@example.com,Sup Script,\"ALT,,,²\",\n"
            + f"{long_address},Long Address,ALT,\n"
            + "x@y,No Domain Dot,ALT,\n")
    response = _upload(client, text)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "the years must read like" in page
    assert page.count("A valid e-mail address is required.") == 2
    _confirm(client, text)
    assert db.scalar(sa.select(User).where(User.email == long_address)) is None
    assert db.scalar(sa.select(User).where(User.email == "sup@example.com")) is None


def test_export_gives_no_profile_fields_of_a_lapsed_member(world, login_as, db, make_user,
                                                           make_membership, make_profile):
    """The officer who lapsed them gets a 404 on their profile page: the CSV says no more."""
    lapsed = make_user("Lapsed Lou")
    make_membership(lapsed, world.branch, status="lapsed")
    make_profile(lapsed, visibility=Visibility.OFFICERS, municipality="Matsumoto",
                 employer="Acme", current_city="Boston", occupation="Teacher")
    officer = login_as(world.users["officer"])
    assert officer.get(f"/members/{lapsed.id}").status_code == 404
    text = officer.get("/branches/home/roster.csv").get_data(as_text=True)
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["name"] == "Lapsed Lou")
    assert row["status"] == "lapsed"
    for column in ("placements", "current_city", "occupation", "employer", "home_country"):
        assert row[column] == "", column


def test_the_roster_looks_the_same_whether_an_imported_address_had_an_account(world, login_as,
                                                                              db, make_user):
    """Both addresses are 'added' and both are shown as invited, by the file's names: the
    roster used to list only the unknown one, telling the officer who had an account."""
    make_user("Real Account Name", email="has.account@example.com")
    text = ("email,name\nhas.account@example.com,Known Person\n"
            "no.account@example.com,Unknown Person\n")
    client = login_as(world.users["officer"])
    assert _confirm(client, text).status_code == 302
    assert "Import done: 2 added" in client.get("/branches/home/roster").get_data(as_text=True)
    page = client.get("/branches/home/roster").get_data(as_text=True)
    invited = page.split('id="invited"')[1]
    for name, email in (("Known Person", "has.account@example.com"),
                        ("Unknown Person", "no.account@example.com")):
        assert name in invited
        assert email in invited
        assert page.count(email) == 1, "listed once, as invited, not as a member"
    assert "Real Account Name" not in page
    export = client.get("/branches/home/roster.csv").get_data(as_text=True)
    assert "has.account@example.com" not in export
    assert "no.account@example.com" not in export


def test_an_invitation_taken_up_leaves_the_invited_list(world, login_as, db):
    client = login_as(world.users["officer"])
    _confirm(client, "email,name\nfresh@example.com,Fresh Person\n")
    user = db.scalar(sa.select(User).where(User.email == "fresh@example.com"))
    user.password_hash, user.last_login_at = "set-by-the-reset-link", user.created_at
    db.commit()
    page = client.get("/branches/home/roster").get_data(as_text=True)
    assert 'id="invited"' not in page
    assert "Fresh Person" in page


def test_export_writes_every_placement_in_the_import_format(world, login_as, make_user,
                                                           make_membership, make_profile):
    person = make_user("Two Places")
    make_membership(person, world.branch)
    make_profile(person, placements=[
        {"role": "ALT", "prefecture_code": 28, "municipality": "Himeji", "start_year": 2015,
         "end_year": 2017, "contracting_organisation": "Himeji BOE, Hyogo"},
        {"role": "CIR", "prefecture_code": 28, "municipality": "Kobe", "start_year": 2017,
         "end_year": None}])
    client = login_as(world.users["officer"])
    text = client.get("/branches/home/roster.csv").get_data(as_text=True)
    row = next(r for r in csv.DictReader(io.StringIO(text)) if r["name"] == "Two Places")
    assert row["placements"] == "ALT, Hyogo, Himeji, 2015-2017, Himeji BOE, Hyogo; CIR, Hyogo, Kobe, 2017-"
    # What the export writes, the import reads back the same (nothing to change).
    again = ("email,name,placements\n" + f"{person.email},Two Places,\"{row['placements']}\"\n")
    assert "Nothing to change" in _upload(client, again).get_data(as_text=True)


def test_the_old_placement_columns_are_refused_with_the_new_format(world, login_as):
    old = "email,name,jet_roles,prefecture,start_year\nx@example.com,X,ALT,20,2015\n"
    page = _upload(login_as(world.users["officer"]), old).get_data(as_text=True)
    assert "The columns jet_roles, prefecture, start_year are now one column, placements" in page
    assert "ALT, Hyogo, Himeji, 2009-2011" in page
