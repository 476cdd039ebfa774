"""The figures cache: process memory by default, Redis when configured."""

import pytest
import redis

from jetaa.core.cache import cached, forget
from tests.conftest import suite_redis_url

REDIS_URL = suite_redis_url(3)


def _counter():  # noqa: ANN202
    calls = []

    def compute() -> dict:
        calls.append(1)
        return {"n": len(calls)}

    return compute, calls


def test_ttl_zero_computes_every_time(app):
    compute, calls = _counter()
    assert cached("t0", compute, ttl=0) == {"n": 1}
    assert cached("t0", compute, ttl=0) == {"n": 2}


def test_memory_cache_reuses_the_value_until_forgotten(app):
    compute, calls = _counter()
    forget("mem")
    assert cached("mem", compute, ttl=60) == {"n": 1}
    assert cached("mem", compute, ttl=60) == {"n": 1}
    forget("mem")
    assert cached("mem", compute, ttl=60) == {"n": 2}
    assert len(calls) == 2


def test_redis_cache_is_shared(app, monkeypatch):
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.flushdb()
    except redis.ConnectionError:
        pytest.skip("Redis is not reachable")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    compute, calls = _counter()
    assert cached("shared", compute, ttl=60) == {"n": 1}
    assert client.ttl("jetaa:cache:shared") > 0
    assert cached("shared", compute, ttl=60) == {"n": 1}
    assert len(calls) == 1
    client.flushdb()


def test_unreachable_redis_falls_back_to_computing(app, monkeypatch):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    compute, calls = _counter()
    assert cached("down", compute, ttl=60) == {"n": 1}
    assert cached("down", compute, ttl=60) == {"n": 2}


def test_memory_cache_drops_expired_entries_when_it_grows(app, monkeypatch):
    from jetaa.core import cache

    monkeypatch.setattr(cache, "_PRUNE_ABOVE", 3)
    monkeypatch.setattr(cache, "_local", {})
    clock = [100.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])
    for key in ("a", "b", "c"):
        cached(key, lambda: 1, ttl=10)
    clock[0] += 20  # all three expired
    cached("d", lambda: 2, ttl=10)
    assert list(cache._local) == ["jetaa:cache:d"]


def test_memory_cache_keeps_at_most_its_cap_dropping_the_oldest(app, monkeypatch):
    from jetaa.core import cache

    monkeypatch.setattr(cache, "_PRUNE_ABOVE", 3)
    monkeypatch.setattr(cache, "_MAX_LOCAL", 3)
    monkeypatch.setattr(cache, "_local", {})
    for key in ("a", "b", "c", "d", "e"):
        cached(key, lambda: 1, ttl=60)  # none expires
    assert list(cache._local) == ["jetaa:cache:c", "jetaa:cache:d", "jetaa:cache:e"]


def test_get_and_put_and_key_of(app, monkeypatch):
    from jetaa.core import cache

    monkeypatch.setattr(cache, "_local", {})
    key = cache.key_of("part", 3, None, [("q", "x")])
    assert key == "part:3:None:[('q', 'x')]"
    assert cache.get(key) is cache.MISSING
    cache.put(key, ["title", "<p>body</p>"], ttl=60)
    assert cache.get(key) == ["title", "<p>body</p>"]
    cache.put("never", 1, ttl=0)
    assert cache.get("never") is cache.MISSING


def test_with_a_stats_file_each_process_counts_hits_and_misses_per_kind(app, monkeypatch,
                                                                       tmp_path):
    import json
    import os

    from jetaa.core import cache

    registered = []
    monkeypatch.setattr(cache, "_stats", {})
    monkeypatch.setattr(cache.atexit, "register", lambda fn, *args: registered.append((fn, args)))
    monkeypatch.setitem(app.config, "CACHE_STATS_FILE", str(tmp_path / "hits"))
    compute, calls = _counter()
    forget("members:branch-refs")
    for _ in range(3):
        cached("members:branch-refs", compute, ttl=60)
    cached("calendar:en:/events:2026-12", compute, ttl=60)
    assert len(calls) == 2
    assert cache._stats == {"members:branch-refs": [2, 1], "calendar": [0, 1]}
    ((write, args),) = registered  # one writer per process, run as it exits
    write(*args)
    written = json.loads((tmp_path / f"hits.{os.getpid()}.json").read_text())
    assert written == {"members:branch-refs": [2, 1], "calendar": [0, 1]}


def test_without_a_stats_file_nothing_is_counted(app, monkeypatch):
    from jetaa.core import cache

    monkeypatch.setattr(cache, "_stats", {})
    cached("members:total", _counter()[0], ttl=60)
    assert cache._stats == {}
