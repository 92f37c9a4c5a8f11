"""Server-rendered SVG charts for the account page: no JavaScript, no CDN.

Every function returns SVG markup (a ``SafeString``; all text goes through
``format_html``, so labels are escaped). The Content-Security-Policy forbids
inline ``style``, so colour and type use SVG presentation attributes only.

Charts are horizontal bars, which read well with long category names at the
page's 900 px content width: a label column, the bars, and each value written
as text after its bar. The SVG carries ``role="img"``, an ``aria-label`` and a
``<desc>`` listing every value, so a screen reader gets the numbers too.

All labels (titles, series names, the empty-state text) are passed in already
translated; values are formatted by the ``number_format`` callable the caller
passes, so the chart shows numbers exactly as the page around it does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 900
LABEL_WIDTH = 290        # left column for category names
VALUE_WIDTH = 110        # right margin for the value written after the longest bar
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
AXIS_HEIGHT = 26         # tick labels above the plot
LEGEND_HEIGHT = 28
BAR_HEIGHT = 18
BAR_GAP = 3              # between bars of one group
GROUP_GAP = 12           # between groups
LABEL_CHARS = 40         # longer labels are shortened with "…" (full text in the bar's <title>)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
TEXT = "#1f2a24"
MUTED = "#5c6b63"
GRID = "#dfe5e1"
# Colour-blind-safe pair first (green / amber), then greys; series are also told apart by the legend.
PALETTE = ("#2f6f4f", "#d08c2c", "#7a8f84", "#4a7fb0")

NumberFormat = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Bar:
    """One labelled value; ``href`` makes the bar a link (drill-down to its lines)."""

    label: str
    value: float
    href: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """A label with one value per series (``values[i]`` belongs to ``series[i]``)."""

    label: str
    values: tuple[float, ...]
    href: str = ""


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str, empty_text: str,
              number_format: NumberFormat, color: str = PALETTE[0]) -> SafeString:
    """A horizontal bar chart of one series (emissions by scope or category, in ``unit``)."""
    groups = [Group(b.label, (b.value,), b.href) for b in bars]
    return _horizontal_bars(groups, series=(), colors=(color,), title=title, unit=unit,
                            empty_text=empty_text, number_format=number_format)


def grouped_bar_chart(groups: Sequence[Group], *, series: Sequence[str], title: str, unit: str,
                      empty_text: str, number_format: NumberFormat) -> SafeString:
    """Horizontal bars side by side per group, with a legend naming ``series``.

    Serves location- vs market-based per scope and last year vs this year per category.
    """
    if any(len(g.values) != len(series) for g in groups):
        raise ValueError("every group needs one value per series")
    return _horizontal_bars(groups, series=tuple(series), colors=PALETTE[:len(series)], title=title,
                            unit=unit, empty_text=empty_text, number_format=number_format)


def nice_axis_max(value: float) -> tuple[float, float]:
    """A round axis end at or above ``value`` and its tick step (1, 2, 2.5 or 5 × 10ⁿ, ~4 ticks)."""
    if value <= 0:
        return 1.0, 0.25
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    return step * math.ceil(value / step - 1e-9), step


def _horizontal_bars(groups: Sequence[Group], *, series: tuple[str, ...], colors: Sequence[str],
                     title: str, unit: str, empty_text: str, number_format: NumberFormat) -> SafeString:
    peak = max((v for g in groups for v in g.values), default=0.0)
    if peak <= 0:
        return _empty(title, empty_text)
    axis_max, step = nice_axis_max(peak)
    n_series = max(len(series), 1)
    group_height = n_series * BAR_HEIGHT + (n_series - 1) * BAR_GAP
    top = (LEGEND_HEIGHT if series else 0) + AXIS_HEIGHT
    height = top + len(groups) * (group_height + GROUP_GAP) + 4

    def x_of(value: float) -> float:
        return LABEL_WIDTH + PLOT_WIDTH * max(value, 0.0) / axis_max

    parts: list[SafeString] = [
        format_html('<title>{}</title><desc>{}</desc>', title,
                    _description(groups, series, unit, number_format)),
    ]
    if series:
        parts.append(_legend(series, colors))
    parts.append(_axis(axis_max, step, top, height, x_of, number_format))
    for index, group in enumerate(groups):
        y = top + index * (group_height + GROUP_GAP)
        parts.append(_group(group, y, group_height, series, colors, unit, x_of, number_format))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-label="{title}" font-family="{font}" font-size="13" '
        'fill="{text}">{body}</svg>',
        w=WIDTH, h=height, title=title, font=FONT, text=TEXT, body=_join(parts))


def _group(group: Group, y: float, group_height: float, series: tuple[str, ...], colors: Sequence[str],
           unit: str, x_of: Callable[[float], float], number_format: NumberFormat) -> SafeString:
    label = group.label if len(group.label) <= LABEL_CHARS else group.label[:LABEL_CHARS - 1] + "…"
    bars = []
    for i, value in enumerate(group.values):
        bar_y = y + i * (BAR_HEIGHT + BAR_GAP)
        text = f"{number_format(value)} {unit}"
        name = f"{group.label} — {series[i]}" if series else group.label
        bars.append(format_html(
            '<g class="bar"><title>{name}: {text}</title>'
            '<rect x="{x}" y="{y}" width="{width}" height="{h}" fill="{color}" rx="2"/>'
            '<text x="{tx}" y="{ty}" fill="{muted}">{text}</text></g>',
            name=name, text=text, x=LABEL_WIDTH, y=_n(bar_y), width=_n(x_of(value) - LABEL_WIDTH),
            h=BAR_HEIGHT, color=colors[i], tx=_n(x_of(value) + 6), ty=_n(bar_y + BAR_HEIGHT - 5),
            muted=MUTED))
    body = format_html(
        '<text class="label" x="{x}" y="{y}" text-anchor="end">{label}</text>{bars}',
        x=LABEL_WIDTH - 10, y=_n(y + group_height / 2 + 4.5), label=label, bars=_join(bars))
    if group.href:
        return format_html('<a href="{}">{}</a>', group.href, body)
    return body


def _axis(axis_max: float, step: float, top: float, height: float, x_of: Callable[[float], float],
          number_format: NumberFormat) -> SafeString:
    ticks = [step * i for i in range(round(axis_max / step) + 1)]
    return format_html_join(
        "",
        '<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="{3}"/>'
        '<text x="{0}" y="{4}" text-anchor="middle" font-size="11" fill="{5}">{6}</text>',
        ((_n(x_of(t)), top - 4, _n(height), GRID, top - 10, MUTED, number_format(t)) for t in ticks))


def _legend(series: Sequence[str], colors: Sequence[str]) -> SafeString:
    items = []
    x = float(LABEL_WIDTH)
    for name, color in zip(series, colors, strict=True):
        items.append(format_html(
            '<rect x="{}" y="6" width="12" height="12" fill="{}" rx="2"/><text x="{}" y="16">{}</text>',
            _n(x), color, _n(x + 17), name))
        x += 17 + 7.5 * len(name) + 24
    return format_html('<g class="legend">{}</g>', _join(items))


def _description(groups: Sequence[Group], series: tuple[str, ...], unit: str,
                 number_format: NumberFormat) -> str:
    """The chart's data as one sentence per group, for screen readers."""
    def values(group: Group) -> str:
        if not series:
            return f"{number_format(group.values[0])} {unit}"
        return ", ".join(f"{name} {number_format(v)} {unit}" for name, v in zip(series, group.values,
                                                                                strict=True))
    return "; ".join(f"{g.label}: {values(g)}" for g in groups) + "."


def _empty(title: str, empty_text: str) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-empty" viewBox="0 0 {w} 80" '
        'width="{w}" height="80" role="img" aria-label="{title}" font-family="{font}" font-size="14">'
        '<title>{title}</title><desc>{text}</desc>'
        '<rect x="0.5" y="0.5" width="{iw}" height="79" rx="6" fill="none" stroke="{grid}" '
        'stroke-dasharray="4 4"/>'
        '<text x="{cx}" y="45" text-anchor="middle" fill="{muted}">{text}</text></svg>',
        w=WIDTH, iw=WIDTH - 1, title=title, font=FONT, text=empty_text, grid=GRID, cx=WIDTH // 2,
        muted=MUTED)


def _join(parts: Sequence[SafeString]) -> SafeString:
    return format_html_join("", "{}", ((p,) for p in parts))


def _n(value: float) -> str:
    """A coordinate with at most two decimals (short markup, exact enough for 900 px)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")
