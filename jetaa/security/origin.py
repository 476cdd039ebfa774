"""Where a request came from, as the audit log and the security events store it."""

import re

from flask import has_request_context, request

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(value: str | None, limit: int) -> str | None:
    """Printable text of at most `limit` characters (control characters escaped as \\xNN)."""
    if value is None:
        return None
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", value)[:limit]


def request_origin() -> dict[str, str | None]:
    """The client's address (after TRUSTED_PROXIES) and user agent; empty outside a request."""
    if not has_request_context():
        return {}
    return {"ip_address": clean(request.remote_addr, 45),
            "user_agent": clean(request.user_agent.string or None, 255)}
