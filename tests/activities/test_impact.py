"""The impact dashboards as pages: charts with their tables and CSV, the period and
grouping choices, what each scope shows."""

from __future__ import annotations

import re
from datetime import date

from jetaa.activities import charts
from jetaa.activities.models import Category
from tests.activities.test_reports import csv_rows, log

FY = "from=2024-04-01&to=2025-03-31"


def test_dashboard_shows_totals_charts_tables_and_csv_links(world, db, login_as):
    log(db, world.branch, category=Category.SCHOOLS, people_reached=120, partners=["Hana School"])
    log(db, world.branch, category=Category.SCHOOLS, on=date(2024, 7, 3), people_reached=30)
    log(db, world.other_branch, category=Category.LANGUAGE, people_reached=5)
    page = login_as(world.users["member"]).get(f"/impact?{FY}").get_data(as_text=True)
    assert "Impact of the federation" in page
    assert "Fiscal year 2024 (1 Apr 2024 to 31 Mar 2025)" in page
    assert "<strong>3</strong> verified activities" in page
    assert "<strong>155</strong> people reached" in page
    # Three charts, drawn on the server and hidden from screen readers, each with a table.
    assert page.count('<svg class="chart') == 3
    assert page.count('aria-hidden="true"') >= 3
    assert "<caption" in page
    assert "School and university visits" in page
    for name in ("by_category", "by_month", "partners", "volunteer_value", "branches", "totals"):
        assert f"csv={name}" in page, name
    # The CSV links keep the period.
    assert re.search(r'href="/impact\?from=2024-04-01&amp;to=2025-03-31&amp;csv=by_category"', page)
    # The site's CSP allows no inline style or script.
    assert " style=" not in page
    assert "<script>" not in page
    assert "impact.css" in page


def test_chart_csvs_hold_the_charts_data(world, db, login_as):
    log(db, world.branch, category=Category.SCHOOLS, people_reached=120, volunteer_tenths=15,
        partners=["Hana School", "City Library"])
    log(db, world.branch, category=Category.SCHOOLS, on=date(2024, 7, 3), partners=["hana school"])
    log(db, world.other_branch, category=Category.LANGUAGE, on=date(2025, 3, 31))
    client = login_as(world.users["member"])
    categories = csv_rows(client.get(f"/impact?{FY}&csv=by_category"))
    assert categories[0] == ["Category", "Activities", "People reached", "Volunteer hours",
                             "Members involved"]
    assert categories[1:] == [["School and university visits", "2", "130", "4", "4"],
                              ["Japanese language", "1", "10", "2.5", "2"]]
    months = csv_rows(client.get(f"/impact?{FY}&csv=by_month"))
    assert [row[0] for row in months[1:]] == [f"{y}-{m:02}" for y, m in
                                              [(2024, m) for m in range(4, 13)]
                                              + [(2025, m) for m in range(1, 4)]]
    assert {row[0]: row[1] for row in months[1:]} | {} == {
        **{row[0]: "0" for row in months[1:]}, "2024-06": "1", "2024-07": "1", "2025-03": "1"}
    partners = csv_rows(client.get(f"/impact?{FY}&csv=partners"))
    assert partners[1:] == [["Hana School", "2"], ["City Library", "1"]]
    branches = csv_rows(client.get(f"/impact?{FY}&csv=branches"))
    assert [row[:4] for row in branches[1:]] == [["JETAA Home", "US", "JETAA USA", "2"],
                                                  ["JETAA Away", "US", "JETAA USA", "1"]]
    disposition = client.get(f"/impact?{FY}&csv=partners").headers["Content-Disposition"]
    assert disposition == 'attachment; filename="impact-federation-2024-04-01_2025-03-31-partners.csv"'


