"""Reader for the UK DESNZ "Greenhouse gas reporting: conversion factors" flat file.

DESNZ publishes every factor of a year in one table (XLSX, and a CSV export)
with the columns ``ID, Scope, Level 1..4, Column Text, UOM, GHG/Unit,
GHG Conversion Factor <year>``: one row for the total (``kg CO2e``) and one
per gas (``kg CO2e of CH4 per unit`` …) for the same activity. This module
groups those rows into one :class:`Factor` per activity, with per-gas
**masses** (kg CH4 = kg CO2e of CH4 ÷ the AR5 GWP that DESNZ uses), keeps the
``ID`` of the total row as the source reference, and adds the curated keys of
:mod:`klimabok.core.factors.desnz_curated` so a newer file also yields
``fuel.diesel``, ``flight.long_haul.business.rf`` … for its year.

Rows that are not emission factors are skipped: SECR energy conversions
(``GHG/Unit`` = ``kWh (Net CV)``). "Outside of Scopes" rows (biogenic CO2 from burning
biofuels and biomass) are not factors of their own: each is attached as ``kg_co2_biogenic``
(with its row ID) to the scope 1 fuel or bioenergy factor of the same fuel and unit, so
``fuel.diesel`` carries the CO2 of the biofuel share in UK diesel, reported apart from the scopes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from klimabok.core.errors import InputError, UnitError
from klimabok.core.factors.desnz_curated import CURATED_SPECS, CuratedSpec
from klimabok.core.factors.gwp import gwp_set
from klimabok.core.factors.model import Basis, Factor, FactorDataset
from klimabok.core.messages import message
from klimabok.core.units import parse_unit

REQUIRED_COLUMNS = (
    "ID",
    "Scope",
    "Level 1",
    "Level 2",
    "Level 3",
    "Level 4",
    "Column Text",
    "UOM",
    "GHG/Unit",
)
VALUE_COLUMN = re.compile(r"^GHG Conversion Factor (\d{4})$")
MAIN_SHEET = "Factors by Category"
LICENCE = "Crown copyright, Open Government Licence v3.0"
URL = "https://www.gov.uk/government/collections/government-conversion-factors-for-company-reporting"
#: DESNZ 2024 and 2025 convert with AR5 (their own "Refrigerant & other" rows: methane 28, N2O 265).
GWP_SET = "AR5"

TOTAL = "kg CO2e"
GAS_ROWS = {
    "kg CO2e of CO2 per unit": "CO2",
    "kg CO2e of CH4 per unit": "CH4",
    "kg CO2e of N2O per unit": "N2O",
}
SCOPES = {"Scope 1": 1, "Scope 2": 2, "Scope 3": 3}
OUTSIDE_SCOPES = "Outside of Scopes"
#: Scope 1 groups whose fuels have an "Outside of Scopes" biogenic CO2 row (matched on fuel and unit).
BIOGENIC_LEVEL1 = ("Fuels", "Bioenergy")
#: GHG Protocol scope 3 category of each DESNZ "Level 1" group. Vehicle well-to-tank goes to 3
#: (fuel- and energy-related); curated keys for travel and commuting put it in 6 or 7.
SCOPE3_CATEGORIES = {
    "WTT- fuels": 3,
    "WTT- bioenergy": 3,
    "Transmission and distribution": 3,
    "WTT- UK electricity": 3,
    "UK electricity T&D for EVs": 3,
    "WTT- heat and steam": 3,
    "WTT- pass vehs & travel- land": 3,
    "Water supply": 1,
    "Material use": 1,
    "Water treatment": 5,
    "Waste disposal": 5,
    "Business travel- air": 6,
    "WTT- business travel- air": 6,
    "Business travel- sea": 6,
    "WTT- business travel- sea": 6,
    "Business travel- land": 6,
    "Hotel stay": 6,
    "Freighting goods": 4,
    "WTT- delivery vehs & freight": 4,
    "Managed assets- electricity": 8,
    "Managed assets- vehicles": 8,
    "Homeworking": 7,
}
#: DESNZ units of measure → units the klimabok registry parses.
UNITS = {
    "kWh (Net CV)": "kWh",
    "kWh (Gross CV)": "kWh",
    "Room per night": "room_night",
    "per FTE Working Hour": "fte_hour",
    "tonne.km": "tonne_km",
    "million litres": "megalitre",
}
PATH_FIELDS = ("level1", "level2", "level3", "level4", "column_text", "uom")
#: Names DESNZ changed between years (2024 → 2025), so curated keys find both.
RENAMED = {"Combustion": ("Incineration with Energy Recovery",)}
#: Pure gases in "Refrigerant & other" (1 kg of gas per kg): kept as mass so any GWP set applies.
PURE_GASES = {"Carbon dioxide": "CO2", "Methane": "CH4", "Nitrous oxide": "N2O"}


@dataclass(frozen=True, slots=True)
class DesnzPath:
    """Where a factor sits in the DESNZ hierarchy: the levels, column text and unit of measure."""

    level1: str
    level2: str
    level3: str
    level4: str
    column_text: str
    uom: str

    @property
    def label(self) -> str:
        return " > ".join(
            p for p in (self.level1, self.level2, self.level3, self.level4, self.column_text, self.uom) if p
        )

    @property
    def key(self) -> str:
        """A stable key from the path (IDs change between years, names rarely do)."""
        parts = (self.level1, self.level2, self.level3, self.level4, self.column_text, self.uom)
        return "desnz." + ".".join(_slug(p) for p in parts if p)


@dataclass(frozen=True, slots=True)
class DesnzEntry:
    """One activity of the file: the total and per-gas kg CO2e per unit, and the ID of the total row."""

    scope: int
    path: DesnzPath
    source_ref: str
    kg_co2e: float
    co2e_by_gas: tuple[tuple[str, float], ...]
    #: kg biogenic CO2 per unit ("Outside of Scopes") and that row's ID; 0 and "" where none.
    kg_co2_biogenic: float = 0.0
    biogenic_source_ref: str = ""


@dataclass(frozen=True, slots=True)
class DesnzFile:
    name: str
    year: int
    version: str
    entries: tuple[DesnzEntry, ...]

    @property
    def dataset_id(self) -> str:
        return f"desnz-{self.year}"

    @property
    def source(self) -> str:
        return f"UK DESNZ, Greenhouse gas reporting: conversion factors {self.year}, v{self.version}, {URL}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def _rows_csv(path: Path) -> Iterator[tuple[int, list[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for number, row in enumerate(csv.reader(fh), start=1):
            yield number, [c.strip() for c in row]


def _rows_xlsx(path: Path) -> tuple[Iterator[tuple[int, list[str]]], str | None]:
    """Rows of the factor sheet and the version on the front page, read-only (a 9,000-row sheet)."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a corrupt or non-XLSX file
        raise InputError(message("not a readable XLSX file (%(reason)s)", reason=exc.__class__.__name__),
                         source=path.name) from exc
    version = None
    for sheet in book.worksheets:
        for row in sheet.iter_rows(max_row=10, values_only=True):
            cells = [_cell(c) for c in row]
            if "Version:" in cells and cells.index("Version:") + 1 < len(cells):
                version = cells[cells.index("Version:") + 1] or None
        if version:
            break
    # "Factors by Category" is the flat table; other sheets may hold user notes with a header too.
    sheet = book[MAIN_SHEET] if MAIN_SHEET in book.sheetnames else book.worksheets[0]
    rows = ((n, [_cell(c) for c in row]) for n, row in enumerate(sheet.iter_rows(values_only=True), start=1))
    return rows, version


