"""Who may join a branch (managing its members is branches.permissions.can_manage_branch)."""

from __future__ import annotations

from typing import Any

from jetaa.branches.models import Branch
from jetaa.memberships.models import MembershipStatus
from jetaa.permissions import membership_in, signed_in


def can_join_branch(user: Any, branch: Branch) -> bool:
    """Signed in, confirmed, and not already in (or waiting for) this active branch."""
    if not branch.active or not signed_in(user) or not user.is_confirmed:
        return False
    membership = membership_in(user, branch)
    return membership is None or membership.status in (
        MembershipStatus.DECLINED, MembershipStatus.LAPSED
    )
