"""How the account shows numbers and names: ``{% load account_format %}``.

One place decides the format so the page, the exports, the charts and the tests agree:
tonnes CO2e with one decimal, kilograms with one decimal, shares with one
decimal, always grouped by thousands in the active language's way (bokmål:
``1 234,5`` with a non-breaking space; English: ``1,234.5``). Changes carry
a sign, with a true minus (−) for decreases. Factor values keep their
significant digits (0.01529 kg/kWh must not become 0.0).

Category keys (``scope_1``, ``scope_2_market``, ``scope_3.6``) are named
after the GHG Protocol Corporate and Scope 3 Standards, in the active language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from django import template
from django.utils.formats import get_format, number_format
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

register = template.Library()

MINUS = "\u2212"

#: GHG Protocol scope 3 categories 1–15 (Corporate Value Chain (Scope 3) Standard, table 5.3).
SCOPE_3_CATEGORIES: dict[int, Promise] = {
    1: _("Purchased goods and services"),
    2: _("Capital goods"),
    3: _("Fuel- and energy-related activities"),
    4: _("Upstream transportation and distribution"),
    5: _("Waste generated in operations"),
    6: _("Business travel"),
    7: _("Employee commuting and homeworking"),
    8: _("Upstream leased assets"),
    9: _("Downstream transportation and distribution"),
    10: _("Processing of sold products"),
    11: _("Use of sold products"),
    12: _("End-of-life treatment of sold products"),
    13: _("Downstream leased assets"),
    14: _("Franchises"),
    15: _("Investments"),
}
TOTAL_LABELS: dict[str, Promise] = {
    "scope_1": _("Scope 1: direct emissions"),
    "scope_2": _("Scope 2: purchased energy"),
    "scope_2_location": _("Scope 2: purchased energy, location-based"),
    "scope_2_market": _("Scope 2: purchased energy, market-based"),
    "scope_3": _("Scope 3: value chain"),
    "total_location": _("Total, location-based"),
    "total_market": _("Total, market-based"),
}


#: How a unit identifier reads to people: (after a quantity, after "per"). Units not listed
#: ("kWh", "kg", "km", "GJ") read as they are written.
UNIT_NAMES: dict[str, tuple[Promise, Promise]] = {
    "passenger_km": (_("passenger-km"), _("passenger-km")),
    "passenger.km": (_("passenger-km"), _("passenger-km")),
    "room_night": (_("room-nights"), _("room-night")),
    "fte_hour": (_("FTE-hours"), _("FTE-hour")),
    "m3": (_("m³"), _("m³")),
    "cubic metres": (_("m³"), _("m³")),
    "tonne": (_("tonnes"), _("tonne")),
    "tonnes": (_("tonnes"), _("tonne")),
    "litres": (_("litres"), _("litre")),
}


class Named(Protocol):
    """A catalogue activity or factor: English ``name`` and bokmål ``name_nb``."""

    @property
    def name(self) -> str: ...

    @property
    def name_nb(self) -> str: ...


@register.filter
def category_name(key: str) -> str:
    """The name of a category key: "Scope 3.6: Business travel", "Scope 1: direct emissions"."""
    if key.startswith("scope_3."):
        number = int(key.removeprefix("scope_3."))
        return _("Scope 3.%(number)s: %(name)s") % {"number": number, "name": SCOPE_3_CATEGORIES[number]}
    return str(TOTAL_LABELS[key])


@register.filter
def localized_name(item: Named) -> str:
    """An activity's or factor's name in the active language (bokmål when the catalogue has one)."""
    return item.name_nb if item.name_nb and (get_language() or "").startswith("nb") else item.name


@register.filter
def unit_name(unit: str) -> str:
    """A unit as it reads after a quantity, in the active language ("room_night" → "romdøgn")."""
    names = UNIT_NAMES.get(unit)
    return str(names[0]) if names else unit


@register.filter
def per_unit(unit: str) -> str:
    """A unit as it reads after "per" ("litres" → "litre"; bokmål "liter")."""
    names = UNIT_NAMES.get(unit)
    return str(names[1]) if names else unit


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


@register.filter
def kg_from_tonnes(value: float | None) -> str:
    """Tonnes shown as kilograms with one decimal (0.0216 → "21,6"), for amounts under a tonne."""
    return "" if value is None else grouped(float(value) * 1000, 1)


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
def nok(value: float | Decimal | None) -> str:
    """Kroner in a summary: whole kroner, grouped ("1 791 540"); the ledger pages keep the øre."""
    return "" if value is None else grouped(float(value), 0)


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
def percent_number(value: Decimal | float | None) -> str:
    """A per cent the user typed, in the active language (``Decimal("62.50")`` → "62,5"); "" for None."""
    if value is None:
        return ""
    plain = format(Decimal(str(value)).normalize(), "f")
    return number_format(Decimal(plain), decimal_pos=len(plain.partition(".")[2]), use_l10n=True)


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
