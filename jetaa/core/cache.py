"""A small cache for expensive read-only figures.

Redis when REDIS_URL is configured (shared by every worker), otherwise process
memory. Values must be JSON-serialisable. CACHE_TTL = 0 turns caching off.
"""

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import current_app
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
_local: dict[str, tuple[float, str]] = {}
_lock = threading.Lock()
# Above this many keys, expired entries are dropped when a new one is stored.
_PRUNE_ABOVE = 2000


def _redis() -> Any:
    from redis import Redis

    url = current_app.config.get("REDIS_URL")
    return Redis.from_url(url, socket_timeout=0.5) if url else None


def cached(key: str, compute: Callable[[], Any], ttl: int | None = None) -> Any:
    """compute()'s value, reused for `ttl` seconds (default CACHE_TTL)."""
    ttl = current_app.config["CACHE_TTL"] if ttl is None else ttl
    if ttl <= 0:
        return compute()
    key = f"jetaa:cache:{key}"
    client = _redis()
    if client is not None:
        try:
            raw = client.get(key)
            if raw is not None:
                return json.loads(raw)
            value = compute()
            client.set(key, json.dumps(value), ex=ttl)
            return value
        except RedisError as error:
            logger.warning("cache unavailable, computing %s: %s", key, error)
            return compute()
    now = time.monotonic()
    with _lock:
        hit = _local.get(key)
    if hit is not None and hit[0] > now:
        return json.loads(hit[1])
    value = compute()
    with _lock:
        if len(_local) >= _PRUNE_ABOVE:
            for stale in [k for k, (expires, _) in _local.items() if expires <= now]:
                del _local[stale]
        _local[key] = (now + ttl, json.dumps(value))
    return value


def forget(key: str) -> None:
    key = f"jetaa:cache:{key}"
    with _lock:
        _local.pop(key, None)
    client = _redis()
    if client is not None:
        with contextlib.suppress(RedisError):
            client.delete(key)
