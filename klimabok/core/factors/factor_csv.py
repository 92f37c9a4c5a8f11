"""Read a user's own factor table (the curated CSV format) as a dataset, checking every cell.

This is how a plant-specific district-heating factor, a supplier's electricity
declaration or any other figure the shipped catalogue lacks gets in: a CSV
with the columns of :data:`~klimabok.core.factors.catalogue.FACTOR_COLUMNS`
(``name_nb``, ``published_year``, ``category``, ``basis``, per-gas columns,
``gwp_set`` and ``notes`` may be empty). Every row must be for the same year.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

from klimabok.core.errors import InputError, UnitError
from klimabok.core.factors.catalogue import FACTOR_COLUMNS
from klimabok.core.factors.model import Basis, Factor, FactorDataset
from klimabok.core.messages import Message, message
from klimabok.core.units import parse_unit

REQUIRED = ("key", "name", "unit", "year", "region", "scope", "kg_co2e", "source", "source_ref", "licence")
NUMBERS = ("kg_co2e", "kg_co2", "kg_ch4", "kg_n2o", "kg_other_co2e", "kg_co2_biogenic")


def _parse_row(row: dict[str, str], number: int, name: str) -> Factor:
    def fail(column: str, problem: Message | str) -> InputError:
        return InputError(problem, source=name, row=number, field=column)

    cells = {k: (row.get(k) or "").strip() for k in FACTOR_COLUMNS}
    for column in REQUIRED:
        if not cells[column]:
            raise fail(column, message("empty"))
    values: dict[str, float] = {}
    for column in NUMBERS:
        try:
            values[column] = float(cells[column]) if cells[column] else 0.0
        except ValueError:
            raise fail(column, message("'%(text)s' is not a number", text=cells[column])) from None
    whole: dict[str, int | None] = {}
    for column in ("year", "published_year", "scope", "category"):
        if not cells[column]:
            whole[column] = None
        elif cells[column].isdigit():
            whole[column] = int(cells[column])
        else:
            raise fail(column, message("'%(text)s' is not a whole number", text=cells[column]))
    if whole["scope"] not in (1, 2, 3):
        raise fail("scope", message("must be 1, 2 or 3"))
    if whole["scope"] == 3 and not 1 <= (whole["category"] or 0) <= 15:
        raise fail("category", message("a scope 3 factor needs a category 1–15"))
    try:
        parse_unit(cells["unit"])
        basis = Basis(cells["basis"] or "both")
    except UnitError as exc:
        raise fail("unit", exc.message) from None
    except ValueError:
        raise fail("basis", message("must be both, location or market")) from None
    return Factor(
        key=cells["key"], name=cells["name"], name_nb=cells["name_nb"], unit=cells["unit"],
        year=whole["year"] or 0, published_year=whole["published_year"], region=cells["region"],
        scope=whole["scope"] or 0, category=whole["category"] if whole["scope"] == 3 else None, basis=basis,
        kg_co2e=values["kg_co2e"], kg_co2=values["kg_co2"], kg_ch4=values["kg_ch4"], kg_n2o=values["kg_n2o"],
        kg_other_co2e=values["kg_other_co2e"], gwp_set=cells["gwp_set"] or "AR5", source=cells["source"],
        source_ref=cells["source_ref"], licence=cells["licence"], notes=cells["notes"],
        kg_co2_biogenic=values["kg_co2_biogenic"], biogenic_source_ref=cells["biogenic_source_ref"],
    )


def load_factor_csv(path: Path | str, *, dataset_id: str, version: str, title: str = "") -> FactorDataset:
    """A dataset from a factor CSV; any bad cell raises :class:`InputError` naming row and column."""
    path = Path(path)
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(message("missing column(s) %(columns)s", columns=", ".join(missing)),
                             source=path.name, row=1)
        factors = [_parse_row(row, number, path.name) for number, row in enumerate(reader, start=2)]
    if not factors:
        raise InputError(message("no factor rows"), source=path.name)
    years = {f.year for f in factors}
    if len(years) > 1:
        raise InputError(message("rows for several years (%(years)s): one dataset holds one year, "
                                 "split the file", years=", ".join(map(str, sorted(years)))),
                         source=path.name, field="year")
    seen: dict[str, int] = {}
    for number, f in enumerate(factors, start=2):
        if f.key in seen:
            raise InputError(message("key '%(key)s' also on row %(row)s", key=f.key, row=seen[f.key]),
                             source=path.name, row=number, field="key")
        seen[f.key] = number
    factors = [replace(f, dataset_id=dataset_id, dataset_version=version) for f in factors]
    return FactorDataset(dataset_id=dataset_id, version=version, year=years.pop(), title=title or path.stem,
                         source=f"{path.name} (imported)", licence=factors[0].licence, factors=tuple(factors))
