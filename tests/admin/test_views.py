"""The admins' dashboard, audit log and reference-data edits."""

import re

import pytest
import sqlalchemy as sa

from jetaa.admin import services
from jetaa.audit.models import AuditEntry
from jetaa.audit.services import record
from jetaa.missions.models import Mission, MissionKind
from jetaa.reference.models import Prefecture
from tests.conftest import ROLES

NON_ADMINS = [r for r in ROLES if r not in ("admin", "anonymous")]
MISSION_FORM = {"name": "Consulate-General of Japan in Chicago", "name_ja": "在シカゴ日本国総領事館",
                "kind": "consulate_general", "city": "Chicago", "timezone": "America/Chicago",
                "website": "https://www.chicago.us.emb-japan.go.jp/"}
PREFECTURE_FORM = {"name": "Tokyo Metropolis", "name_ja": "東京都", "region": "Kanto",
                   "region_ja": "関東"}


@pytest.fixture
def admin(world, login_as):
    return login_as(world.users["admin"])


@pytest.fixture
def tokyo(db):
    prefecture = Prefecture(code=13, slug="tokyo", name="Tokyo", name_ja="東京都", region="Kanto")
    db.add(prefecture)
    db.commit()
    return prefecture


def _audit_count(db) -> int:
    return db.scalar(sa.select(sa.func.count(AuditEntry.id)))


# Dashboard -----------------------------------------------------------------

def test_federation_figures(world, make_user, make_membership):
    # Someone approved in both branches is one member, counted in each branch.
    both = make_user()
    make_membership(both, world.branch)
    make_membership(both, world.other_branch, primary=False)
    make_membership(make_user(), world.other_branch, status="declined")
    figures = services.federation_figures()
    assert figures["accounts"] == 8
    assert figures["members"] == 4  # member, officer, other_officer, both
    assert figures["pending"] == 1
    assert figures["officers"] == 2
    assert figures["mission_staff"] == 1
    rows = {f.branch.slug: (f.approved, f.pending, f.officers) for f in figures["branches"]}
    assert rows == {"home": (3, 1, 1), "away": (2, 0, 1)}


def test_federation_figures_include_branches_without_members(make_branch):
    make_branch(slug="empty")
    figures = services.federation_figures()
    assert [(f.branch.slug, f.approved, f.pending, f.officers) for f in figures["branches"]] == [
        ("empty", 0, 0, 0)]
    assert (figures["accounts"], figures["members"], figures["pending"]) == (0, 0, 0)


