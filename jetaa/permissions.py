"""Who someone is: roles loaded once per request, the decorators, and `require`.

Roles are data: `User.is_admin` (federation admin), a `Membership` row with a
role and a status (branch member / officer), a `MissionStaff` row (mission
staff). The questions about one feature's objects live beside that feature,
in `<feature>/permissions.py` (`can_manage_branch`, `can_view_event`,
`can_see_profile` ...), each next to its SQL form where lists need one; they
are built from the answers here. Views ask them; templates call the same
functions (each feature makes its questions template globals).
"""

from collections.abc import Callable
from functools import cache, wraps
from typing import Any

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user
from sqlalchemy.orm import contains_eager

from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.memberships.models import Membership, MembershipStatus
from jetaa.missions.models import MissionStaff


def signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def load_with_roles(user_id: int, login_session: str | None = None) -> Any:
    """The account with its memberships (and their branches) and whether it is on a
    mission's staff, in one query: what every page of a signed-in
    person asks (the layout's navigation, the permission questions).

    With `login_session`, None unless that session of the account exists (logged out
    sessions do not), loaded in the same query (`user.login_session`).
    """
    rows = db.session.execute(_with_roles(), {"user_id": user_id,
                                              "session_id": login_session or ""}).all()
    if not rows:
        return None
    user, _membership, staff, session_row = rows[0]
    if login_session is not None:
        if session_row is None:
            return None
        user.login_session = session_row
    _remember(user, [m for _user, m, _s, _i in rows if m is not None])
    if not staff:
        g.setdefault("_missions", {})[user.id] = set()
    return user


@cache
def _with_roles() -> sa.Select:
    # Built once: putting this statement together costs more than running it.
    from jetaa.auth.models import LoginSession, User

    is_staff = sa.exists().where(MissionStaff.user_id == User.id)
    return (sa.select(User, Membership, is_staff, LoginSession)
            .outerjoin(LoginSession, sa.and_(LoginSession.id == sa.bindparam("session_id"),
                                             LoginSession.user_id == User.id))
            .outerjoin(Membership, Membership.user_id == User.id)
            .outerjoin(Branch, Branch.id == Membership.branch_id)
            .options(contains_eager(Membership.branch))
            .where(User.id == sa.bindparam("user_id")))


def _remember(user: Any, memberships: list[Membership]) -> None:
    g.setdefault("_memberships", {})[user.id] = {m.branch_id: m for m in memberships}


def memberships_of(user: Any) -> dict[int, Membership]:
    """The user's memberships by branch id, loaded once per request (with the account,
    for the signed-in person: load_with_roles)."""
    if not signed_in(user):
        return {}
    cache: dict[int, dict[int, Membership]] = g.setdefault("_memberships", {})
    if user.id not in cache:
        _remember(user, list(db.session.scalars(
            sa.select(Membership).where(Membership.user_id == user.id))))
    return cache[user.id]


def forget_cached_roles() -> None:
    """Call after changing a membership within the same request."""
    g.pop("_memberships", None)
    g.pop("_missions", None)


def membership_in(user: Any, branch: Branch) -> Membership | None:
    return memberships_of(user).get(branch.id)


def is_admin(user: Any) -> bool:
    return signed_in(user) and bool(user.is_admin)


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
    if not signed_in(user):
        return set()
    cache: dict[int, set[int]] = g.setdefault("_missions", {})
    if user.id not in cache:
        cache[user.id] = set(db.session.scalars(
            sa.select(MissionStaff.mission_id).where(MissionStaff.user_id == user.id)
        ))
    return cache[user.id]


def is_mission_staff(user: Any) -> bool:
    return bool(mission_ids_of(user))


def approved_branch_ids(user: Any) -> set[int]:
    return {b for b, m in memberships_of(user).items() if m.status == MembershipStatus.APPROVED}


# Decorators ----------------------------------------------------------------

def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """401 for visitors (Flask-Login sends them to log in), 403 for everyone else."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from jetaa.extensions import login_manager

        if not signed_in(current_user):
            return login_manager.unauthorized()
        if not is_admin(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def require(allowed: bool) -> None:
    """Abort with 403 unless the question was answered yes."""
    if not allowed:
        abort(403)
