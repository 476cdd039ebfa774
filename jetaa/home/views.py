"""The personal home (at /, signed in) and "My events"."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from jetaa.events.feed_tokens import private_feed_of
from jetaa.home import queries

bp = Blueprint("home", __name__)


def personal_home() -> str:
    """What is mine: my events, my branches' news, and what waits for my answer."""
    user = current_user
    return render_template(
        "home/index.html",
        rsvps=queries.my_rsvps(user), deadlines=queries.deadlines(user),
        invitations=queries.volunteer_invitations(user),
        branch_events=queries.branch_events(user),
        activities=queries.branch_activities(user),
        announcements=queries.announcements(user),
        officer_queue=queries.officer_queue(user),
        mission_requests=queries.mission_requests(user))


@bp.route("/my/events")
@login_required
def my_events() -> str:
    """My answers to events, upcoming and past (with attendance), and my calendar feed."""
    return render_template("home/my_events.html", upcoming=queries.my_rsvps(current_user),
                           past=queries.my_rsvps(current_user, past=True,
                                                 limit=queries.PAST_SHOWN),
                           feed=private_feed_of(current_user))
