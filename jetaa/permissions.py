"""Who may do what: the one place that answers permission questions.

Roles are data: `User.is_admin` (federation admin), a `Membership` row with a
role and a status (branch member / officer), a `MissionStaff` row (mission
staff). Views use the decorators for coarse checks and the can_* functions
for questions about one object; templates call the same functions.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user

from jetaa.branches.models import Branch, Membership, MembershipStatus
from jetaa.events.models import Audience, Event, EventStatus
from jetaa.extensions import db
from jetaa.members.models import AlumniProfile
from jetaa.missions.models import Mission, MissionStaff


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def memberships_of(user: Any) -> dict[int, Membership]:
    """The user's memberships by branch id, loaded once per request."""
    if not _signed_in(user):
        return {}
    cache: dict[int, dict[int, Membership]] = g.setdefault("_memberships", {})
    if user.id not in cache:
        # The member's own profile visibility comes along (profiles_scope asks for it).
        rows = db.session.execute(
            sa.select(Membership, AlumniProfile.visibility)
            .outerjoin(AlumniProfile, AlumniProfile.user_id == Membership.user_id)
            .where(Membership.user_id == user.id)).all()
        cache[user.id] = {m.branch_id: m for m, _visibility in rows}
        visibility = rows[0][1] if rows else None
        g.setdefault("_own_visibility", {})[user.id] = visibility and str(visibility)
    return cache[user.id]


def forget_cached_roles() -> None:
    """Call after changing a membership within the same request."""
    g.pop("_memberships", None)
    g.pop("_missions", None)
    g.pop("_own_visibility", None)


def membership_in(user: Any, branch: Branch) -> Membership | None:
    return memberships_of(user).get(branch.id)


def is_admin(user: Any) -> bool:
    return _signed_in(user) and bool(user.is_admin)


def is_member_of(user: Any, branch: Branch) -> bool:
    """An approved member (officers included) of this branch."""
    membership = membership_in(user, branch)
    return membership is not None and membership.status == MembershipStatus.APPROVED


def is_officer_of(user: Any, branch: Branch) -> bool:
    membership = membership_in(user, branch)
    return membership is not None and membership.is_officer


def is_approved_member(user: Any) -> bool:
    """Approved in at least one branch: the gate to federation-only content."""
    return bool(approved_branch_ids(user))


def officer_branch_ids(user: Any) -> set[int]:
    return {b for b, m in memberships_of(user).items() if m.is_officer}


def mission_ids_of(user: Any) -> set[int]:
    if not _signed_in(user):
        return set()
    cache: dict[int, set[int]] = g.setdefault("_missions", {})
    if user.id not in cache:
        cache[user.id] = set(db.session.scalars(
            sa.select(MissionStaff.mission_id).where(MissionStaff.user_id == user.id)
        ))
    return cache[user.id]


def is_mission_staff(user: Any) -> bool:
    return bool(mission_ids_of(user))


# Questions about one object ------------------------------------------------

def can_manage_branch(user: Any, branch: Branch) -> bool:
    """Approve members, manage the roster, post events, read the branch's audit."""
    return is_admin(user) or is_officer_of(user, branch)


def can_edit_branch_details(user: Any, branch: Branch) -> bool:
    return can_manage_branch(user, branch)


def can_change_join_policy(user: Any, branch: Branch) -> bool:
    return can_manage_branch(user, branch)


def can_join_branch(user: Any, branch: Branch) -> bool:
    """Signed in, confirmed, and not already in (or waiting for) this branch."""
    if not _signed_in(user) or not user.is_confirmed:
        return False
    membership = membership_in(user, branch)
    return membership is None or membership.status in (
        MembershipStatus.DECLINED, MembershipStatus.LAPSED
    )


def can_act_for_mission(user: Any, mission: Mission) -> bool:
    return is_admin(user) or mission.id in mission_ids_of(user)


def can_see_mission_branch(user: Any, mission: Mission, branch: Branch) -> bool:
    """Mission staff work with the branches in their mission's jurisdiction."""
    return is_admin(user) or (can_act_for_mission(user, mission) and branch.mission_id == mission.id)


def can_view_federation_reports(user: Any) -> bool:
    return is_admin(user)


def can_view_audit(user: Any) -> bool:
    return is_admin(user)


def can_edit_reference_data(user: Any) -> bool:
    return is_admin(user)


def can_appoint_officer(user: Any, branch: Branch) -> bool:
    return is_admin(user) or is_officer_of(user, branch)


def approved_branch_ids(user: Any) -> set[int]:
    return {b for b, m in memberships_of(user).items() if m.status == MembershipStatus.APPROVED}


def can_use_directory(user: Any) -> bool:
    """The directory is for approved members (and admins); pending members see none."""
    return is_admin(user) or is_approved_member(user)


def can_use_branch_directory(user: Any, branch: Branch) -> bool:
    return is_admin(user) or is_member_of(user, branch)


def _audience_allows(viewer: Any, owner_id: int, owner_branch_ids: set[int],
                     audience: str) -> bool:
    """The shared rule behind both privacy gates (profile and contact details)."""
    if not _signed_in(viewer):
        return False
    if viewer.id == owner_id or is_admin(viewer):
        return True
    if audience == "hidden" or not owner_branch_ids:
        return False  # someone in no branch (left, lapsed) is shown to no other member
    if officer_branch_ids(viewer) & owner_branch_ids:
        return True
    approved_in = approved_branch_ids(viewer)
    if audience == "federation":
        return bool(approved_in)
    if audience == "branches":
        return bool(approved_in & owner_branch_ids)
    return False


