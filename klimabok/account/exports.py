"""The account as files: an XLSX workbook (summary + lines) and the same two tables as CSV.

The summary holds what the account page shows — totals with their 95 %
ranges, categories, sites, intensities, the methods, the GWP set and the
factor datasets — and the lines sheet every result line with its full
provenance (factor, source, row reference, licence, per-gas kg), so an
auditor can recompute any number from the file alone.

Numbers are written as numbers: tonnes rounded once, to whole kilograms, by
the engine's :func:`~klimabok.core.engine.rounded`; the XLSX displays one
decimal like the page. CSV uses a comma separator and a decimal point (for
tools), UTF-8 with a byte-order mark (so spreadsheet programs read æøå).

Text a user typed can reach a spreadsheet, so every text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'`` (OWASP "CSV injection"): it is shown as text, never run as a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from klimabok.account.figures import year_denominators
from klimabok.account.read_models import load_year_account
from klimabok.account.sheet_rows import ZIP64_ROWS, copy_with_rows, rows_xml
from klimabok.account.spend import SpendAccount, spend_account, spend_source_name
from klimabok.core.engine import AccountResult, Intensity, rounded
from klimabok.core.engine.scopes import TOTAL_NAMES
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import FactorDataset
from klimabok.core.spend import ATTRIBUTION
from klimabok.core.spend.factors import KEY_PREFIX
from klimabok.core.uncertainty import TIER_UNCERTAINTY_95
from klimabok.inventory.models import ReportingYear, Site
from klimabok.inventory.read_models import year_floor_area
from klimabok.inventory.templatetags.account_format import category_name, localized_name
from klimabok.web.core_messages import localise


class Tonnes(float):
    """Tonnes CO2e rounded to whole kilograms; the XLSX shows them with one decimal, as the page does."""

    @classmethod
    def of(cls, t_co2e: float) -> Tonnes:
        return cls(rounded(t_co2e))


Cell = str | int | float | Promise | None
Row = Sequence[Cell]

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
TONNES_FORMAT = "#,##0.0"


@dataclass(frozen=True)
class AccountExport:
    """One year's account and what the export says about it."""

    organisation: str
    slug: str
    year: int
    closed: bool
    account: AccountResult
    catalogue: Catalogue
    intensities: dict[str, Intensity]
    #: The year's spend from the accounting ledger (None without any).
    spend: SpendAccount | None = None

    @property
    def datasets(self) -> list[FactorDataset]:
        """The factor datasets the account used (pinned ones for a closed year)."""
        used = set(self.account.datasets)
        return [d for d in self.catalogue.datasets if d.ref in used]

    def filename(self, extension: str, part: str = "") -> str:
        return export_filename(self.slug, self.year, extension, part)


def export_filename(slug: str, year: int, extension: str, part: str = "") -> str:
    """``klimaregnskap-nordlys-2025.xlsx``, ``klimaregnskap-nordlys-2025-lines.csv``: the download's name,
    whether a request or the task worker made the file."""
    return f"klimaregnskap-{slug}-{year}{'-' + part if part else ''}.{extension}"


def load_account_export(reporting_year: ReportingYear) -> AccountExport:
    """The year's account as its exports show it (raises the ``KlimabokError`` that prevents it): one
    loader for the web download and the task worker's job, so both write the same file."""
    loaded = load_year_account(reporting_year)
    organisation = reporting_year.organisation
    sites = list(Site.objects.filter(organisation_id=reporting_year.organisation_id))
    return AccountExport(
        organisation=organisation.name, slug=organisation.slug, year=reporting_year.year,
        closed=reporting_year.is_closed, account=loaded.account, catalogue=loaded.catalogue,
        intensities=loaded.account.intensities(
            **year_denominators(reporting_year, year_floor_area(reporting_year, sites))),
        spend=spend_account(reporting_year, loaded.spend_parts, loaded.account))


