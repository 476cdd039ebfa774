"""JETAA Connect: the web platform of the JET Programme Alumni Association."""

import logging
import os
from pathlib import Path

from flask import Flask

from config import CONFIGS, Config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class: type[Config] | None = None) -> Flask:
    """Build the application from small register_* steps."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    if config_class is None:
        config_class = CONFIGS[os.environ.get("JETAA_ENV", "development")]
    app.config.from_object(config_class())
    Path(app.instance_path).mkdir(exist_ok=True)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from jetaa import models  # noqa: F401  (every table known to the metadata)
    from jetaa.auth.session import init_login
    from jetaa.core import generations
    from jetaa.db import include_in_autogenerate
    from jetaa.extensions import babel, csrf, db, limiter, migrate
    from jetaa.i18n import select_locale
    from jetaa.mail.session_hooks import listen_for_commits

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"),
                     include_object=include_in_autogenerate)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    init_login(app)
    listen_for_commits()
    generations.listen()


def register_blueprints(app: Flask) -> None:
    from jetaa.admin.views import bp as admin_bp
    from jetaa.auth.views import bp as auth_bp
    from jetaa.branches.views import bp as branches_bp
    from jetaa.core.views import bp as core_bp
    from jetaa.events.feed_views import bp as event_feeds_bp
    from jetaa.events.views import bp as events_bp
    from jetaa.members.api import bp as api_bp
    from jetaa.members.directory_views import bp as directory_bp
    from jetaa.members.profile_views import bp as profiles_bp
    from jetaa.members.views import bp as members_bp
    from jetaa.missions.views import bp as missions_bp

    for blueprint in (core_bp, auth_bp, branches_bp, missions_bp, admin_bp, members_bp,
                      directory_bp, profiles_bp, api_bp, events_bp, event_feeds_bp):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from jetaa.core.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from jetaa.core.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from jetaa.cli import register

    register(app)
