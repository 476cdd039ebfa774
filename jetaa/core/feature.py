"""The core pages (home, about, health, language) as the app sees them."""

from flask import Flask

from jetaa.core.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