def neutralise(value: Cell) -> str | int | float | None:
    """Text that a spreadsheet would run as a formula, made plain text with a leading ``'``; lazy text
    becomes ``str``."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def summary_rows(export: AccountExport) -> list[Row]:
    """The summary table: sections separated by an empty row, each with its own header row."""
    account = export.account
    status = _("closed (factor datasets pinned)") if export.closed else _("open")
    rows: list[Row] = [
        [_("Climate account %(year)s: %(organisation)s") % {"year": export.year,
                                                           "organisation": export.organisation}],
        [_("Reporting year"), export.year],
        [_("Status"), status],
        [_("GWP set"), _("IPCC %(set)s, 100-year GWP") % {"set": account.gwp_set}],
        [_("Unit"), _("tonnes CO2e")],
        [_("Scope 2 methods"), _(
            "Location-based: the average emissions of the grid where the energy is used. Market-based: "
            "the supplier contracts and guarantees of origin the company holds, otherwise the residual "
            "mix. Both totals are reported (GHG Protocol Scope 2 Guidance).")],
        [_("Uncertainty"), _(
            "95 %% range: each line's activity data by its data quality (tier 1–5: ±%(tiers)s) and its "
            "emission factor by publisher (fuels ±5 %%, DESNZ, NVE and AIB ±10 %%, spend-based ±50 %%), "
            "in quadrature; lines of one activity and tier, and lines of one factor, share their error "
            "(IPCC 2006 vol. 1 ch. 3, approach 1; GHG Protocol uncertainty guidance).") % {
                "tiers": ", ".join(f"{round(100 * u)} %" for u in TIER_UNCERTAINTY_95.values())}],
        [],
        [_("Total"), _("t CO2e"), _("Low (95 %)"), _("High (95 %)"), _("± %")],
    ]
    ranges = account.uncertainty
    for key in TOTAL_NAMES:
        r = ranges[key]
        rows.append([category_name(key), Tonnes.of(r.t_co2e), Tonnes.of(r.low), Tonnes.of(r.high),
                     round(100 * r.relative, 1)])
    rows.append([_("Biogenic CO2, outside the scopes (t CO2)"), Tonnes.of(account.biogenic_co2_t)])
    rows += [[], [_("Category"), _("Key"), _("t CO2e")]]
    rows += [[category_name(key), key, Tonnes.of(t)] for key, t in account.by_category().items()]
    rows += [[], [_("Site"), *(category_name(key) for key in TOTAL_NAMES)]]
    rows += [[site or _("(no site)"), *(Tonnes.of(v) for v in totals.as_tuple())]
             for site, totals in account.by_site().items()]
    if export.intensities:
        rows += [[], [_("Intensity"), _("Amount"), _("t CO2e per unit, location-based"),
                      _("t CO2e per unit, market-based")]]
        rows += [[_("per %(unit)s") % {"unit": i.unit}, i.amount, round(i.t_co2e_location, 6),
                  round(i.t_co2e_market, 6)] for i in export.intensities.values()]
    rows += _spend_rows(export)
    rows += [[], [_("Factor dataset"), _("Version"), _("Title"), _("Source"), _("Licence")]]
    rows += [[d.dataset_id, d.version, d.title, d.source, d.licence] for d in export.datasets]
    return rows


def _spend_rows(export: AccountExport) -> list[Row]:
    """The spend-based part: categories, exclusions and coverage, with the CEDA attribution."""
    spend = export.spend
    if spend is None:
        return []
    rows: list[Row] = [[], [_("From the accounting ledger (spend-based)"), _("NOK"), _("t CO2e"),
                            _("kg CO2e per NOK")]]
    rows += [[row.label or _("Own factors"), float(row.counted_nok), Tonnes.of(row.kg_co2e / 1000),
              round(row.kg_per_nok or 0.0, 6)] for row in spend.categories]
    rows += [[_("Spend factors"), _("%(attribution)s: Open CEDA 2025, Norway, by sector (CC BY-SA 4.0)")
              % {"attribution": ATTRIBUTION}]]
    rows += [[_("Note"), localise(flag)] for flag in spend.flags]
    rows += [[], [_("Excluded, not counted"), _("NOK")]]
    rows += [[localise(row.reason), float(row.net_nok)] for row in spend.excluded]
    rows += [[], [_("Coverage of the cost spend"), _("NOK"), _("Share")]]
    names = {"mapped": _("Mapped to a spend category"), "excluded": _("Excluded"),
             "unmapped": _("Not mapped")}
    rows += [[names[key], float(nok), round(share, 1)] for key, nok, share in spend.coverage_rows]
    return rows


LINE_HEADERS: tuple[Promise, ...] = (
    gettext_lazy("Line"), gettext_lazy("Entry"), gettext_lazy("Activity"), gettext_lazy("Activity name"),
    gettext_lazy("Description"), gettext_lazy("Site"), gettext_lazy("Quantity"), gettext_lazy("Unit"),
    gettext_lazy("Quantity in factor unit"), gettext_lazy("Factor unit"), gettext_lazy("Category"),
    gettext_lazy("Category name"), gettext_lazy("Scope 2 basis"), gettext_lazy("Factor key"),
    gettext_lazy("Factor name"), gettext_lazy("Factor value (kg CO2e per factor unit)"),
    gettext_lazy("Factor year"), gettext_lazy("Figure published for"), gettext_lazy("Source"),
    gettext_lazy("Source reference"), gettext_lazy("Licence"), gettext_lazy("Dataset"),
    gettext_lazy("kg CO2"), gettext_lazy("kg CH4"), gettext_lazy("kg N2O"), gettext_lazy("kg other (CO2e)"),
    gettext_lazy("kg CO2e"), gettext_lazy("t CO2e"), gettext_lazy("Data quality"), gettext_lazy("Flags"),
    gettext_lazy("Method"), gettext_lazy("kg biogenic CO2 (outside the scopes)"),
    gettext_lazy("Biogenic CO2 source reference"),
)


#: How often an export of every line tells its caller how far it has come: every this many rows.
PROGRESS_ROWS = 5000
#: Told the count of line rows written so far (the task worker's job page shows it beside the total).
RowsWritten = Callable[[int], None]


def line_count(export: AccountExport) -> int:
    """How many rows :func:`line_rows` yields (the header row not counted)."""
    return len(export.account.lines)


def lines_table(export: AccountExport, written: RowsWritten | None = None) -> Iterator[Row]:
    """The header row, then :func:`line_rows`; ``written`` is told the rows written every
    :data:`PROGRESS_ROWS` rows and after the last."""
    yield LINE_HEADERS
    if written is None:
        yield from line_rows(export)
        return
    count = 0
    for count, row in enumerate(line_rows(export), start=1):
        yield row
        if count % PROGRESS_ROWS == 0:
            written(count)
    if count % PROGRESS_ROWS:
        written(count)


def line_rows(export: AccountExport) -> Iterator[Row]:
    """One row per result line (input line × factor component), in input order.

    What a row says of its factor (names, source, category, flags: translated text) is made once per
    factor component, not once per line: a 100,000-line account has some 170,000 rows and a few dozen
    components."""
    names: dict[str, str] = {}
    about_factor: dict[tuple[int, int], tuple[list[Cell], list[Cell], list[Cell]]] = {}
    spend_based = _("Spend-based estimate (%(attribution)s)") % {"attribution": ATTRIBUTION}
    activity_based = _("Activity-based")
    for number, line in enumerate(export.account.lines, start=1):
        factor = line.factor
        if line.activity not in names:
            names[line.activity] = spend_source_name(line.activity) or localized_name(
                export.catalogue.activity(line.activity))
        key = (id(factor), id(line.flags))  # both belong to the account's component table
        if key not in about_factor:
            about_factor[key] = (
                [factor.unit, line.scope_label, category_name(line.scope_label), str(line.basis), factor.key,
                 localized_name(factor)],
                [factor.year, factor.published_year or factor.year, factor.source, factor.source_ref,
                 factor.licence,
                 f"{factor.dataset_id}@{factor.dataset_version}" if factor.dataset_id else ""],
                ["; ".join(map(localise, line.flags)),
                 spend_based if line.activity.startswith(KEY_PREFIX) else activity_based])
        named, source, flagged = about_factor[key]
        yield [
            number, line.ref, line.activity, names[line.activity], line.description, line.site,
            line.quantity, line.unit, line.quantity_in_factor_unit, *named,
            line.kg_co2e_per_unit, *source,
            line.kg_co2, line.kg_ch4, line.kg_n2o, line.kg_other_co2e, line.kg_co2e,
            Tonnes.of(line.t_co2e), line.data_quality, *flagged,
            line.kg_co2_biogenic, factor.biogenic_source_ref,
        ]


#: Cells that are never text, so never a formula (``neutralise`` returns them as they are).
_NOT_TEXT = (int, float, type(None))
#: How much CSV text a streamed chunk holds: one write per 64 KB, not one per row.
CSV_CHUNK_CHARS = 64 * 1024


def csv_chunks(rows: Iterable[Row]) -> Iterator[str]:
    """CSV text (with a BOM first) in chunks of about :data:`CSV_CHUNK_CHARS`, formula-neutralised: for a
    streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff"
    for row in rows:
        writer.writerow([cell if cell.__class__ in _NOT_TEXT else neutralise(cell) for cell in row])
        if buffer.tell() >= CSV_CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def write_lines_csv(export: AccountExport, out: BinaryIO, written: RowsWritten | None = None) -> None:
    """The lines CSV (:func:`lines_table` through :func:`csv_chunks`) as UTF-8 into ``out``: the same bytes
    as the streamed download."""
    for chunk in csv_chunks(lines_table(export, written)):
        out.write(chunk.encode())


