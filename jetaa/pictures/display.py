"""Picture addresses and the default avatar (initials in a coloured circle)."""

from __future__ import annotations

from typing import Any

from flask import url_for

# Hues with enough contrast for white initials.
_HUES = (355, 20, 200, 140, 265, 300, 180, 45, 225, 100)


def picture_url(kind: str, owner_id: int, name: str | None, size: str = "small") -> str | None:
    if not name:
        return None
    return url_for("pictures.show", kind=kind, owner_id=owner_id, size=size, name=name)


def initials(name: str) -> str:
    words = [w for w in (name or "?").split() if w[:1].isalnum()] or ["?"]
    letters = words[0][:1] + (words[-1][:1] if len(words) > 1 else "")
    return letters.upper()


def avatar_colour(user_id: Any) -> str:
    return f"hsl({_HUES[int(user_id or 0) % len(_HUES)]} 55% 38%)"
