"""Benchmark: the engine on 1,000,000 activity lines beside a bare numpy multiply-and-group-by.

Input: a realistic mix of ~50 activities of the shipped catalogue (electricity
with and without guarantees of origin, district heating, fuels, cars, vans,
commuting, flights, hotels, homeworking, water, waste, refrigerants), ~20 %
of the energy lines in MWh/m³ instead of kWh/litres, 5 sites, random
data-quality tiers; reporting year 2025.

Measured, best of ``REPEATS`` runs each, in one process:

- ``numpy baseline``: ``kg = quantity × factor_per_line`` and
  ``np.bincount(bucket_code, kg)`` over prepared per-line arrays (the
  factors and codes already looked up — the floor any engine can reach).
- ``engine, columns``: :func:`compute_account_columns` on
  :class:`ActivityColumns` (integer-coded text columns, as a read model or
  the bench provides them) + ``totals`` + ``by_category()`` — the same
  answer as the baseline, plus validation, unit conversion, factor lookup
  and dual scope 2.
- ``engine, full account``: the above + ``by_site()``, ``by_activity()``,
  ``uncertainty``.
- ``engine, + line arrays``: the above + per-line quantities, per-gas kg and
  kg CO2e materialised (what drill-down and export read).
- ``compute_account(lines)``: the public entry from 1,000,000
  :class:`ActivityLine` objects (object creation not timed; their conversion
  to columns is).

Peak memory is measured with ``tracemalloc`` (numpy reports its buffers to
it) in a separate, untimed run of each path.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from klimabok.core.engine import (
    AccountResult,
    ActivityColumns,
    ActivityLine,
    compute_account,
    compute_account_columns,
)
from klimabok.core.engine.scopes import factor_buckets
from klimabok.core.errors import FactorNotFound
from klimabok.core.factors.catalogue import Catalogue, default_catalogue

N_LINES = 1_000_000
YEAR = 2025
REPEATS = 5
SITES = ("Oslo HQ", "Oslo Nydalen", "Bergen", "Trondheim", "Tromsø")
#: (key prefix, how many activities with it) — ~50 activities an office company reports.
MIX = (("electricity.no", 2), ("electricity.se", 1), ("district_heating.", 3), ("fuel.diesel", 1),
       ("fuel.petrol", 1), ("car.medium.", 4), ("van.average.", 2), ("commute.", 8), ("flight.", 8),
       ("hotel.", 6), ("homeworking", 1), ("water.", 2), ("waste.", 8), ("refrigerant.", 3))
LARGER_UNIT = {"kWh": ("MWh", 1e-3), "litres": ("m3", 1e-3), "litre": ("m3", 1e-3)}


@dataclass(frozen=True, slots=True)
class Measurement:
    path: str
    lines: int
    seconds: float
    peak_mb: float

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.seconds


def pick_activities(catalogue: Catalogue) -> list[str]:
    keys = []
    usable = [a.key for a in catalogue.activities()
              if all(_has_factor(catalogue, c) for c in a.components)]
    for prefix, count in MIX:
        keys += [k for k in usable if k.startswith(prefix)][:count]
    return keys


def _has_factor(catalogue: Catalogue, key: str) -> bool:
    try:
        catalogue.factor(key, YEAR)
    except FactorNotFound:
        return False
    return True


def make_input(catalogue: Catalogue, n: int, seed: int = 2025,
               ) -> tuple[ActivityColumns, np.ndarray, np.ndarray]:
    """The columns, and the baseline's per-line factor (kg CO2e per given unit) and bucket code."""
    rng = np.random.default_rng(seed)
    keys = pick_activities(catalogue)
    own = [catalogue.activity(k).unit for k in keys]
    larger_unit, factor = zip(*(LARGER_UNIT.get(u, (u, 1.0)) for u in own), strict=True)
    units = sorted(set(own) | set(larger_unit))
    weights = rng.pareto(1.5, len(keys)) + 0.1
    activity_codes = rng.choice(len(keys), size=n, p=weights / weights.sum()).astype(np.intp)
    use_larger = rng.random(n) < 0.2
    unit_codes = np.where(use_larger, np.array([units.index(u) for u in larger_unit])[activity_codes],
                          np.array([units.index(u) for u in own])[activity_codes])
    scale = np.where(use_larger, np.array(factor)[activity_codes], 1.0)
    quantities = rng.lognormal(5, 1.5, n) * scale
    columns = ActivityColumns(
        activity_codes=activity_codes, activity_keys=tuple(keys), quantities=quantities,
        unit_codes=unit_codes, units=tuple(units),
        site_codes=rng.integers(0, len(SITES), n).astype(np.intp), sites=SITES,
        data_quality=rng.integers(1, 6, n))
    # Baseline arrays: the first component's factor per line, in the line's own unit.
    first = [catalogue.factor(catalogue.activity(k).components[0], YEAR) for k in keys]
    per_unit = np.array([f.kg_co2e for f in first])
    factor_per_line = per_unit[activity_codes] / scale
    bucket = np.array([factor_buckets(f)[0] for f in first])[activity_codes]
    return columns, factor_per_line, bucket


def measure(path: str, n: int, run: Callable[[], Any]) -> Measurement:
    best = min(_timed(run) for _ in range(REPEATS))
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return Measurement(path, n, best, peak / 2**20)


def _timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _full_account(result: AccountResult) -> Any:
    return (result.totals, result.by_category(), result.by_site(), result.by_activity(),
            result.uncertainty)


def run(n: int = N_LINES) -> list[Measurement]:
    catalogue = default_catalogue()
    columns, factor_per_line, bucket = make_input(catalogue, n)
    quantities = columns.quantities

    def baseline() -> np.ndarray:
        return np.bincount(bucket, weights=quantities * factor_per_line, minlength=18)

    def account() -> Any:
        result = compute_account_columns(columns, year=YEAR, catalogue=catalogue)
        return result.totals, result.by_category()

    def full() -> Any:
        return _full_account(compute_account_columns(columns, year=YEAR, catalogue=catalogue))

    def with_lines() -> Any:
        result = compute_account_columns(columns, year=YEAR, catalogue=catalogue)
        table = result.line_table
        return _full_account(result), table.quantity_in_factor_unit, table.kg_gas, table.kg_co2e

    lines = [ActivityLine(columns.activity_keys[a], q, columns.units[u], columns.sites[s], "", int(d))
             for a, q, u, s, d in zip(columns.activity_codes.tolist(), quantities.tolist(),
                                      columns.unit_codes.tolist(), columns.site_codes.tolist(),
                                      columns.data_quality.tolist(), strict=True)]

    def from_lines() -> Any:
        result = compute_account(lines, year=YEAR, catalogue=catalogue)
        return result.totals, result.by_category()

    return [
        measure("numpy baseline (multiply + bincount)", n, baseline),
        measure("engine, columns: totals + categories", n, account),
        measure("engine, full account (+ sites, sources, uncertainty)", n, full),
        measure("engine, full account + per-line arrays", n, with_lines),
        measure("compute_account(1M ActivityLine): totals + categories", n, from_lines),
    ]
