"""Known-answer tests of the calculation engine on the hand-made catalogue (tests/test_engine_fixtures.py)."""

from __future__ import annotations

import json

import pytest

from klimabok.core.engine import AccountResult, ActivityLine, compute_account, to_tonnes_decimal
from klimabok.core.errors import InputError, InputErrors
from tests.test_engine_fixtures import catalogue_2025_only, tiny_catalogue

CATALOGUE = tiny_catalogue()


def account(*lines: ActivityLine, year: int = 2025, gwp_set: str = "AR5",
            source: str | None = None) -> AccountResult:
    return compute_account(lines, year=year, catalogue=CATALOGUE, gwp_set=gwp_set, source=source)


def test_diesel_gives_scope_1_combustion_and_scope_3_3_well_to_tank() -> None:
    # 1,000 litres × (2.4 + 0.002 × 28 + 0.0004 × 265) = 1,000 × 2.562 = 2,562 kg → 2.562 t scope 1
    # 1,000 litres × 0.6 kg CO2e/litre (well-to-tank)          =   600 kg → 0.600 t scope 3.3
    result = account(ActivityLine("diesel", 1000, "litres"))
    assert result.totals.scope_1 == pytest.approx(2.562)
    assert result.by_category() == pytest.approx({"scope_1": 2.562, "scope_3.3": 0.6})
    assert result.totals.total_location == pytest.approx(3.162)
    assert result.totals.total_market == pytest.approx(3.162)
    combustion, wtt = result.lines
    assert (combustion.kg_co2, combustion.kg_ch4, combustion.kg_n2o) == pytest.approx((2400, 2, 0.4))
    assert combustion.kg_co2e == pytest.approx(2562)
    assert combustion.factor.source_ref == "T-fuel.diesel"
    assert (wtt.scope, wtt.category, wtt.scope_label) == (3, 3, "scope_3.3")


def test_electricity_is_reported_twice_location_and_market() -> None:
    # 2 MWh = 2,000 kWh; location 2,000 × 0.015 = 30 kg; market (residual mix) 2,000 × 0.4 = 800 kg
    result = account(ActivityLine("electricity.no", 2, "MWh"))
    totals = result.totals
    assert (totals.scope_2_location, totals.scope_2_market) == pytest.approx((0.030, 0.800))
    assert (totals.total_location, totals.total_market) == pytest.approx((0.030, 0.800))
    assert [line.scope_label for line in result.lines] == ["scope_2_location", "scope_2_market"]
    assert result.lines[0].quantity_in_factor_unit == 2000


def test_district_heating_without_contract_counts_in_both_views() -> None:
    # 1,000 kWh × 0.05 kg = 50 kg in scope 2 location *and* market (not in both twice in one total)
    result = account(ActivityLine("district_heating", 1000, "kWh"))
    assert result.totals.total_location == pytest.approx(0.05)
    assert result.totals.total_market == pytest.approx(0.05)
    assert result.lines[0].scope_label == "scope_2"


def test_older_factor_is_used_and_flagged() -> None:
    # taxi has only a 2024 factor: 100 km × 0.2 = 20 kg, flagged on the line
    result = account(ActivityLine("taxi", 100, "km"))
    assert result.totals.scope_3 == pytest.approx(0.02)
    assert tuple(map(str, result.lines[0].flags)) == ("factor from 2024: no 2025 figure published",)
    assert result.datasets == ("test-2024@1",)


def test_reporting_year_selects_the_factor() -> None:
    # 2024 diesel combustion: 2.5 kg CO2/litre → 1,000 litres = 2.5 t; 2025: 2.562 t
    assert account(ActivityLine("diesel", 1000, "l"), year=2024).totals.scope_1 == pytest.approx(2.5)
    assert account(ActivityLine("diesel", 1000, "l"), year=2026).totals.scope_1 == pytest.approx(2.562)


def test_ar6_changes_only_the_ch4_and_n2o_terms() -> None:
    # AR6: 1,000 × (2.4 + 0.002 × 27.9 + 0.0004 × 273) = 2,400 + 55.8 + 109.2 = 2,565 kg
    ar5 = account(ActivityLine("diesel", 1000, "litres"))
    ar6 = account(ActivityLine("diesel", 1000, "litres"), gwp_set="AR6")
    assert ar6.totals.scope_1 == pytest.approx(2.565)
    assert ar6.gwp_set == "AR6"
    assert ar6.totals.scope_3 == ar5.totals.scope_3  # no gas split: used as published
    assert (ar6.lines[0].kg_co2, ar6.lines[0].kg_ch4) == (ar5.lines[0].kg_co2, ar5.lines[0].kg_ch4)
    assert tuple(map(str, ar6.lines[1].flags)) == (
        "CO2e only, published under AR5: no gas split to convert to AR6",)


