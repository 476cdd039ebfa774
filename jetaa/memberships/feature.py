"""Memberships as the app sees them: joining, applications, the officers' roster."""

from flask import Flask

from jetaa.memberships.permissions import can_join_branch
from jetaa.memberships.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(can_join_branch)
    # Memberships are watched by the members feature (the directory shows who is where).
