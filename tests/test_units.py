"""The unit registry: conversions a user relies on, and clear errors."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimabok.core.errors import UnitError
from klimabok.core.units import conversion_factor, parse_unit


@pytest.mark.parametrize(("given_unit", "factor_unit", "multiplier"), [
    ("MWh", "kWh", 1000.0),
    ("GJ", "kWh", 1e9 / 3.6e6),          # 1 kWh = 3.6 MJ
    ("m3", "litres", 1000.0),
    ("m³", "litre", 1000.0),
    ("t", "kg", 1000.0),
    ("tonnes", "kg", 1000.0),
    ("miles", "km", 1.609344),           # international mile
    ("room-nights", "room_night", 1.0),
    ("Room per night", "room_night", 1.0),
    ("passenger.km", "passenger_km", 1.0),
    ("FTE-hour", "fte_hour", 1.0),
    ("MNOK", "NOK", 1e6),
])
def test_conversions(given_unit: str, factor_unit: str, multiplier: float) -> None:
    assert conversion_factor(given_unit, factor_unit) == pytest.approx(multiplier, rel=1e-12)


def test_incompatible_units_name_both() -> None:
    with pytest.raises(UnitError, match="'litres' cannot be converted to 'km'"):
        conversion_factor("litres", "km")


def test_room_night_is_not_a_distance() -> None:
    with pytest.raises(UnitError, match="cannot be converted"):
        conversion_factor("room_night", "km")


@pytest.mark.parametrize("text", ['1"""', "(km"])
def test_a_unit_pint_cannot_even_tokenize_is_an_unknown_unit(text: str) -> None:
    """A stray quote or bracket in a file's unit cell is named, not a crash (pint tokenizes units as
    Python: found by the columnar reader's Hypothesis test)."""
    with pytest.raises(UnitError, match="unknown unit"):
        parse_unit(text)


def test_unknown_unit_is_named() -> None:
    with pytest.raises(UnitError, match="unknown unit 'bananas'"):
        conversion_factor("bananas", "km")


UNITS = ["kWh", "MWh", "GJ", "litre", "m3", "kg", "tonne", "km", "mile"]


@given(st.sampled_from(UNITS), st.sampled_from(UNITS))
def test_round_trip_conversion_is_identity(a: str, b: str) -> None:
    try:
        there = conversion_factor(a, b)
    except UnitError:
        with pytest.raises(UnitError, match=f"^'{b}' cannot be converted to '{a}'$"):
            conversion_factor(b, a)
        return
    assert there * conversion_factor(b, a) == pytest.approx(1.0, rel=1e-9)
