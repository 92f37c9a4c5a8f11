"""Recalculation explained: the change splits into factor change and data change."""

from __future__ import annotations

from dataclasses import replace

import pytest

from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.recalc import explain_recalculation
from tests.test_engine_fixtures import ACTIVITIES, FACTORS_2025, dataset, tiny_catalogue

OLD_CATALOGUE = tiny_catalogue()
# Version 2 of the 2025 dataset: well-to-tank of diesel 0.6 → 0.7 kg CO2e/litre
NEW_CATALOGUE = Catalogue([dataset(2025, tuple(
    replace(f, dataset_version="2", kg_co2e=0.7 if f.key == "fuel.diesel.wtt" else f.kg_co2e)
    for f in FACTORS_2025))], ACTIVITIES)
OLD_LINES = [ActivityLine("diesel", 1000, "litres"), ActivityLine("hotel.night", 10, "nights")]


def test_new_factors_and_new_data_are_told_apart() -> None:
    old = compute_account(OLD_LINES, year=2025, catalogue=OLD_CATALOGUE)
    new_lines = [ActivityLine("diesel", 1200, "litres"), ActivityLine("hotel.night", 10, "nights")]
    explained = explain_recalculation(old, new_catalogue=NEW_CATALOGUE, new_lines=new_lines)
    # old:    1,000 l × (2.562 + 0.6) + 10 × 10 = 3,262 kg
    # bridge: 1,000 l × (2.562 + 0.7) + 100     = 3,362 kg → factor change +0.100 t
    # new:    1,200 l × (2.562 + 0.7) + 100     = 4,014.4 kg → data change +0.6524 t
    assert explained.old.total_market == pytest.approx(3.262)
    assert explained.factor_change.total_market == pytest.approx(0.1)
    assert explained.data_change.total_market == pytest.approx(0.6524)
    assert explained.new.total_market == pytest.approx(4.0144)
    wtt = explained.by_category["scope_3.3"]
    # 0.6 t → 0.7 t (factor) → 1,200 × 0.7 = 0.84 t (data)
    assert (wtt.old, wtt.factor_change, wtt.data_change, wtt.new) == pytest.approx((0.6, 0.1, 0.14, 0.84))
    assert explained.by_category["scope_3.6"].factor_change == 0
    assert list(explained.by_category) == ["scope_1", "scope_3.3", "scope_3.6"]
    assert (explained.old_datasets, explained.new_datasets) == (("test-2025@1",), ("test-2025@2",))


def test_same_data_means_the_whole_change_is_factor_change() -> None:
    old = compute_account(OLD_LINES, year=2025, catalogue=OLD_CATALOGUE)
    explained = explain_recalculation(old, new_catalogue=NEW_CATALOGUE)
    assert explained.data_change.total_location == 0
    assert explained.factor_change.total_location == pytest.approx(0.1)


def test_a_new_gwp_set_is_a_factor_change() -> None:
    old = compute_account(OLD_LINES, year=2025, catalogue=OLD_CATALOGUE)
    explained = explain_recalculation(old, new_catalogue=OLD_CATALOGUE, gwp_set="AR6")
    # 1,000 l diesel: CH4 2 kg × (27.9 − 28) + N2O 0.4 kg × (273 − 265) = −0.2 + 3.2 = +3 kg
    assert explained.factor_change.scope_1 == pytest.approx(0.003)
    assert explained.new_account.gwp_set == "AR6"
