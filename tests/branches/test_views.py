"""The public branch pages and the officers' edit form."""

import re

import pytest
import sqlalchemy as sa

from jetaa.audit.models import AuditEntry
from jetaa.branches.models import Branch, JoinPolicy

VALID = {"name": "JETAA Home Town", "region": "Home Region", "timezone": "Europe/London",
         "contact_email": "Hello@Home.example", "website": "https://home.example/",
         "description": "We meet monthly.", "join_policy": "open"}


def _sections(page: str) -> dict[str, list[str]]:
    """Country heading -> branch names listed under it, in page order."""
    result = {}
    for block in re.findall(r'<section class="country-group[^"]*".*?</section>', page, re.S):
        country = re.search(r"<h2[^>]*>(.*?)</h2>", block).group(1)
        result[country] = re.findall(r'<h3><a href="[^"]+">(.*?)</a></h3>', block)
    return result


@pytest.fixture
def federation(make_branch, make_user, make_membership):
    nyc = make_branch(slug="nyc", name="JETAA New York", region="New York")
    make_branch(slug="sea", name="JETAA Pacific Northwest", region="Seattle")
    make_branch(slug="ldn", name="JETAA London", country="GB", country_name="United Kingdom",
                region="London", grouping="JETAA UK")
    for status in ("approved", "approved", "pending"):
        make_membership(make_user(), nyc, status=status)
    return nyc


def test_index_groups_branches_by_country(client, federation):
    page = client.get("/branches").get_data(as_text=True)
    assert _sections(page) == {"United Kingdom": ["JETAA London"],
                               "United States": ["JETAA New York", "JETAA Pacific Northwest"]}


def test_index_shows_approved_member_counts(client, federation):
    page = client.get("/branches").get_data(as_text=True)
    nyc_card = re.search(r"JETAA New York</a>.*?</li>", page, re.S).group(0)
    assert "2 members" in nyc_card
    assert "0 members" in re.search(r"JETAA London</a>.*?</li>", page, re.S).group(0)


@pytest.mark.parametrize(("q", "expected"), [
    ("LONDON", {"United Kingdom": ["JETAA London"]}),
    ("united kingdom", {"United Kingdom": ["JETAA London"]}),
    ("seattle", {"United States": ["JETAA Pacific Northwest"]}),
    ("jetaa uk", {"United Kingdom": ["JETAA London"]}),
])
def test_index_search(client, federation, q, expected):
    page = client.get("/branches", query_string={"q": q}).get_data(as_text=True)
    assert _sections(page) == expected
    assert "1 branch matches" in page


def test_index_search_without_match(client, federation):
    page = client.get("/branches?q=atlantis").get_data(as_text=True)
    assert _sections(page) == {}
    assert "No branch matches your search." in page


def test_index_ignores_an_overlong_search(client, federation):
    page = client.get("/branches", query_string={"q": "x" * 101}).get_data(as_text=True)
    assert len(sum(_sections(page).values(), [])) == 3


def test_branch_page(client, federation, make_user, make_membership, make_mission, db):
    federation.mission_id = make_mission(name="Consulate-General of Japan in New York").id
    federation.website = "https://nyc.example/"
    db.commit()
    make_membership(make_user("Olive Officer"), federation, role="officer")
    page = client.get("/branches/nyc").get_data(as_text=True)
    assert "<h1>JETAA New York</h1>" in page
    assert "A test branch." in page
    assert re.search(r"<dt>Members</dt><dd>3</dd>", page)
    assert "Olive Officer" in page
    assert "Consulate-General of Japan in New York" in page
    assert 'href="https://nyc.example/"' in page
    assert "Edit details" not in page


@pytest.mark.parametrize(("role", "sees_edit"), [
    ("member", False), ("officer", True), ("other_officer", False), ("admin", True)])
def test_branch_page_edit_link_for_managers(world, login_as, role, sees_edit):
    page = login_as(world.users[role]).get("/branches/home").get_data(as_text=True)
    assert ("Edit details" in page) is sees_edit


