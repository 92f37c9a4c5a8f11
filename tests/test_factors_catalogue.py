"""The shipped catalogue: provenance on every factor, units, the Norwegian figures, GWP sets."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from klimabok.core.errors import InputError
from klimabok.core.factors.catalogue import Catalogue, default_catalogue
from klimabok.core.factors.factor_csv import load_factor_csv
from klimabok.core.factors.gwp import UnknownGwpSet, gwp_set
from klimabok.core.factors.model import Basis
from klimabok.core.units import parse_unit

#: Excerpts of the publications the shipped factors cite (tests/data/README.md).
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return default_catalogue()


def test_every_factor_carries_its_source_and_a_unit_the_registry_parses(catalogue: Catalogue) -> None:
    factors = catalogue.factors()
    assert len(factors) > 1000
    for f in factors:
        assert f.source and f.source_ref and f.licence, f.key
        parse_unit(f.unit)
        assert f.scope in (1, 2, 3) and (f.category is not None) == (f.scope == 3), f.key


def test_every_activity_component_exists(catalogue: Catalogue) -> None:
    for activity in catalogue.activities():
        for key in activity.components:
            assert catalogue.has_key(key), (activity.key, key)


def test_each_year_has_its_own_flight_factors(catalogue: Catalogue) -> None:
    # DESNZ 2024 ID 21_316_3174_11_1 long-haul business with RF 0.58028; 2025 (same ID) 0.3394.
    assert catalogue.factor("flight.long_haul.business.rf", 2024).kg_co2e == 0.58028
    assert catalogue.factor("flight.long_haul.business.rf", 2025).kg_co2e == 0.3394
    keys = ("flight.short_haul.economy.rf", "flight.domestic.average.rf", "flight.long_haul.economy.no_rf")
    for key in keys:
        assert catalogue.factor(key, 2024).kg_co2e != catalogue.factor(key, 2025).kg_co2e


def test_norwegian_electricity_location_and_market(catalogue: Catalogue) -> None:
    activity = catalogue.activity("electricity.no")
    assert activity.components == ("electricity.no.location", "electricity.no.market.residual")
    location = catalogue.factor("electricity.no.location", 2025)
    # NVE: 15 g CO2e/kWh for 2023, the newest primary figure, used for 2024 and 2025 accounts.
    assert (location.kg_co2e, location.published_year, location.basis) == (0.015, 2023, Basis.LOCATION)
    residual = catalogue.factor("electricity.no.market.residual", 2024)
    # ignite "Scope2_Electricity_NO_kWh_2021": AIB residual mix 0.40491 kg CO2/kWh.
    assert (residual.kg_co2e, residual.published_year, residual.basis) == (0.40491, 2021, Basis.MARKET)
    assert residual.source_ref == "Scope2_Electricity_NO_kWh_2021"
    goo = catalogue.activity("electricity.no.goo")
    assert goo.components == ("electricity.no.location", "electricity.no.market.goo")
    assert catalogue.factor("electricity.no.market.goo", 2024).kg_co2e == 0


def test_norwegian_hotel_night_from_the_hotel_footprinting_tool(catalogue: Catalogue) -> None:
    hotel = catalogue.factor("hotel.no", 2025)
    assert (hotel.kg_co2e, hotel.published_year, hotel.category) == (1.8, 2022, 6)
    assert "CC BY-SA 4.0" in hotel.licence


def test_district_heating_per_carrier(catalogue: Catalogue) -> None:
    # Norsk Fjernvarme 2020, Tabell 1: light oil 265 g combustion + 21 g production and transport.
    assert catalogue.activity("district_heating.light_oil").components == (
        "district_heating.light_oil", "district_heating.light_oil.wtt")
    oil = catalogue.factor("district_heating.light_oil", 2024)
    assert (oil.kg_co2e, oil.scope) == (0.265, 2)
    assert catalogue.factor("district_heating.light_oil.wtt", 2024).kg_co2e == 0.021
    assert catalogue.factor("district_heating.waste_heat", 2024).kg_co2e == 0


def test_miljodirektoratet_diesel_per_litre(catalogue: Catalogue) -> None:
    # Table 1: diesel 73.5 t CO2/TJ and 43.1 GJ/t; table 2: 0.855 t/m³ →
    # 73.5 kg/GJ × 43.1 GJ/t × 0.855 t/m³ / 1000 l/m³ = 2.70851175 kg CO2 per litre.
    assert catalogue.factor("fuel.no.diesel", 2024).kg_co2e == pytest.approx(2.70851175)


def test_commuting_and_business_travel_categories(catalogue: Catalogue) -> None:
    assert catalogue.factor("commute.rail.national", 2024).category == 7
    assert catalogue.factor("commute.car.average.petrol.km.wtt", 2024).category == 7
    assert catalogue.factor("travel.taxi", 2024).category == 6
    assert catalogue.factor("car.medium.diesel.km.wtt", 2024).category == 3
    assert catalogue.factor("homeworking", 2024).unit == "fte_hour"


def test_purchased_goods_by_mass_come_from_desnz_material_use(catalogue: Catalogue) -> None:
    """DESNZ 2025 "Material use", primary material production, kg CO2e per tonne.

    ID 19_503_5084_15_1 Electrical items - IT: 24865.47556 → category 1 bought as goods, 2 as assets;
    ID 19_501_5064_15_1 Food and drink: 3701.40359.
    """
    it = catalogue.factor("goods.it_equipment", 2025)
    assert (it.kg_co2e, it.unit, it.scope, it.category, it.source_ref) == (
        24865.47556, "tonnes", 3, 1, "19_503_5084_15_1")
    assert catalogue.factor("capital.it_equipment", 2025).category == 2
    food = catalogue.factor("goods.food_and_drink", 2025)
    assert (food.kg_co2e, food.source_ref) == (3701.40359, "19_501_5064_15_1")


def test_shipped_aib_values_equal_the_ignite_table(catalogue: Catalogue) -> None:
    with open(DATA / "ignite" / "activity_based_EF_database.csv", encoding="utf-8-sig") as fh:
        rows = {r["Readable unique string"]: r for r in csv.DictReader(fh, delimiter=";")}
    for f in catalogue.factors(2024):
        if f.key.endswith(".market.residual"):
            assert f.kg_co2e == float(rows[f.source_ref]["Emission factor (market-based) [kg CO2e/unit]"])


@pytest.mark.parametrize("year, file", [(2024, "ghg-conversion-factors-2024-flat-format-v1.1.csv"),
                                        (2025, "ghg-conversion-factors-2025-flat-format.csv")])
def test_shipped_desnz_values_equal_the_publication_rows(catalogue: Catalogue, year: int, file: str) -> None:
    """Each curated DESNZ factor's kg CO2e is the value of the row its source_ref (DESNZ ID) names."""
    with open(DATA / "desnz" / file, encoding="utf-8-sig") as fh:
        published = {r["ID"]: r[f"GHG Conversion Factor {year}"] for r in csv.DictReader(fh)}
    shipped = [f for f in catalogue.factors() if f.dataset_id == f"desnz-{year}"]
    assert len(shipped) == 507
    for f in shipped:
        assert f.year == year and f.kg_co2e == float(published[f.source_ref]), f.key


