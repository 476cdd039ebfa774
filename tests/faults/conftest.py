"""Fault tests: the app against real servers that go away and come back, workers killed."""

from tests.auth.conftest import make_app  # noqa: F401 - a second app with changed settings
from tests.events.conftest import make_event  # noqa: F401
