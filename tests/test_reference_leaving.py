"""`flask load-branches` on a database loaded from older data: what left the files stays.

The old data is the files as they were before issue 15: JETAA Wales (no public evidence)
and the Consulate-General in New Orleans (closed at the end of 2007), with JETAA Mid-South
under it. Loading today's files keeps both, marked inactive, with their members, staff
and history, hides them from every list and picker, and moves Mid-South to Nashville.
"""

import copy

import pytest
import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.branches.models import Branch
from jetaa.extensions import db as _db
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.missions.models import Mission, MissionStaff
from jetaa.reference import services
from jetaa.reference.services import read_data

NEW_ORLEANS = {"slug": "cg-new-orleans", "name": "Consulate-General of Japan in New Orleans",
               "name_ja": "在ニューオーリンズ日本国総領事館", "kind": "consulate_general",
               "country": "US", "city": "New Orleans", "timezone": "America/Chicago",
               "website": "https://www.neworleans.us.emb-japan.go.jp/"}
WALES = {"slug": "wales", "name": "JETAA Wales", "country": "GB", "country_name": "United Kingdom",
         "region": "Wales", "grouping": "JETAA UK", "timezone": "Europe/London",
         "contact_email": None, "website": None, "description": "JETAA UK chapter for Wales.",
         "mission": "embassy-united-kingdom"}


def _old_files() -> tuple[list[dict], list[dict]]:
    missions = read_data("missions.json") + [NEW_ORLEANS]
    branches = copy.deepcopy(read_data("branches.json")) + [WALES]
    next(b for b in branches if b["slug"] == "mid-south")["mission"] = "cg-new-orleans"
    return missions, branches


def _branch(db, slug: str) -> Branch:
    return db.scalar(sa.select(Branch).where(Branch.slug == slug))


def _mission(db, slug: str) -> Mission:
    return db.scalar(sa.select(Mission).where(Mission.slug == slug))


@pytest.fixture
def old_federation(app, db, make_user, make_membership):
    """A database loaded from the old files, with members in Wales and mission staff in
    New Orleans; then today's `flask load-branches`."""
    missions, branches = _old_files()
    services.load_prefectures()
    services.load_missions(missions)
    services.load_branches(branches)
    _db.session.commit()
    wales, mid_south = _branch(db, "wales"), _branch(db, "mid-south")
    assert mid_south.mission.slug == "cg-new-orleans"
    people = {"officer": make_user("Wyn Officer"), "member": make_user("Bryn Member"),
              "pending": make_user("Cai Pending"), "staff": make_user("Nola Staff"),
              "outsider": make_user("Owen Outsider")}
    make_membership(people["officer"], wales, role="officer")
    make_membership(people["member"], wales)
    make_membership(people["member"], mid_south, primary=False)
    make_membership(people["pending"], wales, status="pending")
    db.add(MissionStaff(user_id=people["staff"].id, mission_id=_mission(db, "cg-new-orleans").id))
    db.commit()
    before = sorted(db.execute(sa.select(Membership.user_id, Membership.branch_id,
                                         Membership.role, Membership.status)).tuples().all())
    result = app.test_cli_runner().invoke(args=["load-branches"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    return {"people": people, "before": before, "output": result.output}


def test_what_left_is_kept_inactive_with_its_members(old_federation, db):
    assert "branches: 0 created, 52 updated, 1 inactive" in old_federation["output"]
    missions = len(read_data("missions.json"))
    assert f"missions: 0 created, {missions} updated, 1 inactive" in old_federation["output"]
    wales, new_orleans = _branch(db, "wales"), _mission(db, "cg-new-orleans")
    assert wales is not None
    assert not wales.active
    assert new_orleans is not None
    assert not new_orleans.active
    assert _branch(db, "london").active
    assert _mission(db, "cg-nashville").active
    after = sorted(db.execute(sa.select(Membership.user_id, Membership.branch_id,
                                        Membership.role, Membership.status)).tuples().all())
    assert after == old_federation["before"]
    staff = db.scalars(sa.select(MissionStaff.user_id).where(
        MissionStaff.mission_id == new_orleans.id)).all()
    assert staff == [old_federation["people"]["staff"].id]
    actions = db.execute(sa.select(AuditEntry.action, AuditEntry.object_id)).tuples().all()
    assert sorted(actions) == [("branch.deactivate", wales.id),
                               ("mission.deactivate", new_orleans.id)]


def test_mid_south_moves_to_nashville(old_federation, db):
    mid_south = _branch(db, "mid-south")
    assert mid_south.active
    assert mid_south.mission.slug == "cg-nashville"
    assert "Nashville" in mid_south.description


def test_a_second_load_changes_nothing_more(old_federation, app, db):
    again = app.test_cli_runner().invoke(args=["load-branches"])
    assert "branches: 0 created, 52 updated, 1 inactive" in again.output
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 2  # no second deactivation


def test_a_branch_listed_again_is_active_again(old_federation, db):
    missions, branches = _old_files()
    services.load_missions(missions)
    services.load_branches(branches)
    _db.session.commit()
    assert _branch(db, "wales").active
    assert _mission(db, "cg-new-orleans").active
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))
                     .where(AuditEntry.action.like("%.reactivate"))) == 2


