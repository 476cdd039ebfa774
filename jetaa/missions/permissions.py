"""The mission of a URL (missions' own questions come with the outreach feature)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from jetaa.extensions import db
from jetaa.missions.models import Mission


def get_mission_or_404(slug: str) -> Mission:
    """The mission of a URL; 404 when there is none. Mission pages are public."""
    mission = db.session.scalar(sa.select(Mission).where(Mission.slug == slug))
    if mission is None:
        abort(404)
    return mission
