"""How the account shows numbers: ``{% load account_format %}``.

One place decides the format so the page, the charts and the tests agree:
tonnes CO2e with one decimal, kilograms with one decimal, shares with one
decimal, always grouped by thousands in the active language's way (bokmål:
``1 234,5`` with a non-breaking space; English: ``1,234.5``). Changes carry
a sign, with a true minus (−) for decreases. Factor values keep their
significant digits (0.01529 kg/kWh must not become 0.0).
"""

from __future__ import annotations

from django import template
from django.utils.formats import get_format, number_format

register = template.Library()

MINUS = "\u2212"


def grouped(value: float, decimals: int) -> str:
    """``value`` rounded to ``decimals``, grouped and with the active locale's separators."""
    rounded = round(float(value), decimals)
    if rounded == 0:
        rounded = 0.0  # no "-0,0"
    text = number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)
    return text.replace("-", MINUS)


@register.filter
def tonnes(value: float | None) -> str:
    """Tonnes CO2e with one decimal ("1 234,5"); empty for ``None``."""
    return "" if value is None else grouped(value, 1)


@register.filter
def kg(value: float | None) -> str:
    """Kilograms with one decimal."""
    return "" if value is None else grouped(value, 1)


def without_trailing_zeros(value: float, decimals: int) -> str:
    """Like :func:`grouped`, with trailing zeros (and a bare separator) dropped."""
    text = grouped(value, decimals)
    separator = str(get_format("DECIMAL_SEPARATOR"))
    return text.rstrip("0").rstrip(separator) if separator in text else text


@register.filter
def quantity(value: float | None) -> str:
    """An activity quantity: up to three decimals, trailing zeros dropped ("10 000", "2,5")."""
    return "" if value is None else without_trailing_zeros(value, 3)


@register.filter
def factor_value(value: float | None) -> str:
    """A factor (kg CO2e per unit) to four significant digits: "0,01529", "2,512", "1 234"."""
    if value is None:
        return ""
    magnitude = abs(float(value))
    decimals = 0
    while magnitude and magnitude * 10**decimals < 1000 and decimals < 8:
        decimals += 1
    return without_trailing_zeros(value, decimals)


@register.filter
def percent(value: float | None) -> str:
    """A share in percent (``12.34`` → "12,3 %")."""
    return "" if value is None else f"{grouped(value, 1)}\u00a0%"


@register.filter
def signed_tonnes(value: float | None) -> str:
    """A change in tonnes with its sign: "+12,3", "−4,0", "0,0"."""
    if value is None:
        return ""
    text = grouped(value, 1)
    return f"+{text}" if round(value, 1) > 0 else text


@register.filter
def signed_percent(value: float | None) -> str:
    """A change in percent with its sign: "+5,2 %", "−10,0 %"; empty when there is no base."""
    if value is None:
        return ""
    text = grouped(value, 1)
    return f"{'+' if round(value, 1) > 0 else ''}{text}\u00a0%"
