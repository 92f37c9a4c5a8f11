"""The rows of a large sheet written as SpreadsheetML text into a workbook openpyxl made.

openpyxl makes a cell object per value and an XML element per cell: for the workbook of every line of a
100,000-line year (some 170,000 rows × 33 columns) that is nine tenths of the minutes the file takes. Here
openpyxl still makes the workbook — the summary sheet, the styles, the lines sheet's bold header row and its
frozen pane — and this module writes the lines sheet's other rows as text, cell by cell as openpyxl writes a
write-only sheet (``<c r="B2" t="n"><v>1.5</v></c>``, text as inline strings), into that sheet's
``<sheetData>`` while the ZIP is copied: about nine times faster, and a row at a time in memory.
"""

from __future__ import annotations

import math
import numbers
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO
from xml.sax.saxutils import escape

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

#: Rows joined into one write of the sheet's ZIP entry.
ROWS_PER_WRITE = 1000
#: Above this many rows the sheet's entry may pass 2 GiB, so it is written with ZIP64 sizes.
ZIP64_ROWS = 1_000_000


def text_cell(ref: str, text: str, style: str = "") -> str:
    """An inline-string cell; characters XML cannot hold are left out (openpyxl refuses them)."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    space = ' xml:space="preserve"' if text.strip() != text else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{escape(text)}</t></is></c>'


def number_cell(ref: str, value: float, style: str = "") -> str:
    """A number cell; NaN and infinity, which a spreadsheet cannot hold, as an empty cell."""
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return f'<c r="{ref}"{style} t="n"><v>{float(value)!r}</v></c>' if isinstance(value, float) \
        else f'<c r="{ref}"{style} t="n"><v>{int(value)}</v></c>'


def rows_xml(rows: Iterable[Sequence[object]], first_row: int,
             styles: Mapping[type, int]) -> Iterator[str]:
    """``<row>`` elements from row number ``first_row`` on. Values are numbers, text or None (an empty
    cell, as is empty text); a value whose type is in ``styles`` gets that cell style (openpyxl's
    ``style_id``). Text must be made safe beforehand (formula triggers: ``exports.neutralise``)."""
    letters: list[str] = []
    style_of = {cls: f' s="{style}"' for cls, style in styles.items()}
    for number, row in enumerate(rows, start=first_row):
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        cells = []
        for letter, value in zip(letters, row, strict=False):
            if value is None or value == "":
                continue
            cls = value.__class__
            style = style_of.get(cls, "")
            if cls is str:
                cells.append(text_cell(f"{letter}{number}", value, style))  # type: ignore[arg-type]
            elif isinstance(value, numbers.Real):
                cells.append(number_cell(f"{letter}{number}", value, style))  # type: ignore[arg-type]
            else:
                cells.append(text_cell(f"{letter}{number}", str(value), style))
        yield f'<row r="{number}">{"".join(cells)}</row>'


def copy_with_rows(workbook: BinaryIO, sheet: str, rows: Iterable[str], out: BinaryIO, *,
                   zip64: bool = False) -> None:
    """The ZIP of ``workbook`` into ``out``, entry by entry, with ``rows`` (``<row>`` text) added at the end
    of the ``<sheetData>`` of the entry named ``sheet`` (``xl/worksheets/sheet2.xml``)."""
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename != sheet:
                target.writestr(info, data)
                continue
            head, end, tail = data.partition(b"</sheetData>")
            if not end:
                raise ValueError(f"{sheet} has no <sheetData> to add rows to")
            with target.open(sheet, "w", force_zip64=zip64) as entry:
                entry.write(head)
                batch: list[str] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == ROWS_PER_WRITE:
                        entry.write("".join(batch).encode())
                        batch.clear()
                entry.write("".join(batch).encode())
                entry.write(end + tail)
