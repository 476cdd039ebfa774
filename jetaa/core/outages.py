"""A helper server (Redis) that went away: logged once, skipped for a few seconds at a
time, and logged again when it is back. Pages never wait on it or fail for it."""

from __future__ import annotations

import logging
import threading
import time

logger = logging.getLogger(__name__)
RETRY_SECONDS = 5.0  # while down, one request in this long tries the server again
_down: dict[str, float] = {}  # service -> when it last failed (monotonic)
_lock = threading.Lock()


def skip(service: str) -> bool:
    """Is `service` down and not due for another try? Then do without it."""
    failed_at = _down.get(service)
    return failed_at is not None and time.monotonic() - failed_at < RETRY_SECONDS


def failed(service: str, error: BaseException, meanwhile: str) -> None:
    """Record a failure; only the first of an outage is logged."""
    with _lock:
        first = service not in _down
        _down[service] = time.monotonic()
    if first:
        logger.warning("%s unavailable (%s: %s); %s until it answers again", service,
                       type(error).__name__, error, meanwhile)


def worked(service: str) -> None:
    """Record a success; the first after an outage is logged."""
    if service in _down:
        with _lock:
            back = _down.pop(service, None) is not None
        if back:
            logger.warning("%s is back", service)
