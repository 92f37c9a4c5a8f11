"""Validation of Norwegian organisation numbers (organisasjonsnummer).

A Norwegian organisation number has nine digits; the last is a modulus-11
check digit over the first eight with weights 3, 2, 7, 6, 5, 4, 3, 2
(Brønnøysundregistrene). A remainder that would need check digit 10 never
occurs in a valid number.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def normalise_org_number(raw: str) -> str:
    """Digits only: "923 609 016" and "923609016" are the same number."""
    return "".join(raw.split())


def org_number_check_digit(first_eight: str) -> int | None:
    """The check digit for eight digits, or None if no digit fits (remainder 1)."""
    remainder = sum(int(d) * w for d, w in zip(first_eight, WEIGHTS, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def validate_norwegian_org_number(raw: str) -> str:
    """The normalised number, or a ValidationError saying what is wrong with it."""
    number = normalise_org_number(raw)
    if len(number) != 9 or not number.isdigit():
        raise ValidationError(
            _("A Norwegian organisation number has exactly nine digits, for example 923 609 016."),
            code="org_number_format")
    if org_number_check_digit(number[:8]) != int(number[8]):
        raise ValidationError(
            _("%(number)s is not a valid organisation number: the check digit does not match. "
              "Check for a typing error.") % {"number": number},
            code="org_number_check_digit")
    return number


def lei_is_valid(code: str) -> bool:
    """Whether ``code`` is a well-formed LEI: 20 characters A–Z/0–9, the last two digits a check (ISO 17442,
    ISO 7064 MOD 97-10: the letters read as 10–35, the whole number modulo 97 is 1)."""
    if len(code) != 20 or not code.isalnum() or not code.isascii() or not code[18:].isdigit():
        return False
    return int("".join(str(int(c, 36)) for c in code.upper())) % 97 == 1


def validate_lei(raw: str) -> str:
    """The LEI in capitals without spaces, or a ValidationError saying what is wrong with it."""
    code = "".join(raw.split()).upper()
    if len(code) != 20 or not code.isalnum() or not code.isascii():
        raise ValidationError(
            _("An LEI has exactly 20 letters and digits, for example 5493001KJTIIGC8Y1R12."),
            code="lei_format")
    if not lei_is_valid(code):
        raise ValidationError(
            _("%(code)s is not a valid LEI: its check digits do not match. Check for a typing error.")
            % {"code": code}, code="lei_check_digits")
    return code
