"""Markdown that members write (event and activity descriptions), cleaned for the page."""

import re
from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_SCHEMES = {"http", "https", "mailto"}


@cache
def _markdown() -> MarkdownIt:
    # Raw HTML off: nh3 cleans anyway, but nothing typed as HTML should survive as HTML.
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render_markdown(text: str) -> Markup:
    """Markdown to HTML with no scripts, no event handlers and no javascript: links."""
    html = _markdown().render(text or "")
    return Markup(nh3.clean(html, url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer"))  # noqa: S704


def markdown_to_text(text: str) -> str:
    """Markdown as plain text for calendar apps: no ** or []() marks, links as "map (URL)"."""
    out: list[str] = []
    for block in _markdown().parse(text or ""):
        if block.type == "inline":
            out.append(_inline_text(block.children or []))
        elif block.type == "paragraph_close" and block.hidden:  # in a tight list
            continue
        elif block.type in ("paragraph_close", "heading_close", "list_item_close", "fence",
                            "bullet_list_close", "ordered_list_close",
                            "code_block"):
            if block.type in ("fence", "code_block"):
                out.append(block.content.rstrip("\n"))
            out.append("\n")
        elif block.type == "list_item_open":
            out.append("- ")
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip()


def _inline_text(tokens: list) -> str:
    parts: list[str] = []
    href = None
    for token in tokens:
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif token.type == "link_open":
            href = token.attrs.get("href")
        elif token.type == "link_close" and href:
            parts.append(f" ({href})")
            href = None
    return "".join(parts)