def can_see_profile(viewer: Any, owner_id: int, owner_branch_ids: set[int],
                    visibility: str) -> bool:
    """May `viewer` see a member's profile? THE privacy gate for profile fields.

    `owner_branch_ids` are the branches where the owner is an approved member;
    `visibility` is the owner's choice (a members.models.Visibility value).
    Pending members see no one; officers of the owner's branches always can,
    officers of other branches only as ordinary members. visible_profiles_clause()
    is the same rule written in SQL for lists; the tests hold the two together.
    """
    # A profile is never fully hidden from the officers of the member's branch.
    audience = "officers" if visibility == "hidden" else visibility
    return _audience_allows(viewer, owner_id, owner_branch_ids, audience)


def can_see_contact(viewer: Any, owner_id: int, owner_branch_ids: set[int],
                    visibility: str, contact_visibility: str) -> bool:
    """May `viewer` see the e-mail address, phone and links? Its own gate, default hidden."""
    return (can_see_profile(viewer, owner_id, owner_branch_ids, visibility)
            and _audience_allows(viewer, owner_id, owner_branch_ids, contact_visibility))


def visible_profiles_clause(viewer: Any, user_id: Any, visibility: Any,
                            default: str | None = None) -> Any:
    """can_see_profile() as a SQL condition on a user id column and a visibility column.

    `default` is the visibility meant when the column is NULL (an outer-joined
    profile that does not exist yet).
    """
    if not _signed_in(viewer):
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


def profiles_scope(viewer: Any) -> str:
    """visible_profiles_clause(viewer) as a cache key: viewers with one key see the same people.

    The clause depends on the viewer's admin flag, the branches they are an
    officer of and those they are an approved member of, and lets everyone see
    themselves. That last part changes the result only for a viewer whom the
    rest would hide (no officer, own profile visible to officers only): their
    key names them.
    """
    if is_admin(viewer):
        return "admin"
    officer_of, member_of = sorted(officer_branch_ids(viewer)), sorted(approved_branch_ids(viewer))
    scope = f"o{officer_of}m{member_of}"
    # Officers are approved members of their branches, so the officer clause shows them.
    own = g.get("_own_visibility", {}).get(viewer.id)  # loaded with the memberships
    sees_self = bool(officer_of) or (bool(member_of) and own in (None, "federation", "branches"))
    return scope if sees_self else f"{scope}u{viewer.id}"


def can_review_applications(user: Any, branch: Branch) -> bool:
    return can_manage_branch(user, branch)


def can_manage_roster(user: Any, branch: Branch) -> bool:
    """Lapse, remove, export and import a branch's members."""
    return can_manage_branch(user, branch)


# Events ----------------------------------------------------------------------

def can_post_events(user: Any, branch: Branch) -> bool:
    return can_manage_branch(user, branch)


def can_edit_event(user: Any, event: Event) -> bool:
    """Admins, and officers of the host branch or of a co-hosting branch."""
    return is_admin(user) or bool(officer_branch_ids(user) & event.host_branch_ids)


def can_view_event(user: Any, event: Event) -> bool:
    """Drafts only to editors; members-only audiences only to the right members.

    Mirrors jetaa.events.queries.visible_clause, which asks the same in SQL.
    """
    if can_edit_event(user, event):
        return True
    if event.status == EventStatus.DRAFT:
        return False
    if event.audience == Audience.PUBLIC:
        return True
    if event.mission_id is not None and event.mission_id in mission_ids_of(user):
        return True
    approved_in = approved_branch_ids(user)
    if event.audience == Audience.FEDERATION:
        return bool(approved_in)
    return bool(approved_in & event.host_branch_ids)


def can_rsvp(user: Any, event: Event) -> bool:
    """Approved members who can see the event (visitors and pending people cannot)."""
    return _signed_in(user) and is_approved_member(user) and can_view_event(user, event)


def can_see_online_link(user: Any, event: Event, going: bool) -> bool:
    """The link of a members-only online event is for the people going (and its editors).

    `going`: `user` has a seat (an RSVP with status going). Pages and calendar files ask this.
    """
    return event.audience == Audience.PUBLIC or going or can_edit_event(user, event)


# Decorators ----------------------------------------------------------------

def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """401 for visitors (Flask-Login sends them to log in), 403 for everyone else."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from jetaa.extensions import login_manager

        if not _signed_in(current_user):
            return login_manager.unauthorized()
        if not is_admin(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def require(allowed: bool) -> None:
    """Abort with 403 unless the question was answered yes."""
    if not allowed:
        abort(403)


def get_branch_or_404(slug: str) -> Branch:
    branch = db.session.scalar(sa.select(Branch).where(Branch.slug == slug))
    if branch is None:
        abort(404)
    return branch


def role_label(user: Any) -> str:
    """A short description of the user's highest role, for the navigation."""
    if is_admin(user):
        return "admin"
    if officer_branch_ids(user):
        return "officer"
    if is_mission_staff(user):
        return "mission"
    if is_approved_member(user):
        return "member"
    return "pending" if memberships_of(user) else "account"


