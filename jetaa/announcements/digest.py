"""The weekly digest: announcements of the week in one message, for those who chose it."""

from __future__ import annotations

from itertools import groupby

import sqlalchemy as sa

from jetaa.announcements.models import Announcement, Delivery
from jetaa.auth.models import User
from jetaa.core.urls import external_url
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.notifications.services import notify


def send_digests() -> int:
    """One message per person with announcements waiting for their digest; returns how
    many messages were queued. Run weekly (`flask send-digests`); the caller commits."""
    rows = db.session.execute(
        sa.select(Delivery, Announcement).join(Announcement,
                                               Announcement.id == Delivery.announcement_id)
        .where(Delivery.in_digest.is_(True), Delivery.digested_at.is_(None))
        .order_by(Delivery.user_id, Announcement.send_at)).all()
    now, sent = utcnow(), 0
    for user_id, group in groupby(rows, key=lambda row: row[0].user_id):
        group = list(group)
        user = db.session.get(User, user_id)
        items = [{"announcement": a,
                  "link": external_url("announcements.show", announcement_id=a.id)}
                 for _delivery, a in group]
        if notify(user, "announcement_digest", items=items,
                  settings_link=external_url("notifications.settings")) is not None:
            sent += 1
        for delivery, _announcement in group:
            delivery.digested_at = now
    return sent
