"""Grassroots activities as the app sees them: the logs, review, dashboards and reports."""

from flask import Flask

from jetaa.activities import impact_views, rate_views, rollups, services, views
from jetaa.activities.commands import load_volunteer_rates, rebuild_activity_figures
from jetaa.activities.demo import make_activities, sum_up_activities
from jetaa.activities.permissions import (
    can_log_activity,
    can_review_branch,
    can_see_branch_impact,
    can_see_federation_impact,
    can_see_mission_impact,
)
from jetaa.core import files
from jetaa.demo.core import add_step


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(rate_views.bp)
    app.register_blueprint(impact_views.bp)
    for question in (can_see_federation_impact, can_see_branch_impact, can_see_mission_impact,
                     can_log_activity, can_review_branch):
        app.add_template_global(question)
    app.add_template_global(services.version_of, "activity_version")
    app.add_template_global(impact_views.figure_cells)  # a table calls them for every row
    app.add_template_global(impact_views.amounts)
    files.listen()
    rollups.listen()
    # No cached page part shows activities: every log, dashboard and report is computed
    # per request (aggregated in the database).
    app.cli.add_command(load_volunteer_rates)
    app.cli.add_command(rebuild_activity_figures)
    add_step(app, make_activities)
    add_step(app, sum_up_activities, last=True)
