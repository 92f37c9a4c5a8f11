"""Activity data as the engine takes it: lines, or the same data as columns.

:class:`ActivityLine` is one line a user entered or uploaded. The engine
itself works on :class:`ActivityColumns` — numpy arrays with the text
columns (activity key, unit, site) stored once per distinct value and
referenced by integer codes — so that a million lines cost a few array
operations, not a million Python objects. ``compute_account`` converts lines
to columns; callers that already hold arrays (benchmarks, bulk recalculation)
build the columns directly with :meth:`ActivityColumns.from_arrays`.

Data-quality tiers (``data_quality``), after the GHG Protocol Scope 3
Standard's data-quality indicators; :mod:`klimabok.core.uncertainty` turns
them into the ± of the line's activity data (the factor's ± comes from its publisher):

1. measured or supplier-specific (meter readings, fuel receipts, supplier's own factor);
2. activity data from records (invoices, travel agency reports) with a published factor;
3. activity data partly estimated (typical when nothing else is said — the default);
4. extrapolated or averaged (one month × 12, per-employee averages, spend-based);
5. rough estimate.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, overload

import numpy as np
from numpy.typing import NDArray

DATA_QUALITY_TIERS = (1, 2, 3, 4, 5)
DEFAULT_DATA_QUALITY = 3
#: dtype of the integer-coded columns (activity, unit and site codes, data-quality tiers).
CODE_DTYPE = np.int32


@dataclass(frozen=True, slots=True)
class ActivityLine:
    """One line of activity data: ``quantity`` of ``activity`` in ``unit``.

    ``activity`` is an activity or factor key of the catalogue; ``unit`` any
    unit that converts to the factor's unit ("MWh" for a per-kWh factor).
    ``data_quality`` is the tier 1 (measured) … 5 (rough estimate) described
    in this module's docstring; ``ref`` says where the line came from
    ("entry:42", "upload.xlsx:7") so a result can be traced back to it.
    """

    activity: str
    quantity: float
    unit: str
    site: str = ""
    description: str = ""
    data_quality: int = DEFAULT_DATA_QUALITY
    ref: str = ""


class _Codes(dict[str, int]):
    """Label → code, numbering new labels as they are first seen (``dict`` lookups stay in C)."""

    def __missing__(self, label: str) -> int:
        self[label] = code = len(self)
        return code


def factorize(values: Sequence[str] | np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes (int32) and the distinct labels they index: ``labels[codes[i]] == values[i]``.

    Labels keep first-seen order for Python sequences; numpy string arrays
    use ``np.unique`` (sorted labels), which runs in C.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind in "US":
        labels, codes = np.unique(values, return_inverse=True)
        return codes.astype(CODE_DTYPE), tuple(str(v) for v in labels)
    index = _Codes()
    codes = np.fromiter(map(index.__getitem__, values), dtype=CODE_DTYPE, count=len(values))
    return codes, tuple(index)


class TextsOnDemand(Sequence[str]):
    """A column of texts made when read (descriptions and refs are rarely read, so never built whole).

    A subclass gives ``__len__`` and ``_item``; ``_items`` (a slice) may read many at once.
    """

    def _item(self, index: int) -> str:
        raise NotImplementedError

    def _items(self, index: slice) -> list[str]:
        return [self._item(i) for i in range(*index.indices(len(self)))]

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        if isinstance(index, slice):
            return self._items(index)
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._item(index)


class _LineField(TextsOnDemand):
    """One text field of a tuple of lines."""

    def __init__(self, lines: tuple[ActivityLine, ...], name: str) -> None:
        self._lines = lines
        self._get: Callable[[ActivityLine], str] = attrgetter(name)

    def __len__(self) -> int:
        return len(self._lines)

    def _item(self, index: int) -> str:
        return self._get(self._lines[index])

    def _items(self, index: slice) -> list[str]:
        return [self._get(line) for line in self._lines[index]]


@dataclass(frozen=True, slots=True)
class ActivityColumns:
    """Activity lines as columns: what the engine computes on.

    ``activity_codes[i]`` indexes ``activity_keys`` (likewise units and
    sites); ``quantities`` are float64 in each line's own unit;
    ``descriptions`` and ``refs`` are empty when not given (every line then
    has ``""``). Codes and data-quality tiers are stored as int32 (converted
    on construction when given otherwise): compact, and the engine's grouping
    arithmetic then runs in one integer type.
    """

    activity_codes: NDArray[np.integer[Any]]
    activity_keys: tuple[str, ...]
    quantities: NDArray[np.float64]
    unit_codes: NDArray[np.integer[Any]]
    units: tuple[str, ...]
    site_codes: np.ndarray
    sites: tuple[str, ...]
    data_quality: NDArray[np.integer[Any]]
    descriptions: Sequence[str] = ()
    refs: Sequence[str] = ()

    def __post_init__(self) -> None:
        for name in ("activity_codes", "unit_codes", "site_codes", "data_quality"):
            object.__setattr__(self, name, np.ascontiguousarray(getattr(self, name), dtype=CODE_DTYPE))
        object.__setattr__(self, "quantities", np.ascontiguousarray(self.quantities, dtype=np.float64))

    def __len__(self) -> int:
        return len(self.quantities)

    @classmethod
    def from_lines(cls, lines: Sequence[ActivityLine]) -> ActivityColumns:
        """Columns holding the same data as ``lines`` (one pass per field; texts are not copied)."""
        lines = tuple(lines)
        n = len(lines)
        activity_codes, activity_keys = factorize([line.activity for line in lines])
        unit_codes, units = factorize([line.unit for line in lines])
        site_codes, sites = factorize([line.site for line in lines])
        return cls(
            activity_codes=activity_codes, activity_keys=activity_keys,
            quantities=np.fromiter((line.quantity for line in lines), dtype=np.float64, count=n),
            unit_codes=unit_codes, units=units, site_codes=site_codes, sites=sites,
            data_quality=np.fromiter((line.data_quality for line in lines), dtype=CODE_DTYPE, count=n),
            descriptions=_LineField(lines, "description"), refs=_LineField(lines, "ref"),
        )

    @classmethod
    def from_arrays(cls, activities: Sequence[str] | np.ndarray, quantities: Sequence[float] | np.ndarray,
                    units: Sequence[str] | np.ndarray, *,
                    sites: Sequence[str] | np.ndarray | None = None,
                    data_quality: Sequence[int] | np.ndarray | None = None,
                    descriptions: Sequence[str] = (), refs: Sequence[str] = ()) -> ActivityColumns:
        """Columns from parallel arrays (numpy string arrays are factorised in C)."""
        q = np.asarray(quantities, dtype=np.float64)
        n = len(q)
        activity_codes, activity_keys = factorize(activities)
        unit_codes, unit_labels = factorize(units)
        site_labels: tuple[str, ...] = ("",)
        if sites is None:
            site_codes = np.zeros(n, dtype=CODE_DTYPE)
        else:
            site_codes, site_labels = factorize(sites)
        dq = (np.full(n, DEFAULT_DATA_QUALITY, dtype=CODE_DTYPE) if data_quality is None
              else np.asarray(data_quality, dtype=CODE_DTYPE))
        for name, size in (("activities", len(activity_codes)), ("units", len(unit_codes)),
                           ("sites", len(site_codes)), ("data_quality", len(dq))):
            if size != n:
                raise ValueError(f"{name} has {size} entries, quantities {n}")
        for name, texts in (("descriptions", descriptions), ("refs", refs)):
            if len(texts) not in (0, n):
                raise ValueError(f"{name} has {len(texts)} entries, quantities {n}")
        return cls(activity_codes=activity_codes, activity_keys=activity_keys, quantities=q,
                   unit_codes=unit_codes, units=unit_labels, site_codes=site_codes, sites=site_labels,
                   data_quality=dq, descriptions=descriptions, refs=refs)

    def line(self, index: int) -> ActivityLine:
        """Input line ``index`` as an :class:`ActivityLine`."""
        return ActivityLine(
            activity=self.activity_keys[self.activity_codes[index]],
            quantity=float(self.quantities[index]),
            unit=self.units[self.unit_codes[index]],
            site=self.sites[self.site_codes[index]],
            description=self.descriptions[index] if self.descriptions else "",
            data_quality=int(self.data_quality[index]),
            ref=self.refs[index] if self.refs else "",
        )
