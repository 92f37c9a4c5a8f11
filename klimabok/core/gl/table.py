"""The rows of a general-ledger export, streamed: a CSV file or the first sheet of an XLSX workbook.

CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text"), else Windows-1252
(a superset of latin-1's letters, as older Norwegian exports are written); the delimiter is the one
of ``;``, ``,`` and tab that one of the first lines (the header) uses most. The file is read once
to check its encoding, then row by row (constant memory). XLSX: openpyxl in read-only mode, values
(formulas as last computed), at most :data:`XLSX_MAX_COLUMNS` columns, so a sheet declaring itself
A1:XFD1048576 costs nothing. Row numbers are as a spreadsheet shows them; the header is the first
row that looks like one (an account and an amount column), so title lines above the table are
skipped."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from klimabok.core.errors import InputError
from klimabok.core.gl.mapping import guess_mapping
from klimabok.core.messages import message

#: Rows searched for the header (a report's title lines may come first).
HEADER_SEARCH = 10
#: Columns read from a row (a ledger export has a dozen or two).
XLSX_MAX_COLUMNS = 64
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 64 * 1024

#: A row: its number (header = 1) and its cells (text for CSV; numbers, dates or text for XLSX).
Row = tuple[int, tuple[Any, ...]]


class Table:
    """An open export: ``headers`` (row ``header_row``), the ``rows`` below it, how far reading has come."""

    def __init__(self, rows: Iterator[Row], source: str, position: Callable[[], int]) -> None:
        self.header_row, self.headers, self.rows = _header(rows, source)
        self._position = position

    @property
    def bytes_read(self) -> int:
        """Bytes of the file read so far (for an XLSX sheet: its size × the share of rows read)."""
        return self._position()


@contextmanager
def open_table(path: Path, source: str) -> Iterator[Table]:
    """The export at ``path`` as a :class:`Table` (``source`` is the file name messages use)."""
    with path.open("rb") as file:
        head = file.read(8)
    if head.startswith(_ZIP_MAGIC):
        with _xlsx_table(path, source) as table:
            yield table
        return
    if head.startswith(_OLE_MAGIC) or path.suffix.lower() == ".xls":
        raise InputError(message("the old .xls format is not supported: save as .xlsx or CSV"), source=source)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise InputError(message("not a readable XLSX file (corrupt, or another format)"), source=source)
    encoding = _encoding(path, source)
    with path.open("rb") as raw, io.TextIOWrapper(raw, encoding=encoding, errors="replace",
                                                  newline="") as text:
        first_lines = [text.readline() for _ in range(HEADER_SEARCH)]
        delimiter = max((";", ",", "\t"), key=lambda d: max(line.count(d) for line in first_lines))
        text.seek(0)
        rows = _csv_rows(csv.reader(text, delimiter=delimiter), source)
        yield Table(rows, source, raw.tell)


def _encoding(path: Path, source: str) -> str:
    """``utf-16`` after its BOM, ``utf-8-sig`` when the whole file decodes as UTF-8, else ``cp1252``."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as file:
        chunk = file.read(_CHUNK)
        if chunk.startswith(_UTF16_BOMS):
            return "utf-16"
        if b"\x00" in chunk:
            raise InputError(message("not a text (CSV) file"), source=source)
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = file.read(_CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _csv_rows(reader: Any, source: str) -> Iterator[Row]:
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, tuple(cells)
    except csv.Error as exc:
        raise InputError(message("row %(row)s cannot be read as CSV: %(reason)s", row=number + 1,
                                 reason=str(exc)), source=source) from None


@contextmanager
def _xlsx_table(path: Path, source: str) -> Iterator[Table]:
    file = path.open("rb")  # a file, not its name: openpyxl refuses names without an .xlsx suffix
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        file.close()
        raise InputError(message("not a readable XLSX file (corrupt, or another format)"),
                         source=source) from exc
    try:
        sheet = workbook.worksheets[0]
        size, last = path.stat().st_size, getattr(sheet, "max_row", None) or 0
        done = [0]

        def rows() -> Iterator[Row]:
            cells: tuple[Any, ...]
            for number, cells in enumerate(sheet.iter_rows(max_col=XLSX_MAX_COLUMNS, values_only=True), 1):
                done[0] = number
                yield number, tuple(cells)

        def position() -> int:
            return size * min(done[0], last) // last if last else 0

        yield Table(rows(), source, position)
    finally:
        workbook.close()
        file.close()


def _header(rows: Iterator[Row], source: str) -> tuple[int, list[str], Iterator[Row]]:
    """The header row's number and names, and the rows below it.

    The header is the first of the first :data:`HEADER_SEARCH` non-blank rows in which an account
    and an amount (or debit/credit) column can be recognised — so a report's title lines above the
    table are skipped — else the first non-blank row. A blank name is the column's letter
    (``C``), so every column can be chosen.
    """
    seen: list[Row] = []
    for number, cells in rows:
        names = _names(cells)
        if not names:
            continue
        seen.append((number, cells))
        guess = guess_mapping(names)
        if "account" in guess and guess.keys() & {"amount", "debit", "credit"}:
            return number, names, rows
        if len(seen) == HEADER_SEARCH:
            break
    if not seen:
        raise InputError(message("the file is empty (no header in row 1)"), source=source)
    (number, cells), *below = seen
    return number, _names(cells), itertools.chain(below, rows)


def _names(cells: tuple[Any, ...]) -> list[str]:
    names = [str(cell).strip() if cell is not None else "" for cell in cells]
    while names and not names[-1]:
        names.pop()
    return [name or _letters(i) for i, name in enumerate(names)]


def _letters(index: int) -> str:
    """The spreadsheet letters of column ``index`` (0 → ``A``, 26 → ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
