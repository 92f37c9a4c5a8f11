"""The activity-data file: the template users fill in, read as CSV or XLSX.

One line of activity per row, a header in row 1:

==============  ============  ==========================================================
column          bokmål        meaning
==============  ============  ==========================================================
activity        aktivitet     an activity key of the catalogue (``klimabok factors list``,
                              or the "Catalogue" sheet of the template) — required
quantity        mengde        how much, ≥ 0; "1234.5", "1 234,5" and "1.234,5" all read — required
unit            enhet         any unit converting to the activity's (kWh, MWh, litres, km…) — required
site            lokasjon      where (office, building); optional
description     beskrivelse   free text; optional
data_quality    datakvalitet  1 measured … 5 rough estimate (default 3); optional
supplier        leverandør    where it is in the accounting ledger: the supplier's org.nr
                              or name (several separated by ";"); optional
vouchers        bilag         the ledger's voucher numbers, separated by commas; optional
cost_nok        beløp_nok     the amount paid, NOK excl. VAT; optional
==============  ============  ==========================================================

The last three let the account exclude exactly the ledger spend a line covers
(:mod:`klimabok.core.spend.double_counting`); :func:`read_activity_rows` returns them beside each line.

A row may give a trip instead of an activity (activity, quantity and unit left empty):

==============  ============  ==========================================================
from, to        fra, til      a flight: the airports (IATA code or city)
class           klasse        economy, premium, business or first (economy when empty)
return          tur_retur     yes/no, ja/nei (yes when empty)
passengers      passasjerer   how many people flew it (1 when empty)
country         land          hotel nights: the country (ISO code or name)…
nights          netter        …and how many room nights
==============  ============  ==========================================================

Such rows come back unread (:class:`TravelRow`, from :func:`read_activity_sheet`): the web app reads
them with its flight and hotel forms (:mod:`klimabok.inventory.grid`), which resolve airports and
distances, so they are checked exactly as a flight or hotel entered by hand.

Header names are case-insensitive; other columns are ignored; empty rows are
skipped. CSV: UTF-8 with or without BOM (Windows-1252, as older Excel saves
"CSV (semicolon separated)", is accepted too), ``,`` or ``;`` or tab as the
delimiter (the one the header row uses most; with decimal commas use ``;``,
as Norwegian Excel does, or quote the numbers). XLSX: the sheet named
"Activities" (or "Aktiviteter"), else the first; formulas are read as their
last computed values.

Any bad row rejects the whole file with :class:`InputErrors` naming every
bad row — as numbered in Excel, header = row 1 — and the column as headed in
the file.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from klimabok.core.engine import ActivityColumns, ActivityLine, line_problems
from klimabok.core.engine.inputs import DEFAULT_DATA_QUALITY
from klimabok.core.engine.scopes import line_label
from klimabok.core.errors import FactorNotFound, InputError, InputErrors
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Activity
from klimabok.core.messages import Message, message
from klimabok.core.numbers import parse_number

#: The flight and hotel columns of a row that gives a trip instead of an activity, with their bokmål names.
TRAVEL_COLUMNS = {"from": "fra", "to": "til", "class": "klasse", "return": "tur_retur",
                  "passengers": "passasjerer", "country": "land", "nights": "netter"}
COLUMNS = ("activity", "quantity", "unit", "site", "description", "data_quality", "supplier", "vouchers",
           "cost_nok", *TRAVEL_COLUMNS)
REQUIRED = ("activity", "quantity", "unit")
ALIASES = {"aktivitet": "activity", "mengde": "quantity", "enhet": "unit", "lokasjon": "site",
           "beskrivelse": "description", "datakvalitet": "data_quality", "leverandør": "supplier",
           "bilag": "vouchers", "beløp_nok": "cost_nok", "voucher": "vouchers", "bilagsnummer": "vouchers",
           "cost": "cost_nok", **{nb: en for en, nb in TRAVEL_COLUMNS.items()}}
SHEET_NAMES = ("activities", "aktiviteter")
#: The examples of klimabok/data/templates/activities-template.csv, reused in the Excel template.
EXAMPLE_ACTIVITIES = ("electricity.no", "flight.domestic.average")
_ZIP_MAGIC = b"PK\x03\x04"
_UNREADABLE_XLSX = message("not a readable XLSX file (corrupt, or another format)")
#: Columns read from an XLSX sheet (the template has six). A sheet may declare itself A1:XFD1048576 in a
#: few bytes, and read-only openpyxl pads every row to the declared width: 17 billion cells to look at.
XLSX_MAX_COLUMNS = 32
#: Lines (non-empty rows) read from an XLSX sheet; a CSV file is bounded by the upload's size already.
XLSX_MAX_LINES = 200_000


@dataclass(frozen=True, slots=True)
class TravelRow:
    """A row that gives a flight or hotel nights instead of an activity: its cells as text, by column."""

    number: int
    cells: dict[str, str]


@dataclass(frozen=True)
class ActivitySheet:
    """A file's lines, its trips (not yet read), its column headings as written, and the rows' problems."""

    name: str
    rows: list[ActivityRow]
    travel: list[TravelRow]
    headings: dict[str, str]
    problems: list[InputError]


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """A line of the file with where it is in the accounting ledger (each optional)."""

    line: ActivityLine
    supplier: str = ""
    vouchers: str = ""
    cost_nok: float | None = None


def read_activity_file(file: str | Path | IO[bytes], *, catalogue: Catalogue, year: int,
                       name: str | None = None) -> list[ActivityLine]:
    """Read and check an activity file for reporting ``year``; every line's ``ref`` is ``"name:row"``.

    ``file`` is a path or a binary stream (an upload); ``name`` is how
    messages call the file (default: the file name). Raises
    :class:`InputErrors` listing every bad row, so nothing is ever half read.
    """
    return [row.line for row in read_activity_rows(file, catalogue=catalogue, year=year, name=name)]


def read_activity_rows(file: str | Path | IO[bytes], *, catalogue: Catalogue, year: int,
                       name: str | None = None) -> list[ActivityRow]:
    """:func:`read_activity_file`'s lines with their supplier, vouchers and amount paid."""
    sheet = read_activity_sheet(file, catalogue=catalogue, year=year, name=name)
    trips = [InputError(message("flight and hotel columns are read only by an upload to klimabok's web "
                                "pages: give activity, quantity and unit here"), source=sheet.name,
                        row=trip.number,
                        field=sheet.headings["from" if trip.cells["from"] or trip.cells["to"] else "country"])
             for trip in sheet.travel]
    if sheet.problems or trips:
        raise InputErrors(sorted([*sheet.problems, *trips], key=lambda e: e.row or 0))
    return sheet.rows


