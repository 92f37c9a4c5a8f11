"""Which column of a general-ledger export holds what: the roles, a guess from the headers, the checks.

A mapping is a plain ``dict`` role → column position (0-based), so it can be stored as JSON
(``LedgerImport.options``) and shown as one ``<select>`` per role. Required: ``account`` and either
``amount`` (debit − credit, signed) or ``debit``/``credit`` (one of them at least).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from klimabok.core.errors import InputError, InputErrors
from klimabok.core.messages import Message, message

#: role → column position (0-based).
ColumnMapping = dict[str, int]

#: Every role, in the order the preview shows them, with its English label (a core message).
ROLES: dict[str, Message] = {
    "account": message("account number"),
    "account_name": message("account name"),
    "date": message("date"),
    "voucher": message("voucher"),
    "description": message("description"),
    "supplier_id": message("supplier number"),
    "supplier_name": message("supplier name"),
    "supplier_org_number": message("supplier org.nr"),
    "amount": message("amount (debit − credit)"),
    "debit": message("debit"),
    "credit": message("credit"),
}

# Header names as squashed by _key (lower case, letters and digits only), exact matches first.
_NAMES: dict[str, tuple[str, ...]] = {
    "account": ("konto", "kontonr", "kontonummer", "hovedbokskonto", "account", "accountno", "accountnumber",
                "accountid", "glaccount", "ledgeraccount"),
    "account_name": ("kontonavn", "kontobeskrivelse", "kontotekst", "accountname", "accountdescription"),
    "date": ("dato", "bilagsdato", "transaksjonsdato", "posteringsdato", "bokføringsdato", "date",
             "transactiondate", "postingdate", "voucherdate", "documentdate"),
    "voucher": ("bilag", "bilagsnr", "bilagsnummer", "bilagnr", "bilagsid", "voucher", "voucherno",
                "vouchernumber", "transactionid", "journal", "journalno", "documentno", "documentnumber"),
    "description": ("tekst", "beskrivelse", "posteringstekst", "bilagstekst", "description", "text", "memo"),
    "supplier_id": ("leverandørnr", "leverandørnummer", "leverandørid", "levnr", "supplierid", "supplierno",
                    "suppliernumber", "vendorid", "vendorno", "vendornumber"),
    "supplier_name": ("leverandør", "leverandørnavn", "supplier", "suppliername", "vendor", "vendorname"),
    "supplier_org_number": ("orgnr", "organisasjonsnummer", "organisasjonsnr", "leverandørorgnr",
                            "orgnumber", "organisationnumber", "organizationnumber", "registrationnumber"),
    "amount": ("beløp", "belop", "beløpnok", "nettobeløp", "amount", "amountnok", "netamount"),
    "debit": ("debet", "debit", "debetbeløp", "debitamount"),
    "credit": ("kredit", "credit", "kreditbeløp", "creditamount"),
}
# Then parts of names, the more specific roles first ("kontonavn" is a name before it is a "konto").
_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("supplier_org_number", ("orgnr", "organisasjonsn", "registrationn")),
    ("supplier_id", ("leverandørnr", "leverandørid", "supplierid", "supplierno", "vendorid", "vendorno")),
    ("supplier_name", ("leverandør", "supplier", "vendor")),
    ("account_name", ("kontonavn", "accountname", "accountdesc")),
    ("account", ("konto", "account")),
    ("date", ("dato", "date")),
    ("voucher", ("bilag", "voucher")),
    ("description", ("tekst", "beskrivelse", "description", "text")),
    ("debit", ("debet", "debit")),
    ("credit", ("kredit", "credit")),
    ("amount", ("beløp", "belop", "amount")),
)
#: Words that make a name containing a role's word something else: the contra account, the amount in
#: a foreign currency, VAT, a running balance.
_NOT_PARTS = ("motkonto", "contra", "valuta", "currency", "mva", "vat", "saldo", "balance")
_SQUASH = re.compile(r"[^0-9a-zæøå]")


def _key(header: str) -> str:
    return _SQUASH.sub("", header.lower())


def _names(key: str, parts: tuple[str, ...]) -> bool:
    """Whether the squashed header ``key`` has one of a role's ``parts`` (and no word of another thing)."""
    return any(part in key for part in parts) and not any(word in key for word in _NOT_PARTS)


def guess_mapping(headers: Sequence[str]) -> ColumnMapping:
    """A proposed mapping from the header names (Norwegian or English); each column serves one role.

    Exact names first ("Kontonr", "Beløp", "Account"), then names containing a role's word
    ("Beløp i NOK") but not a word that makes it something else ("Motkonto", "Beløp i valuta").
    When both are found, debit and credit columns win over a signed amount.
    """
    keys = [_key(h) for h in headers]
    mapping: ColumnMapping = {}
    for role, names in _NAMES.items():
        found = next((i for i, k in enumerate(keys) if k in names and i not in mapping.values()), None)
        if found is not None:
            mapping[role] = found
    for role, parts in _PARTS:
        if role in mapping:
            continue
        found = next((i for i, k in enumerate(keys) if i not in mapping.values() and _names(k, parts)), None)
        if found is not None:
            mapping[role] = found
    if "amount" in mapping and ("debit" in mapping or "credit" in mapping):
        del mapping["amount"]
    return dict(sorted(mapping.items(), key=lambda item: list(ROLES).index(item[0])))


def mapping_problems(mapping: ColumnMapping, headers: Sequence[str], source: str,
                     header_row: int = 1) -> list[InputError]:
    """What keeps ``mapping`` from reading the file: required roles unmapped, unknown or shared columns."""
    problems: list[InputError] = []
    for role, column in mapping.items():
        if role not in ROLES:
            problems.append(InputError(message("'%(role)s' is not a column role", role=role), source=source))
        elif not 0 <= column < len(headers):
            problems.append(InputError(message("mapped column number %(column)s is not in the file (it has "
                                               "%(count)s columns)", column=column + 1, count=len(headers)),
                                       source=source))
    if "account" not in mapping:
        problems.append(InputError(message("no column is mapped as the account number"), source=source))
    if "amount" not in mapping and "debit" not in mapping and "credit" not in mapping:
        problems.append(InputError(message("no column is mapped as the amount (or as debit and credit)"),
                                   source=source))
    if "amount" in mapping and ("debit" in mapping or "credit" in mapping):
        problems.append(InputError(message("map either a signed amount column or debit and credit "
                                           "columns, not both"), source=source))
    columns = list(mapping.values())
    for column in sorted({c for c in columns if columns.count(c) > 1 and 0 <= c < len(headers)}):
        problems.append(InputError(message("the column is mapped to more than one role"), source=source,
                                   row=header_row, field=headers[column]))
    return problems


def check_mapping(mapping: ColumnMapping, headers: Sequence[str], source: str, header_row: int = 1) -> None:
    """Raise :class:`InputErrors` when :func:`mapping_problems` finds any."""
    problems = mapping_problems(mapping, headers, source, header_row)
    if problems:
        raise InputErrors(problems)
