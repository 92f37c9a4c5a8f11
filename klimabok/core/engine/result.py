"""The account: totals by scope, category, site and source; lines; uncertainty; JSON.

Everything is computed in float64 kilograms and reported in tonnes CO2e.
Rounding happens once, at the output boundary: :func:`to_tonnes_decimal`
(3 decimals, i.e. whole kilograms, half up) for storage and JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from klimabok.core.engine.cells import DIRECT_CELLS, TIERS, Cells
from klimabok.core.engine.inputs import ActivityColumns
from klimabok.core.engine.intensity import Intensity, intensities
from klimabok.core.engine.lines import LineTable, ResultLine, ResultLines
from klimabok.core.engine.resolve import FactorTable
from klimabok.core.engine.scopes import BUCKETS, TOTAL_NAMES, TOTAL_WEIGHTS, bucket_of_label
from klimabok.core.messages import Message
from klimabok.core.uncertainty import Range, combined_ranges, factor_uncertainty, relative_uncertainty

View = Literal["location", "market"]
_TONNE = Decimal("0.001")


def to_tonnes_decimal(tonnes: float) -> Decimal:
    """Tonnes rounded to 3 decimals (whole kg), half up — the one rounding of klimabok."""
    return Decimal(repr(float(tonnes))).quantize(_TONNE, rounding=ROUND_HALF_UP)


def rounded(tonnes: float) -> float:
    """:func:`to_tonnes_decimal` as a float, for JSON."""
    return float(to_tonnes_decimal(tonnes))


@dataclass(frozen=True, slots=True)
class Totals:
    """The six reported totals in tonnes CO2e (GHG Protocol dual scope 2 reporting).

    ``total_location = scope_1 + scope_2_location + scope_3``;
    ``total_market = scope_1 + scope_2_market + scope_3``.
    """

    scope_1: float
    scope_2_location: float
    scope_2_market: float
    scope_3: float
    total_location: float
    total_market: float

    @classmethod
    def from_bucket_kg(cls, kg: np.ndarray) -> Totals:
        """Totals from kg per bucket (the last axis of ``kg`` has the 18 buckets)."""
        return cls(*(float(v) / 1000 for v in (kg @ TOTAL_WEIGHTS).tolist()))

    def __sub__(self, other: Totals) -> Totals:
        return Totals(*(a - b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True)))

    def as_tuple(self) -> tuple[float, ...]:
        return (self.scope_1, self.scope_2_location, self.scope_2_market, self.scope_3,
                self.total_location, self.total_market)

    def to_dict(self) -> dict[str, float]:
        return {name: rounded(value) for name, value in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class RankedSource:
    """One activity's share of a total: a row of the "where to cut" list."""

    activity: str
    t_co2e: float
    share: float
    lines: int


