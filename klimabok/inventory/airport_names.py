"""An airport from what a user types: an IATA code, or a city or airport name.

The rule, as the flight form's help text tells it:

1. Three letters that are an IATA code are that airport, in any case: "BER" and
   "ber" are Berlin Brandenburg, never the start of "Bergen".
2. Anything else is a name, compared without case or accents (ø → o, æ → ae,
   å → a, ü → u), and a few Norwegian names of foreign cities are understood
   ("København", "München"). It is looked for first as the city an airport
   serves ("Bergen" → BGO, "Oslo" → OSL), and only when no city has that name,
   as whole words of an airport's name or city ("Gardermoen" → OSL, "Heathrow"
   → LHR, "Haugesund" → HAU).
3. A name resolves only when exactly one airport matches; otherwise it is
   refused with the candidates ("London" → LHR, LGW, … — type the code).
   Air bases, RAF stations, heliports and seaplane bases are not matched by
   name, as no business flight goes there (their codes still work).

``airportsdata`` (MIT) has no traffic figures or airport types, which is why
the rule asks for uniqueness rather than guessing the "main" airport.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import airportsdata

from klimabok.inventory.flights import COMMON_AIRPORTS, Airport, UnknownAirport, airport

#: Norwegian (or native) names of cities whose airports ``airportsdata`` names in English.
CITY_ALIASES = {
    "kobenhavn": "copenhagen", "goteborg": "gothenburg", "munchen": "munich", "wien": "vienna",
    "praha": "prague", "roma": "rome", "milano": "milan", "lisboa": "lisbon", "aten": "athens",
    "athen": "athens", "brussel": "brussels", "bryssel": "brussels", "bruxelles": "brussels",
    "warszawa": "warsaw", "geneve": "geneva", "helsingfors": "helsinki", "moskva": "moscow",
    "kairo": "cairo", "napoli": "naples", "firenze": "florence", "venezia": "venice",
}
#: Words of an airport's name that mark it as not a place business travellers fly to.
NOT_COMMERCIAL = re.compile(r"\b(air base|air force|raf|heliport|seaplane|naval air|army air)\b")
#: How many candidates a refusal lists.
MAX_CANDIDATES = 8
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ı": "i"})


class AmbiguousAirport(ValueError):
    """The name matches several airports; ``candidates`` lists them, the likeliest first."""

    def __init__(self, text: str, candidates: list[Airport]) -> None:
        super().__init__(text)
        self.text, self.candidates = text, candidates


def fold(text: str) -> str:
    """``text`` lower-cased, without accents, punctuation as single spaces: "Tromsø" → "tromso"."""
    text = unicodedata.normalize("NFKD", text.lower().translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


@dataclass(frozen=True, slots=True)
class _Named:
    iata: str
    cities: tuple[str, ...]  # the city, and its parts: "Stockholm / Nykoping" → both
    words: str               # the folded city and airport name, for whole-word matches


@lru_cache(maxsize=1)
def _named() -> tuple[_Named, ...]:
    named = []
    for code, row in airportsdata.load("IATA").items():
        name, city = fold(row["name"]), fold(row["city"])
        if NOT_COMMERCIAL.search(name):
            continue
        parts = {fold(part) for part in re.split(r"[/(),]", row["city"])} | {city}
        named.append(_Named(code, tuple(p for p in parts if p), f"{city} {name}"))
    return tuple(named)


def _ranked(codes: set[str]) -> list[Airport]:
    """The airports, the form's common ones first, then those in the same country, then by code."""
    airports = [airport(code) for code in codes]
    common = {code: i for i, code in enumerate(COMMON_AIRPORTS)}
    first = min(airports, key=lambda a: (common.get(a.iata, len(common)), a.iata))
    return sorted(airports, key=lambda a: (common.get(a.iata, len(common)), a.country != first.country,
                                           a.iata))


def resolve_airport(text: str) -> Airport:
    """The one airport ``text`` names (see the module's rule).

    Raises :class:`~klimabok.inventory.flights.UnknownAirport` when nothing
    matches, :class:`AmbiguousAirport` when several airports do.
    """
    typed = text.strip()
    if re.fullmatch(r"[A-Za-z]{3}", typed):
        try:
            return airport(typed)
        except UnknownAirport:
            pass  # three letters that are no code may still be a name ("Ume"…): try it as one
    query = fold(typed)
    query = CITY_ALIASES.get(query, query)
    if not query:
        raise UnknownAirport(typed)
    codes = {a.iata for a in _named() if query in a.cities}
    if not codes:
        word = re.compile(rf"\b{re.escape(query)}\b")
        codes = {a.iata for a in _named() if word.search(a.words)}
    if not codes:
        raise UnknownAirport(typed)
    if len(codes) > 1:
        raise AmbiguousAirport(typed, _ranked(codes))
    return airport(codes.pop())