def read_activity_sheet(file: str | Path | IO[bytes], *, catalogue: Catalogue, year: int,
                        name: str | None = None) -> ActivitySheet:
    """The file's lines and trips, with every row's problems listed (not raised).

    Problems of the file as a whole (unreadable, empty, a required column missing) are raised.
    """
    if isinstance(file, str | Path):
        name = name or Path(file).name
        data = Path(file).read_bytes()
    else:
        name = name or Path(str(getattr(file, "name", "upload"))).name
        data = file.read()
    return _sheet(read_table(data, name), name=name, catalogue=catalogue, year=year)


def read_table(data: bytes, name: str) -> list[tuple[Any, ...]]:
    """A CSV or XLSX file's rows as read for the activity file (type sniffed, limits applied), header first.

    For other tables users bring (a travel agency's flight report): cells as the file holds them.
    """
    return _xlsx_rows(data, name) if _is_xlsx(data, name) else _csv_rows(data, name)


def _is_xlsx(data: bytes, name: str) -> bool:
    if data.startswith(_ZIP_MAGIC):
        return True
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        raise InputErrors([InputError(_UNREADABLE_XLSX, source=name)])
    if suffix == ".xls":
        raise InputErrors([InputError(message("the old .xls format is not supported: save as .xlsx or CSV"),
                                      source=name)])
    return False


