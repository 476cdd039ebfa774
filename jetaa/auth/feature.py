"""Accounts as the app sees them: sign-up, sign-in, the account pages."""

from flask import Flask

from jetaa.auth.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    # Users are watched by the members feature (the directory shows their names).
    # Who is signed in where, and the reset links: no cached page shows them.
