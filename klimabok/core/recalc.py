"""Recalculation explained: how much of a change comes from new factors, how much from new data.

A closed account pins its factor datasets (docs/architecture.md, integrity rules);
recalculating it with newer factors — or corrected activity data — is an
explicit action that must say *why* the numbers moved. With

- ``old``: the account as closed (old data × old factors),
- ``bridge``: old data × new factors (and the new GWP set, if it changed),
- ``new``: new data × new factors,

the change ``new − old`` splits exactly into

- **factor change** = ``bridge − old`` (what the new publication alone does), and
- **data change** = ``new − bridge`` (what corrected or added activity data does).

The split is path-dependent (valuing the data change at the new factors is
a convention, the one the GHG Protocol's recalculation examples use); it is
exact in the sense that the two parts always add up to the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from klimabok.core.engine import AccountResult, ActivityLine, Totals, compute_account_columns
from klimabok.core.engine.inputs import ActivityColumns
from klimabok.core.engine.scopes import BUCKETS
from klimabok.core.factors.catalogue import Catalogue


@dataclass(frozen=True, slots=True)
class CategoryChange:
    """One category's tonnes CO2e before and after, and the two parts of the change."""

    old: float
    new: float
    factor_change: float
    data_change: float


@dataclass(frozen=True, slots=True)
class RecalculationExplained:
    """Old and new totals (tonnes CO2e), the change split per total and per category."""

    old: Totals
    new: Totals
    factor_change: Totals
    data_change: Totals
    by_category: dict[str, CategoryChange]
    old_datasets: tuple[str, ...]
    new_datasets: tuple[str, ...]
    new_account: AccountResult


def explain_recalculation(old: AccountResult, *, new_catalogue: Catalogue,
                          new_lines: Sequence[ActivityLine] | None = None,
                          gwp_set: str | None = None) -> RecalculationExplained:
    """Recalculate ``old`` with ``new_catalogue`` (and ``new_lines``, if the data changed).

    Same reporting year as ``old``; ``gwp_set`` defaults to the old one (a
    changed GWP set counts as factor change). Raises ``InputErrors`` if the
    new catalogue cannot value the old data (a key or year it lacks).
    """
    gwp = gwp_set or old.gwp_set
    bridge = compute_account_columns(old.columns, year=old.year, catalogue=new_catalogue, gwp_set=gwp,
                                     source=old.source)
    new = bridge if new_lines is None else compute_account_columns(
        ActivityColumns.from_lines(new_lines), year=old.year, catalogue=new_catalogue, gwp_set=gwp)
    categories = [old.by_category(), bridge.by_category(), new.by_category()]
    labels = sorted({k for c in categories for k in c}, key=BUCKETS.index)
    by_category: dict[str, CategoryChange] = {}
    for label in labels:
        before, middle, after = (c.get(label, 0.0) for c in categories)
        by_category[label] = CategoryChange(old=before, new=after, factor_change=middle - before,
                                            data_change=after - middle)
    return RecalculationExplained(
        old=old.totals, new=new.totals, factor_change=bridge.totals - old.totals,
        data_change=new.totals - bridge.totals, by_category=by_category,
        old_datasets=old.datasets, new_datasets=new.datasets, new_account=new)

