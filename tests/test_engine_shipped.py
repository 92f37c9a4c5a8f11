"""Known answers against the shipped factor catalogue, worked by hand from the published rows."""

from __future__ import annotations

import pytest

from klimabok.core.engine import AccountResult, ActivityLine, compute_account
from klimabok.core.factors.catalogue import default_catalogue

CATALOGUE = default_catalogue()


def compute(*lines: ActivityLine, year: int, gwp_set: str = "AR5") -> AccountResult:
    return compute_account(lines, year=year, catalogue=CATALOGUE, gwp_set=gwp_set)


def test_diesel_litres_2024() -> None:
    # DESNZ 2024 ID 1_101_1011_8_1, diesel (average biofuel blend), litres: 2.51279 kg CO2e/l
    #   1,000 l × 2.51279 = 2,512.79 kg → 2.513 t scope 1
    # DESNZ 2024 ID 11_101_1011_8_1, WTT diesel: 0.61101 kg CO2e/l
    #   1,000 l × 0.61101 = 611.01 kg → 0.611 t scope 3.3
    result = compute(ActivityLine("fuel.diesel", 1000, "litres"), year=2024)
    assert result.totals.scope_1 == pytest.approx(2.51279)
    assert result.by_category()["scope_3.3"] == pytest.approx(0.61101)
    assert result.to_dict()["totals"]["total_market"] == 3.124  # 3,123.80 kg
    assert [line.factor.source_ref for line in result.lines] == ["1_101_1011_8_1", "11_101_1011_8_1"]
    assert [ref.split("+")[0] for ref in result.datasets] == ["desnz-2024@1.1"]  # + the file's digest


def test_diesel_2025_uses_the_2025_publication() -> None:
    # DESNZ 2025 ID 1_101_1011_8_1: 2.57082 kg CO2e/l → 1 m³ = 1,000 l → 2,570.82 kg
    result = compute(ActivityLine("fuel.diesel", 1, "m3"), year=2025)
    assert result.totals.scope_1 == pytest.approx(2.57082)
    assert [ref.split("+")[0] for ref in result.datasets] == ["desnz-2025@1.0"]


def test_diesel_gas_split_under_ar6() -> None:
    # DESNZ 2024 ID 1_101_1011_8_1 per litre: 2.51279 kg CO2e (AR5), of it CH4 1.0357e-5 kg, N2O 1.2415e-4 kg
    # AR6: 2.51279 + 1.0357e-5 × (27.9 − 28) + 1.2415e-4 × (273 − 265) = 2.513782 → 1,000 l = 2,513.78 kg
    result = compute(ActivityLine("fuel.diesel", 1000, "litres"), year=2024, gwp_set="AR6")
    assert result.totals.scope_1 == pytest.approx(2.51279 + 1.035714286e-05 * -0.1 + 0.0001241509434 * 8)
    assert result.to_dict()["totals"]["scope_1"] == 2.514


def test_norwegian_electricity_location_and_market() -> None:
    # Location: NVE klimadeklarasjon 2023, 15 g CO2e/kWh: 100 MWh = 100,000 kWh × 0.015 = 1,500 kg
    # Market, no guarantees of origin: AIB residual mix NO (Scope2_Electricity_NO_kWh_2021),
    #   0.40491 kg/kWh × 100,000 kWh = 40,491 kg
    result = compute(ActivityLine("electricity.no", 100, "MWh"), year=2025)
    assert result.totals.scope_2_location == pytest.approx(1.5)
    assert result.totals.scope_2_market == pytest.approx(40.491)
    assert "factor from 2023: no 2025 figure published" in map(str, result.lines[0].flags)
    # With guarantees of origin cancelled: market-based 0, location-based unchanged
    goo = compute(ActivityLine("electricity.no.goo", 100, "MWh"), year=2025)
    assert (goo.totals.scope_2_location, goo.totals.scope_2_market) == pytest.approx((1.5, 0.0))


def test_flights_2025_are_lower_than_2024() -> None:
    # Domestic flight, average passenger, with RF + WTT, per passenger.km:
    #   2024: 21_316_3160_11_1 0.27257 + 22_912_3160_11_1 0.0335 = 0.30607 → 1,000 pkm = 306.07 kg
    #   2025: 21_316_3160_11_1 0.22928 + 22_912_3160_11_1 0.0335 = 0.26278 → 262.78 kg
    line = ActivityLine("flight.domestic.average", 1000, "passenger.km")
    assert compute(line, year=2024).by_category()["scope_3.6"] == pytest.approx(0.30607)
    assert compute(line, year=2025).by_category()["scope_3.6"] == pytest.approx(0.26278)