def _csv_rows(data: bytes, name: str) -> list[tuple[Any, ...]]:
    if b"\x00" in data:
        raise InputErrors([InputError(message("not a text (CSV) file"), source=name)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return [tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_rows(data: bytes, name: str) -> list[tuple[Any, ...]]:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise InputErrors([InputError(_UNREADABLE_XLSX, source=name)]) from exc
    try:
        by_name = {sheet.lower(): sheet for sheet in workbook.sheetnames}
        chosen = next((by_name[s] for s in SHEET_NAMES if s in by_name), workbook.sheetnames[0])
        rows: list[tuple[Any, ...]] = []
        filled = 0
        for row in workbook[chosen].iter_rows(max_col=XLSX_MAX_COLUMNS, values_only=True):
            if any(value is not None for value in row):
                filled += 1
                if filled > XLSX_MAX_LINES + 1:  # + the header
                    raise InputErrors([InputError(message(
                        "the sheet has more than %(limit)s lines: split it into several files",
                        limit=XLSX_MAX_LINES), source=name)])
                rows.append(row)
            else:
                rows.append(())  # an empty row keeps its number for messages, and costs nothing later
        while rows and not rows[-1]:
            rows.pop()
        return rows
    finally:
        workbook.close()


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    row: ActivityRow

    @property
    def line(self) -> ActivityLine:
        return self.row.line


#: A problem found while reading: (row number, canonical column, message).
_Problem = tuple[int, str, Message]


def _sheet(rows: list[tuple[Any, ...]], *, name: str, catalogue: Catalogue, year: int) -> ActivitySheet:
    if not rows or not any(_text(v) for v in rows[0]):
        raise InputErrors([InputError(message("the file is empty (no header in row 1)"), source=name)])
    columns = _header_columns(rows[0])
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputErrors([
            InputError(message("required column '%(column)s' (bokmål: '%(column_nb)s') is missing", column=c,
                               column_nb=_nb(c)), source=name, row=1, field=c)
            for c in missing])
    problems: list[_Problem] = []
    travel: list[TravelRow] = []
    parsed = list(_parse_rows(rows, columns, name, problems, travel))
    if not parsed and not travel:
        raise InputErrors([InputError(message("no activity lines below the header"), source=name)])
    if parsed:
        problems += [(parsed[p.index].number, p.field, p.message) for p in
                     line_problems(ActivityColumns.from_lines([r.line for r in parsed]), year=year,
                                   catalogue=catalogue)]
    heading = {field: _text(rows[0][i]) for field, i in columns.items()}
    problems.sort(key=lambda p: (p[0], COLUMNS.index(p[1])))
    return ActivitySheet(name, [row.row for row in parsed], travel, heading,
                         [InputError(message, source=name, row=row, field=heading.get(field, field))
                          for row, field, message in problems])


def _header_columns(header: tuple[Any, ...]) -> dict[str, int]:
    """Canonical column name → position, from the header row (first occurrence wins)."""
    columns: dict[str, int] = {}
    for i, value in enumerate(header):
        key = "_".join(_text(value).lower().replace("-", " ").split())
        columns.setdefault(ALIASES.get(key, key), i)
    return columns


def _parse_rows(rows: list[tuple[Any, ...]], columns: dict[str, int], name: str,
                problems: list[_Problem], travel: list[TravelRow]) -> Iterator[_Row]:
    """Rows 2… as lines; unreadable cells go to ``problems`` and the row is still checked.

    A row with a flight or hotel cell and no activity goes to ``travel``, its cells as text.
    """
    def cell(row: tuple[Any, ...], field: str) -> Any:
        i = columns.get(field)
        return row[i] if i is not None and i < len(row) else None

    for number, row in enumerate(rows[1:], start=2):
        if not any(_text(v) for v in row):
            continue
        if not _text(cell(row, "activity")) and any(_text(cell(row, c)) for c in TRAVEL_COLUMNS):
            travel.append(TravelRow(number, {c: _text(cell(row, c)) for c in COLUMNS}))
            continue
        quantity, problem = _quantity(cell(row, "quantity"))
        if problem:
            problems.append((number, "quantity", problem))
        tier, problem = _tier(cell(row, "data_quality"))
        if problem:
            problems.append((number, "data_quality", problem))
        cost, problem = _cost(cell(row, "cost_nok"))
        if problem:
            problems.append((number, "cost_nok", problem))
        yield _Row(number, ActivityRow(ActivityLine(
            activity=_text(cell(row, "activity")), quantity=quantity, unit=_text(cell(row, "unit")),
            site=_text(cell(row, "site")), description=_text(cell(row, "description")),
            data_quality=tier, ref=f"{name}:{number}"), supplier=_text(cell(row, "supplier"))[:200],
            vouchers=_text(cell(row, "vouchers"))[:500], cost_nok=cost))


def _quantity(value: Any) -> tuple[float, Message | None]:
    """(quantity, problem); a placeholder 0 when the cell cannot be read."""
    if isinstance(value, bool):
        return 0.0, message("'%(text)s' is not a number", text=str(value))
    if isinstance(value, int | float):
        return (float(value), None) if math.isfinite(value) else (0.0, message("quantity is not a number"))
    text = _text(value)
    if not text:
        return 0.0, message("quantity is missing")
    try:
        return parse_number(text), None
    except ValueError:
        return 0.0, message("'%(text)s' is not a number", text=text)


def _cost(value: Any) -> tuple[float | None, Message | None]:
    """(amount paid, problem); blank is none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = parse_number(_text(value))
        except ValueError:
            return None, message("'%(text)s' is not an amount in NOK", text=_text(value))
    if not math.isfinite(number) or number < 0:
        return None, message("the amount paid must be zero or more NOK, got '%(text)s'", text=_text(value))
    return number, None


def _tier(value: Any) -> tuple[int, Message | None]:
    """(data-quality tier, problem); blank is the default tier, a range check follows in the engine."""
    text = _text(value)
    if not text:
        return DEFAULT_DATA_QUALITY, None
    try:
        number = parse_number(text)
    except ValueError:
        number = math.nan
    if number.is_integer():
        return int(number), None
    return DEFAULT_DATA_QUALITY, message("data quality must be a whole number 1–5, got '%(text)s'", text=text)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _nb(field: str) -> str:
    return next(nb for nb, en in ALIASES.items() if en == field)



#: The data-quality tiers as the template's help sheet explains them (see klimabok.core.engine.inputs).
TIER_HELP = (
    (1, "measured or supplier-specific", "målt eller fra leverandør"),
    (2, "from records (invoices, travel reports)", "fra bilag (fakturaer, reiserapporter)"),
    (3, "partly estimated (default)", "delvis anslått (standard)"),
    (4, "extrapolated, averaged or spend-based", "ekstrapolert, gjennomsnitt eller kostnadsbasert"),
    (5, "rough estimate", "grovt anslag"),
)


def write_template_xlsx(target: str | Path | IO[bytes], catalogue: Catalogue, year: int, *,
                        language: str = "en", site: str = "") -> None:
    """Write the Excel template: "Activities" (header, 2 example lines, a flight and hotel nights),
    "Catalogue", "Data quality".

    The catalogue sheet lists every activity with factors for ``year``: key,
    unit, English and bokmål name, and where it counts (scope/category).
    ``language="nb"`` writes the bokmål column headers and descriptions (both
    are read back). ``site`` is the example rows' site — one the organisation
    has, so that the template uploads as it is.
    """
    activities = _activities_for(catalogue, year)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Activities"
    sheet.append([_nb(c) if language == "nb" else c for c in COLUMNS])
    sheet.freeze_panes = "A2"
    for activity in _examples([a for a, _ in activities]):
        name = activity.name_nb if language == "nb" and activity.name_nb else activity.name
        sheet.append([activity.key, 1000, activity.unit, site, name, 2, "", "", None])
    nb = language == "nb"
    blank_line = ["", None, "", site]
    sheet.append([*blank_line, "Kundemøte i Bergen" if nb else "Customer meeting in Bergen", 2, "", "", None,
                  "OSL", "BGO", "economy", "ja" if nb else "yes", 2, "", None])
    sheet.append([*blank_line, "Hotell, kundemøte" if nb else "Hotel, customer meeting", 2, "", "", None,
                  "", "", "", "", None, "NO", 2])
    listing = workbook.create_sheet("Catalogue")
    listing.append(["activity", "unit", "name", "name (nb)", "group", "counts in"])
    for activity, labels in activities:
        listing.append([activity.key, activity.unit, activity.name, activity.name_nb, activity.group,
                        ", ".join(labels)])
    tiers = workbook.create_sheet("Data quality")
    tiers.append(["data_quality", "meaning", "betydning"])
    for row in TIER_HELP:
        tiers.append(list(row))
    for ws, widths in ((sheet, (28, 12, 12, 16, 40, 14, 24, 18, 14, 8, 8, 12, 10, 12, 8, 8)),
                       (listing, (34, 14, 48, 48, 16, 36)), (tiers, (14, 44, 48))):
        for column, width in zip("ABCDEFGHIJKLMNOP", widths, strict=False):
            ws.column_dimensions[column].width = width
        # openpyxl stores a text starting with "=" (a site named "=HYPERLINK(…)") as a live formula:
        # keep every such cell text, so it reads back unchanged and never runs in the reader's Excel.
        for cells in ws.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    workbook.save(target)


def _activities_for(catalogue: Catalogue, year: int) -> list[tuple[Activity, list[str]]]:
    """Activities usable in ``year`` with the scope labels their factors count in."""
    usable = []
    for activity in catalogue.activities():
        try:
            factors = [catalogue.factor(key, year) for key in activity.components]
        except FactorNotFound:
            continue
        usable.append((activity, list(dict.fromkeys(line_label(f) for f in factors))))
    return usable


def _examples(activities: list[Activity]) -> list[Activity]:
    """The template's two example activities: those of the CSV template when the catalogue has them."""
    preferred = [a for key in EXAMPLE_ACTIVITIES for a in activities if a.key == key]
    return (preferred + [a for a in activities if a not in preferred])[:2]
