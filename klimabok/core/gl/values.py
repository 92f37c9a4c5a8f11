"""Amounts and dates as general-ledger exports write them (Norwegian and English conventions).

Amounts: ``1234.50``, ``1 234,50`` (space, no-break space or ``'`` between thousands), ``1.234,50``,
``1,234.50``; negative with a minus (``-``, ``−``, or trailing as in ``1 234,50-``) or in
parentheses (``(1 234,50)``); an optional ``kr``/``NOK``. With one separator only, a single ``,`` or
``.`` is the decimal separator (Norwegian ``1,5``), several of them group thousands
(``1.234.567``). Thousands groups must have three digits, so ``1,23,4`` is refused, not guessed.

Dates: ISO ``2025-03-31`` (a time after it is ignored), Norwegian ``31.03.2025`` / ``31.03.25``,
``31/03/2025``, ``20250331``, and XLSX date cells.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

_CENT = Decimal("0.01")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_CURRENCY = re.compile(r"^(?:kr\.?|nok)|(?:kr\.?|nok)$", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")
_PLAIN = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # "-1234.50", as most systems export: no parsing needed
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{2}|\d{4})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def parse_amount(text: str) -> Decimal:
    """The amount in ``text`` as a ``Decimal`` (``ValueError`` when it is not one)."""
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    body = _CURRENCY.sub("", _SPACES.sub("", text.replace("\u2212", "-")))
    negative = True
    if body.startswith("(") and body.endswith(")"):
        body = body[1:-1]
    elif body.endswith("-"):
        body = body[:-1]
    elif body[:1] in ("-", "+"):
        negative, body = body[0] == "-", body[1:]
    else:
        negative = False
    whole, fraction = _split(body, text)
    value = Decimal(f"{whole or '0'}.{fraction}" if fraction else whole)
    return -value if negative else value


def _split(body: str, text: str) -> tuple[str, str]:
    """``body`` (no sign) → (whole digits, fraction digits); ``ValueError`` unless it is a plain number."""
    commas, dots = body.count(","), body.count(".")
    if commas and dots:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
    elif commas == 1 or dots == 1:
        decimal = "," if commas else "."
    else:
        decimal = ""
    whole, _, fraction = body.rpartition(decimal) if decimal else (body, "", "")
    thousands = {",": ".", ".": ","}.get(decimal) or ("," if commas else ".")
    groups = whole.split(thousands)
    if len(groups) > 1 and not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        raise ValueError(text)
    digits = "".join(groups)
    if not (digits or fraction) or not _DIGITS.fullmatch(digits + fraction):
        raise ValueError(text)
    return digits, fraction


def amount_of(value: Any) -> Decimal:
    """A cell's amount: XLSX numbers as they are (floats to øre, dropping binary noise), text parsed."""
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(str(value))
        return Decimal(repr(value)).quantize(_CENT, ROUND_HALF_EVEN)
    return parse_amount(str(value))


def date_of(value: Any) -> date:
    """A cell's date (``ValueError`` when it is not one)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
        year = year if len(year) == 4 else f"20{year}"
    elif match := _COMPACT.fullmatch(text):
        year, month, day = match.groups()
    else:
        raise ValueError(text)
    return date(int(year), int(month), int(day))
