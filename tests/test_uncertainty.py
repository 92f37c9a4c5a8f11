"""Uncertainty: data-quality tiers → 95 % ranges, combined in quadrature (klimabok.core.uncertainty)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.uncertainty import TIER_UNCERTAINTY_95, Range, relative_uncertainty
from tests.test_engine_fixtures import tiny_catalogue

CATALOGUE = tiny_catalogue()


def ranges(*lines: ActivityLine) -> dict[str, Range]:
    return compute_account(lines, year=2025, catalogue=CATALOGUE).uncertainty


def test_the_tier_table() -> None:
    assert TIER_UNCERTAINTY_95 == {1: 0.05, 2: 0.10, 3: 0.20, 4: 0.30, 5: 0.50}
    assert relative_uncertainty(np.array([1, 3, 5])).tolist() == [0.05, 0.2, 0.5]


def test_one_line_gets_its_tier() -> None:
    # 1,000 l diesel = 3.162 t (combustion 2.562 + WTT 0.6, the same litres: added before squaring)
    # tier 3: ± 20 % → 3.162 ± 0.6324 = 2.5296 … 3.7944
    r = ranges(ActivityLine("diesel", 1000, "litres", data_quality=3))["total_market"]
    assert (r.t_co2e, r.low, r.high) == pytest.approx((3.162, 2.5296, 3.7944))
    assert r.relative == pytest.approx(0.2)


def test_independent_lines_add_in_quadrature() -> None:
    # diesel tier 1: 3.162 t × 5 % = 0.1581 t; hotel 10 nights tier 5: 0.1 t × 50 % = 0.05 t
    # U = √(0.1581² + 0.05²) = √0.02749561 = 0.165818… t around 3.262 t
    r = ranges(ActivityLine("diesel", 1000, "litres", data_quality=1),
               ActivityLine("hotel.night", 10, "nights", data_quality=5))["total_location"]
    assert r.plus_minus == pytest.approx(math.sqrt(0.1581**2 + 0.05**2))
    assert r.t_co2e == pytest.approx(3.262)


def test_each_total_has_its_own_range() -> None:
    # 10 MWh electricity tier 2: location 0.15 t ± 0.015, market 4 t ± 0.4
    r = ranges(ActivityLine("electricity.no", 10, "MWh", data_quality=2))
    assert (r["scope_2_location"].plus_minus, r["scope_2_market"].plus_minus) == pytest.approx((0.015, 0.4))
    assert r["scope_1"].plus_minus == 0
