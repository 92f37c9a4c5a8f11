"""Uncertainty of the account: from each line's data-quality tier to a 95 % range on the totals.

Method (GHG Protocol, *Quantitative Inventory Uncertainty*; IPCC 2006
Guidelines vol. 1 ch. 3, "Approach 1: propagation of error"):

1. Every activity line gets a relative uncertainty — the half-width of its
   95 % confidence interval as a share of its emissions — from its
   data-quality tier. The tier covers activity data and factor together:

   ====  =====================================================  ========
   tier  data                                                   ± (95 %)
   ====  =====================================================  ========
   1     measured / supplier-specific (meters, fuel receipts)      5 %
   2     from records (invoices, travel reports), published factor 10 %
   3     partly estimated (the default when nothing is said)      20 %
   4     extrapolated or averaged, spend-based                    30 %
   5     rough estimate                                           50 %
   ====  =====================================================  ========

2. Lines are taken as independent, so for a total T = Σ eᵢ (eᵢ = the
   line's emissions counted in T) the half-widths add in quadrature:
   U(T) = √Σ (uᵢ · eᵢ)². The factor components of one line (combustion and
   well-to-tank of the same litres) share its quantity and are added
   *before* squaring — they are fully correlated.
3. The range is T − U(T) … T + U(T) (never below zero: no tier exceeds
   ±50 % and emissions are not negative). The relative uncertainty U(T)/T
   shrinks as independent lines are added (n equal lines: u/√n), which is
   why a detailed account is more certain than the same total entered as
   one rough line.

Assumptions worth stating in a report: errors are roughly normal and
independent between lines (a factor shared by many lines, e.g. one grid
factor, is in fact correlated — the range is then too narrow), and the tier
table is a judgement, not a measurement.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

#: Relative half-width of the 95 % interval per data-quality tier (see the module docstring).
TIER_UNCERTAINTY_95: dict[int, float] = {1: 0.05, 2: 0.10, 3: 0.20, 4: 0.30, 5: 0.50}
_BY_TIER: NDArray[np.float64] = np.array([np.nan] + [TIER_UNCERTAINTY_95[t] for t in range(1, 6)])


def relative_uncertainty(data_quality: NDArray[np.integer[Any]]) -> NDArray[np.float64]:
    """Relative 95 % half-width of each line from its tier (1–5)."""
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


def combined_ranges(kg_per_unit: np.ndarray, weighted_squares: np.ndarray,
                    central_kg: np.ndarray) -> list[Range]:
    """95 % ranges of several totals by error propagation over independent lines.

    ``kg_per_unit`` (groups × totals): kg CO2e each total gets per unit of a
    group's quantity; ``weighted_squares`` (groups): Σ (uᵢ · quantityᵢ)² over
    the group's lines; ``central_kg``: the totals. Because eᵢ = quantityᵢ ×
    kg_per_unit[g], Σ (uᵢ eᵢ)² = Σ_g kg_per_unit[g]² · weighted_squares[g].
    """
    half_width_kg = np.sqrt((kg_per_unit ** 2).T @ weighted_squares)
    return [Range(t_co2e=c / 1000, low=(c - h) / 1000, high=(c + h) / 1000)
            for c, h in zip(central_kg.tolist(), half_width_kg.tolist(), strict=True)]