def test_hidden_from_the_lists(old_federation, client, login_as, db):
    branches = client.get("/branches").get_data(as_text=True)
    assert "JETAA Wales" not in branches
    assert "JETAA London" in branches
    missions = client.get("/missions").get_data(as_text=True)
    assert "New Orleans" not in missions
    assert "Nashville" in missions
    nashville = client.get("/missions/cg-nashville").get_data(as_text=True)
    assert "JETAA Mid-South" in nashville
    member = login_as(old_federation["people"]["member"])
    for url in ("/directory", "/events"):
        page = member.get(url).get_data(as_text=True)
        assert 'value="wales"' not in page, url
        assert 'value="london"' in page, url
    officer = login_as(old_federation["people"]["officer"])
    form = officer.get("/branches/london/events/new")  # not an officer of London: 403
    assert form.status_code == 403


def test_its_pages_stay_and_say_so(old_federation, client, db):
    page = client.get("/branches/wales")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "no longer active" in text
    assert "Log in to join" not in text
    mission = client.get("/missions/cg-new-orleans").get_data(as_text=True)
    assert "no longer listed" in mission


def test_nobody_joins_a_branch_that_left(old_federation, login_as, db):
    outsider = old_federation["people"]["outsider"]
    client = login_as(outsider)
    page = client.get("/branches/wales").get_data(as_text=True)
    assert "Apply to join" not in page
    assert "Join this branch" not in page
    answer = client.post("/branches/wales/join", data={"message": "Let me in"})
    assert answer.status_code == 302
    assert db.scalar(sa.select(sa.func.count(Membership.id))
                     .where(Membership.user_id == outsider.id)) == 0
    assert client.get("/branches/london").status_code == 200


def test_admins_see_it_marked(old_federation, login_as, make_user, db):
    admin = login_as(make_user(admin=True))
    reference = admin.get("/admin/reference").get_data(as_text=True)
    assert "JETAA Wales <span class=\"badge badge-lapsed\">inactive</span>" in reference
    assert admin.get("/branches/wales/edit").status_code == 200  # still editable


def test_apply_to_branch_refuses_an_inactive_branch(old_federation, db):
    from jetaa.memberships.services import MembershipError, apply_to_branch

    outsider = old_federation["people"]["outsider"]
    with pytest.raises(MembershipError):
        apply_to_branch(outsider, _branch(db, "wales"), {}, actor=outsider)
    pending = db.scalar(sa.select(Membership).where(
        Membership.user_id == old_federation["people"]["pending"].id))
    assert pending.status == MembershipStatus.PENDING
