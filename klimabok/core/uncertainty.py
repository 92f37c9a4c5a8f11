"""Uncertainty of the account: a 95 % range on each total that does not depend on how the data is split.

Method (GHG Protocol, *Quantitative Inventory Uncertainty* — the guidance
and calculation tool for the Corporate Standard; IPCC 2006 Guidelines
vol. 1 ch. 3, "Approach 1: propagation of error", equations 3.1 and 3.2).
A line's emissions are a product, e = A × F (activity data × factor), and
the two have separate, separately correlated errors:

1. **Activity data** — the half-width of the 95 % interval of A as a share
   of A, from the line's data-quality tier (:data:`TIER_UNCERTAINTY_95`).
   Lines of the same activity with the same tier come from the same kind
   of source (the same meter readings, the same invoices, the same
   estimate) and are taken as **fully correlated**: their absolute
   half-widths add linearly, U = u_tier × Σ eᵢ. Groups with another
   activity or tier are independent.
2. **Factor** — the half-width of F as a share of F, from the factor's
   publisher (:data:`FACTOR_UNCERTAINTY_95`, one declarative table with
   the basis of each row). Every line that uses a factor uses the same
   number, so its error is **fully correlated** across all of them:
   U = u_factor × Σ eᵢ over the lines (any activity, any tier) using that
   factor. Different factors (e.g. combustion and well-to-tank of the same
   litres) are independent.
3. The independent terms add in quadrature (IPCC eq. 3.2 for a sum):
   U(T)² = Σ_groups (u_tier · E_group)² + Σ_factors (u_factor · E_factor)².
   For one line this is e·√(u_tier² + u_factor²) — IPCC eq. 3.1 for a
   product. Each term is linear in the emissions of its group, so
   splitting a line into n lines (or joining them) gives exactly the same
   range; only genuinely independent data (another activity, another tier)
   or independent factors narrow the relative range.
4. The range is T − U(T) … T + U(T). The largest relative half-width a
   line can get is √(0.5² + 0.5²) ≈ 71 %, so with non-negative emissions
   the low end is never below zero.

Assumptions worth stating in a report: errors are roughly normal; lines of
one activity and tier are taken as one source (fully correlated — which
errs on the wide side when they really are independent meters); both tables
are judgements guided by the cited sources, not measurements. A real
factor's published uncertainty, where one exists, should replace the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from klimabok.core.factors.model import Factor

#: Relative half-width of the 95 % interval of a line's *activity data* per data-quality tier:
#: 1 measured / supplier-specific (meters, fuel receipts) ±5 %; 2 from records (invoices, travel
#: reports) ±10 %; 3 partly estimated (the default) ±20 %; 4 extrapolated, averaged or
#: spend-based (NOK put in a sector) ±30 %; 5 rough estimate ±50 %. A judgement in the spirit of
#: the GHG Protocol uncertainty guidance (expert judgement where no statistics exist), shown on the
#: page and in the export.
TIER_UNCERTAINTY_95: dict[int, float] = {1: 0.05, 2: 0.10, 3: 0.20, 4: 0.30, 5: 0.50}
_BY_TIER: NDArray[np.float64] = np.array([np.nan] + [TIER_UNCERTAINTY_95[t] for t in range(1, 6)])


@dataclass(frozen=True, slots=True)
class FactorUncertainty:
    """A row of :data:`FACTOR_UNCERTAINTY_95`: factors whose dataset id and key match (``fnmatch``)."""

    datasets: str
    keys: str
    u95: float
    basis: str


#: Relative 95 % half-width of an emission factor, by publisher (first matching row wins).
FACTOR_UNCERTAINTY_95: tuple[FactorUncertainty, ...] = (
    FactorUncertainty("desnz-*", "*.wtt", 0.20,
                      "DESNZ well-to-tank factors: modelled life-cycle estimates of the fuel supply "
                      "chain; no per-factor uncertainty published, judgement ±20 %"),
    FactorUncertainty("desnz-*", "fuel.*", 0.05,
                      "Fuel combustion: CO2 from the fuel's carbon content, known within a few per cent "
                      "(IPCC 2006 vol. 2 ch. 2 and ch. 3, uncertainty of CO2 emission factors); ±5 %"),
    FactorUncertainty("miljodirektoratet-fuels", "*", 0.05,
                      "Miljødirektoratet national standard factors (measured carbon content and NCV, "
                      "IPCC method tier 2); IPCC 2006 vol. 2 ch. 2: CO2 factors within a few per cent; ±5 %"),
    FactorUncertainty("nve-electricity", "*", 0.10,
                      "NVE klimadeklarasjon: grid average from production and trade statistics; no "
                      "published uncertainty, judgement ±10 %"),
    FactorUncertainty("aib-electricity", "*", 0.10,
                      "AIB residual and production mixes: from issued and cancelled guarantees and "
                      "production statistics; no published uncertainty, judgement ±10 %"),
    FactorUncertainty("desnz-*", "*", 0.10,
                      "DESNZ conversion factors (travel, vehicles, waste, water, refrigerants…): national "
                      "averages; no per-factor uncertainty published, judgement ±10 %"),
    FactorUncertainty("norsk-fjernvarme", "*", 0.10,
                      "Norsk Fjernvarme common factors per energy carrier; no published uncertainty, "
                      "judgement ±10 %"),
    FactorUncertainty("norsk-fjernvarme-delivered", "*", 0.50,
                      "Norsk Fjernvarme's worked example of a typical plant per delivered kWh (p. 19), "
                      "standing in for a network's own figure: networks differ widely; judgement ±50 %"),
    FactorUncertainty("hotel-footprinting", "*", 0.30,
                      "Hotel Footprinting Tool: a country's average hotel night from a sample of hotels; "
                      "judgement ±30 %"),
    FactorUncertainty("open-ceda-*", "*", 0.50,
                      "Open CEDA spend-based (environmentally-extended input-output) factors: a sector "
                      "average over all its products (GHG Protocol Scope 3 Technical Guidance: the least "
                      "accurate method); judgement ±50 %"),
    FactorUncertainty("spend-own", "*", 0.20,
                      "An organisation's own kg CO2e per NOK (a supplier's figure); judgement ±20 %"),
    FactorUncertainty("*", "*", 0.20,
                      "Any other (imported) factor without a stated uncertainty: judgement ±20 %"),
)


@lru_cache(maxsize=4096)
def factor_uncertainty_row(dataset_id: str, key: str) -> FactorUncertainty:
    """The row of :data:`FACTOR_UNCERTAINTY_95` for a factor of ``dataset_id`` with ``key``."""
    return next(row for row in FACTOR_UNCERTAINTY_95
                if fnmatchcase(dataset_id, row.datasets) and fnmatchcase(key, row.keys))


def factor_uncertainty(factor: Factor) -> float:
    """Relative 95 % half-width of a factor (:data:`FACTOR_UNCERTAINTY_95`)."""
    return factor_uncertainty_row(factor.dataset_id, factor.key).u95


def relative_uncertainty(data_quality: NDArray[np.integer[Any]]) -> NDArray[np.float64]:
    """Relative 95 % half-width of each line's activity data from its tier (1–5)."""
    return np.take(_BY_TIER, data_quality)


