"""Setting and removing the pictures of a person, an event, a branch."""

from __future__ import annotations

from typing import Any

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.events.models import Event
from jetaa.pictures.storage import drop_picture, store_picture


def _replaced(kind: str, current: str | None, upload: Any | None) -> str | None:
    """The picture's new stored name: `upload` stored in place of `current`, or, with no
    upload, None (and `current` deleted)."""
    if upload is None:
        drop_picture(kind, current)
        return None
    return store_picture(kind, upload, old_name=current)


def set_profile_photo(user: User, upload: Any | None, *, actor: User) -> User:
    """A new profile photo (`upload` None: back to the initials)."""
    user.photo_name = _replaced("profile", user.photo_name, upload)
    record("picture.profile", actor=actor, object_type="user", object_id=user.id,
           removed=upload is None)
    return user


def set_event_image(event: Event, upload: Any | None, *, actor: User) -> Event:
    event.image_name = _replaced("event", event.image_name, upload)
    record("picture.event", actor=actor, object_type="event", object_id=event.id,
           branch_id=event.branch_id, removed=upload is None)
    return event


def set_branch_logo(branch: Branch, upload: Any | None, *, actor: User) -> Branch:
    branch.logo_name = _replaced("logo", branch.logo_name, upload)
    record("picture.logo", actor=actor, object_type="branch", object_id=branch.id,
           branch_id=branch.id, removed=upload is None)
    return branch
