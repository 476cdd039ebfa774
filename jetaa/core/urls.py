"""Redirect targets that stay on this site."""

from urllib.parse import urlsplit


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
