"""Charts drawn on the server as SVG: weekly columns, lines, and sparklines for the site view.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` summing it up in
words; the pages print the same numbers in a table beside it, for people who do not see the
drawing. Colours come from CSS classes (``insights.css``), so themes can change them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 230
LEFT, RIGHT, TOP, BOTTOM = 46, 10, 12, 30
Series = tuple[str, Sequence[float | None], str]


def percent(share: float) -> str:
    """A share as a percentage in the reader's language ("40 %" in French)."""
    from babel.numbers import format_percent

    from tisserand.i18n import get_locale

    return str(format_percent(share, locale=get_locale()))


def nice_ceiling(value: float, *, integer: bool = False) -> float:
    """A round top for an axis of four intervals: each interval is 1, 2, 2.5 or 5 × 10ⁿ
    (whole numbers only for counts)."""
    if value <= 0:
        return 4.0 if integer else 1.0
    wanted = value / 4
    power = 10 ** math.floor(math.log10(wanted))
    steps = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(s * power for s in steps if wanted <= s * power)
    if integer:
        step = max(1, round(step))
    return float(step * 4)


def _number(value: float) -> str:
    from babel.numbers import format_decimal

    from tisserand.i18n import get_locale

    return str(format_decimal(round(value, 2), locale=get_locale()))


def _frame(chart_id: str, title: str, summary: str, top: float, ticks: list[tuple[int, str]], count: int,
           unit: str = "") -> list[str]:
    parts = [f'<svg class="insights-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-t">{escape(title)}</title>', f'<desc id="{chart_id}-d">{escape(summary)}</desc>']
    plot = HEIGHT - TOP - BOTTOM
    for i in range(5):
        value = top * i / 4
        y = TOP + plot - plot * i / 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}{unit}</text>')
    step = (WIDTH - LEFT - RIGHT) / max(count, 1)
    for index, label in ticks:
        x = LEFT + step * (index + 0.5)
        parts.append(f'<text class="axis" x="{x:.1f}" y="{HEIGHT - 10}" text-anchor="middle">{escape(label)}</text>')
    return parts


def columns(chart_id: str, title: str, summary: str, labels: Sequence[str], series: Sequence[Series],
            ticks: list[tuple[int, str]], *, stacked: bool = True, integer: bool = True) -> Markup:
    """Columns per period: stacked (parts of one total) or side by side."""
    count = len(labels)
    totals = [sum((s[1][i] or 0) for s in series) if stacked else max([(s[1][i] or 0) for s in series] + [0])
              for i in range(count)]
    top = nice_ceiling(max([*totals, 0]), integer=integer)
    parts = _frame(chart_id, title, summary, top, ticks, count)
    plot = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(count, 1)
    width = step * 0.72
    for i, label in enumerate(labels):
        base: float = TOP + plot
        x0 = LEFT + step * i + (step - width) / 2
        for s, (name, values, css) in enumerate(series):
            value = values[i] or 0
            if value <= 0:
                continue
            height = plot * value / top
            if stacked:
                base -= height
                x, w, y = x0, width, base
            else:
                w = width / len(series)
                x, y = x0 + w * s, TOP + plot - height
            parts.append(f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{max(w - 0.5, 0.5):.1f}" '
                         f'height="{height:.1f}"><title>{escape(label)} · {escape(name)}: {_number(value)}</title></rect>')
    parts.append("</svg>")
    return Markup("".join(parts))


def lines(chart_id: str, title: str, summary: str, labels: Sequence[str], series: Sequence[Series],
          ticks: list[tuple[int, str]], *, unit: str = "", top: float | None = None,
          integer: bool = True) -> Markup:
    """One line per series; a missing value (None) breaks the line."""
    count = len(labels)
    values = [v for s in series for v in s[1] if v is not None]
    top = top or nice_ceiling(max([*values, 0]), integer=integer)
    parts = _frame(chart_id, title, summary, top, ticks, count, unit)
    plot = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT - RIGHT) / max(count, 1)
    for name, points, css in series:
        segment: list[str] = []
        dots: list[str] = []
        for i, value in enumerate(points):
            if value is None:
                if len(segment) > 1:
                    parts.append(f'<polyline class="{css}" points="{" ".join(segment)}"/>')
                segment = []
                continue
            x, y = LEFT + step * (i + 0.5), TOP + plot - plot * min(value, top) / top
            segment.append(f"{x:.1f},{y:.1f}")
            dots.append(f'<circle class="{css}" cx="{x:.1f}" cy="{y:.1f}" r="2.5"><title>{escape(labels[i])} · '
                        f'{escape(name)}: {_number(round(value, 1))}{unit}</title></circle>')
        if len(segment) > 1:
            parts.append(f'<polyline class="{css}" points="{" ".join(segment)}"/>')
        parts.extend(dots)
    parts.append("</svg>")
    return Markup("".join(parts))


def sparkline(title: str, values: Sequence[float], *, width: int = 120, height: int = 28) -> Markup:
    """A small line without axes, for a table cell; ``title`` says what it shows in words."""
    top = max([*values, 1])
    step = width / max(len(values) - 1, 1)
    points = " ".join(f"{i * step:.1f},{height - 2 - (height - 4) * v / top:.1f}" for i, v in enumerate(values))
    return Markup(f'<svg class="sparkline" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
                  f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
                  f'<polyline points="{points}"/></svg>')
