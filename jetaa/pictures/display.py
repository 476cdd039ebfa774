"""Picture addresses and the default avatar (initials in a coloured circle)."""

from __future__ import annotations

from typing import Any

from flask import url_for

HUES = 10  # .avatar-hue-0 ... -9 in site.css: colours with contrast for white initials


def picture_url(kind: str, owner_id: int, name: str | None, size: str = "small") -> str | None:
    if not name:
        return None
    return url_for("pictures.show", kind=kind, owner_id=owner_id, size=size, name=name)


def initials(name: str) -> str:
    words = [w for w in (name or "?").split() if w[:1].isalnum()] or ["?"]
    letters = words[0][:1] + (words[-1][:1] if len(words) > 1 else "")
    return letters.upper()


def avatar_hue(user_id: Any) -> int:
    """The same colour for a person everywhere (a class: the CSP allows no inline style)."""
    return int(user_id or 0) % HUES
