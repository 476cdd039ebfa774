"""E-mail to the people with an RSVP, and the event address the messages link to."""

from __future__ import annotations

import sqlalchemy as sa

from jetaa.core.urls import external_url
from jetaa.events.models import Event, Rsvp, RsvpStatus
from jetaa.extensions import db
from jetaa.notifications.services import notify


def event_link(event: Event) -> str:
    """The event page's full address for e-mail, in a request or in a command."""
    return external_url("events.show", event_id=event.id)


def notify_rsvps(event: Event, template: str) -> int:
    """E-mail everyone going or waiting; returns how many messages were queued."""
    query = (sa.select(Rsvp).join(Rsvp.user).options(sa.orm.contains_eager(Rsvp.user))
             .where(Rsvp.event_id == event.id,
                    Rsvp.status.in_((RsvpStatus.GOING, RsvpStatus.WAITLISTED))))
    link = event_link(event)
    count = 0
    for rsvp in db.session.scalars(query):
        if notify(rsvp.user, template, event=event, link=link) is not None:
            count += 1
    return count
