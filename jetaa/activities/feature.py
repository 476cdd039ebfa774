"""Grassroots activities as the app sees them: the logs, review, dashboards and reports."""

from flask import Flask

from jetaa.activities import uploads
from jetaa.activities.models import (
    Activity,
    ActivityMember,
    ActivityPartner,
    ActivityPhoto,
    ActivityReceipt,
    VolunteerRate,
)
from jetaa.core import generations


def init_app(app: Flask) -> None:
    uploads.listen()
    # No cached page part shows activities: every log, dashboard and report is computed
    # per request (aggregated in the database).
    generations.unseen(Activity, ActivityMember, ActivityPartner, ActivityPhoto,
                       ActivityReceipt, VolunteerRate)
