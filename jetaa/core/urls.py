"""Links to this site: redirect targets that stay on it, absolute links for e-mail."""

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
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
    """An absolute link, for e-mail, feeds and the widget, always on PUBLIC_URL.

    Never on the request's Host header: a forged one would put another site's address
    into a reset link, or into a cached feed that everyone then receives. The same
    inside or outside a request (commands send mail too).
    """
    parts = urlsplit(current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000")
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)
