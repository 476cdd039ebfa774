"""Small helpers for e2e tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import re
from email.message import EmailMessage


def links_in(message: EmailMessage, containing: str = "") -> list[str]:
    """The http(s) links in a message's plain-text part (those containing `containing`)."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    return [link for link in re.findall(r"https?://[^\s<>\"]+", text) if containing in link]
