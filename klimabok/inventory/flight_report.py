"""A travel agency's flight report (CSV or XLSX): which column is what, and its rows as grid rows.

Agencies export one row per flight (or per leg) with airports as IATA codes or names, a date, and
often the class and the traveller. The user says once which column holds what (the mapping); the
organisation's mapping is remembered (:class:`~klimabok.inventory.models.FlightReportMapping`) and
offered again, and a first report gets the columns whose headings say so ("Fra", "Destination"…).

The rows then go through the grid (:class:`~klimabok.inventory.grid.RowChecker`), so a flight from
the report is read, refused and saved exactly as one typed into the flight form.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klimabok.core.activity_file import read_table
from klimabok.core.errors import InputError, InputErrors
from klimabok.inventory.grid import COLUMNS, CheckedRow, RowChecker, RowProblem
from klimabok.inventory.models import FlightReportMapping, ReportingYear

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

#: What klimabok reads from a report, in the order the mapping step asks; the first two are required.
TARGETS: dict[str, StrOrPromise] = {
    "origin": _("From (airport code or name)"), "destination": _("To (airport code or name)"),
    "date": _("Date of the flight"), "cabin_class": _("Class"), "passengers": _("Passengers"),
    "return_trip": _("Return (yes/no)"), "note": _("Note (traveller, ticket, purpose)"),
}
REQUIRED = ("origin", "destination")
#: Headings that name a field, for a first report (compared in lower case, spaces and dashes as "_").
GUESSES = {
    "origin": ("from", "fra", "origin", "departure", "departure_airport", "avreise", "avgang", "fra_flyplass",
               "dep", "from_airport", "opprinnelse"),
    "destination": ("to", "til", "destination", "arrival", "arrival_airport", "ankomst", "til_flyplass",
                    "arr", "to_airport", "destinasjon"),
    "date": ("date", "dato", "travel_date", "reisedato", "departure_date", "avreisedato", "flight_date"),
    "cabin_class": ("class", "klasse", "cabin", "cabin_class", "booking_class", "reiseklasse"),
    "passengers": ("passengers", "passasjerer", "pax", "antall", "antall_reisende", "number_of_passengers"),
    "return_trip": ("return", "tur_retur", "retur", "round_trip", "roundtrip"),
    "note": ("traveller", "traveler", "passenger", "reisende", "navn", "name", "ticket", "billett",
             "note", "notat", "merknad", "reference", "referanse"),
}
#: Rows a report may have (a year of a mid-sized company's flights is a few hundred).
MAX_ROWS = 5000
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y/%m/%d", "%Y-%m-%d %H:%M:%S",
                "%d.%m.%Y %H:%M")


@dataclass(frozen=True)
class FlightReport:
    """A report as read: its name, the headings of row 1, and the rows below as text (Excel's numbering
    starts them at row 2)."""

    name: str
    headings: list[str]
    rows: list[list[str]]
    sha256: str = ""    #: of the file as uploaded: the same report is imported once per year
    size: int = 0

    def as_session(self) -> dict[str, Any]:
        return {"name": self.name, "headings": self.headings, "rows": self.rows, "sha256": self.sha256,
                "size": self.size}

    @classmethod
    def from_session(cls, stored: Mapping[str, Any]) -> FlightReport:
        return cls(str(stored["name"]), [str(h) for h in stored["headings"]],
                   [[str(c) for c in row] for row in stored["rows"]], str(stored.get("sha256", "")),
                   int(stored.get("size", 0)))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def read_flight_report(name: str, data: bytes) -> FlightReport:
    """The report's headings and rows; refused when it has no heading row, no rows or too many rows."""
    table = read_table(data, name)
    if not table or not any(_cell_text(v) for v in table[0]):
        raise InputErrors([InputError(gettext("the file is empty (no header in row 1)"), source=name)])
    width = max(i + 1 for i, v in enumerate(table[0]) if _cell_text(v))
    headings = [_cell_text(v) or gettext("Column %(n)s") % {"n": i + 1}
                for i, v in enumerate(table[0][:width])]
    rows = [[_cell_text(row[i]) if i < len(row) else "" for i in range(width)] for row in table[1:]]
    while rows and not any(rows[-1]):
        rows.pop()
    if not any(any(row) for row in rows):
        raise InputErrors([InputError(gettext("no flights below the header"), source=name)])
    if len(rows) > MAX_ROWS:
        raise InputErrors([InputError(gettext("the report has more than %(limit)s rows: split it")
                                      % {"limit": MAX_ROWS}, source=name)])
    return FlightReport(name, headings, rows, hashlib.sha256(data).hexdigest(), len(data))


def _key(heading: str) -> str:
    return "_".join(heading.lower().replace("-", " ").replace("/", " ").split())


def initial_mapping(report: FlightReport, remembered: FlightReportMapping | None) -> dict[str, str]:
    """Target → heading: the organisation's last mapping where its headings are in this report, else
    a guess from the headings."""
    known = remembered.columns if remembered else {}
    mapping: dict[str, str] = {}
    for target in TARGETS:
        if known.get(target) in report.headings:
            mapping[target] = known[target]
            continue
        guess = next((h for h in report.headings if _key(h) in GUESSES[target]), None)
        if guess is not None and guess not in mapping.values():
            mapping[target] = guess
    return mapping


def parse_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def check_report(reporting_year: ReportingYear, report: FlightReport,
                 mapping: Mapping[str, str]) -> list[CheckedRow]:
    """Every row of the report checked as a flight of the grid, numbered as Excel numbers the rows.

    The date, when mapped, must be a date in the reporting year; it goes into the entry's note.
    Without a return column every row is one flight one way, as agencies list each leg.
    """
    checker = RowChecker(reporting_year)
    position = {target: report.headings.index(heading) for target, heading in mapping.items()
                if heading in report.headings}
    checked = []
    for number, values in enumerate(report.rows, start=2):
        if not any(values):
            continue
        cells = dict.fromkeys(COLUMNS, "")
        for target, i in position.items():
            if target != "date":
                cells[target] = values[i]
        if "return_trip" not in position:
            cells["return_trip"] = "nei"
        problems: list[RowProblem] = []
        if "date" in position:
            text = values[position["date"]]
            when = parse_date(text) if text else None
            if text and when is None:
                problems.append(RowProblem("date", gettext(
                    "«%(text)s» is not a date (2025-03-14 or 14.03.2025).") % {"text": text}))
            elif when is not None and when.year != reporting_year.year:
                problems.append(RowProblem("date", gettext("the flight on %(date)s is not in %(year)s.")
                                           % {"date": date_format(when, "SHORT_DATE_FORMAT"),
                                              "year": reporting_year.year}))
            elif when is not None:
                cells["note"] = " · ".join(part for part in (when.isoformat(), cells["note"]) if part)
        if not (cells["origin"] or cells["destination"]):
            problems.append(RowProblem("origin", gettext("no airports in this row.")))
        row = checker.check_row(number, cells) if not problems else CheckedRow(number, cells)
        row.problems[:0] = problems
        checked.append(row)
    return checked


def report_problem_text(row: CheckedRow, problem: RowProblem, mapping: Mapping[str, str]) -> str:
    """“Row 7, Destination: …” — the row as Excel numbers it and the column as the report heads it."""
    heading = mapping.get(problem.column, "") if problem.column in TARGETS else ""
    if heading:
        return gettext("Row %(row)s, %(column)s: %(message)s") % {
            "row": row.number, "column": heading, "message": problem.message}
    return gettext("Row %(row)s: %(message)s") % {"row": row.number, "message": problem.message}
