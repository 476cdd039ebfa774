"""Reference data about Japan that several features share."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jetaa.db import Base, utcnow


class Prefecture(Base):
    __tablename__ = "prefectures"

    # The JIS X 0401 code (1 = Hokkaido ... 47 = Okinawa).
    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    slug: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    name_ja: Mapped[str] = mapped_column(sa.String(40))
    region: Mapped[str] = mapped_column(sa.String(40))
    region_ja: Mapped[str] = mapped_column(sa.String(40), default="")


class RecruitmentDate(Base):
    """One stage of one country's JET recruitment for one intake, as an admin set it.

    Stages without a row fall back to the months in jetaa/data/recruitment_cycle.json.
    """

    __tablename__ = "recruitment_dates"
    __table_args__ = (
        sa.UniqueConstraint("country", "intake", "stage",
                            name="uq_recruitment_dates_country_intake_stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(sa.String(2))
    # The year the intake leaves for Japan: the 2027 intake applies from September 2026.
    intake: Mapped[int]
    stage: Mapped[str] = mapped_column(sa.String(40))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
