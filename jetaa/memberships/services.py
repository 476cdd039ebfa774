"""Joining and leaving branches, the officers' decisions, officer appointments."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from jetaa.audit.models import AuditEntry
from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.branches.models import Branch, JoinPolicy
from jetaa.core.actions import Refused
from jetaa.core.urls import external_url
from jetaa.db import utcnow
from jetaa.extensions import db
from jetaa.members.services.profiles import update_profile
from jetaa.memberships.models import MemberRole, Membership, MembershipStatus
from jetaa.notifications.services import notify
from jetaa.permissions import forget_cached_roles


class MembershipError(Refused):
    """A membership change refused, with the reason (translated)."""


def officers_of(branch: Branch) -> list[User]:
    """The branch's current officers, by name."""
    query = (sa.select(User).join(Membership, Membership.user_id == User.id)
             .where(Membership.branch_id == branch.id, Membership.role == MemberRole.OFFICER,
                    Membership.status == MembershipStatus.APPROVED, User.deleted_at.is_(None))
             .order_by(User.name_key))
    return list(db.session.scalars(query))


def _officer_count(branch_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Membership)
        .where(Membership.branch_id == branch_id, Membership.role == MemberRole.OFFICER,
               Membership.status == MembershipStatus.APPROVED)
    ) or 0


def _refuse_last_officer(membership: Membership) -> None:
    if membership.is_officer and _officer_count(membership.branch_id) <= 1:
        raise MembershipError(_("A branch needs at least one officer: appoint another "
                                "officer first."))


def memberships_of_user(user_id: int) -> list[Membership]:
    """Every membership of one person (any status), oldest first."""
    return list(db.session.scalars(sa.select(Membership).where(Membership.user_id == user_id)
                                   .order_by(Membership.id)))


def _has_primary(user: User, except_branch_id: int | None = None) -> bool:
    return any(m.is_primary and m.branch_id != except_branch_id
               and m.status in (MembershipStatus.APPROVED, MembershipStatus.PENDING)
               for m in memberships_of_user(user.id))


def _link(endpoint: str, **values: Any) -> str:
    return external_url(endpoint, **values)


def apply_to_branch(user: User, branch: Branch, answers: dict[str, Any], message: str = "",
                    *, actor: User) -> Membership:
    """Ask to join `branch` (or join at once when its policy is open).

    The answers go into the member's own profile: one profile, shown in every branch.
    """
    if not branch.active:
        raise MembershipError(_("This branch is no longer active and takes no new members."))
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.user_id == user.id, Membership.branch_id == branch.id))
    if membership is not None and membership.status in (MembershipStatus.APPROVED,
                                                        MembershipStatus.PENDING):
        raise MembershipError(_("You are already a member of this branch or have applied."))
    if membership is None:
        membership = Membership(user_id=user.id, branch_id=branch.id, role=MemberRole.MEMBER)
        db.session.add(membership)
    update_profile(user, answers, actor=actor)
    membership.role = MemberRole.MEMBER
    membership.application_message = message.strip()
    membership.decision_message = ""
    membership.is_primary = not _has_primary(user, except_branch_id=branch.id)
    membership.created_at = utcnow()
    if branch.join_policy == JoinPolicy.OPEN:
        membership.status = MembershipStatus.APPROVED
        membership.decided_at = utcnow()
        membership.decided_by_id = None
        action = "membership.join"
    else:
        membership.status = MembershipStatus.PENDING
        membership.decided_at = membership.decided_by_id = None
        action = "membership.apply"
        queue_link = _link("memberships.applications", slug=branch.slug)
        for officer in officers_of(branch):
            notify(officer, "membership_application", officer=officer, applicant=user,
                   branch=branch, message=message, link=queue_link)
    db.session.flush()
    record(action, actor=actor, object_type="membership", object_id=membership.id,
           branch_id=branch.id, user_id=user.id)
    forget_cached_roles()
    return membership


def pending_applications(branch: Branch) -> list[Membership]:
    query = (sa.select(Membership).where(Membership.branch_id == branch.id,
                                         Membership.status == MembershipStatus.PENDING)
             .options(sa.orm.joinedload(Membership.user))
             .order_by(Membership.created_at, Membership.id))
    return list(db.session.scalars(query))


def decide_application(membership: Membership, approve: bool, message: str = "", *,
                       actor: User) -> None:
    """Approve or decline a pending application and tell the applicant."""
    if membership.status != MembershipStatus.PENDING:
        raise MembershipError(_("This application has already been decided."))
    membership.status = MembershipStatus.APPROVED if approve else MembershipStatus.DECLINED
    membership.decided_at = utcnow()
    membership.decided_by_id = actor.id
    membership.decision_message = message.strip()
    if not approve:
        membership.is_primary = False
    applicant, branch = membership.user, membership.branch
    notify(applicant, "membership_approved" if approve else "membership_declined",
           branch=branch,
                message=membership.decision_message,
                link=_link("directory.index") if approve else _link("branches.index"))
    record("membership.approve" if approve else "membership.decline", actor=actor,
           object_type="membership", object_id=membership.id, branch_id=branch.id,
           user_id=applicant.id, message=membership.decision_message)


def _pass_primary_on(user: User, leaving: Membership) -> None:
    if not leaving.is_primary:
        return
    leaving.is_primary = False
    for other in memberships_of_user(user.id):
        if other is not leaving and other.status == MembershipStatus.APPROVED:
            other.is_primary = True
            return