def test_hotel_nights_and_homeworking() -> None:
    # Hotel Footprinting Tool, Norway (…Hotel-stay_NO_Room-per-night_2022): 1.8 kg/night × 10 = 18 kg
    # DESNZ 2025 ID 32_603_9999_12_1, homeworking: 0.33378 kg/FTE-hour × 1,000 h = 333.78 kg
    result = compute(ActivityLine("hotel.no", 10, "nights"), ActivityLine("homeworking", 1000, "fte_hours"),
                     year=2025)
    assert result.by_category() == pytest.approx({"scope_3.6": 0.018, "scope_3.7": 0.33378})


def test_company_car_diesel_litres_use_the_norwegian_standard_factor() -> None:
    # The car form's diesel by the litre (car.diesel.litres), not DESNZ's UK biofuel blend:
    # Miljødirektoratet, Nasjonale standardfaktorer (13 Oct 2023), tabell 1 (metodetrinn 2a): diesel
    #   73.5 t CO2/TJ, 43.1 GJ/t; tabell 2: 0.855 t/m³ → 73.5 × 43.1 × 0.855 / 1000 = 2.70851175 kg CO2/l
    #   (fossil CO2 only; it publishes no biofuel share, so every litre counts as fossil)
    #   1,000 l × 2.70851175 = 2,708.51 kg scope 1
    # Well-to-tank, DESNZ 2025 ID 11_101_1012_8_1, diesel (100 % mineral): 0.62409 kg CO2e/l
    #   1,000 l × 0.62409 = 624.09 kg scope 3.3 → 3,332.60 kg in all
    # Before (fuel.diesel, DESNZ 2025 UK blend 1_101_1011_8_1 + 11_101_1011_8_1):
    #   2,570.82 + 611.01 = 3,181.83 kg
    result = compute(ActivityLine("car.diesel.litres", 1000, "litres"), year=2025)
    assert result.totals.scope_1 == pytest.approx(2.70851175)
    assert result.by_category()["scope_3.3"] == pytest.approx(0.62409)
    assert result.to_dict()["totals"]["total_market"] == 3.333  # 3,332.60 kg
    combustion, wtt = result.lines
    assert combustion.factor.key == "fuel.no.diesel"
    assert combustion.factor.source.startswith("Miljødirektoratet, Nasjonale standardfaktorer")
    assert combustion.factor.source_ref.startswith("Tabell 1 (metodetrinn 2a): Diesel 73.5 t CO2/TJ")
    assert wtt.factor.source_ref == "11_101_1012_8_1"
    # The figure is from 2023 (no 2025 one is published): the line says so.
    assert [str(flag) for flag in combustion.flags] == ["factor from 2023: no 2025 figure published"]
    name = CATALOGUE.activity("car.diesel.litres").name
    assert "Miljødirektoratet" in name and "100 % fossil" in name


def test_company_car_petrol_litres_stay_the_uk_blend_and_say_so() -> None:
    # Miljødirektoratet gives petrol per GJ and per tonne only (no density): no Norwegian litre figure.
    # DESNZ 2025 ID 1_101_1017_8_1 … petrol (average biofuel blend) 2.06916 kg CO2e/l + WTT 0.58094:
    #   1,000 l → 2,069.16 + 580.94 = 2,650.10 kg, as before
    result = compute(ActivityLine("car.petrol.litres", 1000, "litres"), year=2025)
    assert result.totals.scope_1 == pytest.approx(2.06916)
    assert result.by_category()["scope_3.3"] == pytest.approx(0.58094)
    assert "no Norwegian per-litre petrol factor shipped" in CATALOGUE.activity("car.petrol.litres").name


def test_national_rail_is_labelled_the_uk_figure() -> None:
    # No Norwegian rail factor is shipped (nor in ../shared/data: ignite has only GB rail rows):
    # the UK national rail factor stays, and the activity says whose it is.
    for key in ("travel.rail.national", "commute.rail.national"):
        activity = CATALOGUE.activity(key)
        assert "UK national rail, DESNZ: no Norwegian factor shipped" in activity.name
        assert "britisk jernbane, DESNZ: ingen norsk faktor" in activity.name_nb
        assert {CATALOGUE.factor(c, 2025).region for c in activity.components} == {"GB"}
