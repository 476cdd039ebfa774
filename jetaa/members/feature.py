"""Profiles and the directory as the app sees them: pages, API, demo data."""

from flask import Flask

from jetaa.demo.core import add_step
from jetaa.members import demo, directory_views, profile_views
from jetaa.members.permissions import can_use_branch_directory, can_use_directory
from jetaa.members.placements import placements_text


def init_app(app: Flask) -> None:
    for blueprint in (directory_views.bp, profile_views.bp):
        app.register_blueprint(blueprint)
    app.add_template_global(can_use_directory)
    app.add_template_global(can_use_branch_directory)
    app.jinja_env.filters["placements"] = placements_text
    add_step(app, demo.make_profiles)
    add_step(app, demo.make_applications)
