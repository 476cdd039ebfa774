"""Who must have a second factor, and which pages need it given (recently) in the session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from jetaa.db import utcnow
from jetaa.permissions import is_admin, is_mission_staff, officer_branch_ids

# Pages of other people's data: closed to a session of someone who must have a second
# factor until they have given it (setting it up first if need be). By endpoint, or by
# blueprint with "name.*".
NEEDS_SECOND_FACTOR = frozenset({
    "admin.*", "admin_users.*", "outbox.*", "security_admin.*", "outreach_missions.*", "outreach.*",
    "memberships.roster_page", "memberships.roster_action", "memberships.export_csv",
    "memberships.import_csv", "memberships.confirm_import", "memberships.sample_csv",
    "events.attendees", "events.attendees_csv",
    "impact.branch_report_csv", "impact.federation_report_csv", "impact.grant_report_csv",
})
# Exports and an import's confirmation ask for the second factor again when it was
# given longer ago than FRESH_SECOND_FACTOR.
NEEDS_FRESH_SECOND_FACTOR = frozenset({
    "memberships.export_csv", "memberships.confirm_import", "events.attendees_csv",
    "outreach_missions.dashboard_csv",
    "impact.branch_report_csv", "impact.federation_report_csv", "impact.grant_report_csv",
})
FRESH_SECOND_FACTOR = timedelta(minutes=15)


def required_for(user: Any) -> bool:
    """Those who hold power over others' data must sign in with a second factor."""
    return is_admin(user) or bool(officer_branch_ids(user)) or is_mission_staff(user)


def _listed(endpoint: str, names: frozenset[str]) -> bool:
    return endpoint in names or f"{endpoint.split('.', 1)[0]}.*" in names


def needs_second_factor(endpoint: str | None) -> bool:
    return endpoint is not None and _listed(endpoint, NEEDS_SECOND_FACTOR)


def needs_fresh_second_factor(endpoint: str | None) -> bool:
    return endpoint is not None and _listed(endpoint, NEEDS_FRESH_SECOND_FACTOR)


def given_recently(login_session: Any) -> bool:
    given = getattr(login_session, "second_factor_at", None)
    return given is not None and utcnow() - given <= FRESH_SECOND_FACTOR
