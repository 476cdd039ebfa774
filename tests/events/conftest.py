"""Event factories shared by the events tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from jetaa.db import utcnow
from jetaa.events.models import Audience, Category, Event, EventStatus


@pytest.fixture
def make_event(db) -> Callable[..., Event]:  # noqa: ANN001
    def make(branch, *, starts_at: datetime | None = None, hours: int = 2,  # noqa: ANN001
             status: str = "published", audience: str = "public", **fields: object) -> Event:
        start = starts_at or (utcnow() + timedelta(days=7)).replace(microsecond=0)
        values = {"title": "Sake tasting", "category": Category.SOCIAL,
                  "timezone": branch.timezone, "venue": "The Hall", "address": "1 Main St"}
        values.update(fields)
        event = Event(branch_id=branch.id, starts_at=start, ends_at=start + timedelta(hours=hours),
                      status=EventStatus(status), audience=Audience(audience), **values)
        db.add(event)
        db.commit()
        return event

    return make


def shown_feed_address(response) -> str:  # noqa: ANN001
    """The private feed's path, from the page that shows it once after it is made."""
    import re
    from urllib.parse import urlsplit

    assert response.status_code == 200
    url = re.search(r'id="feed-link" type="url" readonly value="([^"]+)"',
                    response.get_data(as_text=True)).group(1)
    return urlsplit(url).path
