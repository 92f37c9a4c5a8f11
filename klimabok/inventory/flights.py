"""Flight distances and DESNZ haul bands from airport codes, as the flight form needs them.

**Distance.** The great-circle (haversine) distance between the two airports' coordinates
(``airportsdata``, MIT), with no uplift. DESNZ's air passenger factors already contain the 8 %
uplift for indirect routes and delays/circling, so the activity data is the great-circle distance.
Adding 8 % to the distance as well counted the detour twice; klimabok did until issue 10. Sources:

- DESNZ, *Greenhouse gas reporting: conversion factors — methodology paper* (2024 edition; one is
  published with each year's set), the passenger air transport section: the intermediate factors are
  tabulated "excluding distance and RF uplifts" and the published factors have both uplifts applied
  (2024 paper, e.g. table 41, p. 99 — the reference of the issue 10 fix; the PDF is not in the
  repository or ``shared/data``, so the page number is not re-checked by any test).
- The factor workbook's own note on its "Business travel- air" sheet, which opens "All the factors
  include the distance uplift" (full set; only those opening words were checked, and that workbook
  is not among the files here). The flat file klimabok reads carries the
  rows only, no note: "uplift", "great circle" and "circling" occur nowhere in the 2024 or
  2025 flat file. The row a 325 km Oslo–Bergen flight uses is 2025 ID ``21_316_3160_11_1`` ("Business
  travel- air, Flights, Domestic, to/from UK, Average passenger, With RF": 0.22928 kg CO2e per
  passenger.km), + WTT ``22_912_3160_11_1`` (0.03350): ``tests/test_flight_bands.py`` works it out.

**Band** (:func:`haul_for`), on the great-circle distance:

- Both airports in the UK: domestic. One of them in the UK: short-haul up to 3,700 km, long-haul
  beyond. These are DESNZ's own definitions ("Domestic, to/from UK", "Short-haul, to/from UK",
  "Long-haul, to/from UK").
- Neither airport in the UK (DESNZ's bands say nothing about such flights but for one average,
  "International, to/from non-UK"): by the same distances, with DESNZ's domestic factor for flights
  under 300 miles (482.8 km), its short-haul one up to 3,700 km and its long-haul one beyond. This
  is how the US EPA's *GHG Emission Factors Hub* (2025, table 10, "Air Travel – Short Haul
  (< 300 miles) / Medium Haul (>= 300 miles, < 2300 miles) / Long Haul (>= 2300 miles)", factors
  "from 2022 Guidelines to Defra / DECC's GHG Conversion Factors") applies the same three DESNZ
  factors to flights outside the UK. The distance keeps the factor specific to the route: the
  "International, to/from non-UK" row is one average over short and long flights (0.14253 kg
  CO2e/passenger.km with RF in 2025, ID 21_316_3178_11_1 — below the domestic 0.22928 a 325 km hop
  burns, above the long-haul economy 0.11704); it stays in the catalogue for uploads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

import airportsdata
from django.utils.translation import gettext

EARTH_RADIUS_KM = 6371.0  # mean Earth radius (IUGG), the usual haversine constant
UK = "GB"                 # airportsdata's country code for the United Kingdom (ISO 3166-1)
SHORT_HAUL_MAX_KM = 3700.0  # DESNZ: short-haul to/from the UK up to 3,700 km, long-haul beyond
# Outside the UK, the domestic factor only under 300 miles (US EPA GHG Emission Factors Hub 2025, table 10).
NON_UK_DOMESTIC_MAX_KM = 300 * 1.609344  # 482.8 km

# Airports the form suggests first (datalist); any IATA code is accepted.
COMMON_AIRPORTS = (
    "OSL", "BGO", "TRD", "SVG", "TOS", "BOO", "AES", "KRS", "HAU", "EVE", "ALF", "KKN", "MOL", "LYR",
    "TRF", "ARN", "GOT", "CPH", "BLL", "HEL", "KEF", "LHR", "LGW", "MAN", "EDI", "AMS", "BRU",
    "CDG", "FRA", "MUC", "BER", "HAM", "ZRH", "GVA", "VIE", "PRG", "WAW", "RIX", "BCN", "MAD", "AGP",
    "ALC", "LPA", "PMI", "FCO", "MXP", "ATH", "LIS", "DUB", "IST", "DXB", "DOH", "JFK", "EWR", "ORD",
    "SFO", "LAX", "MIA", "YYZ", "BKK", "SIN", "HKG", "NRT", "DEL", "BOM", "CPT", "JNB", "NBO", "GRU",
)


class Haul(StrEnum):
    """DESNZ haul bands, named as in the catalogue's keys (``flight.<haul>.<class>``)."""

    DOMESTIC = "domestic"
    SHORT = "short_haul"
    LONG = "long_haul"


