"""The site's one cache: parts that are the same for every viewer who sees them.

Redis when REDIS_URL is configured (shared by every worker), otherwise process
memory. Values must be JSON-serialisable. CACHE_TTL = 0 turns caching off.

What is kept, and why (measured under the mixed bench, bench/README.md):
- figures and lists that read many rows and change rarely: member counts, the branch
  list, the directory's filter lists, the name words for typo search (CACHE_TTL);
- the public feeds, keyed by the minute too, so a change shows within a minute: calendar
  apps poll the same few addresses again and again.
Not kept: any page, or page part, for anyone. Under the mix an event's rendered Markdown
was asked for again 1% of the time (rendering costs less than 0.1 ms) and the visitors'
calendar never (0 of 80), so both went.
Nothing that holds a form, a CSRF token or one viewer's data is kept here.
"""

import atexit
import contextlib
import itertools
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy.orm import Session

from jetaa.core import outages
from jetaa.extensions import db

logger = logging.getLogger(__name__)
_SERVICE = "Redis (page cache)"
_local: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()
# Above this many keys, expired entries are dropped when a new one is stored.
_PRUNE_ABOVE = 2000


MISSING: Any = object()  # what get() answers for a key it does not hold
# Process memory holds at most this many entries: past it, the oldest go first.
_MAX_LOCAL = 2000  # page parts are 5-40 kB: tens of MB at most per worker


def query_args(args: Any, names: frozenset[str]) -> list[tuple[str, str]]:
    """The query string's values for `names` only, in a stable order: a key part (and
    links) that made-up parameters cannot multiply."""
    return sorted((k, v) for k, v in args.items(multi=True) if k in names)


def minute() -> str:
    """A key part that changes every minute: parts kept with it show a change within a
    minute, and what depends on the time ("from now on", "today") stays right."""
    return str(int(time.time() // 60))  # minutes since the epoch


def key_of(*parts: object) -> str:
    """A cache key made of its parts: key_of("calendar", 12, "ja") == "calendar:12:ja"."""
    return ":".join(str(part) for part in parts)


def _redis() -> Any:
    """One client (and connection pool) per app, made on first use."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients = current_app.extensions.setdefault("jetaa_cache_redis", {})
    if url not in clients:
        from redis import Redis

        clients[url] = Redis.from_url(url, socket_timeout=0.5,
                                      socket_connect_timeout=0.5)
    return clients[url]


def get(key: str) -> Any:
    """The stored value, or MISSING (also when Redis is unreachable)."""
    value = _get(f"jetaa:cache:{key}")
    if current_app.config.get("CACHE_STATS_FILE"):
        _tally(key, value is not MISSING)
    return value


def _get(key: str) -> Any:
    client = _redis()
    if client is not None:
        if outages.skip(_SERVICE):
            return MISSING
        try:
            raw = client.get(key)
        except RedisError as error:
            outages.failed(_SERVICE, error, "pages are computed without the cache")
            return MISSING
        outages.worked(_SERVICE)
        return MISSING if raw is None else json.loads(raw)
    with _lock:
        hit = _local.get(key)
    if hit is None or hit[0] <= time.monotonic():
        return MISSING
    return json.loads(hit[1])


# Hit rates per kind of entry, when CACHE_STATS_FILE is set (the mixed bench sets it): each
# process writes {kind: [hits, misses]} to CACHE_STATS_FILE.<pid>.json as it exits.
_stats: dict[str, list[int]] = {}


def _tally(key: str, hit: bool) -> None:
    parts = key.split(":")
    kind = ":".join(parts[:2]) if parts[0] in ("members", "branches") else parts[0]
    if not _stats:
        atexit.register(_write_stats, current_app.config["CACHE_STATS_FILE"])
    _stats.setdefault(kind, [0, 0])[0 if hit else 1] += 1


def _write_stats(path: str) -> None:
    with open(f"{path}.{os.getpid()}.json", "w", encoding="utf-8") as out:
        json.dump(_stats, out)


def put(key: str, value: Any, ttl: int | None = None) -> None:
    """Keep `value` for `ttl` seconds (default CACHE_TTL; 0 keeps nothing)."""
    ttl = current_app.config["CACHE_TTL"] if ttl is None else ttl
    if ttl <= 0:
        return
    key, raw = f"jetaa:cache:{key}", json.dumps(value)
    client = _redis()
    if client is not None:
        if outages.skip(_SERVICE):
            return
        try:
            client.set(key, raw, ex=ttl)
        except RedisError as error:
            outages.failed(_SERVICE, error, "pages are computed without the cache")
        return
    now = time.monotonic()
    with _lock:
        if len(_local) >= _PRUNE_ABOVE:
            for stale in [k for k, (expires, _) in _local.items() if expires <= now]:
                del _local[stale]
            for oldest in list(itertools.islice(_local, max(0, len(_local) - _MAX_LOCAL + 1))):
                del _local[oldest]
        _local[key] = (now + ttl, raw)


def cached(key: str, compute: Callable[[], Any], ttl: int | None = None) -> Any:
    """compute()'s value, reused for `ttl` seconds (default CACHE_TTL)."""
    ttl = current_app.config["CACHE_TTL"] if ttl is None else ttl
    if ttl <= 0:
        return compute()
    value = get(key)
    if value is MISSING:
        value = compute()
        put(key, value, ttl)
    return value


def clear(prefix: str = "") -> None:
    """Drop every entry whose key starts with `prefix` (all of them by default)."""
    prefix = f"jetaa:cache:{prefix}"
    with _lock:
        for key in [k for k in _local if k.startswith(prefix)]:
            del _local[key]
    client = _redis()
    if client is not None and not outages.skip(_SERVICE):
        with contextlib.suppress(RedisError):
            keys = list(client.scan_iter(f"{prefix}*", count=500))
            for start in range(0, len(keys), 500):
                client.delete(*keys[start:start + 500])


# The lists made of reference data (branches, prefectures, missions), kept for CACHE_TTL.
REFERENCE_LISTS = ("branches:", "members:branch-refs", "members:prefecture-refs",
                   "members:directory-filters")


def forget_reference_lists() -> None:
    """Reference data changes in this transaction: once it commits, the lists made of it
    are made afresh (in this process and in Redis; other workers' process memory within
    CACHE_TTL)."""
    db.session().info[_FORGET] = True


_FORGET = "forget_reference_lists"


@sa.event.listens_for(Session, "after_commit")
def _forget_reference_lists(session: Session) -> None:
    if session.info.pop(_FORGET, None):
        for prefix in REFERENCE_LISTS:
            clear(prefix)


@sa.event.listens_for(Session, "after_rollback")
def _keep_reference_lists(session: Session) -> None:
    session.info.pop(_FORGET, None)


def forget(key: str) -> None:
    key = f"jetaa:cache:{key}"
    with _lock:
        _local.pop(key, None)
    client = _redis()
    if client is not None and not outages.skip(_SERVICE):
        with contextlib.suppress(RedisError):
            client.delete(key)
