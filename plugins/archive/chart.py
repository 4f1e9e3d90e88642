"""A bar chart of activity over time, drawn as inline SVG on the server (no script, no service).

The SVG carries a title and a description for screen readers; pages show the same numbers in a
table next to it.
"""

from __future__ import annotations

from html import escape

from markupsafe import Markup

WIDTH = 720
HEIGHT = 220
MARGIN_LEFT = 40
MARGIN_BOTTOM = 36
MARGIN_TOP = 12


def _nice_max(value: int) -> int:
    """A round number at or above ``value`` for the top of the scale."""
    if value <= 5:
        return max(value, 1)
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


def bar_chart(bars: list[tuple[str, int]], *, title: str, description: str,
              labels: list[str] | None = None) -> Markup:
    """An accessible SVG bar chart: ``bars`` are (key, value); ``labels`` are the texts under the
    bars (the keys by default), thinned out when there are many bars."""
    labels = labels or [key for key, _value in bars]
    top = _nice_max(max((v for _k, v in bars), default=0))
    plot_w = WIDTH - MARGIN_LEFT - 8
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    count = max(len(bars), 1)
    slot = plot_w / count
    bar_w = min(max(slot * 0.72, 1.0), 56.0)
    every = max(1, -(-count // 12))  # at most about 12 labels
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="activity-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title chart-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(description)}</desc>',
    ]
    for fraction in (0, 0.5, 1):
        y = MARGIN_TOP + plot_h * (1 - fraction)
        value = round(top * fraction)
        parts.append(f'<line x1="{MARGIN_LEFT}" y1="{y:.1f}" x2="{WIDTH - 8}" y2="{y:.1f}" '
                     'stroke="#d8dee4" stroke-width="1"/>')
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#57606a">{value}</text>')
    for index, ((_key, value), label) in enumerate(zip(bars, labels, strict=False)):
        height = plot_h * value / top if top else 0
        x = MARGIN_LEFT + index * slot + (slot - bar_w) / 2
        y = MARGIN_TOP + plot_h - height
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{height:.1f}" '
                     f'rx="2" fill="#1d5e9b"><title>{escape(label)} — {value}</title></rect>'
                     if value else "")
        if index % every == 0:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" '
                         f'text-anchor="middle" font-size="11" fill="#57606a">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(p for p in parts if p))
