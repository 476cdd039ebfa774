"""Links beside an event: the venue on OpenStreetMap, the event in Google or Outlook.

Plain addresses of the public sites, no script and no embed: nothing is loaded from
them until the reader follows a link.
"""

from __future__ import annotations

from urllib.parse import urlencode

from jetaa.events.models import Event

_STAMP = "%Y%m%dT%H%M%SZ"


def map_url(event: Event) -> str | None:
    """An OpenStreetMap search for the venue and address (None for an event without one)."""
    place = ", ".join(part for part in (event.venue, event.address) if part)
    if not place:
        return None
    return "https://www.openstreetmap.org/search?" + urlencode({"query": place})


def _where(event: Event) -> str:
    return ", ".join(part for part in (event.venue, event.address) if part)


def google_calendar_url(event: Event, link: str) -> str:
    dates = f"{event.starts_at.strftime(_STAMP)}/{event.ends_at.strftime(_STAMP)}"
    return "https://calendar.google.com/calendar/render?" + urlencode({
        "action": "TEMPLATE", "text": event.title, "dates": dates, "details": link,
        "location": _where(event), "ctz": event.timezone})


def outlook_url(event: Event, link: str) -> str:
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": event.title,
        "startdt": event.starts_at.isoformat(), "enddt": event.ends_at.isoformat(),
        "body": link, "location": _where(event)})
