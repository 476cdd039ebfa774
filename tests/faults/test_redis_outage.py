"""Redis going away while REDIS_URL is set: pages keep serving (caches skipped), rate
limits count in memory, mail stays in the outbox for `flask send-mail`, and the log says
so once per outage, not once per request. Against the machine's real Redis through a
relay that is stopped and started (skipped when Redis is not running)."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa

from jetaa.core import outages
from jetaa.mail.models import OutboxMessage, OutboxStatus
from tests.conftest import PASSWORD, TEST_REDIS_URL
from tests.faults.proxy import Relay


@pytest.fixture
def relayed_redis(redis_db, monkeypatch):  # noqa: ANN001, ANN201
    from redis.connection import parse_url

    where = parse_url(TEST_REDIS_URL)
    relay = Relay(where.get("host", "127.0.0.1"), where.get("port", 6379))
    relay.start()
    monkeypatch.setattr(outages, "_down", {})
    yield relay, f"redis://127.0.0.1:{relay.port}/{where.get('db', 1)}"
    relay.stop()


@pytest.fixture
def redis_app(make_app, relayed_redis):  # noqa: ANN001, ANN201
    relay, url = relayed_redis
    app = make_app(REDIS_URL=url, CACHE_TTL=60, RATELIMIT_ENABLED=True)
    return app, relay


def _warnings(caplog, text: str) -> list[str]:  # noqa: ANN001
    return [r.getMessage() for r in caplog.records
            if r.levelno >= logging.WARNING and text in r.getMessage()]


def test_pages_keep_serving_and_the_log_says_so_once(redis_app, world, caplog, monkeypatch):
    app, relay = redis_app
    client = app.test_client()
    assert client.get("/branches").status_code == 200  # its list kept in Redis
    relay.stop()
    with caplog.at_level(logging.WARNING):
        statuses = [client.get(url).status_code
                    for url in ["/branches", "/events.ics", "/branches/home/events"] * 5]
    assert statuses == [200] * 15
    assert len(_warnings(caplog, "Redis (page cache) unavailable")) == 1
    relay.start()
    monkeypatch.setattr(outages, "RETRY_SECONDS", 0)
    with caplog.at_level(logging.WARNING):
        assert client.get("/branches").status_code == 200
    assert _warnings(caplog, "Redis (page cache) is back")


def test_mail_stays_in_the_outbox_and_sign_in_still_works(redis_app, make_user, db, caplog):
    app, relay = redis_app
    relay.stop()
    make_user(email="kim@example.com")
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        for n in range(3):
            response = client.post("/register", data={
                "name": f"New Person {n}", "email": f"new{n}@example.com",
                "password": PASSWORD, "confirm": PASSWORD})
            assert response.status_code == 302
        assert client.post("/login", data={"email": "kim@example.com",
                                           "password": PASSWORD}).status_code == 302
    pending = db.scalars(sa.select(OutboxMessage.status)).all()
    assert pending == [OutboxStatus.PENDING] * 3
    assert len(_warnings(caplog, "Redis (mail queue) unavailable")) == 1
