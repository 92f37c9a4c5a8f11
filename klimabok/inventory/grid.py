"""Many lines at once: rows of cells (typed, pasted from Excel, from a file) checked through the entry forms.

A row is a mapping of :data:`COLUMNS` to the text a user typed. A row with an airport (from or to)
is a flight and goes through :class:`~klimabok.inventory.forms.entry_travel.FlightForm`; a hotel
activity through :class:`~klimabok.inventory.forms.entry_travel.HotelForm`; anything else through
the generic form (any catalogue activity, in any unit that converts to its own). So a row is read,
refused and saved exactly as the guided form would do it, and opens in that form afterwards.

The grid page, the Excel template's flight and hotel columns and the travel agency's flight report
all check their rows here, and save them with :func:`klimabok.inventory.services.add_entries`:
all rows, or none.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klimabok.core.activity_file import ActivitySheet
from klimabok.core.engine.inputs import DEFAULT_DATA_QUALITY
from klimabok.core.errors import InputError, InputErrors, KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Activity
from klimabok.inventory import services
from klimabok.inventory.countries import NAMES
from klimabok.inventory.forms.entry_base import EntryForm, entry_context, usable_activities
from klimabok.inventory.forms.entry_other import GenericForm
from klimabok.inventory.forms.entry_travel import FlightForm, HotelForm
from klimabok.inventory.models import ReportingYear, Site
from klimabok.inventory.read_models import catalogue_for
from klimabok.web.core_messages import localise
from klimabok.web.forms import choice_field

#: The grid's columns, in the order a pasted block without a header fills them.
COLUMNS = ("activity", "quantity", "unit", "site", "note", "origin", "destination", "cabin_class",
           "return_trip", "passengers")
HEADINGS: dict[str, str | Promise] = {
    "activity": _("Activity"), "quantity": _("Quantity"), "unit": _("Unit"), "site": _("Site"),
    "note": _("Note"), "origin": _("From"), "destination": _("To"), "cabin_class": _("Class"),
    "return_trip": _("Return"), "passengers": _("Passengers"),
}
#: Header words a pasted block may start with (English, bokmål, and the template's column names).
HEADER_WORDS = {
    "activity": "activity", "aktivitet": "activity", "quantity": "quantity", "mengde": "quantity",
    "antall": "quantity", "unit": "unit", "enhet": "unit", "site": "site", "lokasjon": "site",
    "note": "note", "notat": "note", "merknad": "note", "description": "note", "beskrivelse": "note",
    "from": "origin", "fra": "origin", "to": "destination", "til": "destination", "class": "cabin_class",
    "klasse": "cabin_class", "return": "return_trip", "tur-retur": "return_trip", "tur/retur": "return_trip",
    "retur": "return_trip", "passengers": "passengers", "passasjerer": "passengers",
}
#: A form's field → the grid column its errors belong to.
FIELD_COLUMNS = {"origin": "origin", "destination": "destination", "band": "origin", "band_km": "origin",
                 "cabin_class": "cabin_class", "trips": "passengers", "return_trip": "return_trip",
                 "activity": "activity", "quantity": "quantity", "unit": "unit", "site": "site",
                 "description": "note", "data_quality": "data_quality", "supplier": "supplier",
                 "vouchers": "vouchers", "cost_nok": "cost_nok"}
CABIN_WORDS = {
    "economy": "economy", "økonomi": "economy", "okonomi": "economy", "eco": "economy", "y": "economy",
    "premium": "premium_economy", "premium economy": "premium_economy", "premium_economy": "premium_economy",
    "business": "business", "c": "business", "first": "first", "første": "first", "f": "first",
    "average": "average", "ukjent": "average", "vet ikke": "average", "unknown": "average",
}
YES = {"yes", "ja", "j", "y", "x", "1", "true", "sann", "tur-retur", "tur/retur", "retur", "return"}
NO = {"no", "nei", "n", "0", "false", "usann", "en vei", "én vei", "enkel", "one way", "one-way"}
#: The data-quality tier of a grid row: the guided forms' default ("from records").
GRID_DATA_QUALITY = 2


@dataclass(frozen=True)
class RowProblem:
    """A problem of one row: the column it concerns ("" for the row as a whole) and the message."""

    column: str
    message: str


@dataclass
class CheckedRow:
    """A row after checking: its draft and emissions (t CO2e), or its problems."""

    number: int
    cells: dict[str, str]
    draft: services.EntryDraft | None = None
    market_t: float | None = None
    location_t: float | None = None
    problems: list[RowProblem] = field(default_factory=list)
    #: figures the entry forms ask about before saving (0 nights, a billion km…): shown, and saved only
    #: once the user ticks "save anyway" for the grid
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.draft is not None and not self.problems


def is_blank(cells: Mapping[str, str]) -> bool:
    return not any(str(value).strip() for value in cells.values())


def parse_pasted(text: str, start_column: str = "activity") -> list[dict[str, str]]:
    """Rows from a block copied out of Excel (tab-separated; one row a line).

    A first line whose cells are all column names (“Aktivitet”, “Fra”, “Passengers”…) says which
    column each cell goes to; without one, the cells fill the grid's columns from ``start_column``
    on, in order. Cells are kept as typed ("12 500,5" is read by the form as the user's language
    reads it); blank lines are dropped and a cell quoted by Excel (a line break inside) is unquoted.
    """
    lines = _excel_lines(text)
    if not lines:
        return []
    header = [HEADER_WORDS.get(" ".join(cell.lower().split())) for cell in lines[0]]
    if all(header) and any(cell.strip() for cell in lines[0]):
        columns: list[str | None] = list(header)
        lines = lines[1:]
    else:
        start = COLUMNS.index(start_column) if start_column in COLUMNS else 0
        columns = list(COLUMNS[start:])
    rows = []
    for cells in lines:
        row = {column: "" for column in COLUMNS}
        for column, value in zip(columns, cells, strict=False):
            if column:
                row[column] = " ".join(value.split())
        if not is_blank(row):
            rows.append(row)
    return rows


def _excel_lines(text: str) -> list[list[str]]:
    """Tab-separated lines, with Excel's quoting of a cell that holds a line break or a quote."""
    lines: list[list[str]] = []
    cells: list[str] = []
    cell, quoted, i = "", False, 0
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    while i < len(text):
        char = text[i]
        if quoted:
            if char == '"' and text[i + 1:i + 2] == '"':
                cell, i = cell + '"', i + 2
                continue
            if char == '"':
                quoted = False
            else:
                cell += char
        elif char == '"' and not cell:
            quoted = True
        elif char == "\t":
            cells.append(cell)
            cell = ""
        elif char == "\n":
            lines.append([*cells, cell])
            cells, cell = [], ""
        else:
            cell += char
        i += 1
    if cell or cells:
        lines.append([*cells, cell])
    return [line for line in lines if any(c.strip() for c in line)]


