"""Profiles and the directory as the app sees them: pages, API, cache watch, demo data."""

from flask import Flask

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core import generations
from jetaa.demo.core import add_step
from jetaa.members import demo, directory_views, profile_views
from jetaa.members.models import AlumniProfile, ProfileJetRole, ProfileLanguage
from jetaa.members.permissions import can_use_branch_directory, can_use_directory
from jetaa.memberships.models import Membership
from jetaa.reference.models import Prefecture


def init_app(app: Flask) -> None:
    for blueprint in (directory_views.bp, profile_views.bp):
        app.register_blueprint(blueprint)
    app.add_template_global(can_use_directory)
    app.add_template_global(can_use_branch_directory)
    # Everything a directory page shows or filters on: a write to any of these moves
    # the "members" generation, which keys the directory's cached parts.
    generations.watch("members", User,
                      ignore=("last_login_at", "password_hash", "session_token", "locale"))
    generations.watch("members", AlumniProfile, ProfileJetRole, ProfileLanguage, Membership,
                      Branch, Prefecture)
    add_step(app, demo.make_profiles)
    add_step(app, demo.make_applications)
