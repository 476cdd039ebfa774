"""Links to this site: redirect targets that stay on it, absolute links for e-mail."""

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter

# Ids beyond this would overflow the database's integer column.
MAX_ID = 2**31 - 1


class RowId(IntegerConverter):
    """`<id:name>` in a route: a row id from 1 to MAX_ID; any other number is a 404."""

    def __init__(self, url_map: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Browsers treat a backslash like a slash and ignore tabs and newlines, so
    "/\\evil.example" and "/\t/evil.example" are other sites too.
    """
    if not target:
        return None
    cleaned = "".join(ch for ch in target if ch >= " " and ch != "\x7f").replace("\\", "/")
    if cleaned != target.replace("\\", "/"):
        return None
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    return target


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute link, for e-mail and feeds.

    With PUBLIC_URL set it is built on that address, inside or outside a
    request (commands send mail too); otherwise on the request's own host.
    """
    public_url = current_app.config.get("PUBLIC_URL")
    if not public_url and has_request_context():
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(public_url or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
