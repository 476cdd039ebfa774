"""The admins' volunteer-hour values: every route x every role, and what an edit saves."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import LOGIN, ROLES, assert_answers, by_role, table_rows

RATE_FORM = {"currency": "USD", "hourly_rate": "34.79", "year": "2024",
             "source": "Independent Sector", "source_url": "https://independentsector.org/"}
TABLE = {
    ("GET", "/admin/volunteer-rates"): by_role(403, anonymous=LOGIN, admin=200),
    ("GET", "/admin/volunteer-rates/new"): by_role(403, anonymous=LOGIN, admin=200),
    ("POST", "/admin/volunteer-rates/new"): by_role(403, anonymous=LOGIN, admin=302),
    ("GET", "/admin/volunteer-rates/GB/edit"): by_role(403, anonymous=LOGIN, admin=200),
    ("POST", "/admin/volunteer-rates/GB/edit"): by_role(403, anonymous=LOGIN, admin=302),
    ("GET", "/admin/volunteer-rates/XX/edit"): by_role(403, anonymous=LOGIN, admin=404),
}


@pytest.fixture
def rates(db):  # noqa: ANN001, ANN201
    from jetaa.activities.models import VolunteerRate

    db.add(VolunteerRate(country="GB", currency="GBP", hourly_rate=1221, year=2025,
                         source="UK National Living Wage (proxy)", source_url=""))
    db.commit()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url"), table_rows(TABLE))
def test_rate_routes_answer_each_role(world, rates, login_as, role, method, url):  # noqa: ANN001
    data = {**RATE_FORM, "country": "US"} if url.endswith("/new") else RATE_FORM
    response = login_as(world.users[role]).open(url, method=method,
                                                data=data if method == "POST" else None)
    assert_answers(response, TABLE[method, url][role])


def test_admins_set_a_rate_and_the_change_is_audited(world, rates, login_as, db):
    from jetaa.activities.models import VolunteerRate
    from jetaa.audit.models import AuditEntry

    client = login_as(world.users["admin"])
    client.post("/admin/volunteer-rates/new", data={**RATE_FORM, "country": "us"})
    client.post("/admin/volunteer-rates/GB/edit", data={**RATE_FORM, "currency": "GBP",
                                                        "hourly_rate": "12.50"})
    us, gb = db.get(VolunteerRate, "US"), db.get(VolunteerRate, "GB")
    assert (us.hourly_rate, us.currency, us.year) == (3479, "USD", 2024)
    assert (gb.hourly_rate, gb.source) == (1250, "Independent Sector")
    actions = set(db.scalars(sa.select(AuditEntry.action)))
    assert actions == {"volunteer_rate.create", "volunteer_rate.update"}
    page = client.post("/admin/volunteer-rates/new", data={**RATE_FORM, "country": "GB"})
    assert "has a rate already" in page.get_data(as_text=True)
    assert "$34.79" in client.get("/admin/volunteer-rates").get_data(as_text=True)
