"""Flight distances from airport codes, as the flight form needs them.

Distance is the great-circle (haversine) distance between the two airports'
coordinates (``airportsdata``, MIT), plus the 8 % uplift DESNZ recommends for
indirect routing and stacking ("Greenhouse gas reporting: conversion factors",
methodology paper, business travel – air). The haul band follows DESNZ:
domestic when both airports are in the same country, short-haul up to
3,700 km, long-haul beyond (the band is chosen on the great-circle distance,
before the uplift).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

import airportsdata

EARTH_RADIUS_KM = 6371.0  # mean Earth radius (IUGG), the usual haversine constant
ROUTING_UPLIFT = 1.08     # DESNZ: +8 % on great-circle distance for indirect routes and delays
SHORT_HAUL_MAX_KM = 3700.0

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
        """The distance flown per passenger and leg: great circle plus the routing uplift."""
        return self.great_circle_km * ROUTING_UPLIFT

    def passenger_km(self, trips: int, return_trip: bool) -> Decimal:
        """Passenger-km for ``trips`` passengers-journeys (doubled for return), to 0.1 km."""
        legs = trips * (2 if return_trip else 1)
        return Decimal(str(round(self.distance_km * legs, 1)))


def haul_for(great_circle: float, same_country: bool) -> Haul:
    if same_country:
        return Haul.DOMESTIC
    return Haul.SHORT if great_circle <= SHORT_HAUL_MAX_KM else Haul.LONG


def flight_leg(origin_code: str, destination_code: str) -> FlightLeg:
    """The leg between two IATA codes; raises :class:`UnknownAirport` naming the bad code."""
    origin, destination = airport(origin_code), airport(destination_code)
    distance = great_circle_km(origin, destination)
    return FlightLeg(origin=origin, destination=destination, great_circle_km=distance,
                     haul=haul_for(distance, origin.country == destination.country))
