"""Read the registries' own exports into :class:`RegistryBlock` s: a serial block with its project's facts.

Formats (CSV as the registries publish them; columns by header name, others ignored):

``verra``
    The VCS transactions export (issuances, with retirement columns filled for
    retired ranges): ``Serial Number``, ``Quantity Issued``, ``ID``, ``Name``,
    ``Country/Area``, ``Project Type``, ``Methodology``, ``Vintage Start``,
    ``Vintage End``, ``Issuance Date``, ``Additional Certifications`` (labels
    separated by ``;``: ``ICVCM CCP``, ``CCB-…``, ``CORSIA …``, ``Article 6
    Authorized …``, ``Carbon Dioxide Removals`` / ``GHG Emissions Reductions``).
``gold-standard``
    The issuances export (the retirements export reads the same way):
    ``Serial Number``, ``Quantity``, ``GSID``, ``Project Name``, ``Country``,
    ``Project Type``, ``Methodology``, ``Product Type`` (VER, PER, CER…),
    ``Vintage``, ``Label`` (``ICVCM CCP, Emission Reduction``…). Serials are
    GS ranges, or CDM (Kyoto) ranges for CERs.
``isometric``
    The issuances export: ``id``, ``issued_at``, ``project_id`` and the batch
    sizes in (fractional) credits — the supplier's share, the buffer pool's,
    the total. Isometric publishes no serials: each issuance becomes the
    synthetic range ``isometric:<id>:1-N``, N = the whole tonnes of the
    supplier's share (the buffer is not the holder's to sell; a fraction of a
    tonne cannot be sold and stays recorded in ``total_credits``). The export
    has no vintage: ``vintage_year`` is the issuance year (Isometric credits
    removals after they are verified). Every Isometric credit is a removal.
    Project name, country (ISO alpha-3), protocol and pathway come from the
    projects export when it is given.

Reading is all-or-nothing: any problem raises :class:`InputErrors` naming
every bad row — numbered as a spreadsheet shows the file, header = row 1 —
and the column as headed; a missing column names the file and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

from klimabok.core.credits.serials import (
    CDM,
    GOLD_STANDARD,
    ISOMETRIC,
    VERRA,
    SerialBlock,
    check_quantity,
    parse_serial,
)
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.messages import Message, message

FORMATS = (VERRA, GOLD_STANDARD, ISOMETRIC)
#: Labels klimabok recognises by name (as the registries spell them).
CCP_LABEL = "ICVCM CCP"
REMOVAL_LABELS = frozenset({"Carbon Dioxide Removals", "Emission Removal"})
REDUCTION_LABELS = frozenset({"GHG Emissions Reductions", "Emission Reduction"})
#: Values the registries use for "no Article 6 authorisation".
NOT_AUTHORISED = frozenset({"", "Not Applicable", "N/A"})


class CreditKind(StrEnum):
    """What a credit stands for: a removal, a reduction (or avoidance), or not recorded."""

    REMOVAL = "removal"
    REDUCTION = "reduction"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Project:
    """A registry project as its export describes it."""

    registry: str
    project_id: str
    name: str = ""
    country: str = ""  #: as the export names it (country name; ISO alpha-3 for Isometric)
    methodology: str = ""
    project_type: str = ""
    developer: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Retirement:
    """A retirement or cancellation the export records for a range."""

    retired_on: date | None
    beneficiary: str = ""
    reason: str = ""
    details: str = ""
    status: str = "retired"


@dataclass(frozen=True, slots=True)
class RegistryBlock:
    """One range of an export: its serial block, project, labels, and (when retired) the retirement."""

    serial: SerialBlock
    project: Project
    source: str = ""
    row: int | None = None
    product_type: str = ""  #: the unit as the registry names it: VCU, VER, PER, CER, CORC…
    labels: tuple[str, ...] = ()
    kind: CreditKind = CreditKind.UNKNOWN
    issued_on: date | None = None
    article6: str = ""  #: the export's Article 6 authorisation text, "" when none
    total_credits: Decimal | None = None  #: Isometric: the issuance incl. buffer and fractions (t)
    buffer_credits: Decimal | None = None  #: Isometric: credits set aside in the buffer pool (t)
    retirement: Retirement | None = None

    @property
    def quantity(self) -> int:
        return self.serial.quantity

    @property
    def vintage_year(self) -> int | None:
        return self.serial.vintage_year

    def has_label(self, label: str) -> bool:
        return label in self.labels


def read_registry_export(path: str | Path, format: str, *,
                         projects: str | Path | None = None) -> list[RegistryBlock]:
    """Read an export of ``format`` ("verra", "gold-standard" or "isometric"; ``projects``: Isometric's)."""
    readers: dict[str, Callable[[str | Path], list[RegistryBlock]]] = {
        VERRA: read_verra_transactions, GOLD_STANDARD: read_gold_standard_issuances,
        ISOMETRIC: lambda path: read_isometric_issuances(path, projects=projects)}
    if format not in readers:
        raise InputError(message("unknown registry export format '%(format)s' (known: %(known)s)",
                                 format=format, known=", ".join(FORMATS)), field="format")
    return readers[format](path)


def read_verra_transactions(path: str | Path) -> list[RegistryBlock]:
    """Verra's VCS transactions export, one block per row."""
    table = _Table.read(path, VERRA, ("Serial Number", "Quantity Issued", "ID", "Name", "Country/Area",
                                      "Project Type", "Methodology", "Vintage Start", "Vintage End",
                                      "Issuance Date", "Additional Certifications"))
    blocks = []
    for row in table.rows():
        labels = _labels(row["Additional Certifications"], ";")
        serial = row.serial("Serial Number", (VERRA,), quantity_column="Quantity Issued")
        project = Project(VERRA, row["ID"], row["Name"], row["Country/Area"], row["Methodology"],
                          row["Project Type"], url=f"https://registry.verra.org/app/projectDetail/VCS/{row['ID']}")
        if serial is not None:
            row.same("ID", serial.project_id, row["ID"])
            row.same("Vintage Start", serial.vintage_start, row.date("Vintage Start"))
        retired_on = row.date("Retirement/Cancellation Date")
        retirement = Retirement(retired_on, row["Retirement Beneficiary"], row["Retirement Reason"],
                                row["Retirement Details"]) if retired_on else None
        if serial is not None and row.ok:
            blocks.append(RegistryBlock(
                serial, project, table.name, row.number, serial.unit_type, labels, _kind(labels),
                row.date("Issuance Date"), "; ".join(x for x in labels if x.startswith("Article 6")),
                retirement=retirement))
    table.finish()
    return blocks


def read_gold_standard_issuances(path: str | Path) -> list[RegistryBlock]:
    """Gold Standard's issuances export (or its retirements export), one block per row."""
    table = _Table.read(path, GOLD_STANDARD, ("Serial Number", "Quantity", "GSID", "Project Name",
                                              "Country", "Project Type", "Methodology", "Product Type",
                                              "Vintage", "Label"))
    blocks = []
    for row in table.rows():
        labels = _labels(row["Label"], ",")
        serial = row.serial("Serial Number", (GOLD_STANDARD, CDM), quantity_column="Quantity")
        vintage = row.integer("Vintage")
        gsid = row["GSID"]
        project = Project(GOLD_STANDARD, gsid, row["Project Name"], row["Country"], row["Methodology"],
                          row["Project Type"], row["Project Developer"],
                          f"https://registry.goldstandard.org/projects/details/{gsid}")
        if serial is not None and serial.registry == GOLD_STANDARD:
            row.same("GSID", serial.project_id, gsid)
            row.same("Vintage", serial.vintage_year, vintage)
        retired_on = row.date("Retirement Date")
        retirement = Retirement(retired_on, row["Using Entity"], row["Use Case"], row["Note"],
                                (row["Credit Status"] or "retired").lower()) if retired_on else None
        if serial is not None and row.ok:
            product = row["Product Type"]
            serial = replace(serial, unit_type=serial.unit_type or product,
                             vintage_year=serial.vintage_year or vintage)
            article6 = row["Article Six Authorization"]
            blocks.append(RegistryBlock(
                serial, project, table.name, row.number, product, labels, _kind(labels),
                row.date("Issuance Date"), "" if article6 in NOT_AUTHORISED else article6,
                retirement=retirement))
    table.finish()
    return blocks


def read_isometric_issuances(path: str | Path, *, projects: str | Path | None = None) -> list[RegistryBlock]:
    """Isometric's issuances export as synthetic whole-tonne ranges; project facts from ``projects``."""
    facts = _isometric_projects(projects) if projects is not None else {}
    supplier, buffer, total = ("supplier_credit_batch_size_total.credits",
                               "buffer_pool_credit_batch_size_total.credits",
                               "credit_batch_size_total.credits")
    table = _Table.read(path, ISOMETRIC, ("id", "issued_at", "project_id", supplier, buffer, total))
    blocks = []
    for row in table.rows():
        issued_on = row.date("issued_at")
        credits = row.decimal(supplier)
        whole = int(credits) if credits is not None else 0
        if credits is not None and whole < 1:
            row.problem(supplier, message("%(credits)s credits: less than one whole credit to hold",
                                          credits=str(credits)))
        serial = row.serial("id", (ISOMETRIC,), text=f"isometric:{row['id']}:1-{max(whole, 1)}")
        project = facts.get(row["project_id"]) or Project(
            ISOMETRIC, row["project_id"], developer=row["supplier.organisation.name"],
            url=f"https://to.isometric.com/{row['project_id']}")
        buffer_credits, total_credits = row.decimal(buffer), row.decimal(total)
        if serial is not None and row.ok:
            serial = replace(serial, project_id=project.project_id, unit_type="credit",
                             vintage_year=issued_on.year if issued_on else None)
            blocks.append(RegistryBlock(serial, project, table.name, row.number, "credit", (),
                                        CreditKind.REMOVAL, issued_on, total_credits=total_credits,
                                        buffer_credits=buffer_credits))
    table.finish()
    return blocks


def _isometric_projects(path: str | Path) -> dict[str, Project]:
    table = _Table.read(path, ISOMETRIC, ("id", "name", "url", "pathway", "protocol_slug", "country_code"))
    found = {row["id"]: Project(ISOMETRIC, row["id"], row["name"], row["country_code"], row["protocol_slug"],
                                row["pathway"], row["supplier.organisation.name"], row["url"])
             for row in table.rows()}
    table.finish()
    return found


def _labels(text: str, separator: str) -> tuple[str, ...]:
    return tuple(label for part in text.split(separator) if (label := " ".join(part.split())))


def _kind(labels: tuple[str, ...]) -> CreditKind:
    removal, reduction = REMOVAL_LABELS.intersection(labels), REDUCTION_LABELS.intersection(labels)
    if removal and not reduction:
        return CreditKind.REMOVAL
    if reduction and not removal:
        return CreditKind.REDUCTION
    return CreditKind.UNKNOWN


class _Table:
    """A CSV export's header and rows, collecting row problems for one all-or-nothing verdict."""

    def __init__(self, name: str, header: list[str], records: list[list[str]]) -> None:
        self.name = name
        self.columns = {column.strip(): i for i, column in reversed(list(enumerate(header)))}
        self.records = records
        self.problems: list[InputError] = []

    @classmethod
    def read(cls, path: str | Path, format: str, required: tuple[str, ...]) -> _Table:
        name = Path(path).name
        text = Path(path).read_bytes().decode("utf-8-sig", errors="replace")
        records = list(csv.reader(io.StringIO(text, newline="")))
        if not records or not any(cell.strip() for cell in records[0]):
            raise InputErrors([InputError(message("the file is empty (no header in row 1)"), source=name)])
        table = cls(name, records[0], records[1:])
        missing = [column for column in required if column not in table.columns]
        if missing:
            raise InputErrors([InputError(message("required column '%(column)s' is missing (is this a "
                                                  "%(format)s export?)", column=column, format=format),
                                          source=name, row=1, field=column) for column in missing])
        return table

    def rows(self) -> Iterator[_Row]:
        for number, record in enumerate(self.records, start=2):
            if any(cell.strip() for cell in record):
                yield _Row(self, number, record)

    def finish(self) -> None:
        """Raise every problem the rows noted (the all-or-nothing verdict)."""
        if self.problems:
            raise InputErrors(self.problems)


class _Row:
    """One record; readers return None (and note a problem) for what they cannot read."""

    def __init__(self, table: _Table, number: int, record: list[str]) -> None:
        self.table, self.number, self.record = table, number, record
        self.ok = True

    def __getitem__(self, column: str) -> str:
        i = self.table.columns.get(column)
        return self.record[i].strip() if i is not None and i < len(self.record) else ""

    def problem(self, column: str, problem: Message | str) -> None:
        self.table.problems.append(InputError(problem, source=self.table.name, row=self.number, field=column))
        self.ok = False

    def serial(self, column: str, registries: tuple[str, ...], *, quantity_column: str | None = None,
               text: str | None = None) -> SerialBlock | None:
        """The serial in ``column`` (or ``text``) as one of ``registries``, its quantity checked."""
        serial_text = self[column] if text is None else text
        quantity = self.integer(quantity_column) if quantity_column else None
        error: InputError | None = None
        for registry in registries:
            try:
                block = parse_serial(serial_text, registry=registry)
            except InputError as exc:
                error = error or exc
                continue
            if quantity is not None:
                try:
                    check_quantity(block, quantity)
                except InputError as exc:
                    self.problem(quantity_column or column, exc.problem)
            return block
        assert error is not None
        self.problem(column, error.problem)
        return None

    def integer(self, column: str) -> int | None:
        """A whole number as the registries write them: "425", "1,454,054"."""
        text = self[column]
        cleaned = text.replace(",", "").replace(" ", "")
        if cleaned.endswith(".0"):
            cleaned = cleaned[:-2]
        if not cleaned.isdigit():
            self.problem(column, message("'%(text)s' is not a whole number", text=text) if text
                         else message("%(column)s is empty", column=column))
            return None
        return int(cleaned)

    def decimal(self, column: str) -> Decimal | None:
        text = self[column]
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite() or value < 0:
            self.problem(column, message("'%(text)s' is not a number", text=text) if text
                         else message("%(column)s is empty", column=column))
            return None
        return value

    def date(self, column: str) -> date | None:
        """An ISO date or date-time ("2026-04-03", "2026-04-13T12:35:58.8Z"); None when empty."""
        text = self[column]
        if not text:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            self.problem(column, message("'%(text)s' is not a date (yyyy-mm-dd)", text=text))
            return None

    def same(self, column: str, in_serial: object, in_column: object) -> None:
        """Note a problem when ``column`` says otherwise than the serial (both known)."""
        if in_serial is not None and in_column is not None and in_serial != in_column:
            self.problem(column, message("'%(value)s' disagrees with the serial number, which says "
                                         "'%(serial)s'", value=str(in_column), serial=str(in_serial)))
