"""Home page, health check, language switch, error pages."""

import pytest
import sqlalchemy as sa

from jetaa.extensions import db


def test_home_page_counts_branches_and_members(client, make_branch, make_user, make_membership):
    branch = make_branch(name="JETAA Test City")
    make_membership(make_user(), branch)
    make_membership(make_user(), branch, status="pending")
    page = client.get("/").get_data(as_text=True)
    assert "1 alumni of the JET Programme in 1 branches" in page


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert response.json["database"] == "unreachable"
    assert response.json["reason"] == "OperationalError"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_unexpected_error_is_a_friendly_500_without_trace(app, client, monkeypatch):
    from jetaa.branches import services

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "list_branches", explode)
    response = client.get("/branches")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body
    assert "boom" not in body
    assert "Traceback" not in body


def test_language_switch_shows_japanese_and_remembers_it(client):
    response = client.post("/language", data={"language": "ja", "next": "/branches"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/branches")
    page = client.get("/branches").get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert "支部" in page


def test_language_switch_ignores_unknown_language_and_foreign_next(client):
    response = client.post("/language", data={"language": "xx", "next": "//evil.example"})
    assert response.headers["Location"] in ("/", "http://jetaa.test/")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("header", ["ja,en;q=0.5", "ja-JP"])
def test_browser_language_is_the_default(client, header):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert '<html lang="ja">' in page


def test_pages_send_security_headers(client):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_about_page_explains_jet_roles(client):
    page = client.get("/about").get_data(as_text=True)
    assert "Assistant Language Teachers" in page
    assert "Coordinators for International Relations" in page
    assert "54 branches" in page


@pytest.mark.parametrize("url", [
    "/events/99999999999999999999",
    "/events?view=list&page=99999999999999999999",
    "/events?view=list&end=9999-12-31",
    "/events?view=list&start=0001-01-01",
    "/events.ics?from=9999-12-30&to=9999-12-31",
])
def test_out_of_range_numbers_and_dates_are_a_400_not_a_500(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)


def test_huge_ids_in_admin_and_roster_urls_are_not_a_500(world, login_as):
    client = login_as(world.users["admin"])
    for url in ("/admin/prefectures/99999999999999999999/edit",
                "/admin/audit?page=99999999999999999999",
                "/admin/audit?branch=99999999999999999999",
                "/branches/home/roster?page=99999999999999999999"):
        assert 400 <= client.get(url).status_code < 500, url


@pytest.mark.parametrize(("name", "ok"), [
    ("Europe/London", True), ("America/New_York", True), ("UTC", True), ("Asia/Tokyo", True),
    ("localtime", False), ("Factory", False), ("posixrules", False), ("Mars/Olympus", False),
    ("", False),
])
def test_only_real_places_are_time_zones(name, ok):
    from jetaa.core.timezones import is_timezone

    assert is_timezone(name) is ok


def test_nul_bytes_in_input_are_refused_not_stored(client, make_user, db):
    response = client.post("/register", data={"name": "Nul\x00Name", "email": "nul@example.com",
                                              "password": "a long enough passphrase",
                                              "confirm": "a long enough passphrase"})
    assert response.status_code == 400
    assert client.get("/branches?q=a%00b").status_code == 400
    from jetaa.auth.models import User

    assert db.scalar(sa.select(User).where(User.email == "nul@example.com")) is None
