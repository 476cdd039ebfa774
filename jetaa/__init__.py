"""JETAA Connect: the web platform of the JET Programme Alumni Association."""

import logging
from pathlib import Path

from flask import Flask

from config import Config, config_from_env

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
        config_class = config_from_env()
    app.config.from_object(config_class())
    Path(app.instance_path).mkdir(exist_ok=True)
    from jetaa.security.events import install_log_escaping

    log_format = "%(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=logging.INFO, format=log_format)
    install_log_escaping(log_format)  # no value can write a forged line of its own
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    register_proxy(app)
    register_extensions(app)
    register_features(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_proxy(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, the client's address and scheme are the
    ones they forward (the per-address rate limits need the real address)."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def register_extensions(app: Flask) -> None:
    from jetaa import models  # noqa: F401  (every table known to the metadata)
    from jetaa.auth.session import init_login
    from jetaa.core import assets
    from jetaa.core.urls import RowId
    from jetaa.db import include_in_autogenerate
    from jetaa.extensions import babel, csrf, db, limiter, migrate
    from jetaa.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"),
                     include_object=include_in_autogenerate)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    init_login(app)
    assets.init_app(app)
    app.url_map.converters["id"] = RowId  # before any route uses <id:...>


def register_features(app: Flask) -> None:
    """Each feature adds its blueprints, commands, template questions and
    demo data itself, in its `feature.py`. A new feature is one line here."""
    from jetaa.activities import feature as activities
    from jetaa.admin import feature as admin
    from jetaa.announcements import feature as announcements
    from jetaa.api import feature as api
    from jetaa.auth import feature as auth
    from jetaa.branches import feature as branches
    from jetaa.core import feature as core
    from jetaa.events import feature as events
    from jetaa.home import feature as home
    from jetaa.mail import feature as mail
    from jetaa.members import feature as members
    from jetaa.memberships import feature as memberships
    from jetaa.missions import feature as missions
    from jetaa.notifications import feature as notifications
    from jetaa.outreach import feature as outreach
    from jetaa.pictures import feature as pictures
    from jetaa.reference import feature as reference
    from jetaa.security import feature as security

    # In dependency order: demo-data runs the features' steps in this order. The API
    # comes before security: its token sign-in runs before the security gate.
    for feature in (core, mail, reference, auth, branches, missions, admin, memberships,
                    members, events, activities, outreach, notifications, announcements,
                    pictures, home, api, security):
        feature.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from jetaa.core.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from jetaa.core.templating import register

    register(app)


def register_commands(app: Flask) -> None:
    from jetaa.cli import register

    register(app)
