"""Where an emission counts: scope 1, scope 2 (location/market), scope 3 categories.

The engine adds emissions into 18 *buckets*::

    0 scope_1            direct emissions (own vehicles, boilers, refrigerant leaks)
    1 scope_2_location   purchased energy at the grid/network average (location-based)
    2 scope_2_market     purchased energy under the company's contracts (market-based:
                         guarantees of origin → renewable factor, otherwise residual mix)
    3…17 scope_3.1 … scope_3.15   the 15 value-chain categories of the Scope 3 Standard

GHG Protocol Scope 2 Guidance asks for *dual reporting*: the location-based
and the market-based total are two views of the same account, each with
scope 1 and scope 3 added in full. A scope 2 factor marked ``location``
counts only in the location view, ``market`` only in the market view; a
scope 2 factor valid for both (e.g. district heating without a contractual
instrument) counts in both. Well-to-tank and T&D-loss factors are scope 3
category 3 in the catalogue and count as such.
"""

from __future__ import annotations

import numpy as np

from klimabok.core.errors import KlimabokError
from klimabok.core.factors.model import Basis, Factor
from klimabok.core.messages import message

BUCKETS: tuple[str, ...] = (
    "scope_1", "scope_2_location", "scope_2_market", *(f"scope_3.{c}" for c in range(1, 16)))
SCOPE_1, SCOPE_2_LOCATION, SCOPE_2_MARKET = 0, 1, 2
SCOPE_3 = slice(3, 18)

#: Bucket weights of the two views: which buckets add up to ``total_location``/``total_market``.
LOCATION_VIEW = np.array([1, 1, 0] + [1] * 15, dtype=np.float64)
MARKET_VIEW = np.array([1, 0, 1] + [1] * 15, dtype=np.float64)


def factor_buckets(factor: Factor) -> tuple[int, ...]:
    """The buckets a factor's emissions count in (two for a scope 2 factor valid for both views)."""
    if factor.scope == 1:
        return (SCOPE_1,)
    if factor.scope == 2:
        if factor.basis is Basis.LOCATION:
            return (SCOPE_2_LOCATION,)
        if factor.basis is Basis.MARKET:
            return (SCOPE_2_MARKET,)
        return (SCOPE_2_LOCATION, SCOPE_2_MARKET)
    if factor.scope == 3 and factor.category is not None and 1 <= factor.category <= 15:
        return (2 + factor.category,)
    raise KlimabokError(message(
        "factor '%(key)s' (%(source_ref)s) has no valid scope/category: "
        "scope %(scope)s, category %(category)s",
        key=factor.key, source_ref=factor.source_ref, scope=factor.scope, category=str(factor.category)))


def bucket_of_label(label: str) -> tuple[int, ...]:
    """Buckets selected by a label: a bucket name, ``scope_2`` (both views) or ``scope_3`` (all 15)."""
    if label == "scope_2":
        return (SCOPE_2_LOCATION, SCOPE_2_MARKET)
    if label == "scope_3":
        return tuple(range(3, 18))
    if label in BUCKETS:
        return (BUCKETS.index(label),)
    raise KeyError(f"unknown scope label '{label}' (use one of {', '.join(BUCKETS)}, scope_2, scope_3)")


#: The six reported totals and, column by column, the buckets each one adds up.
TOTAL_NAMES = ("scope_1", "scope_2_location", "scope_2_market", "scope_3", "total_location", "total_market")
TOTAL_WEIGHTS = np.zeros((len(BUCKETS), len(TOTAL_NAMES)), dtype=np.float64)
TOTAL_WEIGHTS[SCOPE_1, 0] = TOTAL_WEIGHTS[SCOPE_2_LOCATION, 1] = TOTAL_WEIGHTS[SCOPE_2_MARKET, 2] = 1.0
TOTAL_WEIGHTS[SCOPE_3, 3] = 1.0
TOTAL_WEIGHTS[:, 4] = LOCATION_VIEW
TOTAL_WEIGHTS[:, 5] = MARKET_VIEW


def line_label(factor: Factor) -> str:
    """The label a result line shows: ``scope_1``, ``scope_2_market``, ``scope_2`` (both), ``scope_3.6``."""
    buckets = factor_buckets(factor)
    return "scope_2" if len(buckets) == 2 else BUCKETS[buckets[0]]


#: GHG Protocol names of the categories (English; the web translates them).
CATEGORY_NAMES: dict[str, str] = {
    "scope_1": "Scope 1: direct emissions",
    "scope_2_location": "Scope 2: purchased energy (location-based)",
    "scope_2_market": "Scope 2: purchased energy (market-based)",
    "scope_3.1": "3.1 Purchased goods and services",
    "scope_3.2": "3.2 Capital goods",
    "scope_3.3": "3.3 Fuel- and energy-related activities",
    "scope_3.4": "3.4 Upstream transportation and distribution",
    "scope_3.5": "3.5 Waste generated in operations",
    "scope_3.6": "3.6 Business travel",
    "scope_3.7": "3.7 Employee commuting and homeworking",
    "scope_3.8": "3.8 Upstream leased assets",
    "scope_3.9": "3.9 Downstream transportation and distribution",
    "scope_3.10": "3.10 Processing of sold products",
    "scope_3.11": "3.11 Use of sold products",
    "scope_3.12": "3.12 End-of-life treatment of sold products",
    "scope_3.13": "3.13 Downstream leased assets",
    "scope_3.14": "3.14 Franchises",
    "scope_3.15": "3.15 Investments",
}
