"""Small charts drawn on the server as inline SVG: no script, no library, no inline style.

Positions along the width are percentages and the SVG has no viewBox, so a chart fills
its column at any screen width while its text keeps its size. Colours come from classes
(static/css/impact.css, and black on white in print.css). Each chart is hidden from
screen readers (`aria-hidden`): the table beside it says the same in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

ROW = 34  # pixels per bar of a horizontal bar chart
BAR_SHARE = 80  # per cent of the width the longest bar takes; its value sits to its right
COLUMN_HEIGHT = 200
COLUMN_PLOT = (22, 172)  # top and bottom of the plot area of a column chart
LABEL_CHARACTERS = 48


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    shown: str  # the value as the page writes it (formatted for the reader's language)


def _short(text: str, limit: int = LABEL_CHARACTERS) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _pct(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") + "%"


def _svg(height: int, body: list[str], css_class: str) -> Markup:
    # Safe: every text in `body` went through escape(); the rest are numbers we wrote.
    return Markup(  # noqa: S704
        f'<svg class="chart {css_class}" width="100%" height="{height}" aria-hidden="true" '
        f'focusable="false" xmlns="http://www.w3.org/2000/svg">{"".join(body)}</svg>')


def bar_chart(bars: Sequence[Bar]) -> Markup:
    """Horizontal bars, one per row: the label above its bar, the value to its right."""
    top = max((b.value for b in bars), default=0) or 1
    body = []
    for i, bar in enumerate(bars):
        y = i * ROW
        width = max(bar.value / top * BAR_SHARE, 0.4 if bar.value else 0)
        body.append(
            f'<text class="chart-label" x="0" y="{y + 13}">{escape(_short(bar.label))}</text>'
            f'<rect class="chart-bar" x="0" y="{y + 18}" width="{_pct(width)}" height="12" rx="2"/>'
            f'<text class="chart-value" x="100%" y="{y + 29}" text-anchor="end">'
            f'{escape(bar.shown)}</text>')
    return _svg(len(bars) * ROW + 2, body, "chart-bars")


def column_chart(bars: Sequence[Bar]) -> Markup:
    """Vertical columns along time (months or years), labelled below; values above the
    columns when there are few enough to read."""
    n = len(bars) or 1
    top = max((b.value for b in bars), default=0) or 1
    plot_top, plot_bottom = COLUMN_PLOT
    slot = 100 / n
    label_every = math.ceil(n / 12)
    body = [f'<line class="chart-axis" x1="0" y1="{plot_bottom}" x2="100%" y2="{plot_bottom}"/>']
    for i, bar in enumerate(bars):
        height = bar.value / top * (plot_bottom - plot_top)
        middle = _pct((i + 0.5) * slot)
        if bar.value:
            body.append(f'<rect class="chart-bar" x="{_pct(i * slot + slot * 0.15)}" '
                        f'y="{plot_bottom - height:.1f}" width="{_pct(slot * 0.7)}" '
                        f'height="{height:.1f}" rx="2"/>')
            if n <= 18:
                body.append(f'<text class="chart-value" x="{middle}" y="{plot_bottom - height - 5:.1f}" '
                            f'text-anchor="middle">{escape(bar.shown)}</text>')
        if i % label_every == 0:
            body.append(f'<text class="chart-label" x="{middle}" y="{COLUMN_HEIGHT - 10}" '
                        f'text-anchor="middle">{escape(bar.label)}</text>')
    return _svg(COLUMN_HEIGHT, body, "chart-columns")
