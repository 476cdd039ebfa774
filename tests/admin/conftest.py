"""Fixtures for the admin tests."""

from tests.branches.conftest import count_queries  # noqa: F401  (the SQL statement counter)