class _GridGenericForm(GenericForm):
    """The generic form without its list of every usable activity (a row's activity is already checked):
    listing the catalogue for each of a hundred rows was most of a grid's time."""

    def setup(self) -> None:
        pass


class _GridHotelForm(HotelForm):
    """The hotel form, its country list left out as the generic form's (see :class:`_GridGenericForm`)."""

    def setup(self) -> None:
        pass


class RowChecker:
    """Checks rows for one reporting year (the catalogue, the sites and the activities looked up once)."""

    def __init__(self, reporting_year: ReportingYear) -> None:
        self.reporting_year = reporting_year
        self.catalogue: Catalogue = catalogue_for(reporting_year)
        self.sites = list(Site.objects.filter(organisation_id=reporting_year.organisation_id))
        self.context = entry_context(reporting_year)
        self.activities = usable_activities(self.catalogue, reporting_year.year)
        self._by_text: dict[str, Activity] = {}
        for activity in self.activities:
            for text in (activity.name, activity.name_nb, activity.key):
                if text:
                    self._by_text.setdefault(text.casefold(), activity)

    def activity(self, text: str) -> Activity | None:
        """The activity a cell names: its key or its name in either language, in any case."""
        return self._by_text.get(" ".join(text.split()).casefold())

    def hotel_activity(self, country: str) -> str | None:
        """The hotel activity of a country given as its ISO code ("NO", "gb"/"uk") or name in English or
        bokmål ("Sweden", "Sverige"; :data:`klimabok.inventory.countries.NAMES`)."""
        text = " ".join(country.split()).casefold()
        code = {"uk": "gb"}.get(text, text)
        if len(code) != 2:
            code = next((c for c, names in NAMES.items() if text in (n.casefold() for n in names)), code)
        if self.catalogue.has_key(f"hotel.{code}") and len(code) == 2:
            return f"hotel.{code}"
        for activity in self.activities:
            if activity.key.startswith("hotel.") and any(
                    name and name.split(",", 1)[-1].strip().casefold() == text
                    for name in (activity.name, activity.name_nb)):
                return activity.key
        return None

    def check(self, rows: Sequence[Mapping[str, str]], *, first_number: int = 1) -> list[CheckedRow]:
        """Every non-blank row checked (numbered from ``first_number``, blank rows keep their number)."""
        return [self.check_row(number, {c: str(cells.get(c, "") or "").strip() for c in COLUMNS})
                for number, cells in enumerate(rows, start=first_number) if not is_blank(cells)]

    def check_row(self, number: int, cells: dict[str, str], *, data_quality: int | str = GRID_DATA_QUALITY,
                  ledger: Mapping[str, str] | None = None) -> CheckedRow:
        """One row through its entry form and the engine; ``ledger``: supplier, vouchers, cost_nok."""
        row = CheckedRow(number, cells)
        form = self._form(row, data_quality, ledger or {})
        if form is None:
            return row
        if not form.is_valid():
            for name, errors in form.errors.items():
                column = FIELD_COLUMNS.get(name, "")
                row.problems += [RowProblem(column, str(error)) for error in errors]
            return row
        draft = form.draft()
        row.warnings = list(form.warnings)
        try:
            result = services.preview_entry(self.reporting_year, draft, self.catalogue)
        except InputErrors as exc:
            for error in exc.errors:
                target = form.error_fields.get(error.field or "", "")
                row.problems.append(RowProblem(FIELD_COLUMNS.get(target, ""), localise(error.problem)))
            return row
        except KlimabokError as exc:
            row.problems.append(RowProblem("", localise(exc)))
            return row
        row.draft = draft
        row.market_t, row.location_t = result.totals.total_market, result.totals.total_location
        return row

    def _form(self, row: CheckedRow, data_quality: int | str, ledger: Mapping[str, str]) -> EntryForm | None:
        cells = row.cells
        site = self._site(row)
        # "preview": the form shows its plausibility warnings without refusing; the grid asks once for all
        common = {"site": site, "description": cells["note"][:300], "data_quality": data_quality,
                  "action": "preview", **ledger}
        form_class: type[EntryForm]
        if cells["origin"] or cells["destination"]:
            typed_class = cells["cabin_class"]
            cabin = CABIN_WORDS.get(typed_class.casefold(), "" if typed_class else "economy")
            if not cabin:
                row.problems.append(RowProblem("cabin_class", gettext(
                    "«%(text)s» is not a cabin class: economy, premium, business or first.")
                    % {"text": cells["cabin_class"]}))
            back = self._yes_no(row)
            if row.problems:
                return None
            data: dict[str, Any] = {
                "origin": cells["origin"], "destination": cells["destination"], "cabin_class": cabin,
                "trips": cells["passengers"] or "1", "radiative_forcing": "on", **common}
            if back:
                data["return_trip"] = "on"
            form_class = FlightForm
        elif not cells["activity"]:
            row.problems.append(RowProblem("activity", gettext(
                "Give the activity (or, for a flight, the airports).")))
            return None
        else:
            activity = self.activity(cells["activity"])
            if activity is None:
                row.problems.append(RowProblem("activity", gettext(
                    "«%(text)s» is not an activity of the factor library: pick one from the list.")
                    % {"text": cells["activity"]}))
                return None
            data = {"activity": activity.key, "quantity": cells["quantity"],
                    "unit": cells["unit"] or activity.unit, **common}
            form_class = _GridHotelForm if activity.key.startswith("hotel.") else _GridGenericForm
        if row.problems:
            return None
        form = form_class(data, catalogue=self.catalogue, year=self.reporting_year.year, sites=self.sites,
                          context=self.context)
        if form_class is not FlightForm:
            # The checker found the activity among the year's usable ones: the one choice the form needs.
            choice_field(form, "activity").choices = [(data["activity"], data["activity"])]
        return form

    def _site(self, row: CheckedRow) -> int | str:
        text = row.cells["site"]
        if not text:
            return ""
        for site in self.sites:
            if site.name.casefold() == text.casefold():
                return site.pk
        row.problems.append(RowProblem("site", gettext(
            "unknown site “%(site)s”; add it under Sites first (known: %(known)s)")
            % {"site": text, "known": ", ".join(s.name for s in self.sites) or "–"}))
        return ""

    @staticmethod
    def _yes_no(row: CheckedRow) -> bool:
        text = " ".join(row.cells["return_trip"].casefold().split())
        if not text:
            return True  # as the flight form: a return trip unless told otherwise
        if text in YES:
            return True
        if text in NO:
            return False
        row.problems.append(RowProblem("return_trip", gettext(
            "«%(text)s» is neither yes nor no (ja/nei).") % {"text": row.cells["return_trip"]}))
        return False


