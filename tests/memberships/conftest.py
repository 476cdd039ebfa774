"""Fixtures for the memberships feature: applications and rosters carry profiles."""

from tests.members.conftest import make_profile, prefectures  # noqa: F401
