"""Trend charts drawn on the server as inline SVG: no JavaScript, readable by a screen reader.

The chart has a <title> and a <desc> that says the figures in words, and each page
shows a table of the same figures beside it, so nothing depends on seeing the line.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from caremap.indicators.formatting import format_value
from caremap.indicators.results import IndicatorResult

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56


def _short(result: IndicatorResult) -> str:
    return result.period.short


def trend_chart(
    results: Sequence[IndicatorResult], *, chart_id: str, comparator: float | None = None
) -> Markup:
    """A line chart of the results' values, oldest on the left; gaps where there is none."""
    if not results:
        return Markup("")
    unit = results[0].definition.unit
    name = results[0].definition.name
    values = [r.value for r in results]
    known = [v for v in values if v is not None]
    top = max([*known, comparator or 0, 1])
    top = top * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(results) - 1)

    def x(i: int) -> float:
        return LEFT + i * step

    def y(v: float) -> float:
        return TOP + plot_h - (v / top) * plot_h

    words = "; ".join(f"{r.period.label}: {format_value(r.value, unit)}" for r in results)
    desc = f"{name}, {results[0].period.label} to {results[-1].period.label}. {words}."
    if comparator is not None:
        desc += f" Comparator: {format_value(comparator, unit)}."
    parts = [
        f'<svg class="caremap-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{chart_id}-title">{escape(name)}: trend</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    # axes and gridlines: 0, half and the top
    for fraction in (0, 0.5, 1):
        v = top / 1.1 * fraction
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="#b1b4b6" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#0b0c0c">{escape(_axis(v, unit))}</text>'
        )
    if comparator is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(comparator):.1f}" '
            f'y2="{y(comparator):.1f}" stroke="#505a5f" stroke-width="2" '
            f'stroke-dasharray="6 4"/>'
        )
    for i, result in enumerate(results):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'font-size="11" fill="#0b0c0c">{escape(_short(result))}</text>'
        )
    segment: list[str] = []
    lines = []
    for i, v in enumerate(values):
        if v is None:
            if len(segment) > 1:
                lines.append(segment)
            segment = []
            continue
        segment.append(f"{x(i):.1f},{y(v):.1f}")
    if len(segment) > 1:
        lines.append(segment)
    for line in lines:
        parts.append(
            f'<polyline points="{" ".join(line)}" fill="none" stroke="#1d70b8" stroke-width="3"/>'
        )
    for i, v in enumerate(values):
        if v is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="#1d70b8"/>')
    parts.append("</svg>")
    # Every text in the chart went through escape() above.
    return Markup("".join(parts))  # nosec B704


def _axis(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.0f}%"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.0f}" if value >= 10 or value == 0 else f"{value:.1f}"


def sparkline(results: Sequence[IndicatorResult], *, chart_id: str) -> Markup:
    """A small trend for a dashboard tile; its <title> says the figures in words."""
    if not results:
        return Markup("")
    unit = results[0].definition.unit
    values = [r.value for r in results]
    known = [v for v in values if v is not None]
    width, height = 160, 40
    top = max([*known, 1]) * 1.1
    step = (width - 8) / max(1, len(values) - 1)
    words = "; ".join(f"{r.period.label}: {format_value(r.value, unit)}" for r in results)
    points = " ".join(
        f"{4 + i * step:.1f},{height - 4 - (v / top) * (height - 8):.1f}"
        for i, v in enumerate(values)
        if v is not None
    )
    # The only text, the figures in words, is escaped.
    return Markup(  # nosec B704
        f'<svg class="caremap-sparkline" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="{chart_id}-title" focusable="false" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="{chart_id}-title">Trend: '
        f"{escape(words)}</title>"
        + (
            f'<polyline points="{points}" fill="none" stroke="#1d70b8" stroke-width="2"/>'
            if points
            else ""
        )
        + "</svg>"
    )
