"""Small SVG bar charts drawn on the server: no script, no outside service.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` naming every value,
and the page shows the same numbers in a table next to it (the fallback for people who cannot
see the drawing). Colours come from the theme's CSS variables (``surveys.css``).
"""

from __future__ import annotations

from markupsafe import Markup, escape

from tisserand.i18n import get_locale

ROW = 30
LABEL_WIDTH = 230
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 90


def percent(share: float) -> str:
    """A share as a percentage in the reader's language ("40 %" in French)."""
    from babel.numbers import format_percent

    return str(format_percent(share, locale=get_locale()))


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int]], total: int,
              *, compare: list[int] | None = None, compare_total: int = 0) -> Markup:
    """Horizontal bars, one per ``(label, count)``; the share is of ``total``.

    With ``compare`` (counts of another round, same order) each row gets a second, lighter bar.
    """
    per_row = ROW * (2 if compare is not None else 1) + 8
    height = max(per_row * len(rows) + 8, 40)
    biggest = max([count for _label, count in rows] + (compare or []) + [1])
    parts = [f'<svg class="survey-chart" role="img" viewBox="0 0 {WIDTH} {height}" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-t">{escape(title)}</title>']
    described = []
    for index, (label, count) in enumerate(rows):
        share = count / total if total else 0.0
        text = f"{label}: {count} ({percent(share)})"
        if compare is not None:
            other = compare[index]
            other_share = other / compare_total if compare_total else 0.0
            text += f" / {other} ({percent(other_share)})"
        described.append(text)
    parts.append(f'<desc id="{chart_id}-d">{escape("; ".join(described))}</desc>')
    y = 6
    for index, (label, count) in enumerate(rows):
        share = count / total if total else 0.0
        parts.append(f'<text class="chart-label" x="{LABEL_WIDTH - 8}" y="{y + ROW / 2 + 5:.0f}" '
                     f'text-anchor="end">{escape(_short(label))}</text>')
        width = BAR_WIDTH * count / biggest
        parts.append(f'<rect class="chart-bar" x="{LABEL_WIDTH}" y="{y + 4}" width="{width:.1f}" '
                     f'height="{ROW - 8}" rx="3"><title>{escape(label)}</title></rect>')
        parts.append(f'<text class="chart-value" x="{LABEL_WIDTH + width + 6:.1f}" y="{y + ROW / 2 + 5:.0f}">'
                     f'{count} · {escape(percent(share))}</text>')
        if compare is not None:
            other = compare[index]
            other_share = other / compare_total if compare_total else 0.0
            y2 = y + ROW
            width2 = BAR_WIDTH * other / biggest
            parts.append(f'<rect class="chart-bar other" x="{LABEL_WIDTH}" y="{y2 + 4}" width="{width2:.1f}" '
                         f'height="{ROW - 8}" rx="3"></rect>')
            parts.append(f'<text class="chart-value" x="{LABEL_WIDTH + width2 + 6:.1f}" y="{y2 + ROW / 2 + 5:.0f}">'
                         f'{other} · {escape(percent(other_share))}</text>')
        y += per_row
    parts.append("</svg>")
    return Markup("".join(parts))
