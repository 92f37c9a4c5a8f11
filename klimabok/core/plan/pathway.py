"""Targets and their pathways: what the emissions of each year should be, and how a year compares.

A :class:`Target` is a reduction of the base year's emissions (``base_t``, tonnes CO2e in the
target's boundary; for an intensity target tonnes per FTE, per MNOK revenue or per m²) by the
target year, reached **linearly**: the share of the reduction asked for by year *t* grows by the
same amount every year. That is the SBTi's *linear absolute contraction*::

    E(t) = E_base × (1 − r · (t − t_base))          (SBTi Corporate Near-Term Criteria)

with ``r`` the yearly rate as a share of the base year (4.2 %/yr for 1.5 °C, scope 1+2; 2.5 %/yr for
well-below 2 °C, scope 3). A 2024 base year at 4.2 %/yr asks for 6 × 4.2 % = 25.2 % less by 2030.
A target given as a total reduction by its target year (30 % by 2030) is the same line with
``r = reduction / (target year − base year)``. After the target year the pathway stays at the
target's level (a new target takes over).

An *intensity* target has the pathway of the intensity (t per unit); the absolute emissions it
implies are the intensity pathway × the denominator of each year (:func:`implied_absolute`).
Business as usual (:func:`business_as_usual`) is flat, grows with a yearly rate, or follows a
driver (FTE, revenue) — GHG Protocol Corporate Standard ch. 9 on intensity ratios.

Base-year recalculation (:func:`recalculation_needed`): the GHG Protocol Corporate Standard
(ch. 5, "Tracking emissions over time") asks for a recalculation policy with a significance
threshold; the SBTi's criteria set it at 5 %: when structural changes, method changes or errors
move the base year's emissions by 5 % or more, the base year (and the target) is recalculated.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from klimabok.core.messages import Message, message

Scope2Method = Literal["location", "market"]
TargetKind = Literal["absolute", "intensity"]
#: Denominators of an intensity target (as :meth:`AccountResult.intensities` names them).
DENOMINATORS = ("fte", "revenue_mnok", "floor_area_m2")
#: SBTi near-term linear rates, share of base-year emissions a year.
RATE_1_5C = 0.042
RATE_WELL_BELOW_2C = 0.025
#: SBTi / GHG Protocol base-year recalculation threshold (share of the base year's emissions).
RECALCULATION_THRESHOLD = 0.05
#: Scope labels a target may cover: scope 1, scope 2 (in the target's method), scope 3 categories.
SCOPE_LABELS = ("scope_1", "scope_2", *(f"scope_3.{c}" for c in range(1, 16)))
SCOPE_1_2 = frozenset({"scope_1", "scope_2"})


@dataclass(frozen=True, slots=True)
class Target:
    """A reduction target: ``reduction`` (0.252 = 25.2 % less) of ``base_t`` by ``target_year``.

    ``covers`` holds the scope labels in the boundary (``scope_1``, ``scope_2``, ``scope_3.6``…);
    ``scope_2_method`` says which scope 2 total it uses. ``kind`` is ``absolute`` (``base_t`` in
    tonnes CO2e) or ``intensity`` (``base_t`` in tonnes per unit of ``denominator``: ``fte``,
    ``revenue_mnok`` or ``floor_area_m2``).
    """

    base_year: int
    target_year: int
    reduction: float
    base_t: float
    covers: frozenset[str] = field(default=SCOPE_1_2)
    scope_2_method: Scope2Method = "market"
    kind: TargetKind = "absolute"
    denominator: str | None = None
    name: str = ""

    @classmethod
    def from_rate(cls, *, base_year: int, target_year: int, rate: float, base_t: float,
                  covers: frozenset[str] = SCOPE_1_2, scope_2_method: Scope2Method = "market",
                  name: str = "") -> Target:
        """The absolute target a linear yearly ``rate`` gives by ``target_year`` (4.2 %/yr × 6 = 25.2 %)."""
        return cls(base_year=base_year, target_year=target_year, reduction=rate * (target_year - base_year),
                   base_t=base_t, covers=covers, scope_2_method=scope_2_method, name=name)

    @property
    def years(self) -> int:
        return self.target_year - self.base_year

    @property
    def annual_rate(self) -> float:
        """The linear yearly rate, share of the base year (the SBTi's ``r``)."""
        return self.reduction / self.years if self.years > 0 else 0.0

    def reduction_by(self, year: int) -> float:
        """Share of the base year the pathway asks to have cut by ``year`` (0 up to the base year)."""
        if year <= self.base_year or self.years <= 0:
            return 0.0
        return self.reduction * min(year - self.base_year, self.years) / self.years

    def value_in(self, year: int) -> float:
        """The pathway's emissions in ``year`` (tonnes, or tonnes per unit for an intensity target)."""
        return self.base_t * (1 - self.reduction_by(year))


def linear_contraction(base_t: float, base_year: int, rate: float, year: int) -> float:
    """``E_base × (1 − r·(t − t_base))``, never below zero (SBTi linear absolute contraction)."""
    return base_t * max(0.0, 1 - rate * max(0, year - base_year))


def target_pathway(target: Target, years: Iterable[int]) -> dict[int, float]:
    """The pathway's value in each of ``years``."""
    return {year: target.value_in(year) for year in years}


def implied_absolute(target: Target, denominators: Mapping[int, float]) -> dict[int, float]:
    """The tonnes an intensity target allows each year: its intensity pathway × that year's denominator."""
    return {year: target.value_in(year) * amount for year, amount in sorted(denominators.items())}


def business_as_usual(base_t: float, base_year: int, years: Iterable[int], *, growth: float = 0.0,
                      driver: Mapping[int, float] | None = None) -> dict[int, float]:
    """Emissions without measures: flat, ``× (1 + growth)`` a year, or in proportion to a ``driver``.

    With ``driver`` (FTE or revenue by year, the base year included) a year's emissions are
    ``base_t × driver[year] / driver[base_year]``; a year the driver lacks is held at the latest
    earlier one.
    """
    if driver is None:
        return {year: base_t * (1 + growth) ** max(0, year - base_year) for year in years}
    known = sorted(driver.items())
    base_amount = driver[base_year]
    out = {}
    for year in years:
        earlier = [amount for y, amount in known if y <= year]
        out[year] = base_t * (earlier[-1] if earlier else base_amount) / base_amount
    return out


def validate_target(target: Target) -> list[tuple[str, Message]]:
    """Every problem of a target, by field (empty: good) — what the form shows at each field."""
    problems: list[tuple[str, Message]] = []
    if target.target_year <= target.base_year:
        problems.append(("target_year", message(
            "the target year (%(target_year)s) must come after the base year (%(base_year)s)",
            target_year=target.target_year, base_year=target.base_year)))
    if not 0 < target.reduction <= 1:
        problems.append(("reduction", message(
            "the reduction must be more than 0 %% and at most 100 %%, got %(reduction)s %%",
            reduction=percent(target.reduction))))
    if not (math.isfinite(target.base_t) and target.base_t >= 0):
        problems.append(("base_t", message("base-year emissions must be zero or more")))
    if not target.covers:
        problems.append(("covers", message("choose the scopes or categories the target covers")))
    unknown = sorted(set(target.covers) - set(SCOPE_LABELS))
    if unknown:
        problems.append(("covers", message("unknown scope or category: %(labels)s",
                                           labels=", ".join(unknown))))
    if target.kind == "intensity" and target.denominator not in DENOMINATORS:
        problems.append(("denominator", message(
            "an intensity target needs a denominator: per FTE, per MNOK revenue or per m²")))
    return problems


def percent(fraction: float) -> str:
    """A share as the text a sentence shows: 0.12 → ``12``, 0.084 → ``8.4`` (one decimal at most)."""
    value = round(100 * fraction, 1)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class Progress:
    """How the latest year compares with the base year and with the pathway.

    ``change`` is the cut achieved (0.12: 12 % below the base year; negative: above it);
    ``required`` the cut the pathway asks for by ``year``; ``on_track`` when the year is at or
    below the pathway.
    """

    year: int
    base_year: int
    actual_t: float
    base_t: float
    pathway_t: float
    change: float
    required: float
    on_track: bool
    message: Message


def progress(actual: Mapping[int, float], target: Target) -> Progress | None:
    """The latest year of ``actual`` after the base year against ``target``; None without one.

    ``actual`` holds each year's emissions in the target's boundary and scope 2 method (for an
    intensity target, each year's intensity). "2025 is 12 % below 2024; the pathway asks for
    8.4 % by now".
    """
    later = [year for year in actual if year > target.base_year]
    if not later:
        return None
    year = max(later)
    value, base = actual[year], target.base_t
    change = 1 - value / base if base else 0.0
    required = target.reduction_by(year)
    pathway_t = target.value_in(year)
    if change >= 0:
        text = message("%(year)s is %(change)s %% below %(base_year)s; the pathway asks for %(required)s %% "
                       "by now", year=year, change=percent(change), base_year=target.base_year,
                       required=percent(required))
    else:
        text = message("%(year)s is %(change)s %% above %(base_year)s; the pathway asks for %(required)s %% "
                       "below it by now", year=year, change=percent(-change), base_year=target.base_year,
                       required=percent(required))
    return Progress(year=year, base_year=target.base_year, actual_t=value, base_t=base, pathway_t=pathway_t,
                    change=change, required=required, on_track=value <= pathway_t + 1e-9 * max(1.0, base),
                    message=text)


@dataclass(frozen=True, slots=True)
class BaseYearCheck:
    """Whether a new figure for the base year calls for recalculating it (``change``: relative, signed)."""

    old_t: float
    new_t: float
    change: float
    needed: bool
    message: Message


def recalculation_needed(old: float, new: float, threshold: float = RECALCULATION_THRESHOLD) -> BaseYearCheck:
    """Does the base year's total moving from ``old`` to ``new`` tonnes call for a recalculation?

    Yes when it moves by ``threshold`` (5 %) or more either way — a factor library update, a
    structural change (acquisition, divestment, outsourcing) or an error correction (SBTi criteria,
    recalculation policy; GHG Protocol Corporate Standard ch. 5). Both values are kept by the caller.
    """
    change = (new - old) / old if old else (0.0 if new == old else math.inf)
    needed = abs(change) >= threshold - 1e-12
    shown = "∞" if math.isinf(change) else percent(abs(change))
    if needed:
        text = message("the base year's total moves by %(change)s %% (%(old)s t → %(new)s t): a move of "
                       "%(threshold)s %% or more calls for recalculating the base year and its targets",
                       change=shown, old=f"{old:.1f}", new=f"{new:.1f}", threshold=percent(threshold))
    else:
        text = message("the base year's total moves by %(change)s %% (%(old)s t → %(new)s t), less than the "
                       "%(threshold)s %% that calls for a recalculation",
                       change=shown, old=f"{old:.1f}", new=f"{new:.1f}", threshold=percent(threshold))
    return BaseYearCheck(old_t=old, new_t=new, change=change, needed=needed, message=text)
