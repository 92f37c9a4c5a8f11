"""A tiny hand-made factor catalogue for engine tests: numbers you can check in your head.

Not real factors. Per unit (AR5: CH4 28, N2O 265; AR6: CH4 27.9, N2O 273):

- ``fuel.diesel`` (litres, scope 1): 2.4 kg CO2 + 0.002 kg CH4 + 0.0004 kg N2O
  → AR5 2.4 + 0.056 + 0.106 = 2.562 kg CO2e; AR6 2.4 + 0.0558 + 0.1092 = 2.565.
- ``fuel.diesel.wtt`` (litres, scope 3.3): 0.6 kg CO2e, no gas split.
- activity ``diesel`` (litres) = combustion + well-to-tank: 3.162 kg CO2e/litre (AR5).
- ``electricity.no.location`` (kWh, scope 2 location): 0.015 kg CO2.
- ``electricity.no.market`` (kWh, scope 2 market): 0.4 kg CO2.
- activity ``electricity.no`` (kWh) = location + market.
- ``district_heating`` (kWh, scope 2, both views): 0.05 kg CO2.
- ``flight.short`` (passenger_km, scope 3.6): 0.15 kg CO2e, no gas split.
- ``hotel.night`` (room_night, scope 3.6): 10 kg CO2e, no gas split.
- ``homeworking`` (fte_hour, scope 3.7): 0.3 kg CO2.
- ``waste.mixed`` (tonne, scope 3.5): 400 kg CO2e, no gas split.
- ``taxi`` (km, scope 3.6): 0.2 kg CO2e, published for 2024 only.

The 2024 dataset has the same factors except diesel combustion: 2.5 kg CO2 only.
"""

from __future__ import annotations

from dataclasses import replace

from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Activity, Basis, Factor, FactorDataset


def factor(key: str, unit: str, scope: int, category: int | None, kg_co2e: float, *,
           year: int = 2025, **gases: float | Basis) -> Factor:
    return Factor(key=key, name=key.replace(".", " "), unit=unit, year=year, region="NO", scope=scope,
                  category=category, kg_co2e=kg_co2e, source="Test fixture", source_ref=f"T-{key}",
                  licence="CC0", dataset_id=f"test-{year}", dataset_version="1", **gases)  # type: ignore[arg-type]


FACTORS_2025 = (
    factor("fuel.diesel", "litre", 1, None, 2.562, kg_co2=2.4, kg_ch4=0.002, kg_n2o=0.0004),
    factor("fuel.diesel.wtt", "litre", 3, 3, 0.6),
    factor("electricity.no.location", "kWh", 2, None, 0.015, kg_co2=0.015, basis=Basis.LOCATION),
    factor("electricity.no.market", "kWh", 2, None, 0.4, kg_co2=0.4, basis=Basis.MARKET),
    factor("district_heating", "kWh", 2, None, 0.05, kg_co2=0.05),
    factor("flight.short", "passenger_km", 3, 6, 0.15),
    factor("hotel.night", "room_night", 3, 6, 10.0),
    factor("homeworking", "fte_hour", 3, 7, 0.3, kg_co2=0.3),
    factor("waste.mixed", "tonne", 3, 5, 400.0),
)
TAXI_2024 = factor("taxi", "km", 3, 6, 0.2, year=2024)

ACTIVITIES = (
    Activity(key="diesel", name="Diesel", name_nb="Diesel", unit="litre",
             components=("fuel.diesel", "fuel.diesel.wtt")),
    Activity(key="electricity.no", name="Electricity, Norway", name_nb="Strøm, Norge", unit="kWh",
             components=("electricity.no.location", "electricity.no.market")),
)


def dataset(year: int, factors: tuple[Factor, ...]) -> FactorDataset:
    return FactorDataset(dataset_id=f"test-{year}", version="1", year=year, title=f"Test {year}",
                         source="Test fixture", licence="CC0", factors=factors)


def factors_2024() -> tuple[Factor, ...]:
    moved = tuple(replace(f, year=2024, dataset_id="test-2024") for f in FACTORS_2025)
    diesel = replace(moved[0], kg_co2e=2.5, kg_co2=2.5, kg_ch4=0.0, kg_n2o=0.0)
    return (diesel, *moved[1:], TAXI_2024)


def tiny_catalogue() -> Catalogue:
    """Test factors for 2024 and 2025 (taxi only 2024), with the two activities."""
    return Catalogue([dataset(2024, factors_2024()), dataset(2025, FACTORS_2025)], ACTIVITIES)


def catalogue_2025_only() -> Catalogue:
    return Catalogue([dataset(2025, FACTORS_2025)], ACTIVITIES)
