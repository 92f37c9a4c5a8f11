"""The calculation: activity × factor → per-gas kg → CO2e, grouped by scope and category.

For every input line *i* in unit *u* and each factor component *c* of its
activity (GHG Protocol Corporate Standard, ch. 6 "calculation-based
methods")::

    quantity in factor unit = quantity_i × conversion(u → factor unit)
    kg gas                  = quantity in factor unit × kg gas per factor unit      (CO2, CH4, N2O)
    kg CO2e                 = quantity in factor unit × kg CO2e per factor unit

kg CO2e per factor unit is the published total when the account uses the
publication's GWP set (AR5 for DESNZ and the Norwegian inventory), else the
published total with the CH4 and N2O terms re-weighted:
``kg_co2e + kg CH4 × ΔGWP(CH4) + kg N2O × ΔGWP(N2O)`` — so AR5 and AR6
differ only through CH4 and N2O, and the AR5 figure is exactly the one a
reader finds in the publication. Factors published only as CO2e are used
as published and flagged when the sets differ.

Totals need no per-line product: every figure of the account is linear in
the quantities, so the engine sums quantities per cell — (activity, unit,
site, data-quality tier), see :mod:`.cells` — with ``np.bincount`` and works
on those sums from then on: a group per (activity, unit) pair present, whose
factors are resolved once, and its kg CO2e per input unit in each of the 18
buckets. Per-line results are computed from the same table only when asked
for (:class:`~klimabok.core.engine.lines.LineTable`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from klimabok.core.engine.cells import DIRECT_CELLS, sum_cells
from klimabok.core.engine.inputs import DATA_QUALITY_TIERS, ActivityColumns, ActivityLine
from klimabok.core.engine.resolve import build_table, gwp_values, resolve_group
from klimabok.core.engine.result import AccountResult
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.messages import Message, message

FIELD_ORDER = {"activity": 0, "quantity": 1, "unit": 2, "data_quality": 3}


def compute_account(lines: Sequence[ActivityLine], *, year: int, catalogue: Catalogue,
                    gwp_set: str = "AR5", source: str | None = None) -> AccountResult:
    """The climate account of ``lines`` for reporting ``year`` (all emissions in kg/tonnes CO2e).

    Every bad line is reported at once as :class:`InputErrors` — unknown
    activity, unit that does not convert, no factor for ``year`` or earlier,
    non-finite or negative quantity, data quality outside 1–5 — each naming
    ``source`` (if given), the line's 1-based position as ``row`` and the field.
    There is never a partial result.
    """
    return compute_account_columns(ActivityColumns.from_lines(lines), year=year, catalogue=catalogue,
                                   gwp_set=gwp_set, source=source)


def compute_account_columns(columns: ActivityColumns, *, year: int, catalogue: Catalogue,
                            gwp_set: str = "AR5", source: str | None = None) -> AccountResult:
    """:func:`compute_account` on columnar input (the path both take; no per-line Python).

    The lines are read by a few array passes (:func:`~.cells.sum_cells`);
    only when something is wrong are they scanned again, to name every bad line.
    """
    gwp_values(gwp_set)
    if not _values_look_valid(columns):
        _raise_problems(columns, year=year, catalogue=catalogue, source=source)
    cells = sum_cells(columns)
    if not np.isfinite(cells.quantity).all():  # +inf passes the quick check
        _raise_problems(columns, year=year, catalogue=catalogue, source=source)
    pairs, group_of_cell = cells.pairs(max(len(columns.units), 1))
    activities, units = _pair_labels(columns, pairs)
    resolved = []
    for activity, unit in zip(activities, units, strict=True):
        components, group_problems = resolve_group(activity, unit, catalogue=catalogue, year=year)
        if group_problems:
            _raise_problems(columns, year=year, catalogue=catalogue, source=source)
        resolved.append(components)
    table = build_table(activities, units, resolved, year=year, gwp_set=gwp_set,
                        blends=catalogue.refrigerants)
    return AccountResult(year=year, gwp_set=gwp_set, source=source, columns=columns, cells=cells,
                         group_of_cell=group_of_cell, group_pairs=pairs, table=table)


def line_problems(columns: ActivityColumns, *, year: int, catalogue: Catalogue) -> list[LineProblem]:
    """Every reason a line cannot be computed, sorted by line and field (empty: all good).

    The checks of :func:`compute_account`, for callers that report them
    their own way (the activity-file reader, with the file's row numbers).
    """
    problems = [] if _values_look_valid(columns) else _value_problems(columns)
    n_units = max(len(columns.units), 1)
    pair_of_line = columns.activity_codes.astype(np.int64) * n_units + columns.unit_codes
    pairs = _distinct(pair_of_line, len(columns.activity_keys) * n_units)
    activities, units = _pair_labels(columns, pairs)
    for pair, activity, unit in zip(pairs.tolist(), activities, units, strict=True):
        _, group_problems = resolve_group(activity, unit, catalogue=catalogue, year=year)
        if group_problems:
            problems += [LineProblem(i, p.field, p.message)
                         for i in np.flatnonzero(pair_of_line == pair).tolist() for p in group_problems]
    problems.sort(key=lambda p: (p.index, FIELD_ORDER.get(p.field, len(FIELD_ORDER))))
    return problems


@dataclass(frozen=True, slots=True)
class LineProblem:
    """Line ``index`` (0-based) cannot be computed because of ``field``."""

    index: int
    field: str
    message: Message


def _raise_problems(columns: ActivityColumns, *, year: int, catalogue: Catalogue, source: str | None) -> None:
    """Raise :class:`InputErrors` naming every bad line, if there is one."""
    problems = line_problems(columns, year=year, catalogue=catalogue)
    if problems:
        raise InputErrors([InputError(p.message, source=source, row=p.index + 1, field=p.field)
                           for p in problems])


def _pair_labels(columns: ActivityColumns, pairs: np.ndarray) -> tuple[list[str], list[str]]:
    """Activity keys and units of ``activity code × units + unit code`` pair codes."""
    activity_codes, unit_codes = np.divmod(pairs, max(len(columns.units), 1))
    return ([columns.activity_keys[a] for a in activity_codes.tolist()],
            [columns.units[u] for u in unit_codes.tolist()])


def _distinct(codes: np.ndarray, space: int) -> NDArray[np.intp]:
    """The distinct values of ``codes`` (all in ``0 … space - 1``), sorted."""
    if space <= max(DIRECT_CELLS, len(codes)):
        return np.flatnonzero(np.bincount(codes, minlength=space))
    return np.unique(codes)


def _values_look_valid(columns: ActivityColumns) -> bool:
    """Quick check (three reductions): no negative or NaN quantity, every tier 1–5."""
    q, dq = columns.quantities, columns.data_quality
    return not len(q) or bool(q.min() >= 0 and dq.min() >= DATA_QUALITY_TIERS[0]
                              and dq.max() <= DATA_QUALITY_TIERS[-1])


def _value_problems(columns: ActivityColumns) -> list[LineProblem]:
    """Quantities that are not finite or negative, data-quality tiers outside 1–5."""
    q, dq = columns.quantities, columns.data_quality
    low, high = DATA_QUALITY_TIERS[0], DATA_QUALITY_TIERS[-1]
    problems = [LineProblem(int(i), "quantity", message("quantity is not a number"))
                for i in np.flatnonzero(~np.isfinite(q))]
    problems += [LineProblem(int(i), "quantity", message("quantity must not be negative (got %(quantity)s)",
                                                         quantity=f"{q[i]:g}"))
                 for i in np.flatnonzero(q < 0)]
    problems += [LineProblem(int(i), "data_quality", message(
                     "data quality must be %(low)s (measured) to %(high)s (rough estimate), got %(tier)s",
                     low=low, high=high, tier=int(dq[i])))
                 for i in np.flatnonzero((dq < low) | (dq > high))]
    return problems
