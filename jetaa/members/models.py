"""The alumni profile: it belongs to the person, not to a branch.

One profile per account, shown in every branch where the person is a member.
JET placements and languages are rows of small tables: someone can have been an
ALT in Hyogo and later a CIR in Kobe, and speak several languages.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jetaa.auth.models import User
from jetaa.db import Base, str_enum, utcnow
from jetaa.reference.models import Prefecture


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


class JapaneseLevel(enum.StrEnum):
    NONE = "none"
    BASIC = "basic"
    CONVERSATIONAL = "conversational"
    BUSINESS = "business"
    FLUENT = "fluent"
    NATIVE = "native"


class Jlpt(enum.StrEnum):
    N1 = "N1"
    N2 = "N2"
    N3 = "N3"
    N4 = "N4"
    N5 = "N5"


class AlumniProfile(Base):
    __tablename__ = "alumni_profiles"
    __table_args__ = (
        # The directory's country filter, its "by JET years" order within a country, and
        # its years filter's first test (first_year <= to, last_year >= from) on the index.
        sa.Index("ix_alumni_profiles_country_first", "home_country", "first_year", "last_year"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Derived, never typed: the earliest first year of the placements, written only by
    # services.profiles.set_placements (and the demo data). Kept because the directory's
    # "by JET years" order walks an index on it (alone and after home_country) and stops
    # after a page; a MIN over the placements per row would sort every match instead.
    first_year: Mapped[int | None] = mapped_column(index=True)
    # Derived the same way: the latest year on JET (each placement's last year, or its first
    # without one). On JET in some year of [from, to] needs first_year <= to and
    # last_year >= from, which the directory asks of the index before the placements.
    last_year: Mapped[int | None] = mapped_column()
    home_country: Mapped[str] = mapped_column(sa.String(2), default="")
    current_city: Mapped[str] = mapped_column(sa.String(120), default="")
    occupation: Mapped[str] = mapped_column(sa.String(120), default="")
    industry: Mapped[str] = mapped_column(sa.String(40), default="", index=True)
    employer: Mapped[str] = mapped_column(sa.String(160), default="")
    japanese_level: Mapped[JapaneseLevel | None] = mapped_column(
        str_enum(JapaneseLevel, "japanese_level")
    )
    jlpt_level: Mapped[Jlpt | None] = mapped_column(str_enum(Jlpt, "jlpt_level", length=4))
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    interests: Mapped[str] = mapped_column(sa.String(300), default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    website_url: Mapped[str] = mapped_column(sa.String(300), default="")
    linkedin_url: Mapped[str] = mapped_column(sa.String(300), default="")
    visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "profile_visibility"), default=Visibility.BRANCHES
    )
    contact_visibility: Mapped[Visibility] = mapped_column(
        str_enum(Visibility, "contact_visibility"), default=Visibility.HIDDEN
    )
    open_to_recruitment: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    open_to_mentoring: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Names of the fields the member has set themselves: a roster import never
    # overwrites these.
    member_set_fields: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    placements: Mapped[list[Placement]] = relationship(
        cascade="all, delete-orphan", order_by="Placement.position"
    )
    languages: Mapped[list[ProfileLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="ProfileLanguage.code"
    )

    @property
    def role_values(self) -> list[str]:
        """The JET roles of the placements, each once, in the order they were held."""
        return list(dict.fromkeys(p.role.value for p in self.placements if p.role))

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]


class Placement(Base):
    """One JET placement: a role in a town of a prefecture, from a first to a last year.

    Every field may be empty in the table (a roster import may know only the role, and
    migration 0015 kept a second role whose place and years were never recorded); the
    forms ask for all but the contracting organisation and the last year.
    """

    __tablename__ = "alumni_placements"
    __table_args__ = (
        sa.CheckConstraint("end_year IS NULL OR start_year IS NULL OR end_year >= start_year",
                           name="years_in_order"),
        sa.UniqueConstraint("user_id", "position"),
        # The directory, announcement and outreach filters: "has a placement with ...".
        sa.Index("ix_alumni_placements_prefecture_user", "prefecture_code", "user_id"),
        sa.Index("ix_alumni_placements_role_user", "role", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("alumni_profiles.user_id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)  # 0 first, in the order the member gave
    role: Mapped[JetRole | None] = mapped_column(str_enum(JetRole, "jet_role", length=8))
    prefecture_code: Mapped[int | None] = mapped_column(sa.ForeignKey("prefectures.code"))
    municipality: Mapped[str] = mapped_column(sa.String(120), default="")
    contracting_organisation: Mapped[str] = mapped_column(sa.String(160), default="")
    start_year: Mapped[int | None] = mapped_column(index=True)
    end_year: Mapped[int | None] = mapped_column(index=True)

    prefecture: Mapped[Prefecture | None] = relationship(lazy="joined")


class ProfileLanguage(Base):
    """A language the member speaks besides their mother tongue (ISO 639-1 code)."""

    __tablename__ = "alumni_languages"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("alumni_profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(sa.String(8), primary_key=True, index=True)