def test_dashboard_shows_the_figures(world, admin):
    page = admin.get("/admin").get_data(as_text=True)
    stats = dict((label.strip(), int(n)) for n, label in
                 re.findall(r"<li><strong>([\d,]+)</strong>\s*([^<]+)</li>", page))
    assert stats == {"members": 3, "pending applications": 1, "officers": 2, "accounts": 6,
                     "mission staff": 1}
    home_row = re.search(r"JETAA Home</a>.*?</tr>", page, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', home_row) == ["2", "1", "1"]


@pytest.mark.parametrize("url", ["/admin", "/admin/audit", "/admin/reference",
                                 "/admin/missions/cg-test/edit"])
@pytest.mark.parametrize("role", NON_ADMINS)
def test_admin_pages_are_forbidden_to_others(world, login_as, url, role):
    assert login_as(world.users[role]).get(url).status_code == 403


# Audit log -----------------------------------------------------------------

@pytest.fixture
def entries(world, db):
    admin, officer = world.users["admin"], world.users["officer"]
    record("branch.update", actor=officer, object_type="branch", object_id=world.branch.id,
           branch_id=world.branch.id, changes={"name": ["Old Name", "New Name"]})
    record("membership.approve", actor=officer, object_type="membership", object_id=7,
           branch_id=world.branch.id)
    record("membership.decline", actor=world.users["other_officer"], object_type="membership",
           object_id=8, branch_id=world.other_branch.id)
    record("mission.update", actor=admin, object_type="mission", object_id=world.mission.id)
    record("admin.appoint", actor=None, object_type="user", object_id=1, via="cli")
    db.commit()


def _actions(page: str) -> list[str]:
    return re.findall(r'<tr data-action="([\w.]+)">', page)


def test_audit_lists_entries_newest_first(entries, admin):
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert _actions(page) == ["admin.appoint", "mission.update", "membership.decline",
                              "membership.approve", "branch.update"]
    assert "Olga Officer" in page
    assert "system" in page
    assert "New Name" in page  # the payload
    assert "\\u0026" not in page
    assert "{&#34;" not in page


def test_audit_entries_read_as_sentences_with_links(world, admin, db):
    from jetaa.memberships.services import remove_membership  # noqa: PLC0415
    from tests.memberships.test_confirm import _membership  # noqa: PLC0415

    remove_membership(_membership(db, world.users["member"], world.branch),
                      actor=world.users["officer"])
    db.commit()
    page = admin.get("/admin/audit").get_data(as_text=True)
    member = world.users["member"].id
    assert f'<a href="/members/{member}">Olga Officer removed Mia Member from the branch</a>' in page
    assert '<a href="/branches/home">JETAA Home</a>' in page
    assert "membership 2" not in page


@pytest.mark.parametrize(("query", "expected"), [
    ({"action": "membership."}, ["membership.decline", "membership.approve"]),
    ({"action": "branch"}, ["branch.update"]),
    ({"action": "nothing"}, []),
    ({"action": "%"}, []),  # a literal character, not a wildcard
    ({"branch": "HOME"}, ["membership.approve", "branch.update"]),
    ({"branch": "AWAY", "action": "membership."}, ["membership.decline"]),
    ({"branch": "AWAY", "action": "branch."}, []),
    ({"branch": "not-a-number"}, ["admin.appoint", "mission.update", "membership.decline",
                                  "membership.approve", "branch.update"]),
])
def test_audit_filters(world, entries, admin, query, expected):
    ids = {"HOME": str(world.branch.id), "AWAY": str(world.other_branch.id)}
    query = {k: ids.get(v, v) for k, v in query.items()}
    page = admin.get("/admin/audit", query_string=query).get_data(as_text=True)
    assert _actions(page) == expected


def test_audit_paginates(world, admin, db):
    for n in range(55):
        record("test.entry", actor=None, object_type="thing", object_id=n)
    db.commit()
    first = admin.get("/admin/audit").get_data(as_text=True)
    assert len(_actions(first)) == 50
    assert "Page 1 of 2" in first
    second = admin.get("/admin/audit?page=2").get_data(as_text=True)
    assert len(_actions(second)) == 5
    assert admin.get("/admin/audit?page=-3").status_code == 200


# Reference data --------------------------------------------------------------

def test_reference_lists_missions_prefectures_and_branches(world, tokyo, admin):
    page = admin.get("/admin/reference").get_data(as_text=True)
    assert "/admin/missions/cg-test/edit" in page
    assert "/admin/prefectures/13/edit" in page
    assert "/branches/home/edit" in page
    assert "/branches/away/edit" in page


def test_mission_edit_saves_and_logs(world, admin, db):
    form = admin.get("/admin/missions/cg-test/edit").get_data(as_text=True)
    assert 'value="consulate_general" selected' in form or 'selected value="consulate_general"' \
        in form
    response = admin.post("/admin/missions/cg-test/edit", data=MISSION_FORM | {"kind": "embassy"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/reference")
    mission = db.get(Mission, world.mission.id)
    assert (mission.name, mission.name_ja, mission.kind, mission.city, mission.timezone,
            mission.website) == (MISSION_FORM["name"], MISSION_FORM["name_ja"],
                                 MissionKind.EMBASSY, "Chicago", "America/Chicago",
                                 MISSION_FORM["website"])
    entry = db.scalars(sa.select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.object_type, entry.object_id) == (
        "mission.update", world.users["admin"].id, "mission", world.mission.id)
    changes = entry.payload["changes"]
    assert changes["city"] == ["New York", "Chicago"]
    assert changes["kind"] == ["consulate_general", "embassy"]
    assert changes["website"] == [None, MISSION_FORM["website"]]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("timezone", "Asia/Atlantis", "Unknown time zone"),
    ("website", "embassy dot example", "Invalid URL."),
    ("name", "", "This field is required."),
    ("city", "", "This field is required."),
    ("kind", "palace", "Not a valid choice."),
])
def test_mission_edit_rejects_invalid_input(world, admin, db, field, value, message):
    response = admin.post("/admin/missions/cg-test/edit", data=MISSION_FORM | {field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    mission = db.get(Mission, world.mission.id)
    assert (mission.city, mission.timezone) == ("New York", "America/New_York")
    assert _audit_count(db) == 0


def test_prefecture_edit_saves_and_logs(world, tokyo, admin, db):
    response = admin.post("/admin/prefectures/13/edit", data=PREFECTURE_FORM)
    assert response.status_code == 302
    prefecture = db.get(Prefecture, 13)
    assert (prefecture.name, prefecture.region_ja) == ("Tokyo Metropolis", "関東")
    entry = db.scalars(sa.select(AuditEntry)).one()
    assert (entry.action, entry.object_type, entry.object_id) == ("prefecture.update",
                                                                  "prefecture", 13)
    assert entry.payload["changes"] == {"name": ["Tokyo", "Tokyo Metropolis"],
                                        "region_ja": ["", "関東"]}


def test_prefecture_edit_rejects_invalid_input(world, tokyo, admin, db):
    response = admin.post("/admin/prefectures/13/edit", data=PREFECTURE_FORM | {"name": ""})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)
    assert db.get(Prefecture, 13).name == "Tokyo"
    assert _audit_count(db) == 0


@pytest.mark.parametrize("role", NON_ADMINS)
def test_reference_edits_are_forbidden_to_others(world, tokyo, login_as, db, role):
    client = login_as(world.users[role])
    assert client.post("/admin/missions/cg-test/edit", data=MISSION_FORM).status_code == 403
    assert client.post("/admin/prefectures/13/edit", data=PREFECTURE_FORM).status_code == 403
    assert db.get(Mission, world.mission.id).city == "New York"
    assert db.get(Prefecture, 13).name == "Tokyo"
    assert _audit_count(db) == 0


# Query counts ------------------------------------------------------------------

def test_audit_query_count_does_not_grow_with_actors(world, admin, make_user, db,
                                                     count_queries):
    record("test.entry", actor=make_user(), object_type="thing")
    db.commit()
    with count_queries() as small:
        admin.get("/admin/audit")
    for _ in range(20):
        record("test.entry", actor=make_user(), object_type="thing")
    db.commit()
    with count_queries() as large:
        page = admin.get("/admin/audit").get_data(as_text=True)
    assert len(_actions(page)) == 21
    assert len(large) == len(small), large


def test_dashboard_query_count_does_not_grow_with_branches(world, admin, make_branch, make_user,
                                                          make_membership, count_queries):
    with count_queries() as small:
        admin.get("/admin")
    for _ in range(20):
        make_membership(make_user(), make_branch())
    with count_queries() as large:
        page = admin.get("/admin").get_data(as_text=True)
    assert page.count("<tr><td><a href=") == 22
    assert len(large) == len(small)


def test_reference_edits_need_the_csrf_token(app, world, tokyo, admin, db, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    assert admin.post("/admin/missions/cg-test/edit", data=MISSION_FORM).status_code == 400
    assert admin.post("/admin/prefectures/13/edit", data=PREFECTURE_FORM).status_code == 400
    assert db.get(Mission, world.mission.id).city == "New York"
    assert _audit_count(db) == 0


def test_mission_edit_strips_the_time_zone(world, admin, db):
    response = admin.post("/admin/missions/cg-test/edit",
                          data=MISSION_FORM | {"timezone": " America/Denver "})
    assert response.status_code == 302
    assert db.get(Mission, world.mission.id).timezone == "America/Denver"
