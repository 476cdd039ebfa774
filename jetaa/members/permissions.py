"""Who may see whose profile: the privacy gates, their one input, and their SQL twin.

Every list of people (the directory, a profile page, event attendees, the
roster export, the API) loads an `Owner` for each person shown, in one query
for all of them, and asks `can_see_profile(viewer, owner)` and
`can_see_contact(viewer, owner)`. `visible_profiles_clause()` asks the same
in SQL for the directory's searches; the tests hold the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile, Visibility
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.permissions import (
    approved_branch_ids,
    is_admin,
    is_approved_member,
    is_member_of,
    officer_branch_ids,
    signed_in,
)

# Someone without a profile row yet has the columns' defaults.
DEFAULT_VISIBILITY, DEFAULT_CONTACT_VISIBILITY = Visibility.BRANCHES.value, Visibility.HIDDEN.value


@dataclass(frozen=True)
class Owner:
    """What the privacy gates know of a person whose profile might be shown."""

    id: int
    branch_ids: frozenset[int]  # where the person is an approved member now
    visibility: str = DEFAULT_VISIBILITY
    contact_visibility: str = DEFAULT_CONTACT_VISIBILITY
    has_profile: bool = False

    @classmethod
    def from_row(cls, row: Any) -> Owner:
        """An owner from a row that selected owner_columns()."""
        ids = frozenset(int(b) for b in row.owner_branch_ids.split(",")) \
            if row.owner_branch_ids else frozenset()
        if row.owner_visibility is None:
            return cls(row.owner_id, ids)
        return cls(row.owner_id, ids, str(row.owner_visibility),
                   str(row.owner_contact_visibility), True)


def owner_columns(user_id: Any) -> list[Any]:
    """The columns Owner.from_row reads, for a query joined to people by `user_id`.

    The query must outer-join AlumniProfile on `user_id`; approved branches come
    as one comma-separated string (a correlated subquery), so any number of
    people costs no extra query.
    """
    branch_ids = (sa.select(sa.func.aggregate_strings(sa.cast(Membership.branch_id, sa.String), ","))
                  .where(Membership.user_id == user_id,
                         Membership.status == MembershipStatus.APPROVED)
                  .scalar_subquery())
    return [user_id.label("owner_id"), branch_ids.label("owner_branch_ids"),
            AlumniProfile.visibility.label("owner_visibility"),
            AlumniProfile.contact_visibility.label("owner_contact_visibility")]


def owners_of(user_ids: list[int]) -> dict[int, Owner]:
    """The Owner of each of these people, in one query."""
    if not user_ids:
        return {}
    rows = db.session.execute(
        sa.select(*owner_columns(User.id))
        .outerjoin(AlumniProfile, AlumniProfile.user_id == User.id)
        .where(User.id.in_(sorted(set(user_ids))))).all()
    return {row.owner_id: Owner.from_row(row) for row in rows}


def _audience_allows(viewer: Any, owner: Owner, audience: str) -> bool:
    """The shared rule behind both gates (profile and contact details)."""
    if not signed_in(viewer):
        return False
    if viewer.id == owner.id or is_admin(viewer):
        return True
    if audience == Visibility.HIDDEN or not owner.branch_ids:
        return False  # someone in no branch (left, lapsed) is shown to no other member
    if officer_branch_ids(viewer) & owner.branch_ids:
        return True
    approved_in = approved_branch_ids(viewer)
    if audience == Visibility.FEDERATION:
        return bool(approved_in)
    if audience == Visibility.BRANCHES:
        return bool(approved_in & owner.branch_ids)
    return False


def can_see_profile(viewer: Any, owner: Owner) -> bool:
    """May `viewer` see this person's profile? THE privacy gate for profile fields.

    Pending members see no one; officers of the owner's branches always can,
    officers of other branches only as ordinary members.
    """
    # A profile is never fully hidden from the officers of the member's branch.
    audience = Visibility.OFFICERS if owner.visibility == Visibility.HIDDEN else owner.visibility
    return _audience_allows(viewer, owner, audience)


def can_see_contact(viewer: Any, owner: Owner) -> bool:
    """May `viewer` see the e-mail address, phone and links? Its own gate, default hidden."""
    return can_see_profile(viewer, owner) and _audience_allows(viewer, owner,
                                                               owner.contact_visibility)


def visible_profiles_clause(viewer: Any, user_id: Any, visibility: Any,
                            default: str | None = None) -> Any:
    """can_see_profile() as a SQL condition on a user id column and a visibility column.

    `default` is the visibility meant when the column is NULL (an outer-joined
    profile that does not exist yet).
    """
    if not signed_in(viewer):
        return sa.false()
    if is_admin(viewer):
        return sa.true()

    def approved_in(branch_ids: set[int]) -> Any:
        return sa.exists().where(Membership.user_id == user_id,
                                 Membership.branch_id.in_(sorted(branch_ids)),
                                 Membership.status == MembershipStatus.APPROVED)

    conditions = [user_id == viewer.id]
    officer_of = officer_branch_ids(viewer)
    if officer_of:
        conditions.append(approved_in(officer_of))
    member_of = approved_branch_ids(viewer)
    if member_of:
        conditions.append(visibility == "federation")
        branch_wide = visibility == "branches"
        if default == "branches":
            # No profile row yet: the default visibility applies.
            branch_wide = sa.or_(branch_wide, visibility.is_(None))
        conditions.append(sa.and_(branch_wide, approved_in(member_of)))
    return sa.or_(*conditions)


def can_use_directory(user: Any) -> bool:
    """The directory is for approved members (and admins); pending members see none."""
    return is_admin(user) or is_approved_member(user)


def can_use_branch_directory(user: Any, branch: Any) -> bool:
    return is_admin(user) or is_member_of(user, branch)