@dataclass(frozen=True, eq=False)
class AccountResult:
    """A computed climate account for one reporting ``year`` under ``gwp_set``.

    Holds its input (``columns``), the sums per cell (:class:`Cells`), the
    (activity, unit) group of each cell, the pair code of each group
    (``activity code × units + unit code``, ascending) and the resolved
    factors of each group; every figure is derived from these small tables
    on first use, per-line arrays only when lines are asked for. Immutable.
    """

    year: int
    gwp_set: str
    source: str | None
    columns: ActivityColumns = field(repr=False)
    cells: Cells = field(repr=False)
    group_of_cell: np.ndarray = field(repr=False)
    group_pairs: NDArray[np.intp] = field(repr=False)
    table: FactorTable = field(repr=False)

    @property
    def datasets(self) -> tuple[str, ...]:
        """Sorted ``dataset_id@version`` refs of the factor datasets used (what a closed account pins)."""
        return self.table.datasets

    def _per_group(self, values: np.ndarray) -> NDArray[np.float64]:
        # float64 with weights (numpy's stubs say intp): astype without a copy only says so to mypy
        return np.bincount(self.group_of_cell, weights=values, minlength=len(self.group_pairs)).astype(
            np.float64, copy=False)

    @cached_property
    def line_counts(self) -> np.ndarray:
        """Number of input lines of each (activity, unit) group."""
        return self._per_group(self.cells.lines).astype(np.int64)

    @cached_property
    def quantity_by_group(self) -> NDArray[np.float64]:
        """Σ quantity of the lines of each (activity, unit) group, in that unit."""
        return self._per_group(self.cells.quantity)

    @cached_property
    def kg_by_group(self) -> NDArray[np.float64]:
        """kg CO2e per group (rows) and bucket (18 columns)."""
        return self.quantity_by_group[:, None] * self.table.per_unit

    @cached_property
    def totals(self) -> Totals:
        return Totals.from_bucket_kg(self.kg_by_group.sum(axis=0))

    @cached_property
    def biogenic_co2_t(self) -> float:
        """Tonnes of biogenic CO2 from burning biofuels and biomass, reported outside the scopes.

        From the factors' ``kg_co2_biogenic`` (DESNZ "Outside of scopes"); it is in no total of
        :attr:`totals`, as the GHG Protocol Corporate Standard (ch. 4) requires.
        """
        return float(self.quantity_by_group @ self.table.biogenic_per_unit) / 1000

    def by_category(self) -> dict[str, float]:
        """Tonnes per category key (``scope_1``, ``scope_2_location``, ``scope_2_market``, ``scope_3.6``…).

        Only categories with lines appear, in GHG Protocol order. The keys
        except ``scope_2_market`` sum to ``total_location``; except
        ``scope_2_location``, to ``total_market``.
        """
        kg = self.kg_by_group.sum(axis=0)
        used = self.table.buckets.sum(axis=0) > 0
        return {label: float(kg[b]) / 1000 for b, label in enumerate(BUCKETS) if used[b]}

    def by_site(self) -> dict[str, Totals]:
        """Totals per site ("" for lines without one); they sum to :attr:`totals`."""
        n_sites, n_groups = len(self.columns.sites), len(self.group_pairs)
        quantity = np.bincount(self.cells.site * n_groups + self.group_of_cell, weights=self.cells.quantity,
                               minlength=n_sites * n_groups)
        kg = quantity.reshape(n_sites, n_groups) @ self.table.per_unit
        present = np.bincount(self.cells.site, minlength=n_sites) > 0
        return {site: Totals.from_bucket_kg(kg[s]) for s, site in enumerate(self.columns.sites)
                if present[s]}

    def by_activity(self, view: View = "market") -> list[RankedSource]:
        """Activities ranked by their tonnes in the ``view`` total, largest first ("where to cut")."""
        column = TOTAL_NAMES.index(f"total_{view}")
        kg = (self.kg_by_group @ TOTAL_WEIGHTS[:, column]).tolist()
        per_activity: dict[str, tuple[float, int]] = {}
        lines = self.line_counts.tolist()
        for activity, group_kg, group_lines in zip(self.table.activities, kg, lines, strict=True):
            old_kg, old_lines = per_activity.get(activity, (0.0, 0))
            per_activity[activity] = (old_kg + group_kg, old_lines + group_lines)
        total = sum(k for k, _ in per_activity.values())
        ranked = sorted(per_activity.items(), key=lambda item: (-item[1][0], item[0]))
        return [RankedSource(activity=a, t_co2e=k / 1000, share=k / total if total else 0.0, lines=n)
                for a, (k, n) in ranked]

    @cached_property
    def group_of_line(self) -> NDArray[np.intp]:
        """The (activity, unit) group of every input line (a pass over the lines; for line arrays)."""
        columns = self.columns
        n_units = max(len(columns.units), 1)
        pair: NDArray[np.intp] = columns.activity_codes.astype(np.intp) * n_units + columns.unit_codes
        space = len(columns.activity_keys) * n_units
        if space <= max(DIRECT_CELLS, len(pair)):
            group_of_pair = np.zeros(space, dtype=np.intp)
            group_of_pair[self.group_pairs] = np.arange(len(self.group_pairs))
            return group_of_pair[pair]
        return np.searchsorted(self.group_pairs, pair)

    @cached_property
    def line_table(self) -> LineTable:
        """Per-result-line arrays (computed on first use)."""
        return LineTable(self.columns, self.group_of_line, self.table)

    @property
    def lines(self) -> ResultLines:
        """Every result line: one per input line and factor component, in input order."""
        return ResultLines(self.line_table)

    def lines_for(self, index: int) -> list[ResultLine]:
        """The result lines of input line ``index`` (0-based)."""
        first, end = np.searchsorted(self.line_table.line, [index, index + 1])  # rows are in line order
        return list(ResultLines(self.line_table, np.arange(first, end)))

    def lines_in(self, label: str) -> ResultLines:
        """Result lines counting in a category key of :meth:`by_category`, or ``scope_2``/``scope_3``."""
        buckets = list(bucket_of_label(label))
        in_bucket = self.table.buckets[:, buckets].sum(axis=1) > 0
        selected = in_bucket[self.line_table.component]
        return ResultLines(self.line_table, np.flatnonzero(selected))

    def flag_counts(self) -> dict[Message, int]:
        """How many result lines carry each data-quality flag (a line has a row per factor component)."""
        rows = self.line_counts[self.table.group]
        counts: dict[Message, int] = {}
        for flags, n in zip(self.table.flags, rows.tolist(), strict=True):
            for flag in flags:
                counts[flag] = counts.get(flag, 0) + n
        return {flag: n for flag, n in counts.items() if n}

    @cached_property
    def uncertainty(self) -> dict[str, Range]:
        """95 % range of each total (keys as :class:`Totals`); method in :mod:`klimabok.core.uncertainty`.

        Activity data: the cells' kg summed per (activity, tier) — one
        correlated group each. Factors: each component's kg summed per
        distinct factor (the same factor may serve several activities or units).
        """
        cells, table = self.cells, self.table
        central = self.kg_by_group.sum(axis=0) @ TOTAL_WEIGHTS
        cell_kg = cells.quantity[:, None] * (table.per_unit @ TOTAL_WEIGHTS)[self.group_of_cell]
        source = cells.activity.astype(np.int64) * TIERS + cells.tier
        group_of_cell = np.unique(source, return_inverse=True)[1].reshape(-1)
        n_groups = int(group_of_cell.max()) + 1 if len(group_of_cell) else 0
        activity_kg = np.zeros((n_groups, len(TOTAL_NAMES)))
        np.add.at(activity_kg, group_of_cell, cell_kg)
        tier_of_group = np.zeros(n_groups, dtype=np.intp)
        tier_of_group[group_of_cell] = cells.tier
        component_kg = ((self.quantity_by_group[table.group] * table.conversion * table.co2e)[:, None]
                        * (table.buckets @ TOTAL_WEIGHTS))
        distinct = {f: i for i, f in enumerate(dict.fromkeys(table.factors))}
        factor_of_component = np.fromiter((distinct[f] for f in table.factors), dtype=np.intp,
                                          count=len(table.factors))
        factor_kg = np.zeros((len(distinct), len(TOTAL_NAMES)))
        np.add.at(factor_kg, factor_of_component, component_kg)
        factor_u = np.fromiter(map(factor_uncertainty, distinct), dtype=np.float64, count=len(distinct))
        ranges = combined_ranges(central, activity_kg, relative_uncertainty(tier_of_group),
                                 factor_kg, factor_u)
        return dict(zip(TOTAL_NAMES, ranges, strict=True))

    def intensities(self, *, fte: float | None = None, revenue_mnok: float | None = None,
                    floor_area_m2: float | None = None) -> dict[str, Intensity]:
        """Emissions per FTE, per MNOK revenue and per m² (those given), location and market."""
        return intensities(self.totals, fte=fte, revenue_mnok=revenue_mnok, floor_area_m2=floor_area_m2)

    def to_dict(self, *, include_lines: bool = True) -> dict[str, Any]:
        """The account as JSON-ready data, tonnes CO2e rounded to 3 decimals."""
        data: dict[str, Any] = {
            "year": self.year,
            "gwp_set": self.gwp_set,
            "datasets": list(self.datasets),
            "totals": self.totals.to_dict(),
            "biogenic_co2_outside_scopes": {"t_co2": rounded(self.biogenic_co2_t)},
            "by_category": {k: rounded(v) for k, v in self.by_category().items()},
            "by_site": {site: totals.to_dict() for site, totals in self.by_site().items()},
            "by_activity": [{"activity": r.activity, "t_co2e": rounded(r.t_co2e),
                             "share": round(r.share, 4), "lines": r.lines}
                            for r in self.by_activity()],
            "uncertainty": {name: {"t_co2e": rounded(r.t_co2e), "low": rounded(r.low),
                                   "high": rounded(r.high), "plus_minus_pct": round(100 * r.relative, 1)}
                            for name, r in self.uncertainty.items()},
        }
        if include_lines:
            data["lines"] = [line_to_dict(line) for line in self.lines]
        return data


