"""Numbers as people type them, in Norwegian or English style — one reader for forms, files and the CLI.

Norwegian writes "45 000 000" and "45 000,50" (space or non-breaking space between thousands, comma
before the decimals; Språkrådet's rules for numbers, and what Excel and the banks print); English
"45,000,000.50". People paste either, and copy from pages and spreadsheets with non-breaking (U+00A0)
or narrow non-breaking (U+202F) spaces. The rules:

- every kind of space, and the apostrophe (Swiss grouping), is a thousands separator and is dropped;
- thousands separators stand between groups of three digits ("45 00" and "1,2,3" are refused);
- with both "," and ".", the one that comes last is the decimal separator ("1.234,5", "1,234.5");
- with one kind only, a single one is the decimal separator ("45,5", "45.5") and several are
  thousands separators ("45.000.000", "45,000,000");
- a minus sign may be "-" or the typographic "−" (U+2212);
- anything else (letters, "1,2,3.4,5", an empty text, NaN, infinity) is a ValueError.

A single separator is read as decimals, never as thousands: "1,500" is one and a half, as a Norwegian
reads it. :func:`format_decimal` writes the Norwegian style back (for tests and messages).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

#: What is left after the separators are resolved: digits with at most one decimal point (and an
#: exponent, as Excel writes large numbers into CSV: "1.5E+06").
_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")


def parse_decimal(text: str) -> Decimal:
    """The exact number in ``text`` (see the module's rules); ValueError naming the text otherwise."""
    spaced = " ".join(text.split()).replace("'", " ").replace("’", " ").replace("\u2212", "-")
    commas, dots = spaced.count(","), spaced.count(".")
    if commas and dots:
        decimal = "," if spaced.rfind(",") > spaced.rfind(".") else "."
        if spaced.count(decimal) != 1:
            raise ValueError(text)
    else:
        decimal = "," if commas == 1 else "." if dots == 1 else ""
    whole = spaced.split(decimal)[0] if decimal else spaced
    whole = whole.split("e")[0].split("E")[0].lstrip("+-")
    groups = whole.replace(",", " ").replace(".", " ").split(" ")
    # Thousands separators separate groups of three: "45 000" and "1.234.567", never "1,2,3" or "45 00".
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise ValueError(text)
    cleaned = spaced.replace(" ", "")
    for separator in {",", "."} - {decimal}:
        cleaned = cleaned.replace(separator, "")
    cleaned = cleaned.replace(",", ".")
    if not _PLAIN.match(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only what Decimal reads
        raise ValueError(text) from None


def parse_number(text: str) -> float:
    """:func:`parse_decimal` as a float (the activity file's quantities are floats); ValueError when
    it is too large for one ("1E+400")."""
    value = float(parse_decimal(text))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def format_decimal(value: Decimal, *, thousands: str = "\u00a0", decimal: str = ",") -> str:
    """``value`` written out in full, grouped by three ("45 000 000,5" with the default separators)."""
    sign = "-" if value < 0 else ""
    digits = format(abs(value), "f")
    whole, _point, fraction = digits.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, group = whole[:-3], whole[-3:]
        groups.insert(0, group)
    grouped = thousands.join([whole, *groups])
    return f"{sign}{grouped}{decimal}{fraction}" if fraction else f"{sign}{grouped}"
