"""Small typos in a name search: "tanka" finds Tanaka.

The search itself matches exactly (trigram indexes, see directory.name_matches). When it finds
no one, the directory asks `corrected()` for the nearest spelling made of words that are in
members' names, and searches again with it; it shows the result only if that finds someone
the reader may see, so a suggestion never reveals a hidden member's name.
"""

from __future__ import annotations

import difflib

import sqlalchemy as sa

from jetaa.auth.models import User
from jetaa.core.cache import cached
from jetaa.core.text import search_key
from jetaa.extensions import db

# How alike a typed word and a name word must be (difflib's ratio): "tanka"/"tanaka" is 0.91,
# "smth"/"smith" 0.89; "lee"/"lie" (0.67) are different names, not a typo.
CUTOFF = 0.8
_MIN_WORD = 4  # shorter words have too many near neighbours to correct


def _vocabulary() -> list[str]:
    """Every word of three letters or more in an account's name (search keys), sorted."""
    def compute() -> list[str]:
        words: set[str] = set()
        for key in db.session.scalars(sa.select(User.name_key).where(User.deleted_at.is_(None))):
            words.update(w for w in key.split() if len(w) >= 3)
        return sorted(words)

    # Kept for CACHE_TTL: a new member's name joins the suggestions within a minute.
    return cached("members:name-words", compute)


def corrected(query: str) -> str | None:
    """`query` with each unknown word replaced by the nearest name word, or None."""
    words = search_key(query).split()
    vocabulary = _vocabulary()
    known = set(vocabulary)
    fixed = []
    for word in words:
        if word in known or len(word) < _MIN_WORD:
            fixed.append(word)
            continue
        near = difflib.get_close_matches(word, vocabulary, n=1, cutoff=CUTOFF)
        fixed.append(near[0] if near else word)
    return " ".join(fixed) if fixed != words else None
