"""A mission's people and area: staff appointed and removed, the branches it asks by default."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from jetaa.audit.services import record
from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.extensions import db
from jetaa.missions.models import Mission, MissionStaff
from jetaa.outreach.models import OutreachError


def staff_of(mission_id: int) -> list[User]:
    """The mission's staff, by name (its pages list them; its mail goes to each)."""
    return list(db.session.scalars(
        sa.select(User).join(MissionStaff, MissionStaff.user_id == User.id)
        .where(MissionStaff.mission_id == mission_id).order_by(User.name, User.id)))


def add_staff(mission: Mission, email: str, *, actor: User) -> User:
    """Appoint the account with this address (admins appoint the first, staff their colleagues)."""
    person = db.session.scalar(sa.select(User).where(
        sa.func.lower(User.email) == email.strip().lower()))
    if person is None:
        raise OutreachError(_l("No account has this address: ask your colleague to register "
                               "first."))
    if db.session.scalar(sa.select(MissionStaff.id).where(
            MissionStaff.user_id == person.id, MissionStaff.mission_id == mission.id)):
        raise OutreachError(_l("%(name)s is already on the staff.", name=person.name))
    db.session.add(MissionStaff(user_id=person.id, mission_id=mission.id))
    record("mission.staff_add", actor=actor, object_type="mission", object_id=mission.id,
           member=person.id)
    return person


def remove_staff(mission: Mission, user_id: int, *, actor: User) -> None:
    row = db.session.scalar(sa.select(MissionStaff).where(
        MissionStaff.user_id == user_id, MissionStaff.mission_id == mission.id))
    if row is None:
        raise OutreachError(_l("That person is not on the staff."))
    db.session.delete(row)
    record("mission.staff_remove", actor=actor, object_type="mission", object_id=mission.id,
           member=user_id)


def set_area(mission: Mission, branch_ids: set[int], *, actor: User) -> list[list]:
    """Put exactly these (active) branches in the mission's area; a branch is in one area."""
    moved = []
    for branch in db.session.scalars(sa.select(Branch).where(Branch.active)):
        if branch.id in branch_ids and branch.mission_id != mission.id:
            moved.append([branch.slug, branch.mission_id, mission.id])
            branch.mission_id = mission.id
        elif branch.id not in branch_ids and branch.mission_id == mission.id:
            moved.append([branch.slug, mission.id, None])
            branch.mission_id = None
    if moved:
        record("mission.area", actor=actor, object_type="mission", object_id=mission.id,
               moved=moved)
    return moved
