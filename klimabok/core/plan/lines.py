"""An account's lines as the measures see them, and the running state measures change in sequence.

:class:`PlanLine` is one input line of an account with its emissions in both views (kg CO2e,
location- and market-based: GHG Protocol dual scope 2 reporting); :func:`plan_lines` turns an
:class:`~klimabok.core.engine.AccountResult` into them with a few numpy gathers — the account's
per-(activity, unit) factors × each line's quantity, no per-line Python. :class:`PlanLines` keeps
them as columns and is a read-only sequence of :class:`PlanLine` for callers.

``scope_label`` of a line is that of its activity's first factor component (``scope_1`` for fuel
whose well-to-tank part is scope 3.3; ``scope_2`` for electricity, whose location- and
market-based parts are two views of one kWh).

:class:`LineState` is what :mod:`.measures` applies measures to: the remaining quantity and kg of
every line, grouped by (activity, label) so that a measure touches only the groups it acts on, and
the lines measures add (the kWh of electric cars, the rail kilometres instead of flights).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

import numpy as np
from numpy.typing import NDArray

from klimabok.core.engine.scopes import TOTAL_NAMES, TOTAL_WEIGHTS, line_label

if TYPE_CHECKING:
    from klimabok.core.engine import AccountResult

_LOCATION = TOTAL_NAMES.index("total_location")
_MARKET = TOTAL_NAMES.index("total_market")
Rows = slice | NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One account line: ``quantity`` of ``activity`` in ``unit`` and its kg CO2e in both views."""

    ref: str
    activity: str
    scope_label: str
    quantity: float
    unit: str
    kg_co2e_location: float
    kg_co2e_market: float


def _codes(values: Iterable[str]) -> tuple[NDArray[np.intp], tuple[str, ...]]:
    index: dict[str, int] = {}
    codes = [index.setdefault(v, len(index)) for v in values]
    return np.array(codes, dtype=np.intp), tuple(index)


class PlanLines(Sequence[PlanLine]):
    """Plan lines as columns (codes into ``activities``, ``labels``, ``units``); a sequence of
    :class:`PlanLine`."""

    def __init__(self, *, activity_codes: NDArray[np.intp], activities: tuple[str, ...],
                 label_codes: NDArray[np.intp], labels: tuple[str, ...], quantity: NDArray[np.float64],
                 unit_codes: NDArray[np.intp], units: tuple[str, ...], kg_location: NDArray[np.float64],
                 kg_market: NDArray[np.float64], refs: Sequence[str] = ()) -> None:
        self.activity_codes, self.activities = activity_codes, activities
        self.label_codes, self.labels = label_codes, labels
        self.quantity, self.unit_codes, self.units = quantity, unit_codes, units
        self.kg_location, self.kg_market = kg_location, kg_market
        self.refs = refs

    @classmethod
    def from_lines(cls, lines: Iterable[PlanLine]) -> PlanLines:
        lines = list(lines)
        activity_codes, activities = _codes(line.activity for line in lines)
        label_codes, labels = _codes(line.scope_label for line in lines)
        unit_codes, units = _codes(line.unit for line in lines)

        def column(get: Callable[[PlanLine], float]) -> NDArray[np.float64]:
            return np.fromiter(map(get, lines), dtype=np.float64, count=len(lines))

        return cls(activity_codes=activity_codes, activities=activities, label_codes=label_codes,
                   labels=labels, quantity=column(lambda line: line.quantity), unit_codes=unit_codes,
                   units=units,
                   kg_location=column(lambda line: line.kg_co2e_location),
                   kg_market=column(lambda line: line.kg_co2e_market), refs=[line.ref for line in lines])

    def __len__(self) -> int:
        return len(self.quantity)

    @overload
    def __getitem__(self, index: int) -> PlanLine: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PlanLine]: ...

    def __getitem__(self, index: int | slice) -> PlanLine | Sequence[PlanLine]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        i = range(len(self))[index]
        return PlanLine(ref=self.refs[i] if self.refs else "",
                        activity=self.activities[self.activity_codes[i]],
                        scope_label=self.labels[self.label_codes[i]], quantity=float(self.quantity[i]),
                        unit=self.units[self.unit_codes[i]], kg_co2e_location=float(self.kg_location[i]),
                        kg_co2e_market=float(self.kg_market[i]))

    def __iter__(self) -> Iterator[PlanLine]:
        return (self[i] for i in range(len(self)))

    def ref_of(self, index: int) -> str:
        """The ref of line ``index`` ("" when the lines have none)."""
        return self.refs[index] if self.refs else ""


