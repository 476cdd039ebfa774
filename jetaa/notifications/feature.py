"""Notification settings as the app sees them: the page; nothing cached shows them."""

from flask import Flask

from jetaa.notifications import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
