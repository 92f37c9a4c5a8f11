"""Flight haul bands and distances (issue 10, items 3 and 4), worked by hand from the published rows.

Distances: haversine with R = 6,371 km on ``airportsdata``'s coordinates, no uplift — DESNZ's air
passenger factors already include the 8 % for indirect routes and delays/circling (methodology paper,
the air passenger tables "excluding distance and RF uplifts"; ``klimabok/inventory/flights.py``).
Bands: within the UK domestic; to/from the UK short-haul ≤ 3,700 km, long-haul beyond (DESNZ);
neither end in the UK by the same distances, domestic under 300 miles = 482.8 km (US EPA GHG
Emission Factors Hub 2025, table 10).
"""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.inventory.flights import Haul, flight_leg, haul_for

CATALOGUE = default_catalogue()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (math.sin((phi2 - phi1) / 2) ** 2
         + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371 * math.asin(math.sqrt(h))


def kg_2025(activity: str, passenger_km: float) -> float:
    result = compute_account([ActivityLine(activity, passenger_km, "passenger.km")], year=2025,
                             catalogue=CATALOGUE, gwp_set="AR5")
    return sum(line.kg_co2e for line in result.lines)


def test_jfk_lax_is_long_haul_not_uk_domestic() -> None:
    # airportsdata: JFK 40.639928 N 73.778692 W, LAX 33.942496 N 118.408049 W → 3,974.2 km great circle.
    great_circle = haversine_km(40.639928, -73.778692, 33.942496, -118.408049)
    assert great_circle == pytest.approx(3974.2, abs=0.05)
    leg = flight_leg("JFK", "LAX")
    assert leg.haul == Haul.LONG  # neither end in the UK, over 3,700 km
    assert leg.passenger_km(1, return_trip=False) == Decimal("3974.2")  # no +8 %
    # DESNZ 2025 long-haul economy with RF, ID 21_316_3170_11_1: 0.11704 kg CO2e/passenger.km,
    #   + WTT ID 22_912_3170_11_1: 0.02461 → 0.14165 × 3,974.2 pkm = 562.95 kg one way.
    # Before issue 10: UK-domestic average (0.22928 + 0.03350 = 0.26278) × 3,974.2 × 1.08 = 1,127.9 kg.
    assert kg_2025("flight.long_haul.economy", 3974.2) == pytest.approx(3974.2 * (0.11704 + 0.02461))
    assert kg_2025("flight.long_haul.economy", 3974.2) == pytest.approx(562.95, abs=0.01)


def test_oslo_longyearbyen_is_short_haul_by_distance() -> None:
    # airportsdata: OSL 60.1939 N 11.1004 E, LYR 78.2461 N 15.4656 E → 2,013.3 km: within Norway, but
    # not "domestic" in DESNZ's sense (within the UK); over 482.8 km and up to 3,700 km → short-haul.
    great_circle = haversine_km(60.1939, 11.1004, 78.2461, 15.4656)
    assert great_circle == pytest.approx(2013.3, abs=0.05)
    leg = flight_leg("OSL", "LYR")
    assert leg.haul == Haul.SHORT
    assert leg.passenger_km(1, return_trip=True) == Decimal("4026.7")  # 2 × 2,013.34, to 0.1 km
    # DESNZ 2025 short-haul economy with RF, ID 21_316_3164_11_1: 0.12576 kg CO2e/passenger.km,
    #   + WTT ID 22_912_3164_11_1: 0.02249 → 0.14825 × 2,013.3 pkm = 298.47 kg one way.
    assert kg_2025("flight.short_haul.economy", 2013.3) == pytest.approx(298.47, abs=0.01)


def test_oslo_bergen_uses_the_great_circle_without_the_8_percent_uplift() -> None:
    """Issue 10, item 4: the distance is the great circle, never × 1.08. DESNZ's air passenger factors
    already include the 8 % uplift for indirect routes and delays/circling: the conversion factors
    methodology paper (2024, passenger air transport) tabulates the factors "excluding distance and
    RF uplifts" before applying both, and the workbook's "Business travel- air" note opens "All the
    factors include the distance uplift". The flat file's rows carry no such note (none of "uplift",
    "great circle", "circling" occurs in it), so the row IDs below are the published rows used."""
    # airportsdata: OSL 60.1939 N 11.1004 E, BGO 60.2934 N 5.21814 E → 324.71 km great circle.
    great_circle = haversine_km(60.1939, 11.1004, 60.2934, 5.21814)
    assert great_circle == pytest.approx(324.71, abs=0.005)
    leg = flight_leg("OSL", "BGO")
    assert leg.great_circle_km == pytest.approx(great_circle)
    assert leg.distance_km == leg.great_circle_km                         # no uplift …
    assert leg.passenger_km(1, return_trip=False) == Decimal("324.7")     # … not 324.7 × 1.08 = 350.7
    assert leg.haul == Haul.DOMESTIC  # outside the UK and under 300 miles (482.8 km)
    # DESNZ 2025, ID 21_316_3160_11_1 "Business travel- air, Flights, Domestic, to/from UK, Average
    # passenger, With RF": 0.22928 kg CO2e/passenger.km, + WTT ID 22_912_3160_11_1: 0.03350
    #   → 0.26278 × 324.7 pkm = 85.32 kg one way (with the old 8 %: × 350.7 pkm = 92.15 kg, 8 % too high).
    assert kg_2025("flight.domestic.average", 324.7) == pytest.approx(324.7 * (0.22928 + 0.03350))
    assert kg_2025("flight.domestic.average", 324.7) == pytest.approx(85.32, abs=0.01)


def test_a_uk_domestic_flight_stays_domestic() -> None:
    # airportsdata: LHR 51.4706 N 0.46194 W, EDI 55.95 N 3.3725 W → 533.5 km, both in the UK: DESNZ
    # domestic whatever the distance (above the 482.8 km that applies outside the UK).
    assert haversine_km(51.4706, -0.46194, 55.95, -3.3725) == pytest.approx(533.5, abs=0.05)
    leg = flight_leg("LHR", "EDI")
    assert leg.haul == Haul.DOMESTIC
    # DESNZ 2025 domestic average passenger with RF, ID 21_316_3160_11_1: 0.22928,
    #   + WTT ID 22_912_3160_11_1: 0.03350 → 0.26278 × 533.5 pkm = 140.19 kg one way.
    assert kg_2025("flight.domestic.average", 533.5) == pytest.approx(140.19, abs=0.01)


@pytest.mark.parametrize(("km", "origin", "destination", "band"), [
    (533.5, "GB", "GB", Haul.DOMESTIC),      # within the UK: domestic at any distance
    (1205.6, "NO", "GB", Haul.SHORT),        # OSL–LHR, to/from the UK
    (3700.0, "GB", "US", Haul.SHORT),        # DESNZ: short-haul up to 3,700 km …
    (3700.1, "GB", "US", Haul.LONG),         # … long-haul beyond
    (300.0, "NO", "GB", Haul.SHORT),         # to/from the UK is never domestic
    (324.7, "NO", "NO", Haul.DOMESTIC),      # OSL–BGO: outside the UK, under 300 miles
    (482.7, "NO", "SE", Haul.DOMESTIC),      # the 300-mile line is 482.8 km, whatever the countries
    (482.9, "NO", "NO", Haul.SHORT),
    (5917.3, "NO", "US", Haul.LONG),         # OSL–JFK
])
def test_the_band_rule(km: float, origin: str, destination: str, band: Haul) -> None:
    assert haul_for(km, origin, destination) == band