def test_gwp_sets() -> None:
    assert (gwp_set("AR5")["CH4"], gwp_set("AR5")["N2O"]) == (28.0, 265.0)
    assert (gwp_set("ar6")["CH4"], gwp_set("AR6")["N2O"]) == (27.9, 273.0)
    assert gwp_set("AR4")["HFC134a"] == 1430.0 and gwp_set("AR5")["CO2"] == 1.0
    with pytest.raises(UnknownGwpSet, match=r"unknown GWP set 'AR9' \(known: AR4, AR5, AR6\)"):
        gwp_set("AR9")


def test_plant_specific_factor_csv(tmp_path: Path) -> None:
    path = tmp_path / "plant.csv"
    header = "key,name,unit,year,region,scope,category,basis,kg_co2e,source,source_ref,licence\n"
    path.write_text(header + "district_heating.plant.demo,Demo plant,kWh,2024,NO,2,,both,0.05,"
                    "Supplier declaration 2024,p. 1,supplier\n", encoding="utf-8")
    dataset = load_factor_csv(path, dataset_id="plant-demo", version="2024")
    assert dataset.year == 2024 and dataset.factors[0].key == "district_heating.plant.demo"
    with_plant = default_catalogue().with_datasets([dataset])
    assert with_plant.factor("district_heating.plant.demo", 2025).kg_co2e == 0.05
    path.write_text(header + "k,n,kWh,2024,NO,3,,both,x,s,r,l\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape("plant.csv, row 2, column kg_co2e: 'x' is not a number")):
        load_factor_csv(path, dataset_id="d", version="1")
