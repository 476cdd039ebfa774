from tests.events.conftest import make_event  # noqa: F401  (the home lists events)
from tests.outreach.conftest import make_offer, make_request  # noqa: F401  (and missions' requests)
