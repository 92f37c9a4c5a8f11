"""Benchmark: the engine on 1,000,000 activity lines beside a bare numpy multiply-and-group-by.

Input: a realistic mix of ~50 activities of the shipped catalogue (electricity
with and without guarantees of origin, district heating, fuels, cars, vans,
commuting, flights, hotels, homeworking, water, waste, refrigerants), ~20 %
of the energy lines in MWh/m³ instead of kWh/litres, 5 sites, random
data-quality tiers; reporting year 2025. Built once; every path below reads
the same arrays (or the same lines, or the same file) in the same process.

In memory (baseline: the first row):

- ``bare numpy``: ``np.bincount(bucket, quantity × factor)`` over prepared
  per-line arrays (factor and bucket already looked up per line — the floor
  any engine can reach; it knows nothing of units, sites or tiers).
- ``engine, account from columns`` — the headline: what the account page
  and ``klimabok calc`` need. :func:`compute_account_columns` on
  :class:`ActivityColumns` (validation, factor lookup, unit conversion,
  dual scope 2) + ``totals``, ``by_category()``, ``by_site()``,
  ``by_activity()`` (ranked sources) and ``uncertainty``.
- ``+ per-line arrays``: the above + per-line quantities, per-gas kg and kg
  CO2e (what drill-down and exports read).
- ``compute_account(lines)``: the same account from 1,000,000
  :class:`ActivityLine` objects (creating them is not timed; converting them
  to columns is — Python-bound, one pass per field).

From a file (baseline: its first row), a generated 1,000,000-line CSV:

- ``bare csv + numpy``: ``csv.reader``, quantities parsed by numpy, factor
  per (activity, unit) from a prepared dict, multiply, ``np.bincount``.
- ``klimabok calc FILE``: the command's function in this process (start-up
  and imports not timed): read and check the file (in columns, streamed in
  blocks by pyarrow's CSV reader: :mod:`klimabok.core.activity_columns`),
  the account, the summary.

Timings are the best of ``REPEATS`` (``REPEATS_SLOW`` for the Python-bound
paths), the paths of a table taking turns. Peak memory is measured in a
separate, untimed run of each path: ``tracemalloc``'s peak (Python objects;
numpy reports its buffers to it) plus the peak of pyarrow's memory pool
(tracemalloc does not see Arrow's buffers; a fresh proxy pool per run counts
them). The sum of two peaks is at least the peak of the sum: never flattering.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from klimabok.cli.calc import calc
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
REPEATS = 50
REPEATS_SLOW = 2
SITES = ("Oslo HQ", "Oslo Nydalen", "Bergen", "Trondheim", "Tromsø")
#: (key prefix, how many activities with it) — ~50 activities an office company reports.
MIX = (("electricity.no", 2), ("electricity.se", 1), ("district_heating.", 3), ("fuel.diesel", 1),
       ("fuel.petrol", 1), ("car.medium.", 4), ("van.average.", 2), ("commute.", 8), ("flight.", 8),
       ("hotel.", 6), ("homeworking", 1), ("water.", 2), ("waste.", 8), ("refrigerant.", 3))
LARGER_UNIT = {"kWh": ("MWh", 1e-3), "litres": ("m3", 1e-3), "litre": ("m3", 1e-3)}
HEADLINE = "engine, account from columns"
GOAL = 1 / 3


@dataclass(frozen=True, slots=True)
class Measurement:
    path: str
    lines: int
    seconds: float
    peak_mb: float

    @property
    def lines_per_second(self) -> float:
        return self.lines / self.seconds


@dataclass(frozen=True, slots=True)
class Section:
    """Measurements compared with their first row (the baseline)."""

    title: str
    rows: list[Measurement]


@dataclass(frozen=True, slots=True)
class Baseline:
    """What the bare baselines get prepared: per-line factor and bucket, and per (activity, unit)."""

    factor_per_line: np.ndarray
    bucket_per_line: np.ndarray
    per_pair: dict[tuple[str, str], tuple[float, int]]


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


def make_input(catalogue: Catalogue, n: int, seed: int = 2025) -> tuple[ActivityColumns, Baseline]:
    """The columns, and the baselines' factor (kg CO2e per given unit, first component) and bucket."""
    rng = np.random.default_rng(seed)
    keys = pick_activities(catalogue)
    own = [catalogue.activity(k).unit for k in keys]
    larger_unit, factor = zip(*(LARGER_UNIT.get(u, (u, 1.0)) for u in own), strict=True)
    units = sorted(set(own) | set(larger_unit))
    weights = rng.pareto(1.5, len(keys)) + 0.1
    activity_codes = rng.choice(len(keys), size=n, p=weights / weights.sum())
    use_larger = rng.random(n) < 0.2
    unit_codes = np.where(use_larger, np.array([units.index(u) for u in larger_unit])[activity_codes],
                          np.array([units.index(u) for u in own])[activity_codes])
    scale = np.where(use_larger, np.array(factor)[activity_codes], 1.0)
    columns = ActivityColumns(
        activity_codes=activity_codes, activity_keys=tuple(keys),
        quantities=rng.lognormal(5, 1.5, n) * scale, unit_codes=unit_codes, units=tuple(units),
        site_codes=rng.integers(0, len(SITES), n), sites=SITES, data_quality=rng.integers(1, 6, n))
    first = [catalogue.factor(catalogue.activity(k).components[0], YEAR) for k in keys]
    per_unit = np.array([f.kg_co2e for f in first])
    bucket = np.array([factor_buckets(f)[0] for f in first])
    per_pair = {}
    for a, (key, f, b) in enumerate(zip(keys, first, bucket.tolist(), strict=True)):
        per_pair[key, own[a]] = (f.kg_co2e, b)
        per_pair[key, larger_unit[a]] = (f.kg_co2e / factor[a], b)
    return columns, Baseline(per_unit[activity_codes] / scale, bucket[activity_codes], per_pair)


