"""Branches: the JETAA chapters, each in a mission's jurisdiction."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.db import Base, str_enum, utcnow
from jetaa.missions.models import Mission


class JoinPolicy(enum.StrEnum):
    OPEN = "open"
    APPROVAL = "approval"


class Branch(Base):
    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    country_name: Mapped[str] = mapped_column(sa.String(80))
    region: Mapped[str] = mapped_column(sa.String(200), default="")
    grouping: Mapped[str] = mapped_column(sa.String(80))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    logo_name: Mapped[str | None] = mapped_column(sa.String(64))  # pictures/storage.py
    description: Mapped[str] = mapped_column(sa.Text, default="")
    join_policy: Mapped[JoinPolicy] = mapped_column(
        str_enum(JoinPolicy, "join_policy"), default=JoinPolicy.APPROVAL
    )
    mission_id: Mapped[int | None] = mapped_column(sa.ForeignKey("missions.id"), index=True)
    # False once the branch has left jetaa/data/branches.json: it keeps its members and
    # history but is hidden from lists and pickers and takes no new members.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    mission: Mapped[Mission | None] = relationship()

    def __repr__(self) -> str:
        return f"<Branch {self.slug}>"
