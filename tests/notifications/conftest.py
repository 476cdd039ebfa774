from tests.events.conftest import make_event  # noqa: F401  (event mail honours the settings)