def xlsx_bytes(export: AccountExport) -> bytes:
    """The workbook of :func:`write_xlsx` as bytes."""
    out = io.BytesIO()
    write_xlsx(export, out)
    return out.getvalue()


def write_xlsx(export: AccountExport, out: BinaryIO, written: RowsWritten | None = None) -> None:
    """The workbook into ``out``: sheet "Summary" and sheet "Lines"; ``written`` as for :func:`lines_table`.

    openpyxl makes the workbook with the lines sheet's header row; the line rows are written as sheet XML
    into it while it is copied into ``out`` (:mod:`klimabok.account.sheet_rows`: nine times faster than a
    cell object each, a row at a time in memory)."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(_("Summary"))
    summary.column_dimensions["A"].width = 48
    for letter in "BCDEFG":
        summary.column_dimensions[letter].width = 18
    rows = summary_rows(export)
    _write(summary, rows, bold_rows=_header_rows(rows))
    lines = workbook.create_sheet(_("Lines"))
    lines.freeze_panes = "A2"
    table = lines_table(export, written)
    _write(lines, [next(table)], bold_rows={0})
    tonnes = WriteOnlyCell(lines, value=0)
    tonnes.number_format = TONNES_FORMAT
    styles: dict[type, int] = {Tonnes: tonnes.style_id}  # registered in the workbook: before it is saved
    made = io.BytesIO()
    workbook.save(made)
    made.seek(0)
    line_rows_xml = rows_xml(([cell if cell.__class__ in _NOT_TEXT else neutralise(cell) for cell in row]
                              for row in table), first_row=2, styles=styles)
    copy_with_rows(made, lines.path.lstrip("/"), line_rows_xml, out, zip64=line_count(export) > ZIP64_ROWS)


def _header_rows(rows: Sequence[Row]) -> set[int]:
    """The title row and each row that follows an empty separator row."""
    return {0} | {i + 1 for i, row in enumerate(rows) if not row}


def _write(sheet: WriteOnlyWorksheet, rows: Iterable[Row], *, bold_rows: set[int]) -> None:
    """Rows into ``sheet``: a styled cell only where a style is needed (a bold row, a tonnes figure), a
    plain value everywhere else — a cell object per value made the workbook of every line twice as slow."""
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        if index in bold_rows:
            cells: list[object] = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=neutralise(value))
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
        else:
            sheet.append([value if value.__class__ in _NOT_TEXT else _tonnes_cell(sheet, value)
                          if isinstance(value, Tonnes) else neutralise(value) for value in row])


def _tonnes_cell(sheet: WriteOnlyWorksheet, value: Tonnes) -> object:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = TONNES_FORMAT
    return cell
