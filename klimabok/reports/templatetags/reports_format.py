"""A report cell as text on the page (numbers grouped with their decimals, dates short, "—" for none)."""

from __future__ import annotations

from django import template

from klimabok.reports.layout import Cell, cell_text

register = template.Library()


@register.filter
def report_cell(cell: Cell) -> str:
    return cell_text(cell)
