"""Activity factories and small images shared by the activities tests."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PIL import Image

from jetaa.activities.models import Activity, ActivityStatus, Category
from jetaa.db import utcnow
from tests.events.conftest import make_event  # noqa: F401  (activities are logged from events)
from tests.members.conftest import make_profile, prefectures  # noqa: F401  (members take part)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), exif: bytes | None = None) -> bytes:
    """A small real image in `fmt` (optionally with an EXIF block)."""
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 40))
    kwargs = {"exif": exif} if exif else {}
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()


@pytest.fixture
def make_activity(db) -> Callable[..., Activity]:  # noqa: ANN001
    def make(branch, author=None, *, status: str = "verified", published: bool = False,  # noqa: ANN001
             days_ago: int = 10, **fields: object) -> Activity:
        day = utcnow().date() - timedelta(days=days_ago)
        values = {"title": "Calligraphy evening", "category": Category.CULTURE, "starts_on": day,
                  "ends_on": day, "city": "Springfield", "country": branch.country,
                  "people_reached": 40, "volunteers": 4, "volunteer_tenths": 120,
                  "members_involved": 4, "currency": "USD"}
        values.update(fields)
        activity = Activity(branch_id=branch.id, created_by_id=author.id if author else None,
                            status=ActivityStatus(status), is_published=published, **values)
        db.add(activity)
        db.commit()
        return activity

    return make


@pytest.fixture
def a_day() -> date:
    return utcnow().date() - timedelta(days=3)
