"""Who may see a picture: whoever may see what it belongs to."""

from __future__ import annotations

from typing import Any

from jetaa.announcements.models import Announcement
from jetaa.announcements.permissions import can_view_announcement
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.events.models import Event
from jetaa.events.permissions import can_view_event
from jetaa.extensions import db
from jetaa.members.permissions import can_see_profile, owners_of
from jetaa.permissions import is_admin

# kind -> (model, the column holding the picture's name)
OWNERS = {"profile": (User, "photo_name"), "event": (Event, "image_name"),
          "logo": (Branch, "logo_name"), "announcement": (Announcement, "image_name")}


def picture_owner(kind: str, owner_id: int, name: str) -> Any | None:
    """The row whose current picture is `name`, or None (an old or made-up address)."""
    model, column = OWNERS[kind]
    row = db.session.get(model, owner_id)
    return row if row is not None and getattr(row, column) == name else None


def can_see_picture(viewer: Any, kind: str, row: Any) -> bool:
    """A profile photo follows the profile's visibility; the others their event or
    announcement; branch logos are public."""
    if kind == "profile":
        if getattr(viewer, "id", None) == row.id or is_admin(viewer):
            return True
        return row.deleted_at is None and can_see_profile(viewer, owners_of([row.id])[row.id])
    if kind == "event":
        return can_view_event(viewer, row)
    if kind == "announcement":
        return can_view_announcement(viewer, row)
    return True


def is_public_picture(kind: str, row: Any) -> bool:
    """Shared caches may keep it (the same for everyone)."""
    if kind == "logo":
        return True
    if kind == "announcement":
        return row.is_public
    return False