def _header(rows: Iterator[tuple[int, list[str]]], name: str) -> tuple[int, dict[str, int], int]:
    """Find the header row (title rows may sit above it): its number, column positions and the year."""
    for number, cells in rows:
        if not cells or cells[0] != "ID":
            if number >= 50:
                break
            continue
        positions = {c: i for i, c in enumerate(cells) if c}
        for column in REQUIRED_COLUMNS:
            if column not in positions:
                raise InputError(message("missing column '%(column)s'", column=column), source=name,
                                 row=number)
        value_columns = [(c, VALUE_COLUMN.match(c)) for c in positions]
        years = [(c, int(m.group(1))) for c, m in value_columns if m]
        if not years:
            raise InputError(message("missing column 'GHG Conversion Factor <year>'"), source=name,
                             row=number)
        column, year = years[0]
        positions["value"] = positions[column]
        return number, positions, year
    raise InputError(
        message("not a DESNZ conversion-factor flat file: no header row starting with 'ID' "
                "and columns %(columns)s", columns=", ".join(REQUIRED_COLUMNS)),
        source=name,
    )


def read_desnz_file(path: Path | str) -> DesnzFile:
    """Read a complete DESNZ flat file (2024 XLSX/CSV or 2025 CSV layout) into grouped entries."""
    path = Path(path)
    version = None
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        rows, version = _rows_xlsx(path)
    else:
        rows = _rows_csv(path)
    header_row, columns, year = _header(rows, path.name)
    value_field = f"GHG Conversion Factor {year}"
    version = version or _version_from_name(path.name)

    groups: dict[tuple[str, DesnzPath], dict[str, tuple[int, str, float]]] = {}
    biogenic: dict[tuple[str, str, str, str], tuple[str, float]] = {}
    for number, cells in rows:
        get = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
        row_id, scope, unit_kind, raw_value = get["ID"], get["Scope"], get["GHG/Unit"], get["value"]
        if not row_id or "END" in (row_id, scope):
            continue
        if unit_kind != TOTAL and unit_kind not in GAS_ROWS:
            continue  # SECR kWh conversions: energy per unit, not an emission factor
        if scope not in SCOPES and scope != OUTSIDE_SCOPES:
            raise InputError(message("unknown scope '%(scope)s'", scope=scope), source=path.name, row=number,
                             field="Scope")
        if not raw_value:
            continue  # DESNZ leaves a cell empty where it has no figure
        try:
            value = float(raw_value)
        except ValueError:
            raise InputError(
                message("'%(text)s' is not a number", text=raw_value), source=path.name, row=number,
                field=value_field,
            ) from None
        desnz_path = DesnzPath(
            get["Level 1"], get["Level 2"], get["Level 3"], get["Level 4"], get["Column Text"], get["UOM"]
        )
        if scope == OUTSIDE_SCOPES:
            if unit_kind == "kg CO2e of CO2 per unit":
                biogenic[_fuel_and_unit(desnz_path)] = (row_id, value)
            continue
        rows_of_path = groups.setdefault((scope, desnz_path), {})
        if unit_kind in rows_of_path:
            raise InputError(
                message("duplicate '%(kind)s' row for %(path)s (also row %(row)s)", kind=unit_kind,
                        path=desnz_path.label, row=rows_of_path[unit_kind][0]),
                source=path.name,
                row=number,
                field="ID",
            )
        rows_of_path[unit_kind] = (number, row_id, value)

    entries = []
    for (scope, desnz_path), by_kind in groups.items():
        if TOTAL not in by_kind:
            continue
        number, row_id, total = by_kind[TOTAL]
        unit = UNITS.get(desnz_path.uom, desnz_path.uom)
        try:
            parse_unit(unit)
        except UnitError:
            raise InputError(
                message("unknown unit '%(unit)s'", unit=desnz_path.uom), source=path.name, row=number,
                field="UOM",
            ) from None
        gases = tuple((GAS_ROWS[k], v[2]) for k, v in by_kind.items() if k in GAS_ROWS)
        bio_ref, bio = ("", 0.0)
        if scope == "Scope 1" and desnz_path.level1 in BIOGENIC_LEVEL1:
            bio_ref, bio = biogenic.get(_fuel_and_unit(desnz_path), ("", 0.0))
        entries.append(DesnzEntry(SCOPES[scope], desnz_path, row_id, total, gases, bio, bio_ref))
    if not entries:
        raise InputError(message("no emission factors found below the header"), source=path.name,
                         row=header_row)
    return DesnzFile(path.name, year, version, tuple(entries))