@dataclass(frozen=True, slots=True)
class Airport:
    iata: str
    name: str
    city: str
    country: str
    lat: float
    lon: float

    @property
    def label(self) -> str:
        return f"{self.iata} – {self.city or self.name} ({self.country})"


class UnknownAirport(ValueError):
    """The code is not a known IATA airport code."""


@lru_cache(maxsize=1)
def _airports() -> dict[str, airportsdata.Airport]:
    return airportsdata.load("IATA")


def airport(code: str) -> Airport:
    """The airport with IATA ``code`` (case-insensitive), or :class:`UnknownAirport`."""
    row = _airports().get(code.strip().upper())
    if row is None:
        raise UnknownAirport(code)
    return Airport(iata=row["iata"], name=row["name"], city=row["city"], country=row["country"],
                   lat=float(row["lat"]), lon=float(row["lon"]))


def common_airports() -> list[Airport]:
    return [airport(code) for code in COMMON_AIRPORTS]


def great_circle_km(a: Airport, b: Airport) -> float:
    """Haversine distance in km between two airports."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlambda = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@dataclass(frozen=True, slots=True)
class FlightLeg:
    """One route, its distances and haul band."""

    origin: Airport
    destination: Airport
    great_circle_km: float
    haul: Haul

    @property
    def distance_km(self) -> float:
        """The distance per passenger and leg: the great circle, never × 1.08, as DESNZ's factors
        expect: they already include the 8 % uplift for indirect routes and delays/circling (the
        methodology paper, passenger air transport; the "Business travel- air" sheet's note "All the
        factors include the distance uplift"; see the module)."""
        return self.great_circle_km

    @property
    def touches_uk(self) -> bool:
        """Whether DESNZ's own band definitions apply (an airport in the UK)."""
        return UK in (self.origin.country, self.destination.country)

    @property
    def band_reason(self) -> str:
        """The band and the rule that chose it, as the form and the line say it (:func:`haul_for`)."""
        if self.touches_uk:
            reasons = {Haul.DOMESTIC: gettext("domestic: both airports in the UK"),
                       Haul.SHORT: gettext("short-haul: to or from the UK, up to 3,700 km"),
                       Haul.LONG: gettext("long-haul: to or from the UK, over 3,700 km")}
        else:
            reasons = {Haul.DOMESTIC: gettext("DESNZ's domestic factor: outside the UK and under 300 miles "
                                              "(483 km)"),
                       Haul.SHORT: gettext("short-haul: outside the UK, 483–3,700 km"),
                       Haul.LONG: gettext("long-haul: outside the UK, over 3,700 km")}
        return reasons[self.haul]

    def passenger_km(self, trips: int, return_trip: bool) -> Decimal:
        """Passenger-km for ``trips`` passengers-journeys (doubled for return), to 0.1 km."""
        legs = trips * (2 if return_trip else 1)
        return Decimal(str(round(self.distance_km * legs, 1)))


def haul_for(great_circle: float, origin_country: str, destination_country: str) -> Haul:
    """The DESNZ band of a flight between two countries (ISO codes), ``great_circle`` km apart.

    Within the UK: domestic; to/from the UK: short-haul up to 3,700 km, long-haul beyond (DESNZ's
    definitions). Neither end in the UK: domestic under 300 miles (482.8 km), short-haul up to
    3,700 km, long-haul beyond (the US EPA Hub's distance bands for the same DESNZ factors). A
    flight within Norway is not "domestic" in DESNZ's sense: Oslo–Longyearbyen (2,013 km) is
    short-haul, Oslo–Bergen (325 km) domestic by distance.
    """
    if origin_country == UK and destination_country == UK:
        return Haul.DOMESTIC
    if UK not in (origin_country, destination_country) and great_circle < NON_UK_DOMESTIC_MAX_KM:
        return Haul.DOMESTIC
    return Haul.SHORT if great_circle <= SHORT_HAUL_MAX_KM else Haul.LONG


def flight_leg(origin_code: str, destination_code: str) -> FlightLeg:
    """The leg between two IATA codes; raises :class:`UnknownAirport` naming the bad code."""
    origin, destination = airport(origin_code), airport(destination_code)
    distance = great_circle_km(origin, destination)
    return FlightLeg(origin=origin, destination=destination, great_circle_km=distance,
                     haul=haul_for(distance, origin.country, destination.country))
