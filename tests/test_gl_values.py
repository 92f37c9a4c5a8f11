"""Amounts and dates of general-ledger exports, as Norwegian and English exports write them."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimabok.core.gl import amount_of, date_of, parse_amount


@pytest.mark.parametrize(("text", "expected"), [
    ("1234.50", "1234.50"),
    ("1 234,50", "1234.50"),           # Norwegian: space between thousands, decimal comma
    ("1\u00a0234,50", "1234.50"),      # a no-break space, as Excel writes it
    ("1.234,50", "1234.50"),
    ("1,234.50", "1234.50"),
    ("1'234.50", "1234.50"),
    ("1.234.567", "1234567"),          # several dots: thousands
    ("1,234,567", "1234567"),
    ("1,5", "1.5"),                    # one comma: the decimal separator
    ("0.5", "0.5"),
    (".5", "0.5"),
    ("12.", "12"),
    ("-12", "-12"),
    ("+12", "12"),
    ("−5,5", "-5.5"),                  # U+2212 minus sign
    ("(1 234,50)", "-1234.50"),        # accountants' parentheses
    ("1 234,50-", "-1234.50"),         # trailing minus (SAP-style exports)
    ("kr 1 200,00", "1200.00"),
    ("1200 NOK", "1200"),
    ("00012", "12"),
])
def test_amounts_people_and_systems_write(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "-", "()", "abc", "1e5", "1,23,4", "1.2.3", "12,5.3", "1.234,5.6",
                                  "(−4)", "--4", "+-3", "1 234,50 kr extra", "NaN", "Infinity", "١٢"])
def test_not_amounts(text: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):  # the text it could not read
        parse_amount(text)


def norwegian(value: Decimal) -> str:
    """``value`` as Norwegian Excel shows it: space-grouped thousands, decimal comma, leading minus."""
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return f"{sign}{' '.join(groups)},{fraction}"


AMOUNTS = st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2, allow_nan=False,
                      allow_infinity=False)


@given(AMOUNTS)
def test_norwegian_amount_round_trip(value: Decimal) -> None:
    assert parse_amount(norwegian(value)) == value


@given(AMOUNTS)
def test_parenthesised_and_english_round_trip(value: Decimal) -> None:
    english = f"{abs(value):,.2f}"
    written = f"({english})" if value < 0 else english
    assert parse_amount(written) == value
    assert parse_amount(f"{value:.2f}") == value


@given(AMOUNTS)
def test_dotted_thousands_round_trip(value: Decimal) -> None:
    dotted = norwegian(value).replace(" ", ".")
    assert parse_amount(dotted) == value


def test_xlsx_cells() -> None:
    assert amount_of(1200) == Decimal(1200)
    assert amount_of(Decimal("12.345")) == Decimal("12.345")
    assert amount_of(0.1 + 0.2) == Decimal("0.30")  # a float's binary noise is rounded to øre
    assert amount_of(-1234.5) == Decimal("-1234.50")
    assert amount_of("1 234,50") == Decimal("1234.50")
    for bad in (True, float("nan"), float("inf")):
        with pytest.raises(ValueError, match=f"^{bad}$"):
            amount_of(bad)


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-03-31", date(2025, 3, 31)),
    ("2025-03-31 00:00:00", date(2025, 3, 31)),
    ("2025-03-31T12:00", date(2025, 3, 31)),
    ("31.03.2025", date(2025, 3, 31)),
    ("31.03.25", date(2025, 3, 31)),
    ("1.3.2025", date(2025, 3, 1)),
    ("31/03/2025", date(2025, 3, 31)),
    ("20250331", date(2025, 3, 31)),
    (datetime(2025, 3, 31, 8, 30), date(2025, 3, 31)),
    (date(2025, 3, 31), date(2025, 3, 31)),
])
def test_dates(value: object, expected: date) -> None:
    assert date_of(value) == expected


@pytest.mark.parametrize(("value", "reason"), [
    ("", "^$"), ("31.02.2025", "day is out of range for month"), ("2025-13-01", r"month must be in 1\.\.12"),
    ("March 31", "^March 31$"), ("31-03-2025", "^31-03-2025$"), ("45747", "^45747$"),
])
def test_not_dates(value: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        date_of(value)
