"""The figures of the impact dashboards and annual reports (jetaa/activities/figures.py and reports.py),
the reports as pages and CSV, in English and Japanese, and their query counts."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from jetaa.activities import figures, periods, reports
from jetaa.activities.figures import Scope
from jetaa.activities.models import (
    Activity,
    ActivityPartner,
    ActivityPhoto,
    ActivityReceipt,
    ActivityStatus,
    Category,
    FundingSource,
    VolunteerRate,
)
from jetaa.activities.periods import Period
from jetaa.memberships.models import Membership

FY2024 = Period.fiscal_year(2024)  # 1 April 2024 to 31 March 2025
_stored = iter(range(1, 10**6))


def log(db, branch, *, on: date = date(2024, 6, 1), status: str = "verified",  # noqa: ANN001
        cohosts: Iterable = (), partners: Iterable[str] = (), **fields: object) -> Activity:
    """An activity of `branch` written straight to the database (verified unless told)."""
    values = {"title": "Taiko workshop", "category": Category.CULTURE, "starts_on": on,
              "ends_on": on, "people_reached": 10, "volunteer_tenths": 25, "members_involved": 2,
              "currency": "USD"}
    values.update(fields)
    activity = Activity(branch_id=branch.id, status=ActivityStatus(status), **values)
    activity.cohosts = list(cohosts)
    activity.partners = [ActivityPartner(name=name) for name in partners]
    db.add(activity)
    db.commit()
    return activity


def add_photo(db, activity, *, in_report: bool = True, caption: str = "") -> ActivityPhoto:  # noqa: ANN001
    photo = ActivityPhoto(activity_id=activity.id, stored_name=f"p{next(_stored)}.jpg",
                          content_type="image/jpeg", width=800, height=600, size=1000,
                          caption=caption, in_report=in_report)
    db.add(photo)
    db.commit()
    return photo


def add_receipt(db, activity, filename: str) -> ActivityReceipt:  # noqa: ANN001
    receipt = ActivityReceipt(activity_id=activity.id, stored_name=f"r{next(_stored)}.pdf",
                              content_type="application/pdf", filename=filename, size=1000)
    db.add(receipt)
    db.commit()
    return receipt


def csv_rows(response) -> list[list[str]]:  # noqa: ANN001
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def titles(response) -> list[str]:  # noqa: ANN001
    rows = csv_rows(response)
    return [row[rows[0].index("Title")] for row in rows[1:]]


# Counting rules ---------------------------------------------------------------

def test_only_verified_activities_count(world, db):
    for status in ("draft", "submitted", "changes_requested", "rejected"):
        log(db, world.branch, status=status, people_reached=1000)
    log(db, world.branch, people_reached=12, volunteer_tenths=35, members_involved=3,
        money_raised=1050, money_spent=200)
    totals = figures.totals(Scope.federation(), FY2024)
    assert (totals.activities, totals.people, totals.tenths, totals.members) == (1, 12, 35, 3)
    assert totals.hours == pytest.approx(3.5)
    assert totals.raised == {"USD": 1050}
    assert totals.spent == {"USD": 200}
    assert figures.totals(Scope.branch(world.branch), FY2024).people == 12


def test_cohosted_activity_counts_once_in_totals_and_for_each_host(world, db, make_branch):
    third = make_branch(name="JETAA Third", grouping="JETAA Canada", country="CA")
    log(db, world.branch, cohosts=[world.other_branch, third], people_reached=100,
        partners=["City Library"])
    log(db, world.other_branch, people_reached=5)
    federation = figures.totals(Scope.federation(), FY2024)
    assert (federation.activities, federation.people) == (2, 105)
    rows = {row.name: (row.figures.activities, row.figures.people)
            for row in figures.by_branch(Scope.federation(), FY2024)}
    assert rows == {"JETAA Home": (1, 100), "JETAA Away": (2, 105), "JETAA Third": (1, 100)}
    assert figures.totals(Scope.branch(third), FY2024).people == 100
    assert figures.top_partners(Scope.branch(third), FY2024)[0].name == "City Library"
    # A grouping counts the activity once, and compares only its own branches.
    usa = Scope.grouping("JETAA USA")
    assert figures.totals(usa, FY2024).activities == 2
    assert [r.name for r in figures.by_branch(usa, FY2024)] == ["JETAA Away", "JETAA Home"]
    canada = Scope.grouping("JETAA Canada")
    assert figures.totals(canada, FY2024).activities == 1
    assert [r.name for r in figures.by_branch(canada, FY2024)] == ["JETAA Third"]
    # By country: once, in the host branch's country.
    assert [(c.country, c.figures.activities) for c in
            figures.by_country(Scope.federation(), FY2024)] == [("US", 2)]


def test_mission_scope_is_the_branches_of_its_jurisdiction(world, db):
    log(db, world.branch, people_reached=7)
    log(db, world.other_branch, people_reached=900)  # not in the mission's jurisdiction
    scope = Scope.mission(world.mission)
    assert figures.totals(scope, FY2024).people == 7
    assert [r.name for r in figures.by_branch(scope, FY2024)] == ["JETAA Home"]


def test_fiscal_and_calendar_years(world, db, login_as):
    client = login_as(world.users["admin"])
    for day in (date(2024, 3, 31), date(2024, 4, 1), date(2024, 12, 31), date(2025, 1, 1),
                date(2025, 3, 31), date(2025, 4, 1)):
        log(db, world.branch, on=day, ends_on=day, title=day.isoformat())
    fiscal = titles(client.get("/branches/home/report/2024.csv"))
    assert fiscal == ["2024-04-01", "2024-12-31", "2025-01-01", "2025-03-31"]
    calendar = titles(client.get("/branches/home/report/2024.csv?basis=calendar"))
    assert calendar == ["2024-03-31", "2024-04-01", "2024-12-31"]
    assert periods.current_fiscal_year(date(2025, 3, 31)) == 2024
    assert periods.current_fiscal_year(date(2025, 4, 1)) == 2025
    assert periods.parse_period(None, None, today=date(2025, 2, 1)) == FY2024


def test_an_activity_belongs_to_the_period_it_starts_in(world, db):
    log(db, world.branch, on=date(2025, 3, 30), ends_on=date(2025, 4, 2))
    assert figures.totals(Scope.federation(), FY2024).activities == 1
    assert figures.totals(Scope.federation(), Period.fiscal_year(2025)).activities == 0


# Periods ------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "message"), [
    ("from=2024-02-30", "does not exist"),
    ("from=24-02-01", "YYYY-MM-DD"),
    ("from=2024-4-1", "YYYY-MM-DD"),
    ("to=2024-04-01T00:00", "YYYY-MM-DD"),
    ("from=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%94-01-01", "YYYY-MM-DD"),  # full-width digits
    ("from=1899-12-31", "between the years 1900 and 2200"),
    ("to=2201-01-01&from=2200-01-01", "between the years 1900 and 2200"),
    ("from=2024-05-01&to=2024-04-30", "on or before the end date"),
    ("from=2000-01-01&to=2011-12-31", "at most eleven years"),
    ("from=99999999-01-01", "YYYY-MM-DD"),
])
def test_bad_periods_are_a_400_with_a_message(world, login_as, query, message):
    client = login_as(world.users["member"])
    for url in ("/impact", "/branches/home/impact", "/impact?csv=totals&"):
        response = client.get(f"{url}{'&' if '?' in url else '?'}{query}".replace("&&", "&"))
        assert response.status_code == 400, url
        assert message in response.get_data(as_text=True)


def test_a_period_may_be_eleven_years_or_one_day(world, login_as, db):
    log(db, world.branch, on=date(2010, 5, 5), title="Old times")
    client = login_as(world.users["member"])
    long = client.get("/impact?from=2010-01-01&to=2020-12-31")
    assert long.status_code == 200
    assert "Old times" not in long.get_data(as_text=True)  # the dashboards list no activities
    assert "2010" in long.get_data(as_text=True)  # charted by year
    rows = csv_rows(client.get("/impact?from=2010-01-01&to=2020-12-31&csv=by_month"))
    assert rows[1][:2] == ["2010", "1"]
    assert len(rows) == 1 + 11
    one_day = csv_rows(client.get("/branches/home/impact?from=2010-05-05&to=2010-05-05&csv=totals"))
    assert one_day[1][:2] == ["Activities", "1"]
    # Only one end given: the other is the current fiscal year's.
    today = date(2025, 2, 1)
    assert periods.parse_period("2024-06-01", None, today=today) == Period(date(2024, 6, 1),
                                                                         date(2025, 3, 31))
    assert periods.parse_period("", "2024-12-31", today=today) == Period(date(2024, 4, 1),
                                                                       date(2024, 12, 31))
    assert periods.parse_period("2025-01-01", "2025-12-31", today=today).basis == "calendar"
    with pytest.raises(periods.BadPeriod):
        periods.parse_period("2025-06-01", None, today=today)  # after the default end


@pytest.mark.parametrize("url", ["/branches/home/report/1989", "/branches/home/report/2201",
                                 "/report/1989", "/report/99999999999999999999",
                                 "/branches/home/report/1989.csv", "/branches/home/report/2201/grant"])
def test_report_years_outside_1990_to_2200_are_404(world, login_as, url):
    assert login_as(world.users["admin"]).get(url).status_code == 404


def test_unknown_basis_is_a_400(world, login_as):
    response = login_as(world.users["admin"]).get("/report/2024?basis=weekly")
    assert response.status_code == 400
    assert "either fiscal or calendar" in response.get_data(as_text=True)


# Money and volunteer time ---------------------------------------------------------

def test_money_per_currency_in_minor_units(world, db, make_branch, login_as):
    tokyo = make_branch(name="JETAA Tokyo", country="JP", country_name="Japan", grouping="Japan")
    log(db, world.branch, money_raised=12345, money_spent=1000)  # $123.45
    log(db, world.branch, currency="CAD", money_raised=500)
    log(db, tokyo, currency="JPY", money_raised=150000)  # yen have no minor unit
    totals = figures.totals(Scope.federation(), FY2024)
    assert totals.raised == {"USD": 12345, "CAD": 500, "JPY": 150000}
    client = login_as(world.users["admin"])
    rows = csv_rows(client.get("/impact?from=2024-04-01&to=2025-03-31&csv=totals"))
    raised = {row[2]: row[1] for row in rows if row[0] == "Money raised"}
    assert raised == {"CAD": "5.00", "JPY": "150000", "USD": "123.45"}
    page = client.get("/impact?from=2024-04-01&to=2025-03-31").get_data(as_text=True)
    assert "$123.45" in page
    assert "¥150,000" in page
    assert "CA$5.00" in page
    branches = csv_rows(client.get("/report/2024.csv"))
    assert branches[0][-3:] == ["Money raised (CAD)", "Money raised (JPY)", "Money raised (USD)"]
    home = next(row for row in branches if row[0] == "JETAA Home")
    assert home[-3:] == ["5.00", "0", "123.45"]


def test_volunteer_time_is_valued_at_the_host_countrys_rate(world, db, make_branch, login_as):
    db.add(VolunteerRate(country="US", currency="USD", hourly_rate=3379, year=2024,
                         source="Independent Sector", source_url="https://example.org/rate"))
    db.commit()
    london = make_branch(name="JETAA London", country="GB", country_name="United Kingdom",
                         grouping="JETAA UK")
    log(db, world.branch, volunteer_tenths=25)  # 2.5 hours
    log(db, world.other_branch, volunteer_tenths=100, cohosts=[london])  # 10 hours, host in US
    log(db, london, volunteer_tenths=40)  # 4 hours, no rate for GB
    value = figures.volunteer_value(Scope.federation(), FY2024)
    by_country = {c.country: (c.hours, c.value) for c in value.countries}
    assert by_country == {"GB": (4, None), "US": (12.5, 42238)}  # 12.5 h x $33.79 = $422.375
    assert value.totals == {"USD": 42238}
    assert [c.country for c in value.without_rate] == ["GB"]
    client = login_as(world.users["admin"])
    page = client.get("/impact?from=2024-04-01&to=2025-03-31").get_data(as_text=True)
    assert "$422.38" in page
    assert 'href="https://example.org/rate"' in page
    assert "Independent Sector" in page
    assert "This country has no volunteer rate." in page
    rows = csv_rows(client.get("/impact?from=2024-04-01&to=2025-03-31&csv=volunteer_value"))
    assert rows[1:] == [
        ["United Kingdom", "4", "", "", "", "No rate", "", ""],
        ["United States", "12.5", "USD", "33.79", "2024", "Independent Sector",
         "https://example.org/rate", "422.38"],
    ]


# The branch's annual report -----------------------------------------------------------

def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def test_members_at_the_start_and_end_of_the_year(world, db, make_user):
    branch = world.branch  # the world has a member and an officer approved now, and one pending
    db.execute(sa.update(Membership).values(created_at=_at(date(2020, 1, 1)),
                                            decided_at=_at(date(2020, 1, 2))))
    early, late, lapsed, gone = (make_user() for _ in range(4))
    rows = [(early, "approved", date(2023, 1, 1), None),
            (late, "approved", date(2024, 1, 1), date(2024, 9, 1)),  # approved mid-year
            (lapsed, "lapsed", date(2022, 1, 1), date(2024, 10, 1)),  # lapsed mid-year
            (gone, "lapsed", date(2021, 1, 1), date(2023, 1, 1))]  # lapsed before the year
    for user, status, created, decided in rows:
        db.add(Membership(user_id=user.id, branch_id=branch.id, status=status,
                          created_at=_at(created), decided_at=decided and _at(decided)))
    db.commit()
    start, end = reports.members_at(branch, [date(2024, 4, 1), date(2025, 3, 31)])
    assert start == 2 + 1 + 1  # member, officer, early; lapsed still in
    assert end == 2 + 1 + 1  # member, officer, early, late


def test_branch_report_page(app, world, db, login_as):
    taiko = log(db, world.branch, title="Taiko workshop", partners=["City Library", "Hana School"],
                city="Springfield", money_raised=2500)
    log(db, world.other_branch, title="Joint festival", cohosts=[world.branch],
        partners=["city library"], category=Category.FESTIVALS)
    log(db, world.branch, title="Not yet verified", status="submitted")
    add_photo(db, taiko, caption="Drums on stage")
    add_photo(db, taiko, in_report=False, caption="Left out")
    page = login_as(world.users["member"]).get("/branches/home/report/2024").get_data(as_text=True)
    assert "Annual report" in page
    assert "Fiscal year 2024 (1 Apr 2024 to 31 Mar 2025)" in page
    assert "Taiko workshop" in page
    assert "Joint festival" in page
    assert "co-hosted with JETAA Away" in page
    assert "Not yet verified" not in page
    assert "with City Library, Hana School" in page
    assert "City Library <span class=\"muted\">· 2 activities</span>" in page
    assert "Members on Mon 1 Apr 2024" in page
    assert "approximate" in page
    assert "$25.00" in page
    assert "Left out" not in page
    if "activities.photo" in app.view_functions:
        assert "Drums on stage" in page
        assert f'/activities/{taiko.id}/photos/' in page
    else:  # the photos' route is not there: the report still renders, without them
        assert "Drums on stage" not in page
    assert 'media="print"' in page
    assert "print.css" in page
    assert " style=" not in page  # the CSP forbids inline styles


def test_branch_report_csv(world, db, login_as):
    log(db, world.branch, title="=HYPERLINK(1)", partners=["Hana School", "City Library"],
        volunteer_tenths=15, money_raised=995, funding_source=FundingSource.MISSION)
    rows = csv_rows(login_as(world.users["member"]).get("/branches/home/report/2024.csv"))
    assert rows[0][:4] == ["Starts", "Ends", "Title", "Category"]
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Title"] == "'=HYPERLINK(1)"  # never run as a formula
    assert line["Volunteer hours"] == "1.5"
    assert line["Money raised"] == "9.95"
    assert line["Funding source"] == "The Japanese mission"
    assert line["Partner organisations"] == "City Library; Hana School"
    assert line["Host branch"] == "JETAA Home"


def test_grant_report_groups_funded_activities_with_receipts(world, db, login_as):
    clair = log(db, world.branch, title="Speech contest", funding_source=FundingSource.CLAIR,
                money_spent=30000)
    log(db, world.branch, title="Film night", funding_source=FundingSource.CLAIR, money_spent=5000)
    log(db, world.branch, title="Bake sale", funding_source=FundingSource.OWN_FUNDS,
        money_spent=1200, money_raised=8000)
    log(db, world.branch, title="Picnic")  # no funding source
    log(db, world.branch, title="Draft grant", status="draft", funding_source=FundingSource.CLAIR)
    add_receipt(db, clair, "venue-invoice.pdf")
    add_receipt(db, clair, "printing.pdf")
    report = reports.grant_report(Scope.branch(world.branch), FY2024)
    assert [(g.source, g.figures.activities, g.figures.spent) for g in report.groups] == [
        (FundingSource.CLAIR, 2, {"USD": 35000}), (FundingSource.OWN_FUNDS, 1, {"USD": 1200})]
    assert report.unfunded == 1
    client = login_as(world.users["officer"])
    page = client.get("/branches/home/report/2024/grant").get_data(as_text=True)
    assert "CLAIR Grant-in-Aid" in page
    assert page.index("Speech contest") < page.index("Bake sale")
    assert "venue-invoice.pdf" in page
    assert "$350.00" in page
    assert "Picnic" not in page
    assert "Draft grant" not in page
    assert "1 other verified activity has no funding source recorded" in page
    rows = csv_rows(client.get("/branches/home/report/2024/grant.csv"))
    assert rows[0][-1] == "Receipts"
    speech = next(row for row in rows if row[2] == "Speech contest")
    assert speech[-1] == "venue-invoice.pdf; printing.pdf"
    assert speech[rows[0].index("Money spent")] == "300.00"


def test_federation_report_by_branch_and_by_country(world, db, make_branch, login_as):
    london = make_branch(name="JETAA London", country="GB", country_name="United Kingdom",
                         grouping="JETAA UK")
    log(db, world.branch, people_reached=10, cohosts=[london])
    log(db, london, people_reached=20, currency="GBP", money_raised=1000)
    page = login_as(world.users["admin"]).get("/report/2024").get_data(as_text=True)
    assert "By branch" in page
    assert "By country" in page
    assert "United Kingdom" in page
    assert "£10.00" in page
    rows = csv_rows(login_as(world.users["admin"]).get("/report/2024.csv"))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["JETAA London"][3:5] == ["2", "30"]  # its own and the co-hosted one
    assert by_name["JETAA Home"][3:5] == ["1", "10"]
    countries = {c.country: c.figures.people for c in figures.by_country(Scope.federation(), FY2024)}
    assert countries == {"US": 10, "GB": 20}


def test_reports_in_japanese(world, db, login_as):
    log(db, world.branch, title="Taiko workshop", money_raised=2500)
    client = login_as(world.users["admin"])
    client.post("/language", data={"language": "ja"})
    page = client.get("/branches/home/report/2024").get_data(as_text=True)
    assert '<html lang="ja">' in page
    assert "2024年4月1日" in page  # dates written the Japanese way
    assert "カテゴリー" in page  # "Category", already in the catalogue
    assert "Taiko workshop" in page
    federation = client.get("/report/2024").get_data(as_text=True)
    assert "支部" in federation  # "Branch"
    dashboard = client.get("/impact?from=2024-04-01&to=2025-03-31").get_data(as_text=True)
    assert '<html lang="ja">' in dashboard
    assert "2024年6月" in dashboard  # the month of the activity, in the table by month
    bad = client.get("/impact?from=nope")
    assert bad.status_code == 400


# Speed ----------------------------------------------------------------------------------

PAGES = ["/impact?from=2024-04-01&to=2025-03-31", "/impact?grouping=JETAA%20USA",
         "/impact?csv=branches&from=2024-04-01&to=2025-03-31", "/branches/home/impact",
         "/missions/cg-test/impact", "/branches/home/report/2024", "/branches/home/report/2024.csv",
         "/branches/home/report/2024/grant", "/branches/home/report/2024/grant.csv",
         "/report/2024", "/report/2024.csv"]


def _populate(db, branches, count: int) -> None:  # noqa: ANN001
    categories = list(Category)
    for i in range(count):
        host = branches[i % len(branches)]
        others = [b for b in branches if b.id != host.id][: i % 2]
        activity = log(db, host, on=date(2024, 4 + i % 9, 1 + i % 27), cohosts=others,
                       category=categories[i % len(categories)], partners=[f"Partner {i % 7}"],
                       currency=("USD", "CAD", "JPY")[i % 3], money_raised=100 * i,
                       funding_source=list(FundingSource)[i % 4])
        add_photo(db, activity)
        add_receipt(db, activity, f"receipt-{i}.pdf")


def _counts(world, login_as, count_queries) -> dict[str, int]:  # noqa: ANN001
    client = login_as(world.users["admin"])
    result = {}
    for url in PAGES:
        with count_queries() as statements:
            assert client.get(url).status_code == 200, url
        result[url] = len(statements)
    return result


def test_query_counts_do_not_grow_with_activities_or_branches(world, db, login_as, make_branch,
                                                               count_queries):
    db.add(VolunteerRate(country="US", currency="USD", hourly_rate=3000, year=2024, source="x"))
    db.commit()
    _populate(db, [world.branch, world.other_branch], 3)
    small = _counts(world, login_as, count_queries)
    more = [make_branch(mission_id=world.mission.id) for _ in range(8)]
    _populate(db, [world.branch, world.other_branch, *more], 30)
    large = _counts(world, login_as, count_queries)
    assert figures.totals(Scope.federation(), FY2024).activities == 33
    assert large == small
    assert max(small.values()) <= 12, small
