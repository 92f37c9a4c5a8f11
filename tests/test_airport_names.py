"""Reading an airport from a code or a name (klimabok.inventory.airport_names), against ``airportsdata``."""

from __future__ import annotations

import pytest

from klimabok.inventory.airport_names import AmbiguousAirport, fold, resolve_airport
from klimabok.inventory.flights import UnknownAirport


@pytest.mark.parametrize(("typed", "iata"), [
    ("OSL", "OSL"), ("bgo", "BGO"), ("BER", "BER"), ("ber", "BER"),   # three letters: the code
    ("oslo", "OSL"), ("Bergen", "BGO"), ("BERGEN", "BGO"),            # a city with one airport
    ("Tromso", "TOS"), ("Tromsø", "TOS"), ("bodo", "BOO"),            # without accents
    ("Gardermoen", "OSL"), ("Heathrow", "LHR"), ("Flesland", "BGO"),  # words of the airport's name
    ("Kristiansand", "KRS"), ("Haugesund", "HAU"),                    # name, where the city differs
    ("Longyearbyen", "LYR"), ("Malaga", "AGP"),
])
def test_a_code_or_an_unambiguous_name_resolves(typed: str, iata: str) -> None:
    assert resolve_airport(typed).iata == iata


@pytest.mark.parametrize(("typed", "first"), [
    ("London", ["LHR", "LGW"]), ("Stockholm", ["ARN"]), ("Paris", ["CDG"]), ("Berlin", ["BER"]),
    ("København", ["CPH"]),
])
def test_a_name_of_several_airports_is_refused_with_the_common_ones_first(typed: str,
                                                                          first: list[str]) -> None:
    with pytest.raises(AmbiguousAirport) as refused:
        resolve_airport(typed)
    codes = [a.iata for a in refused.value.candidates]
    assert codes[:len(first)] == first and len(codes) > 1


def test_london_lists_its_airports_but_not_raf_northolt() -> None:
    with pytest.raises(AmbiguousAirport) as refused:
        resolve_airport("london")
    codes = {a.iata for a in refused.value.candidates}
    assert {"LHR", "LGW", "STN", "LTN", "LCY"} <= codes
    assert "NHT" not in codes  # RAF Northolt: no business flight lands there


@pytest.mark.parametrize("typed", ["Atlantis", "XQZ", "", "  ", "---"])
def test_nothing_known_is_unknown(typed: str) -> None:
    with pytest.raises(UnknownAirport):
        resolve_airport(typed)


def test_a_name_is_never_read_as_a_code_prefix() -> None:
    assert resolve_airport("bergen").country == "NO"
    assert resolve_airport("bergen").iata != "BER"


def test_fold() -> None:
    assert fold("  Ålesund / Vigra ") == "alesund vigra"
    assert fold("Tromsø") == "tromso" and fold("Zürich") == "zurich" and fold("Bærum") == "baerum"
