"""Server-rendered SVG charts: no chart library, no script, no inline styles.

Colours come from CSS classes defined in ``static/css/site.css`` (``.chart-*``), with SVG
presentation attributes as a fallback so a chart stays legible where the stylesheet is absent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import count

from markupsafe import Markup, escape

from core import formatting

DASH = "\u2014"

# Geometry (user units of the viewBox; the SVG scales to its container's width).
WIDTH = 640
LABEL_WIDTH = 190
VALUE_WIDTH = 110
BAR_HEIGHT = 22
ROW_GAP = 10
TOP = 8

_ids = count(1)


def format_value(value: float | None, unit: str = "", locale: str = "en") -> str:
    """Return a chart value as text in ``locale`` (``core.formatting``), "—" for None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return DASH
    text = formatting.number(value, locale, "full", 0 if float(value).is_integer() else 1)
    if unit == "%":
        return formatting.percent(value, locale)
    return f"{text}\u00a0{unit}" if unit else text


def _scale_max(values: Sequence[float], max_value: float | None) -> float:
    if max_value is not None and max_value > 0:
        return max_value
    largest = max(values, default=0.0)
    return largest if largest > 0 else 1.0


def bar_chart(
    rows: Sequence[tuple[str, float | None] | tuple[str, float | None, str]],
    *,
    title: str,
    unit: str = "",
    max_value: float | None = None,
    uid: int | str | None = None,
) -> Markup:
    """Render a horizontal bar chart as accessible inline SVG (None values shown as "—").

    A row may carry a third item, the value's text as the caller formatted it (figures come
    formatted by ``gateway.content.figures.format_figure``); otherwise ``format_value`` is used.

    ``uid`` makes the element ids unique on the page; give it for output that must not depend
    on what the process rendered before (the frozen site), otherwise a process counter is used.
    """
    labelled = [(r[0], r[1], r[2] if len(r) > 2 else format_value(r[1], unit)) for r in rows]
    known = [float(v) for _, v, _ in labelled if v is not None]
    scale = _scale_max(known, max_value)
    bar_space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + max(len(labelled), 1) * (BAR_HEIGHT + ROW_GAP) - ROW_GAP
    uid = next(_ids) if uid is None else uid
    title_id, desc_id = f"chart-{uid}-title", f"chart-{uid}-desc"

    summary = "; ".join(f"{label}: {text}" for label, _, text in labelled)
    parts = [
        f'<svg class="chart chart-bar" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-label="{escape(title)}" aria-labelledby="{title_id} {desc_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(summary) if labelled else DASH}</desc>',
    ]
    for index, (label, value, text) in enumerate(labelled):
        y = TOP + index * (BAR_HEIGHT + ROW_GAP)
        middle = y + BAR_HEIGHT / 2
        parts.append('<g class="chart-row">')
        parts.append(
            f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{middle:g}" '
            f'text-anchor="end" dominant-baseline="middle" fill="#1d2733" '
            f'font-size="14">{escape(label)}</text>'
        )
        bar_end: float
        if value is None:
            bar_end = LABEL_WIDTH
            parts.append(
                f'<rect class="chart-track" x="{LABEL_WIDTH}" y="{y}" width="{bar_space}" '
                f'height="{BAR_HEIGHT}" fill="#eef1f5"/>'
            )
        else:
            share = max(0.0, min(float(value) / scale, 1.0))
            bar_width = round(share * bar_space, 1)
            bar_end = LABEL_WIDTH + bar_width
            parts.append(
                f'<rect class="chart-bar-fill" x="{LABEL_WIDTH}" y="{y}" width="{bar_width:g}" '
                f'height="{BAR_HEIGHT}" fill="#1f5fa8"/>'
            )
        parts.append(
            f'<text class="chart-value" x="{bar_end + 6:g}" y="{middle:g}" '
            f'dominant-baseline="middle" fill="#1d2733" font-size="14">'
            f"{escape(text)}</text>"
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
