"""Setting and removing the pictures of a person, an event, a branch."""

from __future__ import annotations

from typing import Any

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.events.models import Event
from jetaa.pictures.storage import drop_picture, store_picture


def set_profile_photo(user: User, upload: Any | None, *, actor: User) -> User:
    """A new profile photo (`upload` None: back to the initials)."""
    if upload is None:
        drop_picture("profile", user.photo_name)
        user.photo_name = None
    else:
        user.photo_name = store_picture("profile", upload, old_name=user.photo_name)
    record("picture.profile", actor=actor, object_type="user", object_id=user.id,
           removed=upload is None)
    return user


def set_event_image(event: Event, upload: Any | None, *, actor: User) -> Event:
    if upload is None:
        drop_picture("event", event.image_name)
        event.image_name = None
    else:
        event.image_name = store_picture("event", upload, old_name=event.image_name)
    record("picture.event", actor=actor, object_type="event", object_id=event.id,
           branch_id=event.branch_id, removed=upload is None)
    return event


def set_branch_logo(branch: Branch, upload: Any | None, *, actor: User) -> Branch:
    if upload is None:
        drop_picture("logo", branch.logo_name)
        branch.logo_name = None
    else:
        branch.logo_name = store_picture("logo", upload, old_name=branch.logo_name)
    record("picture.logo", actor=actor, object_type="branch", object_id=branch.id,
           branch_id=branch.id, removed=upload is None)
    return branch
