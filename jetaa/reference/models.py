"""Reference data about Japan that several features share."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jetaa.db import Base


class Prefecture(Base):
    __tablename__ = "prefectures"

    # The JIS X 0401 code (1 = Hokkaido ... 47 = Okinawa).
    code: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    slug: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    name_ja: Mapped[str] = mapped_column(sa.String(40))
    region: Mapped[str] = mapped_column(sa.String(40))
    region_ja: Mapped[str] = mapped_column(sa.String(40), default="")
