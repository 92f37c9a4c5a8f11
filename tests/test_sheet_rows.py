"""The workbook's line rows written as sheet XML (klimabok.account.sheet_rows): what a spreadsheet reads back
is what openpyxl's own cells would have held, for text XML must escape, spaces, characters XML cannot hold,
numbers of every kind and the tonnes style."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pytest
from django.utils import translation
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from klimabok.account import exports
from klimabok.account.exports import TONNES_FORMAT, Tonnes, write_xlsx
from klimabok.account.sheet_rows import copy_with_rows, rows_xml
from tests.test_exports import account_export


def test_text_numbers_and_styles_read_back_as_written() -> None:
    rows: list[list[object]] = [
        ["R&D <kontor> \"A\"", " innrykk", "tab\there", "ctrl\x01\x1fchar", "", None, "Ø"],
        [1, 2.5, np.float64(0.125), np.int64(7), float("nan"), True, Tonnes.of(1.23449)],
    ]
    book_bytes = io.BytesIO()  # a workbook with one sheet and its header row, as write_xlsx makes it
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Linjer")
    sheet.append(["a", "b"])
    style = WriteOnlyCell(sheet, value=0)
    style.number_format = TONNES_FORMAT
    styles: dict[type, int] = {Tonnes: style.style_id}  # registered before the workbook is saved
    workbook.save(book_bytes)
    book_bytes.seek(0)
    out = io.BytesIO()
    copy_with_rows(book_bytes, sheet.path.lstrip("/"), rows_xml(rows, 2, styles), out)

    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert archive.testzip() is None
        etree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # well-formed XML
    book = load_workbook(io.BytesIO(out.getvalue()))
    cells = list(book["Linjer"].iter_rows())
    assert [c.value for c in cells[0]][:2] == ["a", "b"]
    texts = ["R&D <kontor> \"A\"", " innrykk", "tab\there", "ctrlchar", None, None, "Ø"]
    assert [c.value for c in cells[1]] == texts
    numbers = [c.value for c in cells[2]]
    assert numbers == [1, 2.5, 0.125, 7, None, True, 1.234]  # tonnes rounded to whole kilograms
    assert cells[2][6].number_format == TONNES_FORMAT and cells[2][1].number_format == "General"


def test_the_workbook_keeps_its_frozen_bold_header_and_reads_the_same_with_zip64_sizes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """ZIP64 sizes (for a lines sheet that may pass 2 GiB: exports.ZIP64_ROWS) change nothing read."""
    export = account_export()
    with translation.override("en"):
        plain, large = io.BytesIO(), io.BytesIO()
        write_xlsx(export, plain)
        monkeypatch.setattr(exports, "ZIP64_ROWS", 0)
        written: list[int] = []
        write_xlsx(export, large, written.append)
    books = [load_workbook(io.BytesIO(data.getvalue())) for data in (plain, large)]
    for book in books:
        lines = book["Lines"]
        assert lines.freeze_panes == "A2" and all(cell.font.b for cell in lines[1])
        assert lines.max_row == 5  # the header and four result lines
    assert [[c.value for c in row] for row in books[0]["Lines"]] == [
        [c.value for c in row] for row in books[1]["Lines"]]
    assert written == [4] and large.getvalue() != plain.getvalue()
