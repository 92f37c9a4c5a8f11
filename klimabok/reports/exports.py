"""The Miljøfyrtårn report as an XLSX workbook, laid out in the portal's order.

One sheet: the title, then each section (numbered as in the portal) with its tables and notes, so a
user can type the figures into the portal from top to bottom. Numbers stay numbers (rounded as the
page shows them, with the same decimals); dates are dates; text that a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``…: a measure's title, an own indicator's name) is written as plain
text (:func:`klimabok.account.exports.neutralise`).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from klimabok.account.exports import neutralise

from .layout import Cell, Figure, Section

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet: WriteOnlyWorksheet, value: Cell, *, bold: bool = False) -> Any:
    if isinstance(value, Figure):
        cell = WriteOnlyCell(sheet, value=float(round(value.value, value.decimals)))
        cell.number_format = "#,##0" + ("." + "0" * value.decimals if value.decimals else "")
    else:
        cell = WriteOnlyCell(sheet, value=neutralise(value) if isinstance(value, str) else value)  # type: ignore[arg-type]
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def miljofyrtarn_xlsx(title: str, subtitle: str, sections: list[Section]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Miljøfyrtårn report"))
    sheet.column_dimensions["A"].width = 52
    for column in "BCD":
        sheet.column_dimensions[column].width = 22
    sheet.append([_cell(sheet, title, bold=True)])
    sheet.append([_cell(sheet, subtitle)])
    for section in sections:
        sheet.append([])
        sheet.append([_cell(sheet, f"{section.number}. {section.title}", bold=True)])
        if not section.tables and section.empty:
            sheet.append([_cell(sheet, section.empty)])
        for table in section.tables:
            sheet.append([_cell(sheet, column, bold=True) for column in table.columns])
            for index, row in enumerate(table.rows):
                sheet.append([_cell(sheet, value, bold=index in table.total_rows) for value in row])
        for note in section.notes:
            sheet.append([_cell(sheet, note)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
