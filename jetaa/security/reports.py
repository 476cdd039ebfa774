"""What the admins' security page reads: recent events, failed sign-ins per account."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.security.models import SecurityEvent

RECENT = 100
FAILED_WINDOW = timedelta(hours=24)


def recent_events(kind: str = "", user_id: int | None = None) -> list[SecurityEvent]:
    """The newest events (of a kind starting with `kind`, of one account)."""
    query = (sa.select(SecurityEvent).options(joinedload(SecurityEvent.user))
             .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc()).limit(RECENT))
    if kind:
        query = query.where(SecurityEvent.kind.startswith(kind, autoescape=True))
    if user_id is not None:
        query = query.where(SecurityEvent.user_id == user_id)
    return list(db.session.scalars(query))


def failed_sign_ins() -> list[sa.Row]:
    """Failed sign-ins of the last 24 hours per address typed: count, addresses, last."""
    since = utcnow() - FAILED_WINDOW
    return list(db.session.execute(
        sa.select(SecurityEvent.email, sa.func.count().label("failures"),
                  sa.func.count(sa.distinct(SecurityEvent.ip_address)).label("addresses"),
                  sa.func.max(SecurityEvent.created_at).label("last"))
        .where(SecurityEvent.kind == "login.failed", SecurityEvent.created_at >= since)
        .group_by(SecurityEvent.email).order_by(sa.desc("failures")).limit(RECENT)))
