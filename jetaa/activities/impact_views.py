"""Impact dashboards (federation, grouping, mission, branch) and the annual reports, as
pages and CSV. Every figure comes from `reports` (aggregated in the database)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from jetaa.activities import charts, figures, periods, reports
from jetaa.activities.figures import Scope
from jetaa.activities.periods import BadPeriod, Period
from jetaa.activities.permissions import (
    can_see_branch_impact,
    can_see_federation_impact,
    can_see_grant_report,
    can_see_mission_impact,
)
from jetaa.activities.services import major_units
from jetaa.branches.permissions import get_branch_or_404
from jetaa.core.spreadsheets import csv_response
from jetaa.core.templating import decimal, money
from jetaa.missions.permissions import get_mission_or_404
from jetaa.permissions import admin_required, require

bp = Blueprint("impact", __name__)


# What the templates use ---------------------------------------------------------

def hours(value: Decimal) -> str:
    return decimal(value, "#,##0.#")


def number(value: int) -> str:
    return decimal(value, "#,##0")


def figure_cells(f: figures.Figures) -> Markup:
    """The figures of one row of a table: activities, people, volunteer hours, members."""
    # f-strings of escaped values: Markup.format() goes through string.Formatter, ~20 µs.
    return Markup(  # noqa: S704 (every value is escaped)
        f'<td class="num">{escape(number(f.activities))}</td>'
        f'<td class="num">{escape(number(f.people))}</td>'
        f'<td class="num">{escape(hours(f.hours))}</td>'
        f'<td class="num hide-narrow">{escape(number(f.members))}</td>')


def amounts(by_currency: dict[str, int]) -> Markup:
    """Amounts by currency, one a line (a dash for none)."""
    if not by_currency:
        return Markup("–")
    return Markup("<br>".join(  # noqa: S704 (every value is escaped)
        f'<span class="amount">{escape(money(minor, currency))}</span>'
        for currency, minor in sorted(by_currency.items(), key=lambda item: item[0].lower())))


def currencies_of(figures: figures.Figures, volunteer_totals: dict[str, int]) -> list[str]:
    """The currencies a money table has a row for."""
    return sorted({*figures.raised, *figures.spent, *volunteer_totals})


# The dashboards' query string: their CSV links keep these, nothing made up.
DASHBOARD_ARGS = ("from", "to", "grouping")


def csv_url(name: str) -> str:
    """This dashboard's address with its period (and grouping), asking for one table as CSV."""
    args = {k: request.args[k] for k in DASHBOARD_ARGS if request.args.get(k)}
    return url_for(request.endpoint, **{**args, **request.view_args, "csv": name})


@bp.context_processor
def impact_helpers() -> dict[str, Any]:
    return {"hours": hours, "number": number,
            "currencies_of": currencies_of, "csv_url": csv_url, "charts": _charts,
            "can_see_grant_report": can_see_grant_report,
            "can_see_branch_impact": can_see_branch_impact, "today": periods.japan_today()}


def _charts(data: reports.Dashboard) -> dict[str, Any]:
    categories = [charts.Bar(r.category.label, r.figures.activities, number(r.figures.activities))
                  for r in data.categories]
    months = [charts.Bar(r.short_label, r.figures.activities, number(r.figures.activities))
              for r in data.months]
    partners = [charts.Bar(p.name, p.activities, number(p.activities)) for p in data.partners]
    return {"by_category": charts.bar_chart(categories), "by_month": charts.column_chart(months),
            "partners": charts.bar_chart(partners)}


# Periods and CSV ----------------------------------------------------------------

def _dashboard_period() -> Period:
    try:
        return periods.parse_period(request.args.get("from"), request.args.get("to"))
    except BadPeriod as error:
        abort(400, description=str(error))


def _report_period(year: int) -> Period:
    if year not in periods.REPORT_YEARS:
        abort(404)
    try:
        return periods.report_period(year, request.args.get("basis"))
    except BadPeriod as error:
        abort(400, description=str(error))


def _csv(filename: str, header: list[str], rows: Iterable[Iterable[Any]]) -> Response:
    # The shared writer: every cell guarded; a grouping named in Japanese becomes dashes.
    return csv_response(filename, header, rows)


