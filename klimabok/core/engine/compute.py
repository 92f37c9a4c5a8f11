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

Totals need no per-line product: the sum of lines is linear in the
quantities, so the engine sums quantities per (activity, unit) group with
one ``np.bincount`` and multiplies by the group's kg CO2e per input unit in
each bucket (a groups × 18 matrix). Per-line results are computed from the
same table only when asked for (:class:`~klimabok.core.engine.lines.LineTable`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from klimabok.core.engine.inputs import DATA_QUALITY_TIERS, ActivityColumns, ActivityLine
from klimabok.core.engine.resolve import build_table, gwp_values, resolve_group
from klimabok.core.engine.result import AccountResult
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Factor

FIELD_ORDER = {"activity": 0, "quantity": 1, "unit": 2, "data_quality": 3}
#: Up to this many possible (activity, unit) pairs, the pair code is the group index.
DIRECT_GROUPS = 4096


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
    """:func:`compute_account` on columnar input (the path both take; no per-line Python)."""
    gwp_values(gwp_set)
    resolution = _resolve(columns, year=year, catalogue=catalogue)
    if resolution.problems:
        raise InputErrors([InputError(p.message, source=source, row=p.index + 1, field=p.field)
                           for p in resolution.problems])
    table = build_table(resolution.activities, resolution.units, resolution.resolved, year=year,
                        gwp_set=gwp_set)
    return AccountResult(year=year, gwp_set=gwp_set, source=source, columns=columns,
                         group_of_line=resolution.group_of_line, line_counts=resolution.line_counts,
                         table=table)


def line_problems(columns: ActivityColumns, *, year: int, catalogue: Catalogue) -> list[LineProblem]:
    """Every reason a line cannot be computed, sorted by line and field (empty: all good).

    The checks of :func:`compute_account`, for callers that report them
    their own way (the activity-file reader, with the file's row numbers).
    """
    return _resolve(columns, year=year, catalogue=catalogue).problems


@dataclass(frozen=True, slots=True)
class LineProblem:
    """Line ``index`` (0-based) cannot be computed because of ``field``."""

    index: int
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class _Resolution:
    group_of_line: np.ndarray
    line_counts: np.ndarray
    activities: list[str]
    units: list[str]
    resolved: list[list[tuple[Factor, float]]]
    problems: list[LineProblem]


def _resolve(columns: ActivityColumns, *, year: int, catalogue: Catalogue) -> _Resolution:
    """Group the lines by (activity, unit), resolve each group with lines once, collect every problem."""
    group_of_line, pairs = _group_lines(columns)
    line_counts = np.bincount(group_of_line, minlength=len(pairs))
    activities = [columns.activity_keys[a] for a, _ in pairs]
    units = [columns.units[u] for _, u in pairs]
    resolved: list[list[tuple[Factor, float]]] = []
    problems = _value_problems(columns)
    for g, (activity, unit) in enumerate(zip(activities, units, strict=True)):
        if not line_counts[g]:
            resolved.append([])
            continue
        components, group_problems = resolve_group(activity, unit, catalogue=catalogue, year=year)
        resolved.append(components)
        if group_problems:
            problems += [LineProblem(int(i), p.field, p.message)
                         for i in np.flatnonzero(group_of_line == g) for p in group_problems]
    problems.sort(key=lambda p: (p.index, FIELD_ORDER.get(p.field, len(FIELD_ORDER))))
    return _Resolution(group_of_line, line_counts, activities, units, resolved, problems)


def _group_lines(columns: ActivityColumns) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Group index of every line and the (activity code, unit code) pair of every group.

    With few possible pairs (the normal case: tens of activities × a few
    units) the pair code itself is the group, so grouping costs one
    multiply-add; groups without lines are simply empty. Otherwise the pairs
    present are numbered by sorting.
    """
    n_units = max(len(columns.units), 1)
    pair = columns.activity_codes * n_units + columns.unit_codes
    space = len(columns.activity_keys) * n_units
    if space <= DIRECT_GROUPS:
        return pair, [divmod(p, n_units) for p in range(space)]
    present, group_of_line = np.unique(pair, return_inverse=True)
    return group_of_line, [divmod(int(p), n_units) for p in present]


def _value_problems(columns: ActivityColumns) -> list[LineProblem]:
    """Quantities that are not finite or negative, data-quality tiers outside 1–5."""
    q, dq = columns.quantities, columns.data_quality
    low, high = DATA_QUALITY_TIERS[0], DATA_QUALITY_TIERS[-1]
    if not len(q) or (q.min() >= 0 and np.isfinite(q.max()) and dq.min() >= low and dq.max() <= high):
        return []  # the common case, checked in two passes
    problems = [LineProblem(int(i), "quantity", "quantity is not a number")
                for i in np.flatnonzero(~np.isfinite(q))]
    problems += [LineProblem(int(i), "quantity", f"quantity must not be negative (got {q[i]:g})")
                 for i in np.flatnonzero(q < 0)]
    problems += [LineProblem(int(i), "data_quality",
                             f"data quality must be {low} (measured) to {high} (rough estimate), got {dq[i]}")
                 for i in np.flatnonzero((dq < low) | (dq > high))]
    return problems
