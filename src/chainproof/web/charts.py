"""Charts drawn on the server as SVG: no script, nothing fetched, and readable without
colour. Every bar and point carries its number as text beside it, every bar its label;
series differ by marker shape and line pattern as well as by colour. Each chart is an
``<svg role="img">`` named by its ``<title>`` and described by a ``<desc>`` that states the
figures in words; the page shows the same figures in a table too.

Colours come from the stylesheet through class names (``bar-critical``, ``series-0``), so
the Content-Security-Policy (no inline style) holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 560
FONT = 14  # px, in the viewBox's units (the chart scales with its box)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    css: str = ""  # a class of the bar, e.g. "bar-critical"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label on the x axis; None: nothing known
    marker: str = "circle"  # circle | square | triangle | diamond
    css: str = field(default="")


MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 4", "2 3", "10 3 2 3")  # series told apart by their line too


def number(value: float | None, unit: str = "") -> str:
    """A figure as printed on a chart: whole numbers without decimals, others to one."""
    if value is None:
        return "no data"
    shown = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{shown}{unit}"


def _head(ident: str, title: str, desc: str, height: float, css: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {escape(css)}" role="img" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-title {ident}-desc" id="{ident}">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    bars: Sequence[Bar], *, ident: str, title: str, unit: str = "", desc: str = ""
) -> SafeString:
    """Horizontal bars, one per row: the label on the left, the number at the bar's end.
    A bar of zero is a thin mark, so every row still shows; no bars at all: a line that
    says so."""
    label_width, row, gap, right = 150, 30, 8, 70
    plot = WIDTH - label_width - right
    top = gap
    height = top + max(1, len(bars)) * row + gap
    desc = desc or (
        "; ".join(f"{b.label}: {number(b.value, unit)}" for b in bars) or "Nothing to show."
    )
    parts = _head(ident, title, desc, height, "bar-chart")
    if not bars:
        parts.append(
            f'<text class="chart-empty" x="{WIDTH / 2:.0f}" y="{top + row / 2 + 4:.0f}" '
            f'text-anchor="middle" font-size="{FONT}">Nothing to show yet</text>'
        )
    top_value = max((b.value for b in bars), default=0) or 1
    for i, b in enumerate(bars):
        y = top + i * row
        width = plot * b.value / top_value if b.value > 0 else 0
        shown = max(width, 2.0)
        middle = y + row / 2 + FONT / 2 - 2
        parts.append(
            f'<g class="bar {escape(b.css)}">'
            f'<text class="bar-label" x="{label_width - 10}" y="{middle:.1f}" text-anchor="end" '
            f'font-size="{FONT}">{escape(b.label)}</text>'
            f'<rect x="{label_width}" y="{y + 4:.1f}" width="{shown:.1f}" '
            f'height="{row - 8}" rx="3"/>'
            f'<text class="bar-value" x="{label_width + shown + 6:.1f}" y="{middle:.1f}" '
            f'font-size="{FONT}" font-weight="600">{escape(number(b.value, unit))}</text>'
            "</g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def _marker(shape: str, x: float, y: float, r: float = 4.5) -> str:
    if shape == "square":
        return (
            f'<rect class="marker" x="{x - r:.1f}" y="{y - r:.1f}" '
            f'width="{2 * r}" height="{2 * r}"/>'
        )
    if shape == "triangle":
        points = f"{x:.1f},{y - r - 1:.1f} {x - r - 1:.1f},{y + r:.1f} {x + r + 1:.1f},{y + r:.1f}"
        return f'<polygon class="marker" points="{points}"/>'
    if shape == "diamond":
        points = (
            f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} "
            f"{x:.1f},{y + r + 1:.1f} {x - r - 1:.1f},{y:.1f}"
        )
        return f'<polygon class="marker" points="{points}"/>'
    return f'<circle class="marker" cx="{x:.1f}" cy="{y:.1f}" r="{r}"/>'


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    ident: str,
    title: str,
    unit: str = "",
    ceiling: float | None = None,
    desc: str = "",
) -> SafeString:
    """Values over time (one point per label), each point with its number above it; a
    month without data leaves a gap in the line. ``ceiling`` fixes the top of the scale
    (100 for a percentage)."""
    left, right, bottom = 46, 16, 30
    legend = 26 if len(series) > 1 else 0
    top = 14 + legend
    plot_h = 170
    height = top + plot_h + bottom
    plot_w = WIDTH - left - right
    known = [v for s in series for v in s.values if v is not None]
    scale_top = float(ceiling if ceiling is not None else _nice(max([*known, 0])))
    desc = desc or _describe(labels, series, unit)
    parts = _head(ident, title, desc, height, "line-chart")
    step = plot_w / max(1, len(labels))

    def x_at(i: int) -> float:
        return left + step * (i + 0.5)

    def y_at(v: float) -> float:
        return top + plot_h - plot_h * min(v, scale_top) / scale_top

    for fraction in (0, 0.5, 1):
        y = top + plot_h - plot_h * fraction
        parts.append(
            f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="{FONT - 2}">{escape(number(scale_top * fraction, unit))}</text>'
        )
    for i, label in enumerate(labels):
        parts.append(
            f'<text class="axis" x="{x_at(i):.1f}" y="{top + plot_h + 20:.1f}" '
            f'text-anchor="middle" font-size="{FONT - 2}">{escape(label)}</text>'
        )
    if not known:
        parts.append(
            f'<text class="chart-empty" x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" '
            f'text-anchor="middle" font-size="{FONT}">No data yet</text>'
        )
    for n, s in enumerate(series):
        shape = s.marker if s.marker in MARKERS else MARKERS[n % len(MARKERS)]
        css = s.css or f"series-{n}"
        parts.append(f'<g class="series {escape(css)}">')
        run: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(s.values[: len(labels)]):
            if v is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{x_at(i):.1f},{y_at(v):.1f}")
        if run:
            runs.append(run)
        dash = DASHES[n % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        for points in runs:
            if len(points) > 1:
                parts.append(f'<polyline class="line" points="{" ".join(points)}"{dashed}/>')
        for i, v in enumerate(s.values[: len(labels)]):
            if v is None:
                continue
            x, y = x_at(i), y_at(v)
            # Two series: the second's numbers sit below its points, so they never overlap.
            dy = 16 if n % 2 and y < top + plot_h - 18 else -9
            parts.append(
                _marker(shape, x, y)
                + f'<text class="point-value" x="{x:.1f}" y="{y + dy:.1f}" text-anchor="middle" '
                f'font-size="{FONT - 1}" font-weight="600">{escape(number(v, unit))}</text>'
            )
        parts.append("</g>")
    if legend:
        x = left
        for n, s in enumerate(series):
            shape = s.marker if s.marker in MARKERS else MARKERS[n % len(MARKERS)]
            css = s.css or f"series-{n}"
            dash = DASHES[n % len(DASHES)]
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<g class="legend series {escape(css)}">'
                f'<line class="line" x1="{x}" x2="{x + 28}" y1="12" y2="12"{dashed}/>'
                + _marker(shape, x + 14, 12)
                + f'<text class="legend-label" x="{x + 36}" y="16" font-size="{FONT - 1}">'
                f"{escape(s.name)}</text></g>"
            )
            x += 48 + 7.5 * len(s.name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def _nice(value: float) -> int:
    """The round number at or above ``value`` that tops a scale of counts: at least 2, and
    even, so the middle line of the scale is a whole number too."""
    if value <= 2:
        return 2
    magnitude: int = 10 ** (len(str(int(value))) - 1)
    for factor in (1, 2, 4, 6, 8, 10):
        top = factor * magnitude
        if top >= value and top % 2 == 0:
            return top
    return 10 * magnitude


def _describe(labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    sentences = []
    for s in series:
        points = [f"{label} {number(v, unit)}" for label, v in zip(labels, s.values, strict=False)]
        sentences.append(f"{s.name}: " + ", ".join(points) + ".")
    return " ".join(sentences)