def _fuel_and_unit(path: DesnzPath) -> tuple[str, str, str, str]:
    """What ties an "Outside of Scopes" row to its scope 1 fuel: the fuel (Level 3, 4, column) and unit."""
    return (path.level3, path.level4, path.column_text, path.uom)


def _version_from_name(name: str) -> str:
    """ "…-flat-format-v1.1.csv" → "1.1"; DESNZ's first release of a year has no label: "1.0"."""
    match = re.search(r"v(\d+(?:\.\d+)*)", name)
    return match.group(1) if match else "1.0"


def factor_from_entry(
    entry: DesnzEntry, desnz_file: DesnzFile, *, key: str, name: str, spec: CuratedSpec | None = None
) -> Factor:
    """A :class:`Factor` with per-gas masses from one DESNZ entry (units mapped to the registry's).

    ``spec`` (a curated key) may override name, scope, category, region and basis.
    """
    gwp = gwp_set(GWP_SET)
    masses = {"kg_co2": 0.0, "kg_ch4": 0.0, "kg_n2o": 0.0, "kg_other_co2e": 0.0}
    gases = entry.co2e_by_gas
    if not gases and entry.path.level1 == "Refrigerant & other":
        pure = PURE_GASES.get(entry.path.level3)
        gases = ((pure, entry.kg_co2e),) if pure else ()
        masses["kg_other_co2e"] = 0.0 if pure else entry.kg_co2e  # HFC blends: DESNZ gives only CO2e
    for gas, co2e in gases:
        masses[f"kg_{gas.lower()}"] = float(f"{co2e / gwp[gas]:.10g}")
    scope = spec.scope if spec and spec.scope is not None else entry.scope
    category = (
        spec.category if spec and spec.category is not None else SCOPE3_CATEGORIES.get(entry.path.level1)
    )
    return Factor(
        key=key,
        name=name,
        name_nb=spec.name_nb if spec else "",
        unit=UNITS.get(entry.path.uom, entry.path.uom),
        year=desnz_file.year,
        published_year=desnz_file.year,
        region=spec.region if spec else "GB",
        scope=scope,
        category=category if scope == 3 else None,
        basis=spec.basis if spec else Basis.BOTH,
        kg_co2e=entry.kg_co2e,
        source=desnz_file.source,
        source_ref=entry.source_ref,
        licence=LICENCE,
        gwp_set=GWP_SET,
        notes=spec.notes if spec else "",
        dataset_id=desnz_file.dataset_id,
        dataset_version=desnz_file.version,
        kg_co2_biogenic=entry.kg_co2_biogenic,
        biogenic_source_ref=entry.biogenic_source_ref,
        **masses,
    )