def _figure_header() -> list[str]:
    return [_("Activities"), _("People reached"), _("Volunteer hours"), _("Members involved")]


def _figure_cells(f: figures.Figures) -> list[Any]:
    return [f.activities, f.people, f.hours, f.members]


def _currencies(rows: Iterable[Any]) -> list[str]:
    return sorted({c for r in rows for c in r.figures.raised})


def _branch_table(rows: list[figures.BranchRow]) -> tuple[list[str], list[list[Any]]]:
    currencies = _currencies(rows)
    header = [_("Branch"), _("Country"), _("Regional grouping"), *_figure_header(),
              *(_("Money raised (%(currency)s)", currency=c) for c in currencies)]
    body = [[b.name, b.country, b.grouping, *_figure_cells(b.figures),
             *(major_units(b.figures.raised.get(c, 0), c) for c in currencies)] for b in rows]
    return header, body


def _totals_table(data: reports.Dashboard) -> tuple[list[str], list[list[Any]]]:
    t = data.totals
    rows = [[label, value, ""] for label, value in zip(_figure_header(), _figure_cells(t), strict=True)]
    rows += [[_("Money raised"), major_units(v, c), c] for c, v in sorted(t.raised.items())]
    rows += [[_("Money spent"), major_units(v, c), c] for c, v in sorted(t.spent.items())]
    rows += [[_("Value of volunteer time"), major_units(v, c), c]
             for c, v in sorted(data.volunteer.totals.items())]
    return [_("Figure"), _("Value"), _("Currency")], rows


def _volunteer_table(value: figures.VolunteerValue) -> tuple[list[str], list[list[Any]]]:
    header = [_("Country"), _("Volunteer hours"), _("Currency"), _("Hourly rate"), _("Rate year"),
              _("Source"), _("Source address"), _("Value")]
    rows = []
    for c in value.countries:
        r = c.rate
        rows.append([c.country_name, c.hours, *(
            (r.currency, major_units(r.hourly_rate, r.currency), r.year, r.source, r.source_url,
             major_units(c.value, r.currency)) if r else ("", "", "", _("No rate"), "", ""))])
    return header, rows


DASHBOARD_TABLES: dict[str, Callable[[reports.Dashboard], tuple[list[str], list[list[Any]]]]] = {
    "totals": _totals_table,
    "by_category": lambda d: ([_("Category"), *_figure_header()],
                              [[r.category.label, *_figure_cells(r.figures)] for r in d.categories]),
    "by_month": lambda d: ([_("Period"), *_figure_header()],
                           [[r.first_day.strftime("%Y" if r.by_year else "%Y-%m"),
                             *_figure_cells(r.figures)] for r in d.months]),
    "partners": lambda d: ([_("Partner organisation"), _("Activities")],
                           [[p.name, p.activities] for p in d.partners]),
    "volunteer_value": lambda d: _volunteer_table(d.volunteer),
    "branches": lambda d: _branch_table(d.branches or []),
}


def _line_cells(line: reports.ActivityLine) -> list[Any]:
    return [line.starts_on.isoformat(), line.ends_on.isoformat(), line.title, line.category.label,
            line.host_name, line.city, line.country, _("yes") if line.is_online else "",
            *(line.people, line.hours, line.members), line.currency,
            major_units(line.raised, line.currency), major_units(line.spent, line.currency),
            line.funding_source.label if line.funding_source else "", "; ".join(line.partners)]


def _line_header() -> list[str]:
    return [_("Starts"), _("Ends"), _("Title"), _("Category"), _("Host branch"), _("City"),
            _("Country"), _("Online"), _("People reached"), _("Volunteer hours"),
            _("Members involved"), _("Currency"), _("Money raised"), _("Money spent"),
            _("Funding source"), _("Partner organisations")]


# Dashboards -------------------------------------------------------------------

def _dashboard(scope: Scope, period: Period, *, name: str, compare: bool, **context: Any) -> Any:
    data = reports.dashboard(scope, period, compare_branches=compare)
    table = request.args.get("csv")
    if table is not None:
        if table not in DASHBOARD_TABLES or (table == "branches" and not compare):
            abort(404)
        return _csv(f"impact-{name}-{period.slug}-{table}", *DASHBOARD_TABLES[table](data))
    return render_template("activities/impact.html", data=data, period=period,
                           fiscal_year=periods.current_fiscal_year(period.start), **context)


