"""What a closed year computes to, kept per process while the year stays as it was closed.

A closed year's data cannot change (every write service refuses it: ``ensure_open``) and its factors are
pinned, so its account — and whatever a page derives from it — is the same until the year is reopened,
closed again or recalculated. Those are exactly the fields of the key (:func:`closed_year_key`): a
request reads the year's row anyway, so every process sees a change without being told, and nothing in
memory matters for correctness (docs/architecture.md: no in-memory state that matters). An open year is
computed every time. A 100,000-line account costs seconds to load and compute, and about 50 MB to keep:
at most :data:`CACHE_SIZE` values are kept, the least recently used dropped first.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from klimabok.inventory.models import ReportingYear

T = TypeVar("T")

CACHE_SIZE = 16
_cache: OrderedDict[tuple[object, ...], object] = OrderedDict()
_lock = threading.Lock()


def closed_year_key(year: ReportingYear) -> tuple[object, ...] | None:
    """What a closed year's account depends on; None (no caching) for an open year or one closed without
    a close time."""
    if year.closed_at is None or not year.is_closed:
        return None
    return (
        year.pk,
        year.closed_at.isoformat(),
        year.gwp_set,
        json.dumps(year.pinned_datasets, sort_keys=True, default=str),
        json.dumps(year.last_recalculation, sort_keys=True, default=str),
    )


def cached(kind: str, year: ReportingYear, compute: Callable[[], T], *extra: object) -> T:
    """``compute()`` for closed ``year``, kept under ``kind`` (and ``extra``, what else it depends on)
    while the year stays as it was closed; an open year is computed every time. An exception of
    ``compute`` (a ``KlimabokError``: the account does not compute) is raised, not kept."""
    year_key = closed_year_key(year)
    if year_key is None:
        return compute()
    key = (kind, *year_key, *extra)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found  # type: ignore[return-value]  # stored under this kind by this same call
    value = compute()
    with _lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def clear() -> None:
    """Forget everything kept (tests, and a bench's first request)."""
    with _lock:
        _cache.clear()
