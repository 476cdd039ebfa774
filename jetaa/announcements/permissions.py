"""Who may write, see and send announcements: each question beside its SQL form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from jetaa.announcements.models import Announcement, AnnouncementStatus, Scope
from jetaa.branches.models import Branch
from jetaa.branches.permissions import can_manage_branch
from jetaa.extensions import db
from jetaa.permissions import approved_branch_ids, is_admin, is_approved_member

PUBLISHED = (AnnouncementStatus.SENDING, AnnouncementStatus.SENT)


def can_write_announcements(user: Any, branch: Branch) -> bool:
    """Officers of the branch and admins."""
    return can_manage_branch(user, branch)


def can_edit_announcement(user: Any, announcement: Announcement) -> bool:
    """Its branch's officers, and admins; a federation announcement only admins."""
    if announcement.scope == Scope.FEDERATION:
        return is_admin(user)
    return announcement.branch is not None and can_manage_branch(user, announcement.branch)


def can_view_announcement(user: Any, announcement: Announcement) -> bool:
    """Editors see every state; the rest only what was sent: the public anything marked
    public, approved members their branches' (any approved member a federation one).

    visible_clause() asks the same in SQL.
    """
    if can_edit_announcement(user, announcement):
        return True
    if announcement.status not in PUBLISHED:
        return False
    if announcement.is_public:
        return True
    if announcement.scope == Scope.FEDERATION:
        return is_approved_member(user)
    return announcement.branch_id in approved_branch_ids(user)


def visible_clause(user: Any, branch: Branch) -> sa.ColumnElement[bool]:
    """can_view_announcement for the announcements of `branch`, in SQL."""
    if can_manage_branch(user, branch):
        return sa.true()
    published = Announcement.status.in_(PUBLISHED)
    if branch.id in approved_branch_ids(user):
        return published
    return sa.and_(published, Announcement.is_public.is_(True))


def get_announcement_or_404(announcement_id: int, *,
                            require: Callable[[Any, Announcement], bool] = can_view_announcement
                            ) -> Announcement:
    """404 unless the current user may see it; 403 unless they also pass `require`."""
    announcement = db.session.get(Announcement, announcement_id)
    if announcement is None or not can_view_announcement(current_user, announcement):
        abort(404)
    if not require(current_user, announcement):
        abort(403)
    return announcement
