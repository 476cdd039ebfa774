"""Security events: stored for the admins' page and written to the log, one line each.

Every log line of the app goes through `EscapingFormatter`, so a value holding a line
break (a path with %0a, a user agent, a name) cannot write a line of its own.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import has_request_context, request

from jetaa.extensions import db
from jetaa.security.models import SecurityEvent
from jetaa.security.origin import clean, request_origin

logger = logging.getLogger("jetaa.security")


class EscapingFormatter(logging.Formatter):
    """Control characters in a message (CR, LF, ESC ...) are written as \\xNN escapes."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        return clean(super().formatMessage(record), 100_000) or ""


def install_log_escaping(format_: str) -> None:
    """Every handler of the root logger writes escaped lines."""
    for handler in logging.getLogger().handlers:
        handler.setFormatter(EscapingFormatter(format_))


def log_event(kind: str, *, user: Any = None, email: str | None = None,
              **detail: Any) -> SecurityEvent:
    """Add a security event to the session (the caller commits) and log it."""
    origin = request_origin()
    path = clean(request.path, 255) if has_request_context() else None
    user_id = getattr(user, "id", None)
    email = email or getattr(user, "email", None)
    event = SecurityEvent(kind=kind, user_id=user_id, email=clean(email, 254), path=path,
                          detail={k: str(v) for k, v in detail.items()}, **origin)
    db.session.add(event)
    logger.info("security %s user=%s email=%s ip=%s path=%s ua=%r %s", kind, user_id, email,
                origin.get("ip_address"), path, origin.get("user_agent"),
                " ".join(f"{k}={v}" for k, v in detail.items()))
    return event


def log_refusal(kind: str, user: Any, **detail: Any) -> None:
    """A 403, a CSRF failure or a rate-limit refusal: stored in a commit of its own."""
    try:
        db.session.rollback()
        log_event(kind, user=user, **detail)
        db.session.commit()
    except Exception:  # the refusal is answered whatever happens to its record
        db.session.rollback()
        logger.exception("could not store the security event %s", kind)
