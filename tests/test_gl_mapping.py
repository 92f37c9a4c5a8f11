"""Guessing which column of a general-ledger export is what, and refusing a mapping that cannot read it."""

from __future__ import annotations

import pytest

from klimabok.core.gl import ROLES, guess_mapping, mapping_problems


def named(headers: list[str]) -> dict[str, str]:
    """The guess as role → header name (easier to read than positions)."""
    return {role: headers[i] for role, i in guess_mapping(headers).items()}


def test_norwegian_export() -> None:
    headers = ["Konto", "Kontonavn", "Dato", "Bilagsnr", "Tekst", "Leverandørnr", "Leverandør", "Org.nr",
               "Beløp"]
    assert named(headers) == {
        "account": "Konto", "account_name": "Kontonavn", "date": "Dato", "voucher": "Bilagsnr",
        "description": "Tekst", "supplier_id": "Leverandørnr", "supplier_name": "Leverandør",
        "supplier_org_number": "Org.nr", "amount": "Beløp"}


def test_english_export_with_debit_and_credit_wins_over_amount() -> None:
    headers = ["Account No.", "Account name", "Posting date", "Voucher", "Description", "Vendor ID", "Vendor",
               "Debit", "Credit", "Amount"]
    assert named(headers) == {
        "account": "Account No.", "account_name": "Account name", "date": "Posting date",
        "voucher": "Voucher", "description": "Description", "supplier_id": "Vendor ID",
        "supplier_name": "Vendor", "debit": "Debit", "credit": "Credit"}


def test_names_containing_a_role_word() -> None:
    headers = ["Bilag", "Bokført dato", "Konto (hovedbok)", "Beløp i NOK", "Leverandør navn", "Debet/Kredit?"]
    assert named(headers) == {"account": "Konto (hovedbok)", "date": "Bokført dato", "voucher": "Bilag",
                              "supplier_name": "Leverandør navn", "debit": "Debet/Kredit?"}


def test_a_column_serves_one_role_and_the_first_of_equals_wins() -> None:
    assert named(["Kontonr", "Konto", "Kontonavn", "Beløp", "Beløp"]) == {
        "account": "Kontonr", "account_name": "Kontonavn", "amount": "Beløp"}


def test_contra_accounts_foreign_currency_vat_and_balances_are_not_guessed() -> None:
    headers = ["Motkonto", "Kontonummer (hovedbok)", "Beløp i valuta", "Mva-beløp", "Beløp i NOK",
               "Saldo beløp"]
    assert named(headers) == {"account": "Kontonummer (hovedbok)", "amount": "Beløp i NOK"}
    assert named(["Contra account", "Account", "Amount (currency)", "VAT amount", "Amount"]) == {
        "account": "Account", "amount": "Amount"}


def test_nothing_recognised() -> None:
    assert guess_mapping(["Foo", "Bar", ""]) == {}


def test_roles_are_listed_in_preview_order() -> None:
    assert list(ROLES)[:3] == ["account", "account_name", "date"]
    assert list(guess_mapping(["Beløp", "Konto"])) == ["account", "amount"]


HEADERS = ["Konto", "Beløp", "Debet", "Kredit"]


@pytest.mark.parametrize(("mapping", "expected"), [
    ({"account": 0, "amount": 1}, []),
    ({"account": 0, "debit": 2}, []),
    ({"account": 0, "debit": 2, "credit": 3}, []),
    ({"amount": 1}, ["gl.csv: no column is mapped as the account number"]),
    ({"account": 0}, ["gl.csv: no column is mapped as the amount (or as debit and credit)"]),
    ({"account": 0, "amount": 1, "credit": 3},
     ["gl.csv: map either a signed amount column or debit and credit columns, not both"]),
    ({"account": 0, "amount": 0},
     ["gl.csv, row 1, column Konto: the column is mapped to more than one role"]),
    ({"account": 0, "amount": 7}, ["gl.csv: mapped column number 8 is not in the file (it has 4 columns)"]),
    ({"account": 0, "amount": 1, "colour": 2}, ["gl.csv: 'colour' is not a column role"]),
])
def test_mapping_problems(mapping: dict[str, int], expected: list[str]) -> None:
    assert [str(p) for p in mapping_problems(mapping, HEADERS, "gl.csv")] == expected
