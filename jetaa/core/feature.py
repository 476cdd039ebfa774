"""The core pages (home, about, health, language) as the app sees them."""

from flask import Flask

from jetaa.core import generations
from jetaa.core.generations import Generation
from jetaa.core.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    generations.unseen(Generation)
