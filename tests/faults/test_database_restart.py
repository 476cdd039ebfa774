"""PostgreSQL restarting under load: requests meanwhile get a friendly 503, never a 500,
and the site recovers by itself within seconds once the server answers again.

The "restart" is a relay in front of the machine's real PostgreSQL, stopped for a couple
of seconds (every connection cut, new ones refused): the app's pool sees exactly what a
restart does to it, and nothing else on the machine is disturbed. Runs when the suite
runs on PostgreSQL (TEST_DATABASE_URL); skipped otherwise.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy.engine import make_url

from tests.faults.proxy import Relay

DOWN_SECONDS = 2.0
WORKERS = 4


@pytest.fixture
def relayed_app(app, make_app):  # noqa: ANN001, ANN201
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "postgresql":
        pytest.skip("needs the suite on PostgreSQL (TEST_DATABASE_URL)")
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    relay.start()
    relayed = url.set(host="127.0.0.1", port=relay.port)
    other = make_app(SQLALCHEMY_DATABASE_URI=relayed.render_as_string(hide_password=False),
                     SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": WORKERS,
                                                "connect_args": {"connect_timeout": 2}})
    yield other, relay
    relay.stop()
    from jetaa.extensions import db

    with other.app_context():
        db.engine.dispose()


def test_requests_during_a_restart_get_503_and_the_site_recovers(relayed_app, world):
    app, relay = relayed_app
    results: list[tuple[float, int]] = []
    stop = threading.Event()

    errors: list[BaseException] = []

    def load() -> None:
        client = app.test_client()
        while not stop.is_set():
            try:
                with app.app_context():  # the test client expires the thread's session
                    status = client.get("/branches").status_code
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
                return
            results.append((time.monotonic(), status))
            time.sleep(0.02)

    workers = [threading.Thread(target=load) for _ in range(WORKERS)]
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    down_at = time.monotonic()
    relay.stop()
    time.sleep(DOWN_SECONDS)
    up_at = time.monotonic()
    relay.start()
    time.sleep(3.0)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)

    assert errors == []
    statuses = Counter(status for _at, status in results)
    assert set(statuses) <= {200, 503}, statuses  # never a 500
    assert statuses[503] > 0, "the outage was seen"
    during = [s for at, s in results if down_at + 0.1 < at < up_at]
    assert during
    assert set(during) == {503}
    failures_after = [at for at, s in results if at > up_at and s != 200]
    recovered = (max(failures_after) if failures_after else up_at) - up_at
    print(f"\nrequests {len(results)}: {dict(statuses)}; "
          f"recovered {recovered:.2f} s after the server came back")
    assert recovered < 2.0
    assert [s for at, s in results if at > up_at + 2.0]
    assert {s for at, s in results if at > up_at + 2.0} == {200}


def test_the_503_page_is_friendly_and_says_when_to_retry(relayed_app, world):
    app, relay = relayed_app
    client = app.test_client()
    assert client.get("/branches").status_code == 200
    relay.stop()
    response = client.get("/branches")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "cannot reach its database" in response.get_data(as_text=True)
    relay.start()
