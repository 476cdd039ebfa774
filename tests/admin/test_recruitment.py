"""The admins' per-country recruitment dates: the shipped months until an admin sets a year's."""

from datetime import date

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from jetaa.audit.models import AuditEntry
from jetaa.reference import cycle
from jetaa.reference.models import RecruitmentDate

URL = "/admin/recruitment/US/2027/edit"


@pytest.fixture
def admin(world, login_as):
    return login_as(world.users["admin"])


def _rows(db) -> list[tuple]:
    return db.execute(sa.select(RecruitmentDate.stage, RecruitmentDate.starts_on,
                                RecruitmentDate.ends_on).order_by(RecruitmentDate.stage)).all()


def test_the_shipped_months_are_the_default(app):
    with app.test_request_context():
        dates = {d.stage.key: d for d in cycle.cycle_for("US", 2027)}
    opening = dates["applications_open"]
    assert (opening.starts_on, opening.ends_on, opening.custom) == (
        date(2026, 9, 1), date(2026, 10, 31), False)
    assert (dates["application_deadline"].starts_on, dates["application_deadline"].ends_on) == (
        date(2026, 11, 1), date(2027, 1, 31))  # some countries close in January
    assert dates["interviews"].starts_on == date(2027, 1, 1)
    assert "early_departure" in dates  # the US's spring group
    with app.test_request_context():
        assert "early_departure" not in {d.stage.key for d in cycle.cycle_for("GB", 2027)}


def test_the_intake_follows_september():
    assert cycle.current_intake(date(2026, 8, 31)) == 2026
    assert cycle.current_intake(date(2026, 9, 1)) == 2027


def test_admin_sets_a_countrys_dates(admin, db):
    page = admin.get(URL).get_data(as_text=True)
    assert "Applications open" in page
    response = admin.post(URL, data={
        "applications_open__start": "2026-09-24", "applications_open__end": "2026-11-14",
        "early_departure__start": "2027-04-10", "early_departure__end": "2027-04-10"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/recruitment?intake=2027")
    assert _rows(db) == [("applications_open", date(2026, 9, 24), date(2026, 11, 14)),
                         ("early_departure", date(2027, 4, 10), date(2027, 4, 10))]
    entry = db.scalar(sa.select(AuditEntry).where(AuditEntry.action == "recruitment_dates.update"))
    assert entry.payload["country"] == "US"
    assert entry.payload["changes"]["applications_open"] == [None, "2026-09-24/2026-11-14"]
    listing = admin.get("/admin/recruitment?intake=2027").get_data(as_text=True)
    assert "2 stages set" in listing
    # The form shows what was set; the other stages keep the usual months.
    again = admin.get(URL).get_data(as_text=True)
    assert 'value="2026-09-24"' in again
    dates = {d.stage.key: d for d in cycle.cycle_for("US", 2027)}
    assert dates["applications_open"].custom
    assert not dates["interviews"].custom
    # Another intake and another country are untouched.
    assert not any(d.custom for d in cycle.cycle_for("US", 2028))


def test_emptying_a_stage_goes_back_to_the_usual_months(admin, db):
    admin.post(URL, data={"applications_open__start": "2026-09-24",
                          "applications_open__end": "2026-11-14"})
    assert admin.post(URL, data={}).status_code == 302
    assert _rows(db) == []
    changes = db.scalars(sa.select(AuditEntry.payload).order_by(AuditEntry.id)).all()[-1]
    assert changes["changes"]["applications_open"] == ["2026-09-24/2026-11-14", None]


@pytest.mark.parametrize(("data", "message"), [
    ({"applications_open__start": "2026-09-24"}, "Give both days, or neither"),
    ({"applications_open__start": "2026-11-14", "applications_open__end": "2026-09-24"},
     "The last day cannot be before the first."),
    ({"applications_open__start": "2024-09-01", "applications_open__end": "2024-10-01"},
     "The 2027 intake&#39;s dates fall between"),
    ({"applications_open__start": "24/09/2026", "applications_open__end": "2026-11-14"},
     "Not a valid date value."),
])
def test_bad_dates_re_render_with_a_message(admin, db, data, message):
    response = admin.post(URL, data=data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Please correct the marked fields." in page
    assert message in page
    assert 'aria-invalid="true"' in page
    assert _rows(db) == []
    assert db.scalar(sa.select(sa.func.count(AuditEntry.id))) == 0


def test_only_branch_countries_are_listed(admin, world, make_branch):
    make_branch(slug="gone", country="PE", country_name="Peru", active=False)
    page = admin.get("/admin/recruitment").get_data(as_text=True)
    assert "United States" in page
    assert "Peru" not in page
    assert admin.get("/admin/recruitment/PE/2027/edit").status_code == 404


@pytest.mark.parametrize("role", ["member", "officer", "mission"])
def test_non_admins_are_refused(world, login_as, db, role):
    client = login_as(world.users[role])
    assert client.get("/admin/recruitment").status_code == 403
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"applications_open__start": "2026-09-24",
                                  "applications_open__end": "2026-11-14"}).status_code == 403
    assert _rows(db) == []


def test_now_and_next_spans_two_intakes(db):
    stages = cycle.now_and_next("GB", date(2026, 10, 15), limit=4)
    assert [(s.stage.key, s.starts_on.year) for s in stages] == [
        ("later_departures", 2026), ("returnee_welcome", 2026), ("applications_open", 2026),
        ("application_deadline", 2026)]


def test_the_branch_page_shows_the_dates_an_admin_set(admin, client, world, db):
    today = date.today()
    intake = cycle.current_intake(today)
    soon = date.fromordinal(today.toordinal() + 10)
    stage = cycle.stages_for("US")[0]
    cycle.save_cycle_dates("US", intake, {stage.key: (today, soon)}, actor=world.users["admin"])
    db.commit()
    page = client.get("/branches/home").get_data(as_text=True)
    assert "JET recruitment in United States" in page
    shown = f"<strong>{stage.name}</strong> · {format_date(today, 'd MMM y', locale='en')} – " \
            f"{format_date(soon, 'd MMM y', locale='en')}</li>"  # the short_date style
    assert shown in page  # set by the admin: no "(usual months)" after it
