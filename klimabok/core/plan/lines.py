"""An account's lines as the measures see them, and the running state measures change in sequence.

:class:`PlanLine` is one *part* of an input line of an account: the emissions of one scope label
(``scope_1``, ``scope_2``, ``scope_3.3``…) in both views (kg CO2e, location- and market-based: GHG
Protocol dual scope 2 reporting). A line has one part per scope label its activity's factor
components count under: a litre of diesel is a ``scope_1`` part (combustion) and a ``scope_3.3``
part (well-to-tank), so that a target counts every tonne under its own scope; electricity's
location- and market-based components are two views of one kWh, one ``scope_2`` part.
:func:`plan_lines` turns an :class:`~klimabok.core.engine.AccountResult` into them with a few numpy
gathers — the account's per-(activity, unit) factors split by label × each line's quantity, no
per-line Python. :class:`PlanLines` keeps them as columns and is a read-only sequence of
:class:`PlanLine` for callers; ``line`` names the input line of each part and ``first`` its first
part, the one whose quantity counts when quantities are added up (every part shows the line's
quantity).

:class:`LineState` is what :mod:`.measures` applies measures to: the remaining quantity (once per
input line) and kg of every part, grouped by (activity, label) so that a measure touches only the
groups it acts on, and the lines measures add (the kWh of electric cars, the rail kilometres instead
of flights).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from klimabok.core.engine.inputs import TextsOnDemand
from klimabok.core.engine.scopes import BUCKETS, LOCATION_VIEW, MARKET_VIEW, bucket_of_label, line_label

if TYPE_CHECKING:
    from klimabok.core.engine import AccountResult
    from klimabok.core.engine.resolve import FactorTable

Rows = slice | NDArray[np.intp]
_Key = TypeVar("_Key", bound=Hashable)


@dataclass(frozen=True, slots=True)
class PlanLine:
    """One part of an account line: ``quantity`` of ``activity`` in ``unit`` (the line's) and the kg CO2e
    of its factor components under ``scope_label`` in both views.

    ``index`` is the account line's position, shared by its parts (a fuel line's ``scope_1`` and
    ``scope_3.3``); None: a line of its own (one part).
    """

    ref: str
    activity: str
    scope_label: str
    quantity: float
    unit: str
    kg_co2e_location: float
    kg_co2e_market: float
    index: int | None = None


def _codes(values: Iterable[_Key]) -> tuple[NDArray[np.intp], tuple[_Key, ...]]:
    index: dict[_Key, int] = {}
    codes = [index.setdefault(v, len(index)) for v in values]
    return np.array(codes, dtype=np.intp), tuple(index)


def _first_parts(line: NDArray[np.intp]) -> NDArray[np.bool_]:
    """True at the first row of each value of ``line``."""
    first = np.zeros(len(line), dtype=bool)
    first[np.unique(line, return_index=True)[1]] = True
    return first


class _PartRefs(TextsOnDemand):
    """The ref of each part: its line's (read on demand, like the engine's refs)."""

    def __init__(self, line_refs: Sequence[str], line: NDArray[np.intp]) -> None:
        self._line_refs, self._line = line_refs, line

    def __len__(self) -> int:
        return len(self._line)

    def _item(self, index: int) -> str:
        return self._line_refs[int(self._line[index])]

    def _items(self, index: slice) -> list[str]:
        return [self._line_refs[i] for i in self._line[index].tolist()]


class PlanLines(Sequence[PlanLine]):
    """Plan lines as columns (codes into ``activities``, ``labels``, ``units``); a sequence of
    :class:`PlanLine`.

    Each row is one part of an account line: ``line[i]`` is that line's position, ``first[i]`` marks
    its first part (the one whose ``quantity`` counts: every part shows its line's quantity),
    ``line_refs`` holds one ref per account line and ``refs`` one per row (its line's).
    """

    def __init__(self, *, activity_codes: NDArray[np.intp], activities: tuple[str, ...],
                 label_codes: NDArray[np.intp], labels: tuple[str, ...], quantity: NDArray[np.float64],
                 unit_codes: NDArray[np.intp], units: tuple[str, ...], kg_location: NDArray[np.float64],
                 kg_market: NDArray[np.float64], refs: Sequence[str] = (),
                 line: NDArray[np.intp] | None = None, first: NDArray[np.bool_] | None = None,
                 line_refs: Sequence[str] | None = None) -> None:
        """Without ``line``, every row is an account line of its own; ``line_refs`` (one per account
        line) stand for ``refs`` when given."""
        self.activity_codes, self.activities = activity_codes, activities
        self.label_codes, self.labels = label_codes, labels
        self.quantity, self.unit_codes, self.units = quantity, unit_codes, units
        self.kg_location, self.kg_market = kg_location, kg_market
        n = len(quantity)
        if line is None:
            self.line = np.arange(n, dtype=np.intp)
            self.first = np.ones(n, dtype=bool)
            self.line_refs: Sequence[str] = refs if line_refs is None else line_refs
            self.refs: Sequence[str] = self.line_refs
        else:
            self.line = line
            self.first = _first_parts(line) if first is None else first
            if line_refs is None:  # refs by row: each line's is its first part's
                self.refs, self.line_refs = refs, ()
                if refs:
                    by_line = [""] * (int(line.max()) + 1)
                    for i in np.flatnonzero(self.first).tolist():
                        by_line[int(line[i])] = refs[i]
                    self.line_refs = by_line
            else:
                self.line_refs = line_refs
                self.refs = _PartRefs(line_refs, line) if line_refs else ()

    @classmethod
    def from_lines(cls, lines: Iterable[PlanLine]) -> PlanLines:
        """Plan lines from :class:`PlanLine`\\ s; those with the same ``index`` are parts of one line."""
        lines = list(lines)
        activity_codes, activities = _codes(line.activity for line in lines)
        label_codes, labels = _codes(line.scope_label for line in lines)
        unit_codes, units = _codes(line.unit for line in lines)
        line_codes, _ = _codes((line.index is None, k if line.index is None else line.index)
                               for k, line in enumerate(lines))

        def column(get: Callable[[PlanLine], float]) -> NDArray[np.float64]:
            return np.fromiter(map(get, lines), dtype=np.float64, count=len(lines))

        return cls(activity_codes=activity_codes, activities=activities, label_codes=label_codes,
                   labels=labels, quantity=column(lambda line: line.quantity), unit_codes=unit_codes,
                   units=units,
                   kg_location=column(lambda line: line.kg_co2e_location),
                   kg_market=column(lambda line: line.kg_co2e_market), refs=[line.ref for line in lines],
                   line=line_codes)

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
                        kg_co2e_market=float(self.kg_market[i]), index=int(self.line[i]))

    def __iter__(self) -> Iterator[PlanLine]:
        return (self[i] for i in range(len(self)))

    def ref_of(self, index: int) -> str:
        """The ref of row ``index`` ("" when the lines have none)."""
        return self.refs[index] if self.refs else ""


def _parts(table: FactorTable) -> tuple[NDArray[np.intp], NDArray[np.intp], tuple[str, ...],
                                         NDArray[np.float64], NDArray[np.float64]]:
    """Each (activity, unit) group's parts, in the order of its factor components: ``start`` (group
    ``g``'s parts are ``start[g]:start[g + 1]``), each part's label code, the labels, and kg CO2e per
    input unit of each part, location- and market-based."""
    n_groups = len(table.start) - 1
    group_labels: list[list[str]] = []
    for g in range(n_groups):
        found: dict[str, None] = {}
        for c in range(int(table.start[g]), int(table.start[g + 1])):
            label = line_label(table.factors[c])
            found["scope_2" if label.startswith("scope_2") else label] = None
        group_labels.append(list(found))
    sizes = np.fromiter(map(len, group_labels), dtype=np.intp, count=n_groups)
    start = np.zeros(n_groups + 1, dtype=np.intp)
    np.cumsum(sizes, out=start[1:])
    part_label, labels = _codes(label for found in group_labels for label in found)
    part_group = np.repeat(np.arange(n_groups, dtype=np.intp), sizes)
    # kg per input unit of each (group, label): the group's buckets of that label, in each view
    selects = np.zeros((len(BUCKETS), len(labels)), dtype=np.float64)
    for code, label in enumerate(labels):
        selects[list(bucket_of_label(label)), code] = 1.0
    by_label_location = table.per_unit @ (selects * LOCATION_VIEW[:, None])
    by_label_market = table.per_unit @ (selects * MARKET_VIEW[:, None])
    return (start, part_label, labels, by_label_location[part_group, part_label],
            by_label_market[part_group, part_label])


def plan_lines(account: AccountResult) -> PlanLines:
    """The account's input lines as plan lines, one row per (line, scope label) in the order of the
    activity's factor components (per-row kg from the per-group factors; numpy only)."""
    columns, table = account.columns, account.table
    group = account.group_of_line
    start, part_label, labels, per_unit_location, per_unit_market = _parts(table)
    n = len(columns.quantities)
    first_part = start[group] if n else np.zeros(0, dtype=np.intp)
    sizes = start[1:][group] - first_part if n else np.zeros(0, dtype=np.intp)
    if n == 0 or sizes.max() == 1:
        line = np.arange(n, dtype=np.intp)
        part = first_part
        first = np.ones(n, dtype=bool)
    else:  # as the engine's LineTable: a line's rows, then each row's position within its line
        line = np.repeat(np.arange(n, dtype=np.intp), sizes)
        within = np.arange(len(line), dtype=np.intp) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        part = np.repeat(first_part, sizes) + within
        first = within == 0
    quantity = columns.quantities[line]
    return PlanLines(
        activity_codes=columns.activity_codes.astype(np.intp)[line], activities=columns.activity_keys,
        label_codes=part_label[part], labels=labels, quantity=quantity,
        unit_codes=columns.unit_codes.astype(np.intp)[line], units=columns.units,
        kg_location=quantity * per_unit_location[part], kg_market=quantity * per_unit_market[part],
        line=line, first=first, line_refs=columns.refs if len(columns.refs) == n else ())


class LineState:
    """The remaining quantity and kg of every part while measures are applied one after the other.

    Rows are the plan lines (parts of account lines) sorted by (activity, label) group, then the parts
    of the lines measures add; ``index[row]`` is the plan line's position (``len(lines) + k`` for the
    k-th part added). ``quantity`` holds a line's remaining quantity on its first part only (0 on its
    other parts), so that a sum over any rows reads each line's quantity once: an electric-car switch
    reads a diesel car's km once, not once for its scope 1 and once for its scope 3.3 part.
    """

    def __init__(self, lines: PlanLines, extra_rows: int) -> None:
        n = len(lines)
        self.n_input = n
        pair = lines.activity_codes.astype(np.int64) * max(len(lines.labels), 1) + lines.label_codes
        # a stable sort of 16-bit keys is a radix sort (activities × labels of an account fit)
        key = pair.astype(np.uint16) if len(pair) and pair.max() < 2**16 else pair
        order = np.argsort(key, kind="stable")
        sorted_pair = pair[order]
        starts = np.flatnonzero(np.diff(sorted_pair, prepend=-1))  # sorted already: where a pair begins
        present = sorted_pair[starts]
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
        self.quantity[:n] = np.where(lines.first, lines.quantity, 0.0)[order]
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
        """Sorted rows of every part of the account lines with one of ``refs``."""
        if self._refs is None:
            self._refs = {}
            for i, ref in enumerate(self._lines.line_refs):
                self._refs.setdefault(ref, []).append(i)
        lines = np.array([i for ref in refs for i in self._refs.get(ref, [])], dtype=np.intp)
        parts = np.flatnonzero(np.isin(self._lines.line, lines))
        row_of_part = np.empty(self.n_input, dtype=np.intp)
        row_of_part[self.index[:self.n_input]] = np.arange(self.n_input)
        return np.sort(row_of_part[parts])

    def known_refs(self) -> set[str]:
        return set(self._lines.line_refs)

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
            kg_market: float, first: bool = True) -> int:
        """Add a part of a line a measure brings in to the group of its activity and label; its row.
        The line's quantity counts on its ``first`` part only."""
        row = self.size
        if row == len(self.quantity):  # more parts added than rows set aside
            self._grow(max(16, row // 8))
        self.size += 1
        self.quantity[row] = quantity if first else 0.0
        self.kg_location[row], self.kg_market[row] = kg_location, kg_market
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

    def _grow(self, extra: int) -> None:
        capacity = len(self.quantity)
        for name in ("quantity", "kg_location", "kg_market", "row_label"):
            column = getattr(self, name)
            setattr(self, name, np.concatenate([column, np.zeros(extra, dtype=column.dtype)]))
        self.index = np.concatenate([self.index, np.arange(capacity, capacity + extra, dtype=np.intp)])

    def _label_of(self, rows: Rows) -> str:
        """The scope label of ``rows`` (every row of one ``rows`` is in one (activity, label) group)."""
        first = rows.start if isinstance(rows, slice) else (int(rows[0]) if len(rows) else 0)
        return self.label_names[int(self.row_label[first])]

    def _removed(self, label: str, location: float, market: float) -> None:
        totals = self.removed_by_label.setdefault(label, [0.0, 0.0])
        totals[0] += location
        totals[1] += market

    def line_index(self, rows: Sequence[Rows]) -> NDArray[np.intp]:
        """Plan line positions of ``rows`` (``n + k``: the k-th part a measure added), ascending."""
        if not rows:
            return np.zeros(0, dtype=np.intp)
        return np.sort(np.concatenate([np.atleast_1d(self.index[r]) for r in rows]))
