"""Numbers on the account page: bokmål groups with a non-breaking space and uses a decimal comma."""

from __future__ import annotations

import pytest
from django.utils import translation

from klimabok.inventory.templatetags.account_format import (
    factor_value,
    kg,
    percent,
    quantity,
    signed_percent,
    signed_tonnes,
    tonnes,
)

NBSP = "\u00a0"


@pytest.mark.parametrize(("language", "expected"), [("nb", f"1{NBSP}234,6"), ("en", "1,234.6")])
def test_tonnes_have_one_decimal_and_thousand_groups(language: str, expected: str) -> None:
    with translation.override(language):
        assert tonnes(1234.56) == expected


def test_bokmal_formats() -> None:
    with translation.override("nb"):
        assert tonnes(None) == ""
        assert tonnes(-0.04) == "0,0"  # never "−0,0"
        assert kg(150.0) == "150,0"
        assert quantity(10000) == f"10{NBSP}000"
        assert quantity(2.5) == "2,5"
        assert factor_value(0.01529) == "0,01529"
        assert factor_value(2.51234) == "2,512"
        assert factor_value(0.2) == "0,2"
        assert percent(12.345) == f"12,3{NBSP}%"
        assert signed_tonnes(12.34) == "+12,3"
        assert signed_tonnes(-4) == "\u22124,0"
        assert signed_percent(-10) == f"\u221210,0{NBSP}%"
        assert signed_percent(None) == ""
