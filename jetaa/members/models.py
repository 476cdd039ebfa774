"""The alumni profile: it belongs to the person, not to a branch."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.db import Base, str_enum, utcnow


class JetRole(enum.StrEnum):
    ALT = "ALT"
    CIR = "CIR"
    SEA = "SEA"


class Visibility(enum.StrEnum):
    """Who may see a profile (or, for contact details, the contact fields)."""

    HIDDEN = "hidden"  # contact details only: nobody but the member (and admins)
    OFFICERS = "officers"  # officers of the member's branches
    BRANCHES = "branches"  # approved members of the member's branches
    FEDERATION = "federation"  # every approved member of any branch


class AlumniProfile(Base):
    __tablename__ = "alumni_profiles"
    __table_args__ = (
        sa.CheckConstraint("end_year IS NULL OR start_year IS NULL OR end_year >= start_year",
                           name="years_in_order"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    jet_role: Mapped[JetRole | None] = mapped_column(
        str_enum(JetRole, "jet_role", length=8)
    )
    prefecture_code: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prefectures.code"), index=True
    )
    municipality: Mapped[str] = mapped_column(sa.String(120), default="")
    contracting_organisation: Mapped[str] = mapped_column(sa.String(160), default="")
    start_year: Mapped[int | None] = mapped_column(index=True)
    end_year: Mapped[int | None]
    home_country: Mapped[str] = mapped_column(sa.String(2), default="")
    current_city: Mapped[str] = mapped_column(sa.String(120), default="")
    occupation: Mapped[str] = mapped_column(sa.String(120), default="")
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "profile_visibility"), default=Visibility.BRANCHES
    )
    contact_visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "contact_visibility"), default=Visibility.HIDDEN
    )
    open_to_recruitment: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    open_to_mentoring: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
