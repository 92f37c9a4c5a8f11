"""The one pint unit registry of klimabok.

Every quantity a user gives is parsed here and converted to the unit its
emission factor is expressed in. Units that do not convert (litres of diesel
given for a factor per km) raise :class:`UnitError` naming both units.
"""

from __future__ import annotations

import tokenize
from functools import lru_cache

import pint

from klimabok.core.errors import UnitError
from klimabok.core.messages import message

ureg: pint.UnitRegistry[float] = pint.UnitRegistry(cache_folder=None)
# Domain units that pint does not know. Each is its own dimension so that a
# room-night can never be converted to a km by accident.
ureg.define("passenger_km = [passenger_distance] = pkm = passenger_kilometre")
ureg.define("room_night = [room_night] = room_nights = night = nights")
ureg.define("fte_hour = [fte_time] = fte_hours")
ureg.define("NOK = [currency_nok] = nok = kr")
ureg.define("MNOK = 1e6 NOK")
ureg.define("tonne_km = [freight] = tkm")
ureg.define("item = [count_unit] = items = pcs = stk")
ureg.define("FTE = [fte] = fte = employee = employees")

# Spellings a Norwegian or DESNZ user types, mapped to pint expressions.
ALIASES: dict[str, str] = {
    "kwh": "kWh", "mwh": "MWh", "gwh": "GWh", "gj": "GJ", "mj": "MJ",
    "l": "litre", "liter": "litre", "litres": "litre", "liters": "litre", "litre": "litre",
    "m3": "m**3", "m³": "m**3", "cubic metres": "m**3",
    "kg": "kg", "tonn": "tonne", "tonnes": "tonne", "tonne": "tonne", "t": "tonne",
    "km": "km", "miles": "mile", "mile": "mile",
    "passenger.km": "passenger_km", "pkm": "passenger_km", "passenger_km": "passenger_km",
    "room per night": "room_night", "room_night": "room_night", "room_nights": "room_night",
    "fte_hour": "fte_hour", "fte_hours": "fte_hour", "tonne_km": "tonne_km",
    "kgco2e": "kg",
}


@lru_cache(maxsize=512)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit as a user or a publication writes it ("kWh", "litres", "passenger.km")."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise UnitError(message("empty unit"))
    key = cleaned.lower()
    candidate = ALIASES.get(key) or ALIASES.get(key.replace("-", "_").replace(" ", "_")) or cleaned
    try:
        return ureg.Unit(candidate)
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, AttributeError,
            TypeError, ValueError, AssertionError, tokenize.TokenError) as exc:
        # pint tokenizes a unit as Python: a stray quote ('1"""') is a TokenError, not a bad unit
        raise UnitError(message("unknown unit '%(unit)s'", unit=text)) from exc


@lru_cache(maxsize=4096)
def conversion_factor(from_unit: str, to_unit: str) -> float:
    """Multiplier that turns a quantity in ``from_unit`` into ``to_unit``.

    >>> conversion_factor("MWh", "kWh")
    1000.0
    """
    source, target = parse_unit(from_unit), parse_unit(to_unit)
    try:
        # 12 significant digits: pint gives 999.9999999999999 for m³ → litre.
        return float(f"{ureg.Quantity(1.0, source).to(target).magnitude:.12g}")
    except pint.DimensionalityError as exc:
        raise UnitError(message("'%(from_unit)s' cannot be converted to '%(to_unit)s'",
                                from_unit=from_unit, to_unit=to_unit)) from exc