def line_to_dict(line: ResultLine) -> dict[str, Any]:
    """One result line as JSON-ready data (tonnes rounded; per-gas kg unrounded)."""
    factor = line.factor
    return {
        "index": line.index, "activity": line.activity, "quantity": line.quantity, "unit": line.unit,
        "quantity_in_factor_unit": line.quantity_in_factor_unit, "site": line.site,
        "description": line.description, "data_quality": line.data_quality, "ref": line.ref,
        "scope": line.scope, "category": line.category, "scope_label": line.scope_label,
        "basis": str(line.basis),
        "kg_co2": line.kg_co2, "kg_ch4": line.kg_ch4, "kg_n2o": line.kg_n2o,
        "kg_other_co2e": line.kg_other_co2e, "t_co2e": rounded(line.t_co2e),
        "kg_co2_biogenic": line.kg_co2_biogenic, "biogenic_source_ref": factor.biogenic_source_ref,
        "flags": [str(flag) for flag in line.flags],
        "factor": {
            "key": factor.key, "name": factor.name, "unit": factor.unit, "source": factor.source,
            "source_ref": factor.source_ref, "year": factor.year,
            "published_year": factor.published_year or factor.year,
            "kg_co2e_per_unit": line.kg_co2e_per_unit,
            "dataset": f"{factor.dataset_id}@{factor.dataset_version}" if factor.dataset_id else None,
        },
    }
