"""Reference data (prefectures, missions, branches from jetaa/data/) as the app sees it."""

from flask import Flask

from jetaa.reference.commands import load_branches


def init_app(app: Flask) -> None:
    app.cli.add_command(load_branches)
    # Prefectures are watched by the members feature (directory filters and cards).
