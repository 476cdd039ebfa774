"""Japan's missions as the app sees them: their public pages."""

from flask import Flask

from jetaa.missions.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # Missions and their staff are watched by the events feature (mission events).
