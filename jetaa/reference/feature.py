"""Reference data (prefectures, missions, branches from jetaa/data/) as the app sees it."""

from flask import Flask

from jetaa.core import generations
from jetaa.reference.commands import load_branches
from jetaa.reference.models import RecruitmentDate


def init_app(app: Flask) -> None:
    app.cli.add_command(load_branches)
    # Prefectures are watched by the members feature (directory filters and cards).
    generations.unseen(RecruitmentDate)  # shown only on pages that are not cached
