"""The federation admins' pages and commands."""

from flask import Flask

from jetaa.admin.commands import create_admin
from jetaa.admin.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.cli.add_command(create_admin)
