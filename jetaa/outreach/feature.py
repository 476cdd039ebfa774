"""Recruitment outreach as the app sees it: the board, requests, mission dashboards, reminders."""

from flask import Flask

from jetaa.demo.core import add_step
from jetaa.outreach import geo, mission_views, views
from jetaa.outreach.commands import outreach_reminders
from jetaa.outreach.demo import make_outreach
from jetaa.outreach.models import (
    RequestStatus,
)
from jetaa.outreach.permissions import (
    can_decide_offer,
    can_manage_mission,
    can_manage_request,
    is_own_offer,
)
from jetaa.outreach.queries import shown_hours


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.register_blueprint(mission_views.bp)
    for question in (can_manage_mission, can_manage_request, can_decide_offer, is_own_offer):
        app.add_template_global(question)
    app.add_template_global(shown_hours, "volunteer_hours_shown")
    app.add_template_filter(RequestStatus, "outreach_status")
    geo.listen()
    # No cached page part shows outreach: the board, requests and dashboards are computed
    # per request.
    app.cli.add_command(outreach_reminders)
    add_step(app, make_outreach)
