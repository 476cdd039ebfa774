"""Reminders: the day before, each confirmed volunteer confirms or withdraws; after the end,
staff are asked for the outcome. Each row is claimed by a conditional UPDATE in the same
transaction as its message, so overlapping runs never send one twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.outreach import notify
from jetaa.outreach.models import (
    ANSWERABLE,
    OfferStatus,
    VolunteerOffer,
    VolunteerRequest,
)


def send_reminders(now: datetime | None = None, window: timedelta = timedelta(hours=24)) -> int:
    now = now or utcnow()
    sent = 0
    offers = db.session.scalars(
        sa.select(VolunteerOffer).join(VolunteerOffer.request)
        .where(VolunteerOffer.status == OfferStatus.CONFIRMED, VolunteerOffer.reminded_at.is_(None),
               VolunteerRequest.status.in_(ANSWERABLE), VolunteerRequest.starts_at > now,
               VolunteerRequest.starts_at <= now + window)
        .order_by(VolunteerRequest.starts_at, VolunteerOffer.id)).all()
    for offer in offers:
        claim = (sa.update(VolunteerOffer)
                 .where(VolunteerOffer.id == offer.id, VolunteerOffer.reminded_at.is_(None))
                 .values(reminded_at=now).execution_options(synchronize_session=False))
        if db.session.execute(claim).rowcount == 1:
            notify.reminder(offer)
            db.session.commit()
            sent += 1
    over = db.session.scalars(
        sa.select(VolunteerRequest)
        .where(VolunteerRequest.status.in_(ANSWERABLE), VolunteerRequest.ends_at <= now,
               VolunteerRequest.outcome_recorded_at.is_(None),
               VolunteerRequest.outcome_reminded_at.is_(None))
        .order_by(VolunteerRequest.ends_at)).all()
    for request in over:
        claim = (sa.update(VolunteerRequest)
                 .where(VolunteerRequest.id == request.id,
                        VolunteerRequest.outcome_reminded_at.is_(None))
                 .values(outcome_reminded_at=now).execution_options(synchronize_session=False))
        if db.session.execute(claim).rowcount == 1:
            sent += notify.outcome_due(request)
            db.session.commit()
    return sent