def test_by_site_and_by_activity_rank_the_sources() -> None:
    result = account(ActivityLine("diesel", 1000, "litres", site="Oslo"),
                     ActivityLine("electricity.no", 2000, "kWh", site="Bergen"),
                     ActivityLine("hotel.night", 10, "nights", site="Oslo"))
    sites = result.by_site()
    # Oslo: 3,162 kg diesel + 10 × 10 kg hotel = 3,262 kg; Bergen: 30 kg location, 800 kg market
    assert sites["Oslo"].total_market == pytest.approx(3.262)
    assert (sites["Bergen"].total_location, sites["Bergen"].total_market) == pytest.approx((0.03, 0.8))
    ranked = result.by_activity("market")
    assert [r.activity for r in ranked] == ["diesel", "electricity.no", "hotel.night"]
    assert ranked[0].share == pytest.approx(3.162 / 4.062)
    assert [r.activity for r in result.by_activity("location")][1] == "hotel.night"  # 100 kg > 30 kg


def test_drill_down_from_category_and_input_line() -> None:
    result = account(ActivityLine("diesel", 10, "litres", ref="entry:1"),
                     ActivityLine("flight.short", 1000, "pkm", ref="entry:2"),
                     ActivityLine("hotel.night", 2, "room_night", ref="entry:3"))
    assert [line.ref for line in result.lines_in("scope_3.6")] == ["entry:2", "entry:3"]
    assert [line.factor.key for line in result.lines_for(0)] == ["fuel.diesel", "fuel.diesel.wtt"]
    assert len(result.lines_in("scope_3")) == 3
    assert len(result.lines[1:3]) == 2


def test_intensities_per_fte_revenue_and_floor_area() -> None:
    # 10,000 litres diesel = 31.62 t; 2 MWh electricity: +0.03 t location, +0.8 t market
    result = account(ActivityLine("diesel", 10_000, "litres"), ActivityLine("electricity.no", 2, "MWh"))
    per = result.intensities(fte=10, revenue_mnok=50, floor_area_m2=1000)
    assert per["per_fte"].t_co2e_location == pytest.approx(31.65 / 10)
    assert per["per_mnok"].t_co2e_market == pytest.approx(32.42 / 50)
    assert per["per_m2"].kg_co2e_market == pytest.approx(32_420 / 1000)
    with pytest.raises(InputError, match="column fte: must be greater than zero, got 0"):
        result.intensities(fte=0)


def test_to_dict_rounds_to_kilograms_only_at_the_boundary() -> None:
    # 1 litre: 2.562 + 0.6 kg = 0.003162 t → 0.003 t; three litres as three lines: 0.009486 → 0.009
    result = account(*[ActivityLine("diesel", 1, "litres")] * 3)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["totals"]["total_market"] == 0.009
    assert data["lines"][0]["t_co2e"] == 0.003
    assert data["lines"][0]["factor"] == {
        "key": "fuel.diesel", "name": "fuel diesel", "unit": "litre", "source": "Test fixture",
        "source_ref": "T-fuel.diesel", "year": 2025, "published_year": 2025, "kg_co2e_per_unit": 2.562,
        "dataset": "test-2025@1"}
    assert str(to_tonnes_decimal(2.5125)) == "2.513"


def test_empty_account_is_zero() -> None:
    result = account()
    assert result.totals.total_market == 0
    assert result.by_category() == {}
    assert result.uncertainty["total_market"].low == 0


def errors_of(*lines: ActivityLine, year: int = 2025) -> list[str]:
    with pytest.raises(InputErrors, match=r"^\d+ error\(s\):\nupload\.xlsx, row \d+, column ") as caught:
        compute_account(lines, year=year, catalogue=catalogue_2025_only(), source="upload.xlsx")
    return [str(e) for e in caught.value.errors]


def test_every_bad_line_is_reported_with_row_and_field() -> None:
    assert errors_of(
        ActivityLine("diesel", 5, "litres"),
        ActivityLine("dieselx", 5, "litres"),
        ActivityLine("diesel", -5, "litres"),
        ActivityLine("diesel", 5, "kWh"),
        ActivityLine("diesel", 5, "barrels of fun"),
        ActivityLine("diesel", float("nan"), ""),
        ActivityLine("hotel.night", 1, "night", data_quality=7),
    ) == [
        "upload.xlsx, row 2, column activity: unknown activity 'dieselx'",
        "upload.xlsx, row 3, column quantity: quantity must not be negative (got -5)",
        "upload.xlsx, row 4, column unit: 'kWh' cannot be converted to 'litre', the unit of 'diesel'",
        "upload.xlsx, row 5, column unit: unknown unit 'barrels of fun'",
        "upload.xlsx, row 6, column quantity: quantity is not a number",
        "upload.xlsx, row 6, column unit: unit is missing",
        "upload.xlsx, row 7, column data_quality: "
        "data quality must be 1 (measured) to 5 (rough estimate), got 7",
    ]


def test_a_year_without_factors_is_an_error_not_a_zero() -> None:
    assert errors_of(ActivityLine("diesel", 5, "litres"), year=2020) == [
        "upload.xlsx, row 1, column activity: no emission factor for 'diesel' in 2020 or earlier"]


def test_unknown_gwp_set() -> None:
    with pytest.raises(InputError, match="column gwp_set: unknown GWP set 'AR4' \\(use AR5 or AR6\\)"):
        account(ActivityLine("diesel", 1, "litres"), gwp_set="AR4")