def plan_lines(account: AccountResult) -> PlanLines:
    """The account's input lines as plan lines (per-line kg from the per-group factors; numpy only)."""
    columns, table = account.columns, account.table
    group = account.group_of_line
    per_unit_location = table.per_unit @ TOTAL_WEIGHTS[:, _LOCATION]
    per_unit_market = table.per_unit @ TOTAL_WEIGHTS[:, _MARKET]
    group_labels = [line_label(table.factors[start]) for start in table.start[:-1].tolist()]
    label_of_group, labels = _codes("scope_2" if label.startswith("scope_2") else label
                                    for label in group_labels)
    quantity = columns.quantities
    return PlanLines(
        activity_codes=columns.activity_codes.astype(np.intp), activities=columns.activity_keys,
        label_codes=label_of_group[group] if len(group) else np.zeros(0, dtype=np.intp), labels=labels,
        quantity=quantity, unit_codes=columns.unit_codes.astype(np.intp), units=columns.units,
        kg_location=quantity * per_unit_location[group], kg_market=quantity * per_unit_market[group],
        refs=columns.refs if len(columns.refs) == len(quantity) else ())


class LineState:
    """The remaining quantity and kg of every line while measures are applied one after the other.

    Rows are the input lines sorted by (activity, label) group, then the lines measures add;
    ``index[row]`` is the input line's position (``len(lines) + k`` for the k-th added line).
    """

    def __init__(self, lines: PlanLines, extra_rows: int) -> None:
        n = len(lines)
        self.n_input = n
        pair = lines.activity_codes.astype(np.int64) * max(len(lines.labels), 1) + lines.label_codes
        order = np.argsort(pair, kind="stable")
        sorted_pair = pair[order]
        present, starts = np.unique(sorted_pair, return_index=True)
        ends = np.append(starts[1:], n)
        n_labels = max(len(lines.labels), 1)
        self.group_activity = [lines.activities[int(p) // n_labels] for p in present.tolist()]
        self.group_label = [lines.labels[int(p) % n_labels] for p in present.tolist()]
        self.group_unit = [lines.units[int(lines.unit_codes[order[s]])] for s in starts.tolist()]
        self.group_rows: list[list[slice]] = [[slice(s, e)] for s, e in zip(starts.tolist(), ends.tolist(),
                                                                               strict=True)]
        self._group_of: dict[tuple[str, str], int] = {
            (a, label): g
            for g, (a, label) in enumerate(zip(self.group_activity, self.group_label, strict=True))}
        capacity = n + extra_rows
        self.quantity = np.zeros(capacity)
        self.kg_location = np.zeros(capacity)
        self.kg_market = np.zeros(capacity)
        self.quantity[:n] = lines.quantity[order]
        self.kg_location[:n] = lines.kg_location[order]
        self.kg_market[:n] = lines.kg_market[order]
        self.index = np.arange(capacity, dtype=np.intp)
        self.index[:n] = order
        self.size = n
        self.total_location = float(self.kg_location[:n].sum())
        self.total_market = float(self.kg_market[:n].sum())
        # The scope label of every row (codes into label_names) and the kg removed so far per label
        # (location, market; what measures add counts negative), so an effect splits by scope.
        self.label_names = list(lines.labels)
        self._label_code = {label: code for code, label in enumerate(self.label_names)}
        self.row_label = np.zeros(capacity, dtype=np.intp)
        self.row_label[:n] = lines.label_codes[order]
        self.removed_by_label: dict[str, list[float]] = {}
        self._lines = lines
        self._refs: dict[str, list[int]] | None = None

    def groups(self, keep: Callable[[str, str], bool]) -> list[int]:
        """Groups whose (activity, label) ``keep`` accepts."""
        return [g for g, (a, label) in enumerate(zip(self.group_activity, self.group_label, strict=True))
                if keep(a, label)]

    def rows(self, groups: Iterable[int], refs: Sequence[str] = ()) -> list[Rows]:
        """The rows of ``groups``; with ``refs``, only the rows of lines with one of those refs."""
        every: list[Rows] = [rows for g in groups for rows in self.group_rows[g]]
        if not refs:
            return every
        positions = self.ref_rows(refs)
        chosen: list[Rows] = []
        for rows in every:
            assert isinstance(rows, slice)
            inside = positions[(positions >= rows.start) & (positions < rows.stop)]
            if len(inside):
                chosen.append(inside)
        return chosen

    def ref_rows(self, refs: Sequence[str]) -> NDArray[np.intp]:
        """Sorted rows of the input lines with one of ``refs``."""
        if self._refs is None:
            self._refs = {}
            for i, ref in enumerate(self._lines.refs):
                self._refs.setdefault(ref, []).append(i)
        lines = [i for ref in refs for i in self._refs.get(ref, [])]
        row_of_line = np.empty(self.n_input, dtype=np.intp)
        row_of_line[self.index[:self.n_input]] = np.arange(self.n_input)
        return np.sort(row_of_line[np.array(lines, dtype=np.intp)])

    def known_refs(self) -> set[str]:
        return set(self._lines.refs)

    def sums(self, rows: Sequence[Rows]) -> tuple[float, float, float]:
        """Σ remaining quantity, kg location, kg market over ``rows``."""
        q = loc = mkt = 0.0
        for r in rows:
            q += float(self.quantity[r].sum())
            loc += float(self.kg_location[r].sum())
            mkt += float(self.kg_market[r].sum())
        return q, loc, mkt

    def scale(self, rows: Sequence[Rows], *, quantity: float, location: float,
              market: float) -> tuple[float, float]:
        """Multiply the rows' quantity and kg by the factors given; the kg removed (location, market)."""
        removed_location = removed_market = 0.0
        for r in rows:
            row_location = row_market = 0.0
            if location != 1:
                before = float(self.kg_location[r].sum())
                self.kg_location[r] *= location
                row_location = before * (1 - location)
                removed_location += row_location
            if market != 1:
                before = float(self.kg_market[r].sum())
                self.kg_market[r] *= market
                row_market = before * (1 - market)
                removed_market += row_market
            if quantity != 1:
                self.quantity[r] *= quantity
            if row_location or row_market:
                self._removed(self._label_of(r), row_location, row_market)
        self.total_location -= removed_location
        self.total_market -= removed_market
        return removed_location, removed_market

    def add(self, *, activity: str, label: str, unit: str, quantity: float, kg_location: float,
            kg_market: float) -> int:
        """Add a line (what a measure brings in) to the group of its activity and label; its row."""
        row = self.size
        self.size += 1
        self.quantity[row], self.kg_location[row], self.kg_market[row] = quantity, kg_location, kg_market
        group = self._group_of.get((activity, label))
        if group is None:
            group = self._group_of[activity, label] = len(self.group_activity)
            self.group_activity.append(activity)
            self.group_label.append(label)
            self.group_unit.append(unit)
            self.group_rows.append([])
        self.group_rows[group].append(slice(row, row + 1))
        code = self._label_code.get(label)
        if code is None:
            code = self._label_code[label] = len(self.label_names)
            self.label_names.append(label)
        self.row_label[row] = code
        self._removed(label, -kg_location, -kg_market)
        self.total_location += kg_location
        self.total_market += kg_market
        return row

    def _label_of(self, rows: Rows) -> str:
        """The scope label of ``rows`` (every row of one ``rows`` is in one (activity, label) group)."""
        first = rows.start if isinstance(rows, slice) else (int(rows[0]) if len(rows) else 0)
        return self.label_names[int(self.row_label[first])]

    def _removed(self, label: str, location: float, market: float) -> None:
        totals = self.removed_by_label.setdefault(label, [0.0, 0.0])
        totals[0] += location
        totals[1] += market

    def line_index(self, rows: Sequence[Rows]) -> NDArray[np.intp]:
        """Input line positions of ``rows`` (``n + k``: the k-th line a measure added), ascending."""
        if not rows:
            return np.zeros(0, dtype=np.intp)
        return np.sort(np.concatenate([np.atleast_1d(self.index[r]) for r in rows]))
