"""Numbers as people type them (klimabok.core.numbers): Norwegian and English style, one reader."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimabok.core.numbers import format_decimal, parse_decimal, parse_number

NBSP, NARROW_NBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(("text", "number"), [
    ("45 000 000", Decimal(45_000_000)),
    ("45 000,50", Decimal("45000.50")),
    (f"45{NBSP}000{NBSP}000", Decimal(45_000_000)),          # copied from a page or Excel
    (f"45{NARROW_NBSP}000,5", Decimal("45000.5")),            # the narrow space some locales print
    ("45000.50", Decimal("45000.50")),                       # a decimal point reads too
    ("45.000.000", Decimal(45_000_000)),
    ("45,000,000.25", Decimal("45000000.25")),
    ("1.234,5", Decimal("1234.5")),
    ("1,5", Decimal("1.5")),                                 # one comma: decimals, as a Norwegian reads it
    ("  12 ", Decimal(12)),
    ("\u22123,5", Decimal("-3.5")),                          # the typographic minus
    ("1.5E+06", Decimal(1_500_000)),                         # Excel's CSV for a large number
    ("1'234'567", Decimal(1_234_567)),
])
def test_norwegian_and_english_numbers(text: str, number: Decimal) -> None:
    assert parse_decimal(text) == number


@pytest.mark.parametrize("text", ["", "  ", "ten", "12 kWh", "1,2,3.4", "1.2.3,4,5", "nan", "inf", "--3",
                                  "1,2.3,4"])
def test_what_is_not_a_number_is_refused_with_the_text(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_decimal(text)
    assert str(raised.value) == text


def test_a_float_too_large_is_refused() -> None:
    with pytest.raises(ValueError, match="1E400"):
        parse_number("1E400")


def test_format_groups_by_three_with_a_decimal_comma() -> None:
    assert format_decimal(Decimal("45000000.5")) == f"45{NBSP}000{NBSP}000,5"
    assert format_decimal(Decimal("-1234")) == f"-1{NBSP}234"
    assert format_decimal(Decimal("999")) == "999"


amounts = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=6,
                      allow_nan=False, allow_infinity=False)


@given(amounts, st.sampled_from([" ", NBSP, NARROW_NBSP, "."]))
def test_a_number_written_norwegian_style_reads_back(value: Decimal, thousands: str) -> None:
    assert parse_decimal(format_decimal(value, thousands=thousands)) == value


@given(amounts.filter(lambda v: v != v.to_integral_value()))
def test_a_number_written_english_style_reads_back(value: Decimal) -> None:
    # "45,000" alone would be 45 to a Norwegian: English style is read back when it has decimals.
    assert parse_decimal(format_decimal(value, thousands=",", decimal=".")) == value


@given(amounts)
def test_the_float_reader_agrees(value: Decimal) -> None:
    assert parse_number(format_decimal(value)) == float(value)
