"""Uncertainty (klimabok.core.uncertainty): activity data (tier) × factor (publisher), correlated groups.

Method: GHG Protocol *Quantitative Inventory Uncertainty*; IPCC 2006 Guidelines vol. 1 ch. 3,
Approach 1 — eq. 3.1 (a product: relative half-widths in quadrature) and eq. 3.2 (a sum of
independent terms: absolute half-widths in quadrature). Lines of one activity and tier share their
activity-data error, lines of one factor share its error: within such a group the half-widths add
linearly, so splitting a line changes nothing.

The fixture catalogue's factors (dataset ``test-2025``) are in no publisher row of the factor table:
they get the fallback, ±20 %.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.factors.catalogue import data_dir, default_catalogue
from klimabok.core.factors.model import Factor
from klimabok.core.spend.factors import SPEND_DATASET_ID
from klimabok.core.uncertainty import (
    FACTOR_UNCERTAINTY_95,
    TIER_UNCERTAINTY_95,
    Range,
    factor_uncertainty,
    factor_uncertainty_row,
    relative_uncertainty,
)
from tests.test_engine_fixtures import tiny_catalogue
from tests.test_engine_properties import line as any_line

CATALOGUE = tiny_catalogue()


def ranges(*lines: ActivityLine) -> dict[str, Range]:
    return compute_account(lines, year=2025, catalogue=CATALOGUE).uncertainty


def shipped_ranges(*lines: ActivityLine) -> dict[str, Range]:
    return compute_account(lines, year=2025, catalogue=default_catalogue()).uncertainty


def test_the_tier_table() -> None:
    assert TIER_UNCERTAINTY_95 == {1: 0.05, 2: 0.10, 3: 0.20, 4: 0.30, 5: 0.50}
    assert relative_uncertainty(np.array([1, 3, 5])).tolist() == [0.05, 0.2, 0.5]


def fake(dataset_id: str, key: str) -> Factor:
    return Factor(key=key, name=key, unit="kWh", year=2025, region="NO", scope=2, category=None,
                  kg_co2e=1.0, source="", source_ref="", licence="", dataset_id=dataset_id)


@pytest.mark.parametrize(("dataset_id", "key", "u95"), [
    ("desnz-2025", "fuel.diesel.litres", 0.05),       # combustion: carbon content
    ("desnz-2025", "fuel.diesel.litres.wtt", 0.20),   # well-to-tank: modelled supply chain
    ("desnz-2024", "flight.short_haul.economy", 0.10),
    ("miljodirektoratet-fuels", "fuel.no.diesel", 0.05),
    ("nve-electricity", "electricity.no.location", 0.10),
    ("aib-electricity", "electricity.no.market.residual", 0.10),
    ("hotel-footprinting", "hotel.at", 0.30),
    ("norsk-fjernvarme", "district_heating.oil", 0.10),
    (SPEND_DATASET_ID, "spend.it_telecom", 0.50),
    ("spend-own", "spend.it_telecom", 0.20),
    ("my-import", "anything", 0.20),                  # the fallback
])
def test_the_factor_table(dataset_id: str, key: str, u95: float) -> None:
    assert factor_uncertainty(fake(dataset_id, key)) == u95


def test_every_shipped_dataset_has_its_own_row() -> None:
    fallback = FACTOR_UNCERTAINTY_95[-1]
    assert (fallback.datasets, fallback.keys) == ("*", "*")
    shipped = [d["dataset_id"] for d in json.loads((data_dir() / "datasets.json").read_text())["datasets"]]
    for dataset_id in [*shipped, SPEND_DATASET_ID, "spend-own"]:
        assert factor_uncertainty_row(dataset_id, "x") is not fallback, dataset_id
    assert all(row.basis and 0 < row.u95 <= 0.5 for row in FACTOR_UNCERTAINTY_95)


def test_one_line_combines_activity_data_and_factor() -> None:
    # 1,000 l diesel = 3.162 t: combustion 2.562 t + well-to-tank 0.6 t (two factors, the same litres)
    # activity data, tier 3: 20 % × 3.162 = 0.6324 t (one error for both components: the litres)
    # factors (fixture, ±20 % each, independent): 20 % × 2.562 = 0.5124 t; 20 % × 0.6 = 0.12 t
    # U = √(0.6324² + 0.5124² + 0.12²) = √(0.39992976 + 0.26255376 + 0.0144) = √0.67688352 = 0.822729 t
    r = ranges(ActivityLine("diesel", 1000, "litres", data_quality=3))["total_market"]
    assert r.plus_minus == pytest.approx(math.sqrt(0.67688352), rel=1e-12)
    assert (r.t_co2e, r.low, r.high) == pytest.approx((3.162, 3.162 - 0.822729, 3.162 + 0.822729), abs=1e-6)


def test_100000_kwh_norwegian_electricity_tier_2() -> None:
    # Shipped factors, 2025. electricity.no = NVE location 0.015 kg/kWh (klimadeklarasjon 2023) +
    # AIB residual mix NO 0.40491 kg/kWh (2021). Tier 2 (invoices): activity data ±10 %;
    # NVE and AIB factors ±10 %. One line, one factor per total → eq. 3.1:
    # u = √(0.10² + 0.10²) = √0.02 = 0.1414214
    # location: 100,000 × 0.015 = 1,500 kg = 1.5 t     → ± 1.5 × 0.1414214 = 0.2121320 t
    # market:   100,000 × 0.40491 = 40,491 kg = 40.491 t → ± 40.491 × 0.1414214 = 5.7262921 t
    # (before: ±10 % from the tier alone — 0.15 t and 4.0491 t; the factor was ignored)
    r = shipped_ranges(ActivityLine("electricity.no", 100_000, "kWh", data_quality=2))
    assert r["scope_2_location"].t_co2e == pytest.approx(1.5)
    assert r["scope_2_location"].plus_minus == pytest.approx(0.2121320, abs=1e-7)
    assert r["scope_2_market"].t_co2e == pytest.approx(40.491)
    assert r["scope_2_market"].plus_minus == pytest.approx(5.7262921, abs=1e-7)
    assert r["total_market"].relative == pytest.approx(math.sqrt(0.02))
    assert r["scope_1"].plus_minus == 0


def test_100_lines_of_1000_kwh_are_one_line_of_100000_kwh() -> None:
    # before: ±14.1 % → ±1.41 % (u/√100) — lines were taken as independent
    one = shipped_ranges(ActivityLine("electricity.no", 100_000, "kWh", data_quality=2))
    many = shipped_ranges(*[ActivityLine("electricity.no", 1000, "kWh", data_quality=2)] * 100)
    for name, r in one.items():
        assert many[name].plus_minus == pytest.approx(r.plus_minus, rel=1e-12, abs=1e-12)


@settings(max_examples=100)
@given(any_line, st.lists(st.floats(min_value=1e-6, max_value=1.0), min_size=1, max_size=100),
       st.sampled_from(["", "Oslo", "Bergen"]))
def test_any_split_gives_the_same_range(one: ActivityLine, weights: list[float], site: str) -> None:
    # a line cut into n parts (any shares, any unit it accepts, the parts on any site)
    total = sum(weights)
    parts = [ActivityLine(one.activity, one.quantity * w / total, one.unit, site=site,
                          data_quality=one.data_quality) for w in weights]
    whole, split = ranges(one), ranges(*parts)
    for name, r in whole.items():
        assert split[name].plus_minus == pytest.approx(r.plus_minus, rel=1e-9, abs=1e-9)
        assert split[name].t_co2e == pytest.approx(r.t_co2e, rel=1e-9, abs=1e-9)


def test_two_independent_sources_add_in_quadrature() -> None:
    # hotel 10 nights, tier 5: 0.1 t; activity data 50 % → 0.05 t, factor 20 % → 0.02 t
    #   one line: √(0.05² + 0.02²) = √0.0029 = 0.0538516 t
    # waste 1 t, tier 2: 0.4 t; activity data 10 % → 0.04 t, factor 20 % → 0.08 t
    #   one line: √(0.04² + 0.08²) = √0.008 = 0.0894427 t
    # other activity, other factor → independent: U = √(0.0029 + 0.008) = √0.0109 = 0.1044031 t
    hotel = ActivityLine("hotel.night", 10, "nights", data_quality=5)
    waste = ActivityLine("waste.mixed", 1, "tonne", data_quality=2)
    assert ranges(hotel)["scope_3"].plus_minus == pytest.approx(0.0538516, abs=1e-7)
    assert ranges(waste)["scope_3"].plus_minus == pytest.approx(0.0894427, abs=1e-7)
    r = ranges(hotel, waste)["total_location"]
    assert r.t_co2e == pytest.approx(0.5)
    assert r.plus_minus == pytest.approx(0.1044031, abs=1e-7)


def test_one_factor_stays_correlated_across_tiers() -> None:
    # hotel 10 nights at tier 1 and 10 nights at tier 5: two activity-data sources (independent),
    # one factor (10 kg/night, ±20 %) under both — its error counts once, on all 0.2 t:
    # U = √((0.05 × 0.1)² + (0.5 × 0.1)² + (0.2 × 0.2)²) = √(0.000025 + 0.0025 + 0.0016) = √0.004125
    r = ranges(ActivityLine("hotel.night", 10, "nights", data_quality=1),
               ActivityLine("hotel.night", 10, "nights", data_quality=5))["scope_3"]
    assert r.plus_minus == pytest.approx(math.sqrt(0.004125), rel=1e-12)


def test_each_total_has_its_own_range() -> None:
    # 10 MWh electricity tier 2, fixture factors ±20 %: u = √(0.1² + 0.2²) = √0.05 = 0.2236068
    # location 0.15 t ± 0.0335410; market 4 t ± 0.8944272
    r = ranges(ActivityLine("electricity.no", 10, "MWh", data_quality=2))
    assert (r["scope_2_location"].plus_minus, r["scope_2_market"].plus_minus) == pytest.approx(
        (0.0335410, 0.8944272), abs=1e-7)
    assert r["scope_1"].plus_minus == 0