def leave_branch(membership: Membership, *, actor: User) -> None:
    """The member leaves; their profile stays, shown in their other branches."""
    _refuse_last_officer(membership)
    _pass_primary_on(membership.user, membership)
    record("membership.leave", actor=actor, object_type="membership", object_id=membership.id,
           branch_id=membership.branch_id, user_id=membership.user_id)
    db.session.delete(membership)
    forget_cached_roles()


def set_primary(membership: Membership, *, actor: User) -> None:
    if membership.status != MembershipStatus.APPROVED:
        raise MembershipError(_("Only a branch you are a member of can be your primary branch."))
    for other in memberships_of_user(membership.user_id):
        other.is_primary = other is membership
    record("membership.primary", actor=actor, object_type="membership",
           object_id=membership.id, branch_id=membership.branch_id, user_id=membership.user_id)


def lapse_membership(membership: Membership, *, actor: User) -> None:
    if membership.status != MembershipStatus.APPROVED:
        raise MembershipError(_("Only an approved membership can lapse."))
    _refuse_last_officer(membership)
    membership.status = MembershipStatus.LAPSED
    membership.role = MemberRole.MEMBER
    membership.decided_at, membership.decided_by_id = utcnow(), actor.id
    _pass_primary_on(membership.user, membership)
    record("membership.lapse", actor=actor, object_type="membership", object_id=membership.id,
           branch_id=membership.branch_id, user_id=membership.user_id)


def reinstate_membership(membership: Membership, *, actor: User) -> None:
    if membership.status != MembershipStatus.LAPSED:
        raise MembershipError(_("Only a lapsed membership can be reinstated."))
    membership.status = MembershipStatus.APPROVED
    membership.decided_at, membership.decided_by_id = utcnow(), actor.id
    membership.is_primary = not _has_primary(membership.user, membership.branch_id)
    record("membership.reinstate", actor=actor, object_type="membership",
           object_id=membership.id, branch_id=membership.branch_id, user_id=membership.user_id)


def remove_membership(membership: Membership, *, actor: User) -> None:
    """Remove a member; the audit entry keeps what `restore_membership` needs to undo it."""
    _refuse_last_officer(membership)
    _pass_primary_on(membership.user, membership)
    record("membership.remove", actor=actor, object_type="membership", object_id=membership.id,
           branch_id=membership.branch_id, user_id=membership.user_id,
           role=membership.role.value, status=membership.status.value)
    db.session.delete(membership)
    forget_cached_roles()


# How long the roster offers to undo a removal.
RESTORE_DAYS = 30


def recently_removed(branch: Branch) -> list[tuple[AuditEntry, User]]:
    """People removed from the branch in the last RESTORE_DAYS days who have not come back."""
    since = utcnow() - timedelta(days=RESTORE_DAYS)
    entries = db.session.scalars(sa.select(AuditEntry).where(
        AuditEntry.branch_id == branch.id, AuditEntry.action == "membership.remove",
        AuditEntry.created_at >= since).order_by(AuditEntry.id.desc())).all()
    user_ids = {e.payload.get("user_id") for e in entries}
    back = set(db.session.scalars(sa.select(Membership.user_id).where(
        Membership.branch_id == branch.id, Membership.user_id.in_(user_ids))))
    users = {u.id: u for u in db.session.scalars(sa.select(User).where(
        User.id.in_(user_ids - back)))}
    found: dict[int, tuple[AuditEntry, User]] = {}
    for entry in entries:
        uid = entry.payload.get("user_id")
        if uid in users and uid not in found:
            found[uid] = (entry, users[uid])
    return list(found.values())


def restore_membership(branch: Branch, user_id: int, *, actor: User) -> Membership:
    """Undo a recent removal: the person is back with the role and status they had."""
    removal = next((e for e, u in recently_removed(branch) if u.id == user_id), None)
    if removal is None:
        raise MembershipError(_("There is no recent removal of this person to undo."))
    user = db.session.get(User, user_id)
    status = MembershipStatus(removal.payload.get("status", "approved"))
    membership = Membership(user_id=user.id, branch_id=branch.id, status=status,
                            role=MemberRole(removal.payload.get("role", "member")),
                            decided_at=utcnow(), decided_by_id=actor.id,
                            is_primary=status == MembershipStatus.APPROVED
                            and not _has_primary(user, branch.id))
    db.session.add(membership)
    db.session.flush()
    record("membership.restore", actor=actor, object_type="membership", object_id=membership.id,
           branch_id=branch.id, user_id=user.id)
    forget_cached_roles()
    return membership


def promote_officer(membership: Membership, *, actor: User) -> None:
    """Make an approved member an officer (admins appoint a branch's first officer)."""
    if membership.status != MembershipStatus.APPROVED:
        raise MembershipError(_("Only an approved member can become an officer."))
    if membership.role == MemberRole.OFFICER:
        raise MembershipError(_("This member is already an officer."))
    membership.role = MemberRole.OFFICER
    record("membership.promote", actor=actor, object_type="membership",
           object_id=membership.id, branch_id=membership.branch_id, user_id=membership.user_id)


def demote_officer(membership: Membership, *, actor: User) -> None:
    if membership.role != MemberRole.OFFICER:
        raise MembershipError(_("This member is not an officer."))
    _refuse_last_officer(membership)
    membership.role = MemberRole.MEMBER
    record("membership.demote", actor=actor, object_type="membership",
           object_id=membership.id, branch_id=membership.branch_id, user_id=membership.user_id)


ROSTER_ACTIONS = {
    "lapse": lapse_membership,
    "reinstate": reinstate_membership,
    "remove": remove_membership,
    "promote": promote_officer,
    "demote": demote_officer,
}
