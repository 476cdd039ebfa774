"""Announcement factories (and the events' own, for segments by event)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from jetaa.announcements.models import Announcement, AnnouncementStatus, Scope
from jetaa.db import utcnow
from tests.events.conftest import make_event  # noqa: F401  (a fixture)


@pytest.fixture
def make_announcement(db) -> Callable[..., Announcement]:  # noqa: ANN001
    def make(branch, *, status: str = "draft", scope: str = "branch",  # noqa: ANN001
             **fields: object) -> Announcement:
        values = {"subject": "Spring picnic", "body": "Come **along**.", "segment": {}}
        values.update(fields)
        announcement = Announcement(branch_id=branch.id, scope=Scope(scope),
                                    status=AnnouncementStatus(status), **values)
        if status != "draft":
            announcement.send_at = utcnow() - timedelta(minutes=5)
        db.add(announcement)
        db.commit()
        return announcement

    return make
