"""Result lines: one per input line and factor component, built only when asked for.

:class:`LineTable` holds the per-line numbers as arrays (computed on first
use from the resolved :class:`~klimabok.core.engine.resolve.FactorTable`);
:class:`ResultLines` is a lazy sequence that turns rows of it into
:class:`ResultLine` objects for drill-down, export and JSON.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import overload

import numpy as np
from numpy.typing import NDArray

from klimabok.core.engine.inputs import ActivityColumns
from klimabok.core.engine.resolve import FactorTable
from klimabok.core.engine.scopes import line_label
from klimabok.core.factors.model import Basis, Factor
from klimabok.core.messages import Message


@dataclass(frozen=True, slots=True)
class ResultLine:
    """The emissions of one factor component of one input line, with full provenance.

    ``index`` is the input line's position; ``quantity``/``unit`` as entered,
    ``quantity_in_factor_unit`` after conversion to ``factor.unit``.
    ``kg_co2e_per_unit`` is the factor under the account's GWP set (per
    factor unit); the ``kg_*`` fields are masses of each gas and ``kg_co2e``
    the line's emissions. ``flags`` are data-quality notes ("factor from 2024:
    no 2025 figure published").
    """

    index: int
    activity: str
    quantity: float
    unit: str
    quantity_in_factor_unit: float
    factor: Factor
    kg_co2e_per_unit: float
    scope_label: str
    kg_co2: float
    kg_ch4: float
    kg_n2o: float
    kg_other_co2e: float
    kg_co2e: float
    site: str
    description: str
    data_quality: int
    ref: str
    flags: tuple[Message, ...]
    #: kg biogenic CO2 (outside the scopes; not in ``kg_co2e``).
    kg_co2_biogenic: float = 0.0

    @property
    def scope(self) -> int:
        return self.factor.scope

    @property
    def category(self) -> int | None:
        return self.factor.category

    @property
    def basis(self) -> Basis:
        return self.factor.basis

    @property
    def t_co2e(self) -> float:
        """Emissions in tonnes CO2e (unrounded)."""
        return self.kg_co2e / 1000


class LineTable:
    """Per-result-line arrays: ``line`` (input index), ``component``, quantities and kg.

    Rows are ordered by input line, then by the activity's component order.
    Each array is computed on first use.
    """

    def __init__(self, columns: ActivityColumns, group_of_line: np.ndarray, table: FactorTable) -> None:
        self._columns, self._group_of_line, self._table = columns, group_of_line, table

    @cached_property
    def _rows(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        start = self._table.start
        first_component = start[self._group_of_line]
        sizes = start[1:][self._group_of_line] - first_component
        n = len(sizes)
        if n and sizes.min() == sizes.max() == 1:
            return np.arange(n, dtype=np.intp), first_component
        line = np.repeat(np.arange(n, dtype=np.intp), sizes)
        # Position of each row within its line: row number minus the line's first row.
        first_row = np.cumsum(sizes) - sizes
        within = np.arange(len(line), dtype=np.intp) - np.repeat(first_row, sizes)
        return line, np.repeat(first_component, sizes) + within

    @property
    def line(self) -> NDArray[np.intp]:
        """Input line index of each row."""
        return self._rows[0]

    @property
    def component(self) -> NDArray[np.intp]:
        """Factor component (index into the factor table) of each row."""
        return self._rows[1]

    @cached_property
    def quantity_in_factor_unit(self) -> NDArray[np.float64]:
        return self._columns.quantities[self.line] * self._table.conversion[self.component]

    @cached_property
    def kg_gas(self) -> NDArray[np.float64]:
        """kg CO2, CH4, N2O, other CO2e of each row (rows × 4)."""
        return self.quantity_in_factor_unit[:, None] * self._table.gas[self.component]

    @cached_property
    def kg_co2e(self) -> NDArray[np.float64]:
        return self.quantity_in_factor_unit * self._table.co2e[self.component]

    @cached_property
    def kg_co2_biogenic(self) -> NDArray[np.float64]:
        """kg biogenic CO2 of each row, reported outside the scopes."""
        return self.quantity_in_factor_unit * self._table.biogenic[self.component]

    def __len__(self) -> int:
        return len(self.line)

    def result_line(self, row: int) -> ResultLine:
        """Row ``row`` as a :class:`ResultLine`."""
        i, c = int(self.line[row]), int(self.component[row])
        source = self._columns.line(i)
        factor = self._table.factors[c]
        kg_co2, kg_ch4, kg_n2o, kg_other = self.kg_gas[row].tolist()
        return ResultLine(
            index=i, activity=source.activity, quantity=source.quantity, unit=source.unit,
            quantity_in_factor_unit=float(self.quantity_in_factor_unit[row]), factor=factor,
            kg_co2e_per_unit=float(self._table.co2e[c]), scope_label=line_label(factor),
            kg_co2=kg_co2, kg_ch4=kg_ch4, kg_n2o=kg_n2o, kg_other_co2e=kg_other,
            kg_co2e=float(self.kg_co2e[row]), site=source.site, description=source.description,
            data_quality=source.data_quality, ref=source.ref, flags=self._table.flags[c],
            kg_co2_biogenic=float(self.kg_co2_biogenic[row]),
        )


class ResultLines(Sequence[ResultLine]):
    """A lazy, read-only sequence of result lines (all of them, or the selected ``rows``)."""

    def __init__(self, table: LineTable, rows: np.ndarray | None = None) -> None:
        self._table = table
        self._rows = rows

    def __len__(self) -> int:
        return len(self._table) if self._rows is None else len(self._rows)

    @overload
    def __getitem__(self, position: int) -> ResultLine: ...
    @overload
    def __getitem__(self, position: slice) -> ResultLines: ...

    def __getitem__(self, position: int | slice) -> ResultLine | ResultLines:
        if isinstance(position, slice):
            every = np.arange(len(self._table)) if self._rows is None else self._rows
            return ResultLines(self._table, every[position])
        row = range(len(self._table))[position] if self._rows is None else int(self._rows[position])
        return self._table.result_line(row)

    def __iter__(self) -> Iterator[ResultLine]:
        rows = range(len(self._table)) if self._rows is None else self._rows.tolist()
        return (self._table.result_line(row) for row in rows)
