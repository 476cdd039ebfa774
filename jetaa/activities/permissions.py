"""Who may log, see, edit, review and publish activities; each question beside its SQL form.

- Anyone sees a verified activity its branch chose to publish.
- The approved members of its host and co-host branches and the staff of its mission
  see all its verified ones.
- Authors see their own at every stage; officers of a host or co-host branch see every
  entry except other people's drafts; federation admins see everything.
- Authors edit their own until it is rejected; officers of the host branch and admins
  edit any submitted entry. An edited verified entry goes back to review. Co-hosts are
  branches the author belongs to: their officers see the entry, the host branch runs it.
- Officers of the host branch review its entries, never one they wrote or last changed;
  admins review any other.
- Receipts are for the officers of the host branch and the admins only.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload

from jetaa.activities.models import Activity, ActivityStatus, activity_cohosts
from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.permissions import (
    approved_branch_ids,
    is_admin,
    is_member_of,
    is_officer_of,
    mission_ids_of,
    officer_branch_ids,
    signed_in,
)


def _is_author(user: Any, activity: Activity) -> bool:
    return signed_in(user) and activity.created_by_id == user.id


def _officer_of_host(user: Any, activity: Activity) -> bool:
    return bool(officer_branch_ids(user) & activity.host_branch_ids)


def can_log_activity(user: Any, branch: Branch) -> bool:
    """Approved members (officers too) log activities for their branch; admins for any."""
    return is_admin(user) or is_member_of(user, branch)


def can_view_activity(user: Any, activity: Activity) -> bool:
    """visible_activities_clause() below asks the same in SQL."""
    if _is_author(user, activity) or is_admin(user):
        return True
    if activity.status == ActivityStatus.DRAFT:
        return False
    if _officer_of_host(user, activity):
        return True
    if activity.status != ActivityStatus.VERIFIED:
        return False
    if activity.is_published:
        return True
    mission_id = activity.branch.mission_id
    return bool(approved_branch_ids(user) & activity.host_branch_ids) or (
        mission_id is not None and mission_id in mission_ids_of(user))


def hosted_by(branch_ids: set[int]) -> sa.ColumnElement[bool]:
    """Activities hosted or co-hosted by one of these branches.

    The co-hosted ones are looked up first (a branch co-hosts a handful) and named by id:
    `branch_id IN (...) OR id IN (SELECT ... co-hosts)` made PostgreSQL read every
    activity, where two lists of values let both databases use their indexes.
    """
    ids = sorted(branch_ids)
    cohosted = db.session.scalars(sa.select(activity_cohosts.c.activity_id)
                                  .where(activity_cohosts.c.branch_id.in_(ids))).all()
    return sa.or_(Activity.branch_id.in_(ids), Activity.id.in_(sorted(set(cohosted))))


def visible_activities_clause(user: Any) -> sa.ColumnElement[bool]:
    """can_view_activity() as a SQL condition on activities."""
    if is_admin(user):
        return sa.true()
    verified = Activity.status == ActivityStatus.VERIFIED
    seen = [sa.and_(verified, Activity.is_published)]
    if signed_in(user):
        seen.append(Activity.created_by_id == user.id)
        approved = approved_branch_ids(user)
        if approved:
            seen.append(sa.and_(verified, hosted_by(approved)))
        missions = mission_ids_of(user)
        if missions:
            in_mission = sa.select(Branch.id).where(Branch.mission_id.in_(sorted(missions)))
            seen.append(sa.and_(verified, Activity.branch_id.in_(in_mission)))
        officer_of = officer_branch_ids(user)
        if officer_of:
            seen.append(sa.and_(Activity.status != ActivityStatus.DRAFT, hosted_by(officer_of)))
    return sa.or_(*seen)


def can_edit_activity(user: Any, activity: Activity) -> bool:
    if activity.status == ActivityStatus.REJECTED:
        return False
    if _is_author(user, activity):
        return True
    if activity.status == ActivityStatus.DRAFT:
        return False  # someone else's draft is theirs until they submit it
    return is_admin(user) or is_officer_of(user, activity.branch)


def can_review_activity(user: Any, activity: Activity) -> bool:
    """Verify, ask for changes or reject: never one's own entry."""
    if _is_author(user, activity) or (signed_in(user) and activity.edited_by_id == user.id):
        return False
    return is_admin(user) or is_officer_of(user, activity.branch)


def can_publish_activity(user: Any, activity: Activity) -> bool:
    """Choose whether a verified activity shows on the branch's public page."""
    return activity.status == ActivityStatus.VERIFIED and (
        is_admin(user) or is_officer_of(user, activity.branch))


def can_see_receipts(user: Any, activity: Activity) -> bool:
    return is_admin(user) or is_officer_of(user, activity.branch)


def can_review_branch(user: Any, branch: Branch) -> bool:
    """The branch's review queue and its full log."""
    return is_admin(user) or is_officer_of(user, branch)


def can_see_branch_impact(user: Any, branch: Branch) -> bool:
    """A branch's dashboard and annual report: its members, its mission's staff, admins."""
    return (is_admin(user) or is_member_of(user, branch)
            or (branch.mission_id is not None and branch.mission_id in mission_ids_of(user)))


def can_see_mission_impact(user: Any, mission: Any) -> bool:
    return is_admin(user) or mission.id in mission_ids_of(user)


def can_see_federation_impact(user: Any) -> bool:
    """The federation's dashboard: any approved member, mission staff and admins."""
    return is_admin(user) or bool(approved_branch_ids(user)) or bool(mission_ids_of(user))


def can_see_grant_report(user: Any, branch: Branch) -> bool:
    """The Grant-in-Aid spending summary lists receipts: officers and admins."""
    return is_admin(user) or is_officer_of(user, branch)


def get_activity_or_404(activity_id: int, *, require: Any = None) -> Activity:
    """The activity if the current user may see it (404 otherwise); with `require`,
    403 unless they pass that question too."""
    activity = db.session.scalar(sa.select(Activity).where(Activity.id == activity_id)
                                 .options(joinedload(Activity.branch)))
    if activity is None or not can_view_activity(current_user, activity):
        abort(404)
    if require is not None and not require(current_user, activity):
        abort(403)
    return activity
