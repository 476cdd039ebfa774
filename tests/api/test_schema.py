"""schemathesis against the generated document, through the WSGI app (no server): no input
gives a 500, and every answer matches the documented status codes, headers and schemas.

A bounded number of examples per operation on a seeded database (the `world` of every role
and a few events), with a write token of an approved member, so it stays well under a
minute on two cores.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from config import TestingConfig
from jetaa import create_app
from jetaa.api.models import ApiToken, Scope, hash_token
from jetaa.extensions import db

EXAMPLES = 25


# The document as the app serves it, read once at collection from an app of its own
# (schemathesis's lazy fixture loading does not work with this pytest); the `isolated`
# fixture then sends every request of the test to the suite's app.
DOCUMENT_APP = create_app(TestingConfig)


# The seeded member's write token, known here so schemathesis sends it itself (and can
# check that the operations documented as needing it refuse requests without it). The
# directory's filters offer the branches, countries, industries ... of the data: a value
# the data does not offer is a documented 400 (as on the page), not a broken promise.
SECRET = "jetaa_schemathesis-" + "s" * 24
# So is a period the impact figures cannot show (longer than eleven years, or backwards),
# and an activity's rules across fields (it ends after it starts and before today, hours
# the volunteers could give) are the activities service's 422.
DEFAULT = ["2xx", "3xx", "401", "403", "404", "409", "429"]
DOCUMENTED_400 = {"positive_data_acceptance": {"expected-statuses": [*DEFAULT, "400"]}}
DOCUMENTED_422 = {"positive_data_acceptance": {"expected-statuses": [*DEFAULT, "422"]}}
CONFIG = SchemathesisConfig.from_dict({
    "auth": {"openapi": {"token": {"bearer": SECRET}}},
    "operations": [
        *({"include-path": path, "checks": DOCUMENTED_400} for path in (
            "/api/v1/directory", "/api/v1/branches/{slug}/activity-totals")),
        *({"include-name": name, "checks": DOCUMENTED_422} for name in (
            "POST /api/v1/branches/{slug}/activities",
            "POST /api/v1/outreach/missions/{slug}/requests",
            "PUT /api/v1/outreach/requests/{request_id}"))]})
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", DOCUMENT_APP, config=CONFIG)


@pytest.fixture
def seeded(world, events):  # noqa: ANN001
    db.session.add(ApiToken(user_id=world.users["member"].id, name="schemathesis", scope=Scope.WRITE,
                    token_hash=hash_token(SECRET), hint=SECRET[6:12]))
    db.session.commit()


@pytest.fixture
def isolated(app, monkeypatch):  # noqa: ANN001, ANN201
    """Every request of the test, schemathesis's checks' own too, to the suite's app, each
    in its own app context and `g` as in production (tests/conftest.py IsolatedClient does
    the same for the test client), not in the test's."""

    def wsgi_app(environ, start_response):  # noqa: ANN001, ANN202
        with app.app_context():
            body = b"".join(app.wsgi_app(environ, start_response))
        db.session.expire_all()
        return [body]

    monkeypatch.setattr(DOCUMENT_APP, "wsgi_app", wsgi_app)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_to_its_document(isolated, case, seeded):  # noqa: ANN001
    # The WSGI transport does not decompress what Flask-Compress compressed; HTTP clients do.
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