def test_branch_page_shows_own_membership_status(world, login_as):
    page = login_as(world.users["pending"]).get("/branches/home").get_data(as_text=True)
    assert "badge-pending" in page


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_edit_saves_and_logs(world, login_as, db, role):
    client = login_as(world.users[role])
    form = client.get("/branches/home/edit").get_data(as_text=True)
    assert 'value="JETAA Home"' in form
    response = client.post("/branches/home/edit", data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/branches/home")
    branch = db.get(Branch, world.branch.id)
    assert (branch.name, branch.region, branch.timezone, branch.contact_email, branch.website,
            branch.description, branch.join_policy) == (
        "JETAA Home Town", "Home Region", "Europe/London", "hello@home.example",
        "https://home.example/", "We meet monthly.", JoinPolicy.OPEN)
    entry = db.scalars(sa.select(AuditEntry)).one()
    assert entry.action == "branch.update"
    assert entry.actor_id == world.users[role].id
    assert entry.branch_id == world.branch.id
    assert entry.payload["changes"]["name"] == ["JETAA Home", "JETAA Home Town"]
    assert entry.payload["changes"]["timezone"] == ["America/New_York", "Europe/London"]
    assert entry.payload["changes"]["join_policy"] == ["approval", "open"]
    assert entry.payload["changes"]["contact_email"] == [None, "hello@home.example"]
    assert "The branch details are saved." in client.get("/branches/home").get_data(as_text=True)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("timezone", "Mars/Olympus_Mons", "Unknown time zone"),
    ("timezone", "", "This field is required."),
    ("website", "not a url", "Invalid URL."),
    ("contact_email", "nobody-at-example", "Invalid email address."),
    ("name", "", "This field is required."),
    ("name", "x" * 121, "Field cannot be longer than 120 characters."),
    ("join_policy", "everyone", "Not a valid choice."),
])
def test_edit_rejects_invalid_input(world, login_as, db, field, value, message):
    client = login_as(world.users["officer"])
    response = client.post("/branches/home/edit", data=VALID | {field: value})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Please correct the marked fields." in page
    assert message in page
    branch = db.get(Branch, world.branch.id)
    assert (branch.name, branch.timezone, branch.region) == ("JETAA Home", "America/New_York",
                                                             "Somewhere")
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_edit_without_changes_logs_nothing(world, login_as, db):
    branch = world.branch
    data = {"name": branch.name, "region": branch.region, "timezone": branch.timezone,
            "contact_email": "", "website": "", "description": branch.description,
            "join_policy": "approval"}
    response = login_as(world.users["officer"]).post("/branches/home/edit", data=data)
    assert response.status_code == 302
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


@pytest.mark.parametrize("role", ["other_officer", "member", "pending", "mission"])
def test_edit_is_forbidden_to_others(world, login_as, db, role):
    client = login_as(world.users[role])
    assert client.get("/branches/home/edit").status_code == 403
    assert client.post("/branches/home/edit", data=VALID).status_code == 403
    branch = db.get(Branch, world.branch.id)
    assert (branch.name, branch.join_policy) == ("JETAA Home", JoinPolicy.APPROVAL)
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def _fill(make_branch, make_user, make_membership, branches: int, members_each: int) -> None:
    for n in range(branches):
        branch = make_branch(country=("US", "GB", "CA")[n % 3],
                             country_name=("United States", "United Kingdom", "Canada")[n % 3])
        for _ in range(members_each):
            make_membership(make_user(), branch)


def test_index_query_count_does_not_grow(client, make_branch, make_user, make_membership,
                                         count_queries, db):
    _fill(make_branch, make_user, make_membership, 3, 1)
    with count_queries() as small:
        assert client.get("/branches").status_code == 200
    _fill(make_branch, make_user, make_membership, 27, 2)
    with count_queries() as large:
        page = client.get("/branches").get_data(as_text=True)
    assert page.count('class="branch-card"') == 30
    assert len(large) == len(small), large


def test_index_query_count_signed_in(world, login_as, make_branch, count_queries):
    client = login_as(world.users["officer"])
    with count_queries() as small:
        client.get("/branches")
    for _ in range(28):
        make_branch()
    with count_queries() as large:
        client.get("/branches")
    assert len(large) == len(small)


def test_edit_needs_the_csrf_token(app, world, login_as, db, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    client = login_as(world.users["officer"])
    response = client.post("/branches/home/edit", data=VALID)
    assert response.status_code == 400
    assert db.get(Branch, world.branch.id).name == "JETAA Home"
    # With the token from the form, the same post is accepted.
    page = client.get("/branches/home/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/branches/home/edit", data=VALID | {"csrf_token": token}
                       ).status_code == 302
    assert db.get(Branch, world.branch.id).name == "JETAA Home Town"


def test_edit_accepts_a_time_zone_with_surrounding_spaces(world, login_as, db):
    response = login_as(world.users["officer"]).post(
        "/branches/home/edit", data=VALID | {"timezone": "  Asia/Tokyo "})
    assert response.status_code == 302
    assert db.get(Branch, world.branch.id).timezone == "Asia/Tokyo"


def test_index_search_term_is_escaped(client, make_branch):
    make_branch(name="JETAA <script>")
    page = client.get("/branches", query_string={"q": "<script>"}).get_data(as_text=True)
    assert "1 branch matches “&lt;script&gt;”" in page
    assert "<script>" not in page
