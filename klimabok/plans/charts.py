"""The pathway chart: a target's years as server-rendered SVG, in the style of the account's charts.

Neither a view nor a read model: markup made from figures the read model computed
(:mod:`klimabok.plans.pathway`). Actual emissions are vertical bars per year (a closed year solid, an open
one pale: not final); the target's pathway, business as usual and the plan's projected pathway are lines;
the gap between business as usual and the target is shaded. Every text goes through ``format_html``
(escaped) and comes in translated; numbers come formatted by the caller's ``number_format``. The SVG has
``role="img"``, a ``<title>`` and a ``<desc>`` saying every year's figures; the page puts a table beside
it as well. No inline ``style`` (the Content-Security-Policy forbids it): presentation attributes only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from klimabok.inventory.charts import FONT, GRID, MUTED, PALETTE, TEXT, WIDTH, nice_axis_max

HEIGHT = 330
LEFT = 70  # the y axis' tick labels
RIGHT = 20
TOP = 44  # the legend
BOTTOM = 28  # the years
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
PLOT_WIDTH = WIDTH - LEFT - RIGHT
ACTUAL = PALETTE[0]
OPEN_YEAR = "#a9c7b7"
TARGET = "#1f2a24"
BAU = PALETTE[2]
PLAN = PALETTE[3]
GAP = PALETTE[1]

NumberFormat = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Point:
    """One year of the chart; None where a series has no value that year."""

    year: int
    actual: float | None
    closed: bool
    target: float | None
    bau: float | None
    plan: float | None


@dataclass(frozen=True, slots=True)
class Labels:
    """The chart's words, already translated."""

    title: str
    actual: str
    open_year: str
    target: str
    bau: str
    plan: str
    gap: str
    unit: str
    empty: str


def pathway_chart(points: Sequence[Point], labels: Labels, number_format: NumberFormat) -> SafeString:
    """Bars of actual emissions with the target, business-as-usual and plan lines and the gap shaded."""
    values = [v for p in points for v in (p.actual, p.target, p.bau, p.plan) if v is not None]
    peak = max(values, default=0.0)
    if not points or peak <= 0:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-empty" viewBox="0 0 {w} 80" '
            'width="{w}" height="80" role="img" aria-label="{title}" font-family="{font}" font-size="14">'
            "<title>{title}</title><desc>{text}</desc>"
            '<text x="{cx}" y="45" text-anchor="middle" fill="{muted}">{text}</text></svg>',
            w=WIDTH,
            title=labels.title,
            font=FONT,
            text=labels.empty,
            cx=WIDTH // 2,
            muted=MUTED,
        )
    axis_max, step = nice_axis_max(peak)
    slot = PLOT_WIDTH / len(points)

    def x_of(index: int) -> float:
        return LEFT + slot * (index + 0.5)

    def y_of(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - max(value, 0.0) / axis_max)

    parts: list[SafeString] = [
        format_html(
            "<title>{}</title><desc>{}</desc>", labels.title, _description(points, labels, number_format)
        ),
        _legend(labels),
        _y_axis(axis_max, step, y_of, number_format),
        _gap(points, x_of, y_of, labels.gap),
    ]
    bar_width = min(48.0, slot * 0.6)
    for index, point in enumerate(points):
        if point.actual is not None:
            top = y_of(point.actual)
            name = labels.actual if point.closed else labels.open_year
            parts.append(
                format_html(
                    '<g class="bar"><title>{year}, {name}: {value} {unit}</title><rect x="{x}" y="{y}" '
                    'width="{w}" height="{h}" fill="{fill}" rx="2"/></g>',
                    year=point.year,
                    name=name,
                    value=number_format(point.actual),
                    unit=labels.unit,
                    x=_n(x_of(index) - bar_width / 2),
                    y=_n(top),
                    w=_n(bar_width),
                    h=_n(TOP + PLOT_HEIGHT - top),
                    fill=ACTUAL if point.closed else OPEN_YEAR,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
                _n(x_of(index)),
                HEIGHT - 8,
                MUTED,
                point.year,
            )
        )
    for series, color, dash, name in (
        ("bau", BAU, "6 4", labels.bau),
        ("plan", PLAN, "", labels.plan),
        ("target", TARGET, "", labels.target),
    ):
        parts.append(_line(points, series, color, dash, name, x_of, y_of, labels.unit, number_format))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart pathway-chart" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-label="{title}" font-family="{font}" font-size="13" '
        'fill="{text}">{body}</svg>',
        w=WIDTH,
        h=HEIGHT,
        title=labels.title,
        font=FONT,
        text=TEXT,
        body=_join(parts),
    )