def measure(paths: list[tuple[str, Callable[[], Any], int]], n: int) -> list[Measurement]:
    """Best time of each ``(name, run, repeats)``, the paths taking turns (so a busy moment of the
    machine hits all of them alike), then each one's peak memory in an untimed run."""
    best = [math.inf] * len(paths)
    for repeat in range(max(repeats for _, _, repeats in paths)):
        for i, (_, run, repeats) in enumerate(paths):
            if repeat < repeats:
                best[i] = min(best[i], _timed(run))
    return [Measurement(name, n, seconds, _peak_mb(run))
            for (name, run, _), seconds in zip(paths, best, strict=True)]


def _peak_mb(run: Callable[[], Any]) -> float:
    """Peak of tracemalloc + peak of pyarrow's memory pool while ``run`` runs (see the docstring)."""
    previous = pa.default_memory_pool()
    arrow = pa.proxy_memory_pool(previous)
    pa.set_memory_pool(arrow)
    tracemalloc.start()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        pa.set_memory_pool(previous)
    return (peak + float(arrow.max_memory())) / 2**20


def _timed(run: Callable[[], Any]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def full_account(result: AccountResult) -> Any:
    """Every figure the account page and ``klimabok calc`` show (not the lines)."""
    return (result.totals, result.by_category(), result.by_site(), result.by_activity(),
            result.uncertainty)


def write_csv(columns: ActivityColumns, path: Path) -> None:
    """The columns as an activity file (the template's columns)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        fh.write("activity,quantity,unit,site,data_quality\n")
        keys, units, sites = columns.activity_keys, columns.units, columns.sites
        fh.writelines(f"{keys[a]},{q!r},{units[u]},{sites[s]},{d}\n" for a, q, u, s, d in zip(
            columns.activity_codes.tolist(), columns.quantities.tolist(), columns.unit_codes.tolist(),
            columns.site_codes.tolist(), columns.data_quality.tolist(), strict=True))


def bare_csv_account(path: Path, per_pair: dict[tuple[str, str], tuple[float, int]]) -> np.ndarray:
    """kg per bucket from an activity file with nothing but ``csv`` and numpy."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = list(reader)
    pairs: dict[tuple[str, str], int] = {}
    codes = np.fromiter((pairs.setdefault((r[0], r[2]), len(pairs)) for r in rows), np.intp, len(rows))
    quantity = np.array([r[1] for r in rows], dtype=np.float64)
    factor, bucket = (np.array(v) for v in zip(*(per_pair[p] for p in pairs), strict=True))
    return np.bincount(bucket[codes], weights=quantity * factor[codes], minlength=18)


def run(n: int = N_LINES) -> list[Section]:
    catalogue = default_catalogue()
    columns, baseline = make_input(catalogue, n)
    quantities = columns.quantities

    def bare_numpy() -> np.ndarray:
        return np.bincount(baseline.bucket_per_line, weights=quantities * baseline.factor_per_line,
                           minlength=18)

    def account() -> Any:
        return full_account(compute_account_columns(columns, year=YEAR, catalogue=catalogue))

    def with_lines() -> Any:
        result = compute_account_columns(columns, year=YEAR, catalogue=catalogue)
        table = result.line_table
        return full_account(result), table.quantity_in_factor_unit, table.kg_gas, table.kg_co2e

    lines = [ActivityLine(columns.activity_keys[a], q, columns.units[u], columns.sites[s], "", d)
             for a, q, u, s, d in zip(columns.activity_codes.tolist(), quantities.tolist(),
                                      columns.unit_codes.tolist(), columns.site_codes.tolist(),
                                      columns.data_quality.tolist(), strict=True)]

    def from_lines() -> Any:
        return full_account(compute_account(lines, year=YEAR, catalogue=catalogue))

    in_memory = Section(f"in memory, {n:,} lines", measure([
        ("bare numpy: multiply + bincount by bucket", bare_numpy, REPEATS),
        (f"{HEADLINE} (every figure but the lines)", account, REPEATS),
        ("engine, account + per-line arrays", with_lines, REPEATS),
        ("compute_account(ActivityLine objects), account", from_lines, REPEATS_SLOW),
    ], n))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "activities.csv"
        write_csv(columns, path)

        def klimabok_calc() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                calc(path, year=YEAR)

        size_mb = path.stat().st_size / 2**20
        from_file = Section(f"from a {size_mb:.0f} MB CSV file, {n:,} lines", measure([
            ("bare csv + numpy: read, multiply, bincount", lambda: bare_csv_account(path, baseline.per_pair),
             REPEATS_SLOW),
            ("klimabok calc FILE --year 2025 (summary)", klimabok_calc, REPEATS_SLOW),
        ], n))
    return [in_memory, from_file]
