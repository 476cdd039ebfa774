"""Fixtures for the branch tests: a SQL statement counter."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from jetaa.extensions import db


@contextmanager
def _counting() -> Iterator[list[str]]:
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, *args):  # noqa: ANN001, ANN002
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
def count_queries() -> Callable[[], object]:
    """`with count_queries() as statements:` collects the SQL run inside the block."""
    return _counting
