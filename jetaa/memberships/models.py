"""Memberships: the rows that tie people to branches, with a role and a status."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.branches.models import Branch
from jetaa.db import Base, str_enum, utcnow


class MemberRole(enum.StrEnum):
    MEMBER = "member"
    OFFICER = "officer"

    @property
    def label(self) -> str:
        """The role as shown to people, in their language."""
        return _LABELS[self]


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    LAPSED = "lapsed"

    @property
    def label(self) -> str:
        """The status as shown to people, in their language."""
        return _LABELS[self]


# Spelled out (not built from the values) so that `pybabel extract` finds them.
_LABELS = {
    MemberRole.MEMBER: _l("Member"),
    MemberRole.OFFICER: _l("Officer"),
    MembershipStatus.PENDING: _l("Pending"),
    MembershipStatus.APPROVED: _l("Approved"),
    MembershipStatus.DECLINED: _l("Declined"),
    MembershipStatus.LAPSED: _l("Lapsed"),
}


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "branch_id", name="uq_memberships_user_branch"),
        # Rosters and counts by (branch, status); a branch's officers by role too, which
        # at 250,000 members read 4,600 rows of a branch through (branch, status) alone.
        sa.Index("ix_memberships_branch_status_role", "branch_id", "status", "role"),
        # The count of members (distinct people with an approved membership) read in user
        # order, and "is this person an approved member" without reading the row.
        sa.Index("ix_memberships_user_status", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id", ondelete="CASCADE"))
    role: Mapped[MemberRole] = mapped_column(
        str_enum(MemberRole, "member_role"), default=MemberRole.MEMBER
    )
    status: Mapped[MembershipStatus] = mapped_column(
        str_enum(MembershipStatus, "membership_status"), default=MembershipStatus.PENDING
    )
    is_primary: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    # What the applicant wrote to the officers, and the officer's reply.
    application_message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    decision_message: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    branch: Mapped[Branch] = relationship()

    @property
    def is_approved(self) -> bool:
        return self.status == MembershipStatus.APPROVED

    @property
    def is_officer(self) -> bool:
        return self.is_approved and self.role == MemberRole.OFFICER


class RosterInvitation(Base):
    """Someone a roster import invited to the branch, shown on the roster until they join.

    Made for every address an import adds, with or without an account, so that the roster
    (and the import's answer) is the same whatever accounts exist; the name is the one in
    the officer's file, never the account's.
    """

    __tablename__ = "roster_invitations"
    __table_args__ = (sa.UniqueConstraint("branch_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"))