def _path_candidates(path: tuple[str, str, str, str, str, str]) -> list[DesnzPath]:
    """The spec's path and the same path under names DESNZ used in other years."""
    base = DesnzPath(*path)
    candidates = [base]
    for name, part in zip(PATH_FIELDS, path, strict=True):
        candidates += [replace(base, **{name: alias}) for alias in RENAMED.get(part, ())]
    return candidates


def curated_factors(desnz_file: DesnzFile) -> tuple[Factor, ...]:
    """The curated keys (``fuel.diesel`` …) this file has figures for, found by level path."""
    by_path = {e.path: e for e in desnz_file.entries}
    out = []
    for spec in CURATED_SPECS:
        entry = next((by_path[p] for p in _path_candidates(spec.path) if p in by_path), None)
        if entry is not None:
            out.append(factor_from_entry(entry, desnz_file, key=spec.key, name=spec.name, spec=spec))
    return tuple(out)


def load_desnz_flat_file(path: Path | str, *, version: str | None = None) -> FactorDataset:
    """A complete DESNZ file as a dataset: every factor under its path key, plus the curated keys."""
    desnz_file = read_desnz_file(path)
    if version:
        desnz_file = DesnzFile(desnz_file.name, desnz_file.year, version, desnz_file.entries)
    raw = tuple(
        factor_from_entry(e, desnz_file, key=e.path.key, name=e.path.label) for e in desnz_file.entries
    )
    return FactorDataset(
        dataset_id=desnz_file.dataset_id,
        version=desnz_file.version,
        year=desnz_file.year,
        title=f"UK DESNZ greenhouse gas conversion factors {desnz_file.year}",
        source=desnz_file.source,
        licence=LICENCE,
        factors=raw + curated_factors(desnz_file),
    )