def _value(point: Point, series: str) -> float | None:
    value: float | None = getattr(point, series)
    return value


def _line(
    points: Sequence[Point],
    series: str,
    color: str,
    dash: str,
    name: str,
    x_of: Callable[[int], float],
    y_of: Callable[[float], float],
    unit: str,
    number_format: NumberFormat,
) -> SafeString:
    known = [(i, v) for i, p in enumerate(points) if (v := _value(p, series)) is not None]
    if not known:
        return SafeString("")
    path = " ".join(f"{_n(x_of(i))},{_n(y_of(v))}" for i, v in known)
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{} {}: {} {}</title></circle>',
        (
            (_n(x_of(i)), _n(y_of(v)), color, name, points[i].year, number_format(v), unit)
            for i, v in known
        ),
    )
    return format_html(
        '<g class="line line-{series}"><polyline points="{path}" fill="none" stroke="{color}" '
        'stroke-width="2.5"{dash}/>{dots}</g>',
        series=series,
        path=path,
        color=color,
        dash=format_html(' stroke-dasharray="{}"', dash) if dash else "",
        dots=dots,
    )


def _gap(
    points: Sequence[Point], x_of: Callable[[int], float], y_of: Callable[[float], float], name: str
) -> SafeString:
    """The area between business as usual (above) and the target (below), where the first is higher."""
    pairs = [
        (i, p.bau, p.target) for i, p in enumerate(points) if p.bau is not None and p.target is not None
    ]
    if len(pairs) < 2 or all(bau <= target for _i, bau, target in pairs):
        return SafeString("")
    upper = [f"{_n(x_of(i))},{_n(y_of(max(bau, target)))}" for i, bau, target in pairs]
    lower = [f"{_n(x_of(i))},{_n(y_of(target))}" for i, _bau, target in reversed(pairs)]
    return format_html(
        '<polygon class="gap" points="{}" fill="{}" fill-opacity="0.22"><title>{}</title></polygon>',
        " ".join(upper + lower),
        GAP,
        name,
    )


def _y_axis(
    axis_max: float, step: float, y_of: Callable[[float], float], number_format: NumberFormat
) -> SafeString:
    ticks = [step * i for i in range(round(axis_max / step) + 1)]
    return format_html_join(
        "",
        '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" stroke="{3}"/>'
        '<text x="{4}" y="{5}" text-anchor="end" font-size="11" fill="{6}">{7}</text>',
        (
            (LEFT, WIDTH - RIGHT, _n(y_of(t)), GRID, LEFT - 6, _n(y_of(t) + 4), MUTED, number_format(t))
            for t in ticks
        ),
    )


def _legend(labels: Labels) -> SafeString:
    items = []
    x = float(LEFT)
    for kind, color, name in (
        ("bar", ACTUAL, labels.actual),
        ("bar", OPEN_YEAR, labels.open_year),
        ("line", TARGET, labels.target),
        ("dash", BAU, labels.bau),
        ("line", PLAN, labels.plan),
        ("area", GAP, labels.gap),
    ):
        if kind == "bar":
            mark = format_html(
                '<rect x="{}" y="10" width="12" height="12" fill="{}" rx="2"/>', _n(x), color
            )
        elif kind == "area":
            mark = format_html(
                '<rect x="{}" y="10" width="12" height="12" fill="{}" fill-opacity="0.22"/>',
                _n(x),
                color,
            )
        else:
            mark = format_html(
                '<line x1="{}" x2="{}" y1="16" y2="16" stroke="{}" stroke-width="2.5"{}/>',
                _n(x - 2),
                _n(x + 14),
                color,
                format_html(' stroke-dasharray="{}"', "4 3") if kind == "dash" else "",
            )
        items.append(
            format_html('{}<text x="{}" y="20" font-size="12">{}</text>', mark, _n(x + 17), name)
        )
        x += 17 + 6.6 * len(name) + 18
    return format_html('<g class="legend">{}</g>', _join(items))


def _description(points: Sequence[Point], labels: Labels, number_format: NumberFormat) -> str:
    """Each year's figures as one sentence, for screen readers."""
    sentences = []
    for point in points:
        parts = [
            f"{name} {number_format(value)} {labels.unit}"
            for name, value in (
                (labels.actual if point.closed else labels.open_year, point.actual),
                (labels.target, point.target),
                (labels.bau, point.bau),
                (labels.plan, point.plan),
            )
            if value is not None
        ]
        if parts:
            sentences.append(f"{point.year}: {', '.join(parts)}")
    return "; ".join(sentences) + "."


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((p,) for p in parts))


def _n(value: float) -> str:
    """A coordinate with at most two decimals."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