def test_grouping_dashboard(world, db, make_branch, login_as):
    toronto = make_branch(name="JETAA Toronto", grouping="JETAA Canada", country="CA",
                          country_name="Canada")
    log(db, toronto, title="Hockey and mochi", people_reached=77, currency="CAD", money_raised=990)
    log(db, world.branch, people_reached=1)
    client = login_as(world.users["member"])
    page = client.get(f"/impact?{FY}&grouping=JETAA%20Canada").get_data(as_text=True)
    assert "Impact of JETAA Canada" in page
    assert "<strong>77</strong> people reached" in page
    assert "JETAA Toronto" in page
    assert "JETAA Home" not in page
    assert "CA$9.90" in page
    assert '<option value="JETAA Canada" selected>' in page
    rows = csv_rows(client.get(f"/impact?{FY}&grouping=JETAA%20Canada&csv=branches"))
    assert [row[0] for row in rows[1:]] == ["JETAA Toronto"]
    bad = client.get("/impact?grouping=JETAA%20Atlantis")
    assert bad.status_code == 400
    assert "There is no regional grouping called JETAA Atlantis." in bad.get_data(as_text=True)


def test_mission_dashboard_compares_the_branches_of_its_jurisdiction(world, db, login_as):
    log(db, world.branch, people_reached=8)
    log(db, world.other_branch, title="Elsewhere", people_reached=500)
    page = login_as(world.users["mission"]).get(f"/missions/cg-test/impact?{FY}").get_data(
        as_text=True)
    assert "Impact in the jurisdiction of" in page
    assert "<strong>8</strong> people reached" in page
    assert "Branches compared" in page
    assert "JETAA Home" in page
    assert "JETAA Away" not in page


def test_branch_dashboard_counts_what_it_cohosted_and_links_its_reports(world, db, login_as):
    log(db, world.other_branch, cohosts=[world.branch], people_reached=40)
    log(db, world.other_branch, people_reached=1000)
    officer = login_as(world.users["officer"])
    page = officer.get(f"/branches/home/impact?{FY}").get_data(as_text=True)
    assert "Impact of JETAA Home" in page
    assert "<strong>40</strong> people reached" in page
    assert "Branches compared" not in page  # one branch: nothing to compare
    assert 'href="/branches/home/report/2024"' in page
    assert 'href="/branches/home/report/2024/grant"' in page
    member = login_as(world.users["member"]).get(f"/branches/home/impact?{FY}").get_data(as_text=True)
    assert 'href="/branches/home/report/2024"' in member
    assert "/grant" not in member  # the spending summary is for officers


def test_empty_period_says_so(world, login_as):
    page = login_as(world.users["member"]).get("/impact?from=1990-01-01&to=1990-12-31").get_data(
        as_text=True)
    assert "No verified activities in this period yet." in page
    assert "<svg" not in page


def test_names_are_escaped_in_charts_and_tables(world, db, login_as):
    log(db, world.branch, partners=['<script>alert("x")</script>'])
    page = login_as(world.users["member"]).get(f"/impact?{FY}").get_data(as_text=True)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_bar_chart_scales_to_the_largest_value():
    svg = str(charts.bar_chart([charts.Bar("A & B", 10, "10"), charts.Bar("C", 5, "5"),
                                charts.Bar("D", 0, "0")]))
    assert svg.startswith('<svg class="chart chart-bars" width="100%" height="104" aria-hidden="true"')
    assert 'width="80%"' in svg  # the largest bar
    assert 'width="40%"' in svg
    assert 'width="0%"' in svg
    assert "A &amp; B" in svg
    assert "style=" not in svg


def test_column_chart_labels_long_periods_sparsely():
    bars = [charts.Bar(str(i), i, str(i)) for i in range(36)]
    svg = str(charts.column_chart(bars))
    assert svg.count('class="chart-label"') == 12  # every third of 36 months
    assert 'class="chart-value"' not in svg  # too many columns to write their values
    assert svg.count('class="chart-bar"') == 35  # the empty month draws no column
    few = str(charts.column_chart([charts.Bar("Apr", 3, "3"), charts.Bar("May", 0, "0")]))
    assert few.count('class="chart-value"') == 1


def test_made_up_query_parameters_are_left_out_of_the_links(world, login_as):
    client = login_as(world.users["member"])
    for query in ("slug=x", "_scheme=http", "_external=1", "csv_extra=1"):
        response = client.get(f"/branches/home/impact?{FY}&{query}")
        assert response.status_code == 200, query
        main = response.get_data(as_text=True).split("<main")[1].split("<footer")[0]
        assert query.split("=")[0] + "=" not in main
