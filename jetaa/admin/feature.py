"""The federation admins' pages and commands."""

from flask import Flask

from jetaa.admin import user_views
from jetaa.admin.commands import create_admin
from jetaa.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(user_views.bp)
    app.cli.add_command(create_admin)
