"""The personal home as the app sees it: its blueprint (core's / calls personal_home)."""

from flask import Flask

from jetaa.home import views


def init_app(app: Flask) -> None:
    app.register_blueprint(views.bp)
