"""The declarative base shared by every feature's models."""

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores instants in UTC and always gives back aware datetimes.

    SQLite has no time zones, so without this the same column would come back
    naive on SQLite and aware on PostgreSQL.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def str_enum(enum_class: type, name: str, length: int = 20) -> sa.Enum:
    """An enum column stored as its string values with a CHECK constraint.

    Portable across SQLite and PostgreSQL and readable in plain SQL.
    """
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        length=length,
        create_constraint=True,
        values_callable=lambda members: [m.value for m in members],
    )


# Text-search structures made by hand in migration 0002_membership (an FTS5 table and
# its shadow tables on SQLite, a pg_trgm index on PostgreSQL): not in the models, so
# Alembic's model comparison must not see them.
SEARCH_INDEX_OBJECTS = ("users_name_fts", "ix_users_name_key_trgm")


def include_in_autogenerate(obj: Any, name: str | None, type_: str, reflected: bool,
                            compare_to: Any) -> bool:
    """Alembic's include_object hook (given to Flask-Migrate as a configure arg)."""
    return not (name or "").startswith(SEARCH_INDEX_OBJECTS)
