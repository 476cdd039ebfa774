"""No bulk scraping: per-account limits on the directory, profiles, the API and exports.

Generous for a person reading pages, tight for a script paging through 25,000 alumni.
Counted in the rate limiter's storage (Redis when REDIS_URL is set). The first refusal of
a day per account and kind writes an audit entry and e-mails the federation admins.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from flask import current_app
from limits import parse, parse_many

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.extensions import db, limiter
from jetaa.mail.services import queue_email
from jetaa.security.events import log_event

logger = logging.getLogger(__name__)

# Endpoint -> which per-account allowance it draws on (config RATELIMIT_SCRAPE_<KIND>).
KINDS = {
    "directory.index": "directory", "directory.branch_members": "directory",
    "profiles.show": "profiles",
    "api_members.Directory": "api", "api_members.Member": "api",
    "memberships.export_csv": "exports", "events.attendees_csv": "exports",
    "profiles.export": "exports", "outreach_missions.dashboard_csv": "exports",
    "impact.branch_report_csv": "exports", "impact.federation_report_csv": "exports",
    "impact.grant_report_csv": "exports",
}
ALERT_EVERY = parse("1 per day")


def kind_of(endpoint: str | None) -> str | None:
    return KINDS.get(endpoint or "")


def allow(user: Any, kind: str) -> bool:
    """Count one request of `user` against the allowance of `kind`; False when it is spent."""
    config = current_app.config
    if not config.get("RATELIMIT_ENABLED"):
        return True
    strategy = limiter.limiter
    try:
        spent = [item for item in parse_many(config[f"RATELIMIT_SCRAPE_{kind.upper()}"])
                 if not strategy.hit(item, "scrape", kind, str(user.id))]
        first_today = bool(spent) and strategy.hit(ALERT_EVERY, "scrape-alert", kind,
                                                   str(user.id))
    except Exception:  # the limiter's storage unreachable: serve the page, say so in the log
        logger.warning("scraping limits not counted: the rate-limit storage did not answer")
        return True
    if spent:
        _refused(user, kind, str(spent[0]), alert=first_today)
    return not spent


def _refused(user: Any, kind: str, limit: str, *, alert: bool) -> None:
    log_event("ratelimit.scraping", user=user, allowance=kind, limit=limit)
    if alert:
        record("security.unusual_volume", actor=user, object_type="user", object_id=user.id,
               kind=kind, limit=limit)
        admins = db.session.scalars(sa.select(User).where(User.is_admin,
                                                          User.deleted_at.is_(None)))
        for admin in admins:
            queue_email(admin.email, "unusual_volume", locale=admin.locale, admin=admin,
                        member=user, kind=kind, limit=limit)
    db.session.commit()
