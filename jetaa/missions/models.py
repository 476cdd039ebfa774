"""Japan's overseas missions and the staff who act for them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.db import Base, str_enum, utcnow


class MissionKind(enum.StrEnum):
    EMBASSY = "embassy"
    CONSULATE_GENERAL = "consulate_general"
    CONSULAR_OFFICE = "consular_office"


class Mission(Base):
    __tablename__ = "missions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(160))
    name_ja: Mapped[str] = mapped_column(sa.String(160), default="")
    kind: Mapped[MissionKind] = mapped_column(
        str_enum(MissionKind, "mission_kind")
    )
    country: Mapped[str] = mapped_column(sa.String(2), index=True)
    city: Mapped[str] = mapped_column(sa.String(120))
    timezone: Mapped[str] = mapped_column(sa.String(64))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    # False once the mission has left jetaa/data/missions.json (closed or merged): its
    # page and staff stay, but it is hidden from lists and pickers.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def __repr__(self) -> str:
        return f"<Mission {self.slug}>"


class MissionStaff(Base):
    __tablename__ = "mission_staff"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "mission_id", name="uq_mission_staff_user_mission"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mission_id: Mapped[int] = mapped_column(sa.ForeignKey("missions.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
    mission: Mapped[Mission] = relationship()