def row_problem_text(row: CheckedRow, problem: RowProblem) -> str:
    """“Row 3, To: …” — the row and the column a problem concerns, as the grid numbers and heads them."""
    heading = str(HEADINGS.get(problem.column, problem.column))
    # The flight form's airport messages name their field already ("To: «Atlantis» is …").
    if problem.column and not problem.message.startswith(f"{heading}:"):
        return gettext("Row %(row)s, %(column)s: %(message)s") % {
            "row": row.number, "column": heading, "message": problem.message}
    return gettext("Row %(row)s: %(message)s") % {"row": row.number, "message": problem.message}


_NUMBERED = re.compile(r"^row-(\d+)-([a-z_]+)$")


def rows_from_post(data: Mapping[str, Any]) -> list[dict[str, str]]:
    """The grid's rows from a posted form, in order, blank rows kept.

    With JavaScript the page posts them as one JSON list (``rows_json``): a form field per cell would
    stop at Django's 1 000 fields (some 95 rows). Without it, one field per cell (``row-<i>-<column>``).
    At most :data:`MAX_ROWS` + 1 rows are read, so that the view can say there are too many.
    """
    if data.get("rows_json"):
        try:
            posted = json.loads(str(data["rows_json"]))
        except ValueError:
            posted = []
        rows = posted[:MAX_ROWS + 1] if isinstance(posted, list) else []
        return [{c: str(row.get(c, "") or "")[:300] for c in COLUMNS}
                for row in rows if isinstance(row, dict)]
    found: dict[int, dict[str, str]] = {}
    for name in data:
        match = _NUMBERED.match(name)
        if match and match.group(2) in COLUMNS:
            found.setdefault(int(match.group(1)), {c: "" for c in COLUMNS})[match.group(2)] = str(data[name])
    if not found:
        return []
    return [found.get(i, {c: "" for c in COLUMNS}) for i in range(min(max(found) + 1, MAX_ROWS + 1))]