@bp.route("/impact")
@login_required
def federation() -> Any:
    """The federation's dashboard, or one regional grouping's (`?grouping=`)."""
    require(can_see_federation_impact(current_user))
    period = _dashboard_period()
    groupings = reports.groupings()
    grouping = request.args.get("grouping") or None
    if grouping is not None and grouping not in groupings:
        abort(400, description=_("There is no regional grouping called %(name)s.", name=grouping))
    scope = Scope.grouping(grouping) if grouping else Scope.federation()
    name = "federation" if grouping is None else grouping.lower().replace(" ", "-")
    return _dashboard(scope, period, name="".join(c for c in name if c.isalnum() or c == "-"),
                      compare=True, kind="federation", groupings=groupings, grouping=grouping)


@bp.route("/branches/<slug>/impact")
@login_required
def branch(slug: str) -> Any:
    """A branch's dashboard: what it hosted or co-hosted."""
    branch = get_branch_or_404(slug, require=can_see_branch_impact)
    return _dashboard(Scope.branch(branch), _dashboard_period(), name=branch.slug, compare=False,
                      kind="branch", branch=branch)


@bp.route("/missions/<slug>/impact")
@login_required
def mission(slug: str) -> Any:
    """A mission's dashboard: the branches in its jurisdiction."""
    mission = get_mission_or_404(slug)
    require(can_see_mission_impact(current_user, mission))
    return _dashboard(Scope.mission(mission), _dashboard_period(), name=mission.slug,
                      compare=True, kind="mission", mission=mission)


# Annual reports -----------------------------------------------------------------

@bp.route("/branches/<slug>/report/<int:year>")
@login_required
def branch_report(slug: str, year: int) -> str:
    """A branch's annual report, printable: its activities, figures, members and photos."""
    period = _report_period(year)
    branch = get_branch_or_404(slug, require=can_see_branch_impact)
    report = reports.branch_report(branch, period)
    return render_template("activities/report.html", branch=branch, period=period, report=report)


@bp.route("/branches/<slug>/report/<int:year>.csv")
@login_required
def branch_report_csv(slug: str, year: int) -> Response:
    period = _report_period(year)
    branch = get_branch_or_404(slug, require=can_see_branch_impact)
    lines = reports.activity_lines(figures.counted(Scope.branch(branch), period))
    return _csv(f"report-{branch.slug}-{period.basis}-{year}", _line_header(),
                (_line_cells(line) for line in lines))


def _grant_report(slug: str, year: int) -> tuple[Any, Period, reports.GrantReport]:
    period = _report_period(year)
    branch = get_branch_or_404(slug, require=can_see_grant_report)
    return branch, period, reports.grant_report(Scope.branch(branch), period)


@bp.route("/branches/<slug>/report/<int:year>/grant")
@login_required
def grant_report(slug: str, year: int) -> str:
    """The Grant-in-Aid spending and activity summary: per funding source, with receipts."""
    branch, period, report = _grant_report(slug, year)
    return render_template("activities/report_grant.html", branch=branch, period=period,
                           report=report)


@bp.route("/branches/<slug>/report/<int:year>/grant.csv")
@login_required
def grant_report_csv(slug: str, year: int) -> Response:
    branch, period, report = _grant_report(slug, year)
    rows = ([*_line_cells(line), "; ".join(name for _id, name in line.receipts)]
            for group in report.groups for line in group.lines)
    return _csv(f"grant-{branch.slug}-{period.basis}-{year}", [*_line_header(), _("Receipts")], rows)


@bp.route("/report/<int:year>")
@admin_required
def federation_report(year: int) -> str:
    """The federation's annual report, by branch and by country (admins)."""
    period = _report_period(year)
    return render_template("activities/report_federation.html", period=period,
                           report=reports.federation_report(period))


@bp.route("/report/<int:year>.csv")
@admin_required
def federation_report_csv(year: int) -> Response:
    period = _report_period(year)
    header, rows = _branch_table(figures.by_branch(Scope.federation(), period))
    return _csv(f"report-federation-{period.basis}-{year}", header, rows)
