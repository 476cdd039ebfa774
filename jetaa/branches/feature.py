"""Branches as the app sees them: their pages and who may manage them."""

from flask import Flask

from jetaa.branches.permissions import can_manage_branch
from jetaa.branches.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(can_manage_branch)
    # Branches are watched by the members and events features (both show branch names).
