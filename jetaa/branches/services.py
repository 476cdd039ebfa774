"""Reading and changing branches."""

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from jetaa.audit.services import apply_changes, record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.core import cache
from jetaa.core.cache import cached
from jetaa.extensions import db
from jetaa.memberships.models import Membership, MembershipStatus


@dataclass
class BranchSummary:
    branch: Branch
    member_count: int
    next_event: Any = None  # the branch's next event the viewer may see (events feature)


def member_counts() -> dict[int, int]:
    """Approved members per branch id.

    One GROUP BY over every membership of the federation, so it is kept for CACHE_TTL
    (the same for every viewer, as the branch list it serves); a branch's own page counts
    its members live (`member_count`, one branch's rows of an index).
    """
    query = (
        sa.select(Membership.branch_id, sa.func.count())
        .where(Membership.status == MembershipStatus.APPROVED)
        .group_by(Membership.branch_id)
    )
    pairs = cached("branches:member-counts", lambda: [list(row) for row in db.session.execute(query)])
    return {branch_id: count for branch_id, count in pairs}


def member_total() -> int:
    """The site's one count of members: people with at least one approved membership
    (someone in two branches counts once). The home page and the admin dashboard show it.

    A count over every membership of the federation, the same for everyone: kept for CACHE_TTL.
    """
    return cached("members:total", lambda: db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Membership.user_id)))
        .where(Membership.status == MembershipStatus.APPROVED)) or 0)


def member_count(branch: Branch) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id))
        .where(Membership.branch_id == branch.id, Membership.status == MembershipStatus.APPROVED)
    )


def list_branches(search: str = "") -> list[BranchSummary]:
    """Active branches (optionally matching a search), ordered by country then name, with
    their member counts and next public events: the same for every viewer."""
    from jetaa.events.queries import next_public_events

    query = sa.select(Branch).where(Branch.active).order_by(Branch.country_name, Branch.name)
    term = search.strip()
    if term:
        # autoescape: a "%" or "_" typed in the search box is a character, not a wildcard.
        query = query.where(sa.or_(*(
            sa.func.lower(column).contains(term.lower(), autoescape=True)
            for column in (Branch.name, Branch.country_name, Branch.region, Branch.grouping)
        )))
    counts = member_counts()
    upcoming = next_public_events()  # one query for every branch
    return [BranchSummary(b, counts.get(b.id, 0), upcoming.get(b.id))
            for b in db.session.scalars(query)]


def group_by_country(summaries: list[BranchSummary]) -> list[tuple[str, list[BranchSummary]]]:
    groups: dict[str, list[BranchSummary]] = {}
    for summary in summaries:
        groups.setdefault(summary.branch.country_name, []).append(summary)
    return list(groups.items())


EDITABLE_FIELDS = ("name", "region", "timezone", "contact_email", "website", "description",
                   "join_policy")


def update_branch(branch: Branch, changes: dict[str, Any], *, actor: User) -> dict[str, Any]:
    """Apply the edited fields and log what changed (old and new values)."""
    changed = apply_changes(branch, changes)
    if changed:
        cache.forget_reference_lists()
        record("branch.update", actor=actor, object_type="branch", object_id=branch.id,
               branch_id=branch.id, changes=changed)
    return changed
