"""Services of the members feature: memberships, profiles, the directory, rosters, accounts."""

import sqlalchemy as sa

from jetaa.branches.models import Membership, MembershipStatus
from jetaa.extensions import db

MAX_ID = 2**31 - 1  # ids in URLs beyond this would overflow the database's integer


class MembershipError(Exception):
    """A change refused for a reason the user should read (the message is translated)."""


def approved_branch_ids_of(user_ids: list[int]) -> dict[int, set[int]]:
    """Branches where each user is an approved member, in one query."""
    result: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    if not user_ids:
        return result
    rows = db.session.execute(
        sa.select(Membership.user_id, Membership.branch_id)
        .where(Membership.user_id.in_(user_ids), Membership.status == MembershipStatus.APPROVED)
    )
    for user_id, branch_id in rows:
        result[user_id].add(branch_id)
    return result