#: Rows one grid posts at most (a year's data is a few dozen lines; a file is for more).
MAX_ROWS = 500


#: A grid column → the activity file's column a trip row gives it in (flights, then hotel nights).
FLIGHT_FILE_COLUMNS = {"origin": "from", "destination": "to", "cabin_class": "class", "return_trip": "return",
                       "passengers": "passengers", "site": "site", "note": "description"}
HOTEL_FILE_COLUMNS = {"activity": "country", "quantity": "nights", "unit": "nights", "site": "site",
                      "note": "description"}


def read_trips(reporting_year: ReportingYear,
               sheet: ActivitySheet) -> tuple[list[tuple[int, services.EntryDraft]], list[InputError]]:
    """The activity file's flight and hotel rows as drafts (with their row), or their problems.

    Each is checked by the flight or hotel form as if typed into the grid; a problem names the
    file, the row as Excel numbers it, and the column as the file heads it.
    """
    checker = RowChecker(reporting_year)
    drafts: list[tuple[int, services.EntryDraft]] = []
    problems: list[InputError] = []
    for trip in sheet.travel:
        given = trip.cells
        flight = bool(given["from"] or given["to"])
        mapping = FLIGHT_FILE_COLUMNS if flight else HOTEL_FILE_COLUMNS
        cells = dict.fromkeys(COLUMNS, "")
        cells.update({"site": given["site"], "note": given["description"]})
        if flight:
            cells.update({column: given[file_column] for column, file_column in FLIGHT_FILE_COLUMNS.items()})
        elif given["country"]:
            hotel = checker.hotel_activity(given["country"])
            if hotel is None:
                problems.append(InputError(gettext(
                    "«%(text)s» is not a country with a hotel factor: give its two-letter code "
                    "(NO, SE, GB…).")
                    % {"text": given["country"]}, source=sheet.name, row=trip.number,
                    field=sheet.headings.get("country", "country")))
                continue
            cells.update({"activity": hotel, "quantity": given["nights"]})
        else:
            problems.append(InputError(gettext("give the country of the hotel nights"), source=sheet.name,
                                       row=trip.number, field=sheet.headings.get("country", "country")))
            continue
        ledger = {name: given[name] for name in ("supplier", "vouchers", "cost_nok")}
        tier = given["data_quality"] or DEFAULT_DATA_QUALITY
        row = checker.check_row(trip.number, cells, data_quality=tier, ledger=ledger)
        for problem in row.problems:
            column = mapping.get(problem.column, problem.column)
            problems.append(InputError(problem.message, source=sheet.name, row=trip.number,
                                       field=sheet.headings.get(column, column) if column else None))
        if row.ok and row.draft is not None:
            drafts.append((trip.number, row.draft))
    return drafts, problems
