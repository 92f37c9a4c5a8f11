"""What a year's account computes to, kept per process while the year's data stays as it was.

The key is the year's data revision (:mod:`klimabok.account.revision`): a token the database's own
triggers change whenever anything the account reads changes — an entry, a ledger import or line, an
override, a site's name, an imported factor dataset, the year's row itself — and that never takes a
value twice. It is read from the database for every use (one small query), not from the year object
in memory, so a request that has just saved an entry sees its own change, and every process sees
every other's without being told. Nothing in memory matters for correctness
(docs/architecture.md: no in-memory state that matters): a process that never computed a year
computes it.

A 100,000-line account costs seconds to load and compute, and about 50 MB to keep: at most
:data:`CACHE_SIZE` values are kept, the least recently used dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from weakref import WeakKeyDictionary

from klimabok.account.revision import revisions
from klimabok.core.engine import AccountResult
from klimabok.inventory.models import ReportingYear

T = TypeVar("T")

CACHE_SIZE = 16
_cache: OrderedDict[tuple[object, ...], object] = OrderedDict()
_lock = threading.Lock()


def cached(kind: str, year: ReportingYear, compute: Callable[[], T], *extra: object,
           revision: int | None = None) -> T:
    """``compute()`` for ``year``, kept under ``kind`` (and ``extra``, what else it depends on) while the
    year's data revision stays the same. ``revision``: the year's revision when the caller has just
    read it (:func:`klimabok.account.revision.revisions`, one query for many years); else it is read
    here. An exception of ``compute`` (a ``KlimabokError``: the account does not compute) is raised,
    not kept."""
    if revision is None:
        revision = revisions([year.pk]).get(year.pk)
        if revision is None:  # not saved, or deleted meanwhile: nothing to key it by
            return compute()
    key = (kind, year.pk, revision, *extra)
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


R = TypeVar("R")


def once_per_account(compute: Callable[[AccountResult], R]) -> Callable[[AccountResult], R]:
    """``compute(account)`` once per computed account, kept while the account lives: a year's account is
    kept per process and data revision (:func:`cached`), and a figure that reads each of
    its 100,000 lines in Python is then not read again on every request. The value is shared: read it
    only."""
    kept: WeakKeyDictionary[AccountResult, R] = WeakKeyDictionary()  # AccountResult hashes by identity
    lock = threading.Lock()

    @wraps(compute)
    def once(account: AccountResult) -> R:
        with lock:
            if account in kept:
                return kept[account]
        value = compute(account)
        with lock:
            kept[account] = value
        return value

    return once
