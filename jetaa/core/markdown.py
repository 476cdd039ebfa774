"""Markdown that members write (event and activity descriptions), cleaned for the page."""

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
