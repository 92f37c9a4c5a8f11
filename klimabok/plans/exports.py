"""The action plan as an XLSX workbook: every measure with its owner, status, deadline, tonnes a year
(both scope 2 views, computed in sequence on the latest closed year's account) and NOK per tonne.

Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``…) is written as plain text
(:func:`klimabok.account.exports.neutralise`); numbers stay numbers, rounded as the pages show them.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from klimabok.account.exports import neutralise
from klimabok.plans import catalogue
from klimabok.plans.models import Measure, Status
from klimabok.plans.scenarios import PlanEffects
from klimabok.web.core_messages import localise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def action_plan_rows(effects: PlanEffects, measures: list[Measure]) -> list[list[object]]:
    """Header, then one row per measure: those in the sequence in its order, then the dropped ones."""
    header: list[object] = [
        pgettext("place in the sequence of measures", "Order"),
        _("Measure"),
        _("Kind"),
        _("Owner"),
        _("Status"),
        _("Deadline"),
        _("Start year"),
        _("t CO₂e a year, location-based"),
        _("t CO₂e a year, market-based"),
        _("NOK per tonne, location-based"),
        _("NOK per tonne, market-based"),
        _("Yearly cost (NOK)"),
        _("One-off cost (NOK)"),
        _("Lines it acts on"),
        _("Notes"),
    ]
    rows: list[list[object]] = [header]
    in_sequence = {row.measure.pk for row in effects.rows}
    for row in effects.rows:
        m = row.measure
        rows.append(
            [
                row.position,
                m.title,
                localise(catalogue.label(m.kind)),
                str(m.owner or ""),
                str(Status(m.status).label),
                m.deadline,
                row.start_year,
                _round(row.t_location, 3) if row.effect else None,
                _round(row.t_market, 3) if row.effect else None,
                _round(row.nok_per_tonne("location"), 0),
                _round(row.nok_per_tonne("market"), 0),
                _round(row.annual_cost_nok, 0),
                float(m.capex_nok),
                ", ".join(m.acts_on),
                "; ".join(localise(note) for note in row.notes),
            ]
        )
    for m in measures:
        if m.pk not in in_sequence:
            rows.append(
                [
                    None,
                    m.title,
                    localise(catalogue.label(m.kind)),
                    str(m.owner or ""),
                    str(Status(m.status).label),
                    m.deadline,
                    m.start_year,
                    None,
                    None,
                    None,
                    None,
                    None,
                    float(m.capex_nok),
                    ", ".join(m.acts_on),
                    m.dropped_reason,
                ]
            )
    return rows


def action_plan_xlsx(effects: PlanEffects, measures: list[Measure]) -> bytes:
    """The workbook: one sheet, "Action plan", header row bold and frozen."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Action plan"))
    sheet.freeze_panes = "A2"
    sheet.column_dimensions["B"].width = 40
    bold = Font(bold=True)
    for index, values in enumerate(action_plan_rows(effects, measures)):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutralise(value))  # type: ignore[arg-type]
            if index == 0:
                cell.font = bold
            elif isinstance(value, float) and value == value:
                cell.number_format = "#,##0.0##"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
