"""What a measure costs per tonne, the cost curve (MACC), a scenario's pathway and the gap it closes.

A measure's yearly cost is its one-off cost spread over its lifetime at the discount rate — the
*capital recovery factor* ``CRF = r(1 + r)ⁿ / ((1 + r)ⁿ − 1)`` (``1/n`` at ``r = 0``) — plus the
change in yearly running cost (negative: a saving). NOK per tonne = yearly cost / tonnes avoided
a year, so a measure that saves money has a negative cost per tonne and sits below the axis of
the cost curve::

    NOK/t = (capex × CRF + Δopex) / t per year          (domain notes, "Cost curve (MACC)")

The cost curve puts one block per measure, width = tonnes a year, height = NOK per tonne, the
cheapest first. A scenario's pathway is business as usual minus each chosen measure's tonnes,
ramped in from its start year; :func:`gap_closed` says which share of the gap between business
as usual and the target pathway it closes in a year ("this plan closes 64 % of the gap to the
2030 target").

A measure's tonnes are those computed on the account it was applied to (the base or latest
closed year); they are not scaled when business as usual grows. Its effect lasts after its
lifetime (the equipment is replaced like for like); the lifetime only spreads the cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from klimabok.core.messages import Message, message
from klimabok.core.plan.pathway import percent

if TYPE_CHECKING:
    from klimabok.core.plan.measures import MeasureEffect

View = Literal["location", "market"]


def capital_recovery_factor(rate: float, lifetime_years: int) -> float:
    """``r(1 + r)ⁿ / ((1 + r)ⁿ − 1)``, the share of a one-off cost paid each year; ``1/n`` when ``r`` is 0."""
    if lifetime_years <= 0:
        raise ValueError("lifetime must be at least one year")
    if rate == 0:
        return 1 / lifetime_years
    growth = (1 + rate) ** lifetime_years
    return rate * growth / (growth - 1)


def annualised_capex(capex_nok: float, lifetime_years: int, rate: float) -> float:
    """A one-off cost as NOK a year over ``lifetime_years`` at discount ``rate`` (0.05 = 5 %)."""
    return capex_nok * capital_recovery_factor(rate, lifetime_years)


def annual_cost(capex_nok: float, opex_delta_nok_per_year: float, lifetime_years: int, rate: float) -> float:
    """Yearly cost of a measure in NOK: annualised one-off cost + change in running cost (saving < 0)."""
    return annualised_capex(capex_nok, lifetime_years, rate) + opex_delta_nok_per_year


def nok_per_tonne(annual_cost_nok: float, t_per_year: float) -> float | None:
    """NOK per tonne avoided; None when the measure avoids no tonnes (no cost per tonne exists)."""
    return annual_cost_nok / t_per_year if t_per_year > 0 else None


def ramp_share(year: int, start_year: int, ramp_years: int) -> float:
    """Share of a measure's full effect reached in ``year``: 0 before ``start_year``, then rising by
    ``1/ramp_years`` a year (full from the start year when ``ramp_years`` is 0 or 1)."""
    if year < start_year:
        return 0.0
    if ramp_years <= 1:
        return 1.0
    return min(1.0, (year - start_year + 1) / ramp_years)


@dataclass(frozen=True, slots=True)
class MaccBlock:
    """One block of the cost curve: ``x_start``–``x_end`` (cumulative t a year), height NOK per tonne."""

    id: str | int
    kind: str
    t_per_year: float
    nok_per_tonne: float
    x_start: float
    x_end: float


def macc(effects: Sequence[MeasureEffect], view: View = "market") -> list[MaccBlock]:
    """The cost curve: measures that avoid tonnes in ``view``, cheapest per tonne first (savings first),
    each block starting where the previous one ended. Measures that avoid nothing have no block."""
    priced = []
    for effect in effects:
        t = effect.t_per_year(view)
        cost = effect.nok_per_tonne(view)
        if cost is not None and t > 0:
            priced.append((cost, str(effect.id), effect, t))
    priced.sort(key=lambda item: (item[0], item[1]))
    blocks, x = [], 0.0
    for cost, _, effect, t in priced:
        blocks.append(MaccBlock(effect.id, effect.kind, t, cost, x, x + t))
        x += t
    return blocks


def scenario_pathway(baseline_by_year: Mapping[int, float], effects: Sequence[MeasureEffect],
                     view: View = "market") -> dict[int, float]:
    """Business as usual minus every measure's tonnes in ``view``, ramped in from its start year
    (never below zero)."""
    return {year: max(0.0, t - sum(e.t_per_year(view) * ramp_share(year, e.start_year, e.ramp_years)
                                   for e in effects))
            for year, t in sorted(baseline_by_year.items())}


@dataclass(frozen=True, slots=True)
class GapClosed:
    """The share of the gap between business as usual and the target that a plan closes in ``year``."""

    year: int
    gap_t: float
    closed_t: float
    share: float
    message: Message


def gap_closed(target: Mapping[int, float], baseline: Mapping[int, float], scenario: Mapping[int, float],
               year: int) -> GapClosed:
    """``(baseline − scenario) / (baseline − target)`` in ``year``: 1 when business as usual already
    meets the target; above 1 when the plan goes beyond it."""
    gap = baseline[year] - target[year]
    closed = baseline[year] - scenario[year]
    if gap <= 0:
        return GapClosed(year, gap, closed, 1.0, message(
            "business as usual already meets the %(year)s target", year=year))
    share = closed / gap
    return GapClosed(year, gap, closed, share, message(
        "this plan closes %(share)s %% of the gap to the %(year)s target", share=percent(share), year=year))
