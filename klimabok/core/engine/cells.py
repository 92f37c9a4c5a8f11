"""Sums per cell — (activity, unit, site, data-quality tier) — the only per-line work of an account.

Every figure of an account is linear in the quantities: the totals, the
categories, the sites, the ranked sources and the uncertainty (whose
correlated groups — an activity and tier, a factor — add linearly, see
:mod:`klimabok.core.uncertainty`) are Σ quantity × (kg CO2e per unit of the
line's activity and unit). So the engine walks the lines once to give each a
*cell* code and adds up, per cell, the number of lines and their quantities
(two ``np.bincount`` calls).
Everything after that works on the cells present — a few thousand at most
for a company's account, however many lines it has.

The cell code is ``((activity × units + unit) × sites + site) × TIERS + tier``,
computed in int32 when that space is small (at most :data:`DIRECT_CELLS` or
the number of lines) — for a small space in chunks of :data:`CHUNK_LINES`
whose temporaries stay in the CPU cache; otherwise each step is renumbered
to the combinations present (``np.unique``), so the space never exceeds the
number of lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from klimabok.core.engine.inputs import CODE_DTYPE, DATA_QUALITY_TIERS, ActivityColumns

#: Tier codes 0…5 (0 unused: tiers are checked to be 1–5 before cells are summed).
TIERS = DATA_QUALITY_TIERS[-1] + 1
#: Cell spaces up to this size (or the number of lines, if larger) are addressed directly.
DIRECT_CELLS = 1 << 16
#: Lines per chunk when the cell space is small: a chunk's codes stay in cache.
CHUNK_LINES = 1 << 18


@dataclass(frozen=True, slots=True)
class Cells:
    """The cells with lines: their codes and sums (parallel arrays, one entry per cell).

    ``activity``, ``unit``, ``site`` index the labels of the
    :class:`ActivityColumns` summed; ``tier`` is the data-quality tier
    (1–5); ``lines`` how many lines fall in the cell and ``quantity`` their
    Σ quantity (in the unit).
    """

    activity: np.ndarray
    unit: np.ndarray
    site: np.ndarray
    tier: np.ndarray
    lines: np.ndarray
    quantity: np.ndarray

    def pairs(self, n_units: int) -> tuple[np.ndarray, np.ndarray]:
        """The distinct ``activity × n_units + unit`` pair codes (sorted) and each cell's index into them."""
        pair = self.activity.astype(np.int64) * n_units + self.unit
        present, pair_of_cell = np.unique(pair, return_inverse=True)
        return present, pair_of_cell.reshape(-1)


def sum_cells(columns: ActivityColumns) -> Cells:
    """Line counts and Σ quantity of every cell with lines (tiers must be 1–5)."""
    n = len(columns)
    steps = ((columns.unit_codes, len(columns.units)), (columns.site_codes, len(columns.sites)),
             (columns.data_quality, TIERS))
    space = len(columns.activity_keys) * math.prod(size for _, size in steps)
    present_values: list[np.ndarray | None] = [None] * len(steps)
    if space <= min(max(DIRECT_CELLS, n), np.iinfo(CODE_DTYPE).max):
        sums = _Sums(space)
        # The normal case: an int32 code built in place, in chunks that stay in the CPU's cache
        # (a small space: a chunk's sums are cheap to add up).
        chunk = CHUNK_LINES if space <= DIRECT_CELLS else max(n, 1)
        for start in range(0, n, chunk):
            part = slice(start, start + chunk)
            code = columns.activity_codes[part] * steps[0][1]
            code += steps[0][0][part]
            for more, size in steps[1:]:
                code *= size
                code += more[part]
            sums.add(code.astype(np.intp), columns.quantities[part])
    else:
        cell_of_line, space, present_values = _renumbered_code(columns, steps, max(DIRECT_CELLS, n))
        sums = _Sums(space)
        sums.add(cell_of_line, columns.quantities)
    cells = np.flatnonzero(sums.lines)
    codes: list[np.ndarray] = []
    values = cells
    for (_, size), present in zip(reversed(steps), reversed(present_values), strict=True):
        values, code_in_step = np.divmod(values if present is None else present[values], size)
        codes.append(code_in_step)
    tier, site, unit = codes
    return Cells(activity=values, unit=unit, site=site, tier=tier, lines=sums.lines[cells],
                 quantity=sums.quantity[cells])


class _Sums:
    """Running per-cell sums: number of lines, Σ quantity."""

    def __init__(self, space: int) -> None:
        self.lines = np.zeros(space, dtype=np.int64)
        self.quantity = np.zeros(space, dtype=np.float64)

    def add(self, cell_of_line: np.ndarray, quantities: np.ndarray) -> None:
        space = len(self.lines)
        self.lines += np.bincount(cell_of_line, minlength=space)
        self.quantity += np.bincount(cell_of_line, weights=quantities, minlength=space)


def _renumbered_code(columns: ActivityColumns, steps: tuple[tuple[np.ndarray, int], ...], limit: int,
                     ) -> tuple[np.ndarray, int, list[np.ndarray | None]]:
    """The cell code when the full space is too large: combinations present numbered step by step."""
    code = columns.activity_codes.astype(np.intp)
    size = len(columns.activity_keys)
    present_values: list[np.ndarray | None] = []
    for more, more_size in steps:
        code = code * more_size + more
        size *= more_size
        if size > limit:
            present, code = np.unique(code, return_inverse=True)
            code, size = code.reshape(-1), len(present)
            present_values.append(present)
        else:
            present_values.append(None)
    return code, size, present_values
