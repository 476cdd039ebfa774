"""Who may manage a branch, and the branch of a URL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.permissions import is_admin, is_officer_of


def can_manage_branch(user: Any, branch: Branch) -> bool:
    """Edit the branch's details, decide applications, manage the roster, post events."""
    return is_admin(user) or is_officer_of(user, branch)


def get_branch_or_404(slug: str, *, require: Callable[[Any, Branch], bool] | None = None) -> Branch:
    """The branch of a URL (404 when there is none); with `require`, 403 unless the
    current user passes that question."""
    branch = db.session.scalar(sa.select(Branch).where(Branch.slug == slug))
    if branch is None:
        abort(404)
    if require is not None and not require(current_user, branch):
        abort(403)
    return branch
