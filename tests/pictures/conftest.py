from tests.announcements.conftest import make_announcement  # noqa: F401  (announcement images)
from tests.events.conftest import make_event  # noqa: F401  (event images)
