"""Announcements as the app sees them: the blueprint, the commands, the branch page's list."""

from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask_login import current_user

from jetaa.announcements import views
from jetaa.announcements.commands import send_announcements, send_digests
from jetaa.announcements.demo import make_announcements
from jetaa.announcements.models import Announcement, AnnouncementStatus
from jetaa.announcements.permissions import can_write_announcements, visible_clause
from jetaa.demo.core import add_step
from jetaa.extensions import db

ON_BRANCH_PAGE = 5


def latest_announcements(branch: Any) -> list[Announcement]:
    """The branch page's archive: the latest the viewer may read (sent ones only)."""
    return list(db.session.scalars(
        sa.select(Announcement).where(Announcement.branch_id == branch.id,
                                      visible_clause(current_user, branch),
                                      Announcement.status.in_((AnnouncementStatus.SENDING,
                                                               AnnouncementStatus.SENT)))
        .order_by(Announcement.send_at.desc()).limit(ON_BRANCH_PAGE)))


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
    app.add_template_global(latest_announcements)
    app.add_template_global(can_write_announcements)
    app.cli.add_command(send_announcements)
    app.cli.add_command(send_digests)
    # The branch page lists them, but it is not cached; nothing cached shows them.
    add_step(app, make_announcements)