@dataclass(frozen=True, slots=True)
class Range:
    """A total with its 95 % range, in tonnes CO2e."""

    t_co2e: float
    low: float
    high: float

    @property
    def plus_minus(self) -> float:
        """Half-width of the range in tonnes."""
        return self.high - self.t_co2e

    @property
    def relative(self) -> float:
        """Half-width as a share of the total (0 for a zero total)."""
        return self.plus_minus / self.t_co2e if self.t_co2e else 0.0


def combined_ranges(central_kg: np.ndarray, activity_kg: np.ndarray, activity_u: np.ndarray,
                    factor_kg: np.ndarray, factor_u: np.ndarray) -> list[Range]:
    """95 % ranges of several totals from independent, internally correlated groups.

    ``central_kg`` (totals): the totals. ``activity_kg`` (groups × totals):
    kg CO2e each activity-data group (activity × tier) puts in each total,
    ``activity_u`` (groups) its tier's relative half-width; ``factor_kg``
    (factors × totals) and ``factor_u`` (factors) the same per factor. Within
    a group the half-widths add linearly (u × Σ e); groups add in quadrature.
    """
    variance = (np.square(activity_u[:, None] * activity_kg).sum(axis=0)
                + np.square(factor_u[:, None] * factor_kg).sum(axis=0))
    half_width_kg = np.sqrt(variance)
    return [Range(t_co2e=c / 1000, low=(c - h) / 1000, high=(c + h) / 1000)
            for c, h in zip(central_kg.tolist(), half_width_kg.tolist(), strict=True)]
