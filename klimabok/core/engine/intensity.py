"""Intensity figures: emissions per FTE, per MNOK revenue and per m² floor area.

Used to compare years and companies of different size (GHG Protocol
Corporate Standard ch. 9; EFRAG VSME B3 asks for intensity per turnover).
Each intensity is given for the location- and the market-based total.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from klimabok.core.errors import InputError
from klimabok.core.messages import message

if TYPE_CHECKING:
    from klimabok.core.engine.result import Totals

DENOMINATORS = {"fte": ("per_fte", "FTE"), "revenue_mnok": ("per_mnok", "MNOK"),
                "floor_area_m2": ("per_m2", "m²")}


@dataclass(frozen=True, slots=True)
class Intensity:
    """Emissions per ``unit`` of a denominator (``amount`` of it in the year)."""

    unit: str
    amount: float
    t_co2e_location: float
    t_co2e_market: float

    @property
    def kg_co2e_location(self) -> float:
        return self.t_co2e_location * 1000

    @property
    def kg_co2e_market(self) -> float:
        return self.t_co2e_market * 1000


def intensities(totals: Totals, *, fte: float | None = None, revenue_mnok: float | None = None,
                floor_area_m2: float | None = None) -> dict[str, Intensity]:
    """Intensities keyed ``per_fte``, ``per_mnok``, ``per_m2`` for each denominator given (> 0)."""
    given = {"fte": fte, "revenue_mnok": revenue_mnok, "floor_area_m2": floor_area_m2}
    out: dict[str, Intensity] = {}
    for name, amount in given.items():
        if amount is None:
            continue
        if not amount > 0:
            raise InputError(message("must be greater than zero, got %(amount)s", amount=amount), field=name)
        key, unit = DENOMINATORS[name]
        out[key] = Intensity(unit=unit, amount=amount, t_co2e_location=totals.total_location / amount,
                             t_co2e_market=totals.total_market / amount)
    return out
