"""The cost curve (MACC) as server-rendered SVG, in the style of :mod:`klimabok.inventory.charts`.

One block per measure, left to right as the core's :func:`~klimabok.core.plan.costs.macc` orders
them (cheapest per tonne first): the width is the tonnes a year it avoids, the height its NOK per
tonne — a measure that saves money goes below the axis. Each block carries its number (the row of
the table beside the chart) and a ``<title>`` with its name and figures; the SVG has ``role="img"``,
an ``aria-label`` and a ``<desc>`` listing every block, and the table is the chart's text alternative.
Labels come in already translated; numbers through the caller's formatters (the page's own).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from klimabok.inventory.charts import FONT, GRID, MUTED, PALETTE, TEXT, WIDTH, nice_axis_max

HEIGHT = 360
LEFT = 86  # the NOK/t axis labels
RIGHT = 16
TOP = 24
BOTTOM = 44  # the t/yr axis labels and its name
PLOT_WIDTH = WIDTH - LEFT - RIGHT
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
SAVING, COST = PALETTE[0], PALETTE[1]
#: Blocks narrower than this (px) get their number only in the <title>, not written on the chart.
LABEL_MIN_WIDTH = 14.0
#: The NOK/t axis reaches at least this far (a curve of free measures would get ticks of 0.25 NOK, all
#: written "0" in whole kroner).
MIN_NOK_AXIS = 100.0
#: A block of (nearly) 0 NOK per tonne is drawn this high (px) on the axis, so it is seen.
MIN_BLOCK_HEIGHT = 4.0
#: The NOK/t axis is sized by the blocks with at least this share of the tonnes: a measure of a few
#: kilos at −100 000 NOK/t would otherwise flatten every other block. A block beyond the axis is cut at
#: its edge and writes its figure there (the table has them all).
AXIS_SHARE = 0.02

Format = Callable[[float], str]


@dataclass(frozen=True, slots=True)
class Block:
    """A measure on the curve: ``number`` (its table row), name, tonnes a year, NOK per tonne, link."""

    number: int
    label: str
    t_per_year: float
    nok_per_tonne: float
    href: str = ""


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def macc_chart(
    blocks: Sequence[Block],
    *,
    title: str,
    x_label: str,
    y_label: str,
    empty_text: str,
    tonnes: Format,
    nok: Format,
) -> SafeString:
    """The cost curve of ``blocks`` (in their order), or a dashed empty box with ``empty_text``."""
    shown = [b for b in blocks if b.t_per_year > 0]
    total = sum(b.t_per_year for b in shown)
    if not shown or total <= 0:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-empty" viewBox="0 0 {w} 80" '
            'width="{w}" height="80" role="img" aria-label="{title}" font-family="{font}" font-size="14">'
            "<title>{title}</title><desc>{text}</desc>"
            '<rect x="0.5" y="0.5" width="{iw}" height="79" rx="6" fill="none" stroke="{grid}" '
            'stroke-dasharray="4 4"/>'
            '<text x="{cx}" y="45" text-anchor="middle" fill="{muted}">{text}</text></svg>',
            w=WIDTH,
            iw=WIDTH - 1,
            title=title,
            font=FONT,
            text=empty_text,
            grid=GRID,
            cx=WIDTH // 2,
            muted=MUTED,
        )
    sizing = [b for b in shown if b.t_per_year >= AXIS_SHARE * total] or shown
    high = max(0.0, max(b.nok_per_tonne for b in sizing))
    low = min(0.0, min(b.nok_per_tonne for b in sizing))
    if max(high, -low) < MIN_NOK_AXIS:  # free measures (0 NOK/t) or a few kroner: an axis in whole kroner
        high = MIN_NOK_AXIS if high >= -low else high
        low = low if high >= -low else -MIN_NOK_AXIS
    top_max, top_step = nice_axis_max(high) if high > 0 or low >= 0 else (0.0, 0.0)
    bottom_max, bottom_step = nice_axis_max(-low) if low < 0 else (0.0, 0.0)
    step = max(top_step, bottom_step)
    span = top_max + bottom_max
    x_max, x_step = nice_axis_max(total)

    def x_of(t: float) -> float:
        return LEFT + PLOT_WIDTH * t / x_max

    def y_of(cost: float) -> float:
        return TOP + PLOT_HEIGHT * (top_max - cost) / span

    parts: list[SafeString] = [
        format_html(
            "<title>{}</title><desc>{}</desc>",
            title,
            "; ".join(
                f"{b.number}. {b.label}: {tonnes(b.t_per_year)} {x_label}, {nok(b.nok_per_tonne)} {y_label}"
                for b in shown
            )
            + ".",
        )
    ]
    ticks = [
        step * i for i in range(-math.floor(bottom_max / step + 1e-9), math.floor(top_max / step + 1e-9) + 1)
    ]
    parts.append(
        format_html_join(
            "",
            '<line x1="{0}" x2="{1}" y1="{2}" y2="{2}" stroke="{3}"/>'
            '<text x="{4}" y="{5}" text-anchor="end" font-size="11" fill="{6}">{7}</text>',
            (
                (LEFT, _n(LEFT + PLOT_WIDTH), _n(y_of(t)), GRID, LEFT - 6, _n(y_of(t) + 4), MUTED, nok(t))
                for t in ticks
            ),
        )
    )
    x_ticks = [x_step * i for i in range(round(x_max / x_step) + 1)]
    base = TOP + PLOT_HEIGHT
    parts.append(
        format_html_join(
            "",
            '<text x="{0}" y="{1}" text-anchor="middle" font-size="11" fill="{2}">{3}</text>',
            ((_n(x_of(t)), base + 16, MUTED, tonnes(t)) for t in x_ticks),
        )
    )
    parts.append(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" font-size="12" fill="{}">{}</text>'
            '<text x="14" y="{}" text-anchor="middle" font-size="12" fill="{}" '
            'transform="rotate(-90 14 {})">{}</text>',
            _n(LEFT + PLOT_WIDTH / 2),
            HEIGHT - 6,
            MUTED,
            x_label,
            _n(TOP + PLOT_HEIGHT / 2),
            MUTED,
            _n(TOP + PLOT_HEIGHT / 2),
            y_label,
        )
    )
    x = 0.0
    zero = y_of(0.0)
    for block in shown:
        left, right = x_of(x), x_of(x + block.t_per_year)
        shown_cost = min(max(block.nok_per_tonne, -bottom_max), top_max)
        clipped = shown_cost != block.nok_per_tonne
        y = y_of(shown_cost)
        height = max(abs(zero - y), MIN_BLOCK_HEIGHT)
        top = min(y, zero) if abs(zero - y) >= MIN_BLOCK_HEIGHT else zero - height / 2
        saving = block.nok_per_tonne < 0
        name = (
            f"{block.number}. {block.label}: {tonnes(block.t_per_year)} {x_label}, "
            f"{nok(block.nok_per_tonne)} {y_label}"
        )
        number = (
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
                _n((left + right) / 2),
                _n(top + height + 13 if saving else top - 4),
                TEXT,
                block.number,
            )
            if right - left >= LABEL_MIN_WIDTH
            else SafeString("")
        )
        if clipped:  # cut at the axis' edge: its number and true figure written inside the plot
            number = format_html(
                '<text x="{}" y="{}" text-anchor="start" font-size="11" fill="{}" class="clipped">'
                "{}. {} {}</text>",
                _n(right + 4),
                _n(top + height - 4 if saving else top + 12),
                TEXT,
                block.number,
                "↓" if saving else "↑",
                nok(block.nok_per_tonne),
            )
        body = format_html(
            '<g class="block"><title>{}</title><rect x="{}" y="{}" width="{}" height="{}" fill="{}" '
            'stroke="#ffffff" stroke-width="1"/>{}</g>',
            name,
            _n(left),
            _n(top),
            _n(max(right - left, 0.5)),
            _n(height),
            SAVING if saving else COST,
            number,
        )
        parts.append(format_html('<a href="{}">{}</a>', block.href, body) if block.href else body)
        x += block.t_per_year
    parts.append(
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="{}" stroke-width="1.5"/>',
            LEFT,
            _n(LEFT + PLOT_WIDTH),
            _n(zero),
            _n(zero),
            TEXT,
        )
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart macc" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-label="{title}" font-family="{font}" font-size="13" fill="{text}">'
        "{body}</svg>",
        w=WIDTH,
        h=HEIGHT,
        title=title,
        font=FONT,
        text=TEXT,
        body=format_html_join("", "{}", ((p,) for p in parts)),
    )
