"""Write a SAF-T Financial 1.30 file (Norway) from a chart of accounts, parties and transactions.

Used by the test/bench generator (``scripts/generate_saft.py``) and the demo's ledger
(:mod:`klimabok.demo.ledger`); both are synthetic, deterministic files that validate against the
official XSD. Amounts are whole øre (``int``), debit positive. The transactions are streamed to a
temporary file first (constant memory for any size), because the header needs what only the lines
tell: ``NumberOfEntries``, ``TotalDebit``/``TotalCredit`` and every account's closing balance
(opening + the year's net).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

from klimabok.core.saft.model import NAMESPACE

_ORG_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def org_number(base: int) -> str:
    """A valid 9-digit org.nr (mod-11 check digit) from ``base``: the next 8-digit stem that has one."""
    stem = base
    while True:
        digits = [int(d) for d in f"{stem:08d}"[:8]]
        remainder = sum(w * d for w, d in zip(_ORG_WEIGHTS, digits, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return f"{stem:08d}{check}"
        stem += 1


def nok(ore: int) -> str:
    """Øre → ``"1234.50"``."""
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // 100}.{ore % 100:02d}"


@dataclass(frozen=True, slots=True)
class Company:
    """The company the file is about (``Header/Company``)."""

    name: str
    org_number: str
    city: str
    postal_code: str
    street: str = ""
    contact: tuple[str, str] = ("Kari", "Nordmann")


@dataclass(frozen=True, slots=True)
class Account:
    """A general-ledger account with its 1.30 grouping; ``opening`` in øre (debit positive)."""

    account_id: str
    description: str
    grouping_category: str
    grouping_code: str
    opening: int = 0


@dataclass(frozen=True, slots=True)
class Party:
    """A supplier or customer. ``nace`` as ``"35.140"``; no org.nr/NACE → the element is left out."""

    party_id: str
    name: str
    org_number: str | None
    nace: str | None
    city: str = "Oslo"


@dataclass(frozen=True, slots=True)
class TaxCode:
    """A VAT code of the ``TaxTable`` (``standard_code``: the SAF-T standard tax code)."""

    code: str
    description: str
    percentage: int
    standard_code: str


@dataclass(frozen=True, slots=True)
class Tax:
    """A line's VAT: code, rate, base and amount (øre; debit for input VAT, credit for output VAT)."""

    code: str
    percentage: int
    base: int
    amount: int


@dataclass(frozen=True, slots=True)
class Posting:
    """One ledger line: account, øre (debit − credit), text, and the supplier/customer it concerns."""

    account: str
    ore: int
    description: str
    supplier_id: str | None = None
    customer_id: str | None = None
    tax: Tax | None = None


@dataclass(frozen=True, slots=True)
class Transaction:
    """A voucher: its date (the period is its month) and balanced postings."""

    when: date
    description: str
    postings: Sequence[Posting]


@dataclass(frozen=True, slots=True)
class Written:
    """What was written: transactions, lines and the total debit (= total credit) in øre."""

    path: Path
    transactions: int
    lines: int
    total_debit: int


def write_saft(path: str | Path, *, company: Company, year: int, accounts: Sequence[Account],
               suppliers: Sequence[Party], transactions: Iterable[Transaction],
               customers: Sequence[Party] = (), tax_codes: Sequence[TaxCode] = (),
               software_id: str = "generate_saft.py") -> Written:
    """Write the file (UTF-8) for the calendar ``year``; the transactions are numbered 1, 2, …"""
    path = Path(path)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as ledger:
        count, lines, total_debit, net = _write_journal(ledger, transactions)
        ledger.seek(0)
        with path.open("w", encoding="utf-8") as out:
            out.write(_header(company, year, software_id))
            out.write("  <MasterFiles>\n    <GeneralLedgerAccounts>\n")
            for account in accounts:
                out.write(_account(account, net.get(account.account_id, 0)))
            out.write("    </GeneralLedgerAccounts>\n")
            _parties(out, "Customer", customers)
            _parties(out, "Supplier", suppliers)
            if tax_codes:
                out.write(_tax_table(tax_codes))
            out.write(
                f"  </MasterFiles>\n  <GeneralLedgerEntries>\n"
                f"    <NumberOfEntries>{count}</NumberOfEntries>\n"
                f"    <TotalDebit>{nok(total_debit)}</TotalDebit>\n"
                f"    <TotalCredit>{nok(total_debit)}</TotalCredit>\n"
            )
            shutil.copyfileobj(ledger, out, 1024 * 1024)
            out.write("  </GeneralLedgerEntries>\n</AuditFile>\n")
    return Written(path, count, lines, total_debit)


def _header(company: Company, year: int, software_id: str) -> str:
    street = f"        <StreetName>{escape(company.street)}</StreetName>\n" if company.street else ""
    first, last = company.contact
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<AuditFile xmlns="{NAMESPACE}">\n  <Header>\n'
        "    <AuditFileVersion>1.30</AuditFileVersion>\n    <AuditFileCountry>NO</AuditFileCountry>\n"
        f"    <AuditFileDateCreated>{year + 1}-02-01</AuditFileDateCreated>\n"
        "    <SoftwareCompanyName>klimabok</SoftwareCompanyName>\n"
        f"    <SoftwareID>{escape(software_id)}</SoftwareID>\n    <SoftwareVersion>1</SoftwareVersion>\n"
        f"    <Company>\n      <RegistrationNumber>{company.org_number}</RegistrationNumber>\n"
        f"      <Name>{escape(company.name)}</Name>\n      <Address>\n{street}"
        f"        <City>{escape(company.city)}</City>\n"
        f"        <PostalCode>{company.postal_code}</PostalCode>\n      </Address>\n"
        f"      <Contact>\n        <ContactPerson>\n          <FirstName>{escape(first)}</FirstName>\n"
        f"          <LastName>{escape(last)}</LastName>\n        </ContactPerson>\n      </Contact>\n"
        "    </Company>\n    <DefaultCurrencyCode>NOK</DefaultCurrencyCode>\n"
        "    <SelectionCriteria>\n      <PeriodStart>1</PeriodStart>\n"
        f"      <PeriodStartYear>{year}</PeriodStartYear>\n      <PeriodEnd>12</PeriodEnd>\n"
        f"      <PeriodEndYear>{year}</PeriodEndYear>\n    </SelectionCriteria>\n"
        "    <TaxAccountingBasis>A</TaxAccountingBasis>\n  </Header>\n"
    )


def _balance(kind: str, ore: int) -> str:
    side = "Debit" if ore >= 0 else "Credit"
    return f"      <{kind}{side}Balance>{nok(abs(ore))}</{kind}{side}Balance>\n"


def _account(account: Account, net: int) -> str:
    return (
        f"    <Account>\n      <AccountID>{account.account_id}</AccountID>\n"
        f"      <AccountDescription>{escape(account.description)}</AccountDescription>\n"
        f"      <GroupingCategory>{account.grouping_category}</GroupingCategory>\n"
        f"      <GroupingCode>{account.grouping_code}</GroupingCode>\n      <AccountType>GL</AccountType>\n"
        f"{_balance('Opening', account.opening)}{_balance('Closing', account.opening + net)}    </Account>\n"
    )


def _parties(out: TextIO, kind: str, parties: Sequence[Party]) -> None:
    if not parties:
        return
    out.write(f"    <{kind}s>\n")
    for party in parties:
        registration = (f"      <RegistrationNumber>{party.org_number}</RegistrationNumber>\n"
                        if party.org_number else "")
        nace = (f"      <PartyInfo>\n        <NaceCode>{party.nace}</NaceCode>\n      </PartyInfo>\n"
                if party.nace else "")
        out.write(
            f"    <{kind}>\n{registration}      <Name>{escape(party.name)}</Name>\n"
            f"      <Address>\n        <City>{escape(party.city)}</City>\n"
            f"      </Address>\n      <{kind}ID>{party.party_id}</{kind}ID>\n{nace}    </{kind}>\n"
        )
    out.write(f"    </{kind}s>\n")


def _tax_table(codes: Sequence[TaxCode]) -> str:
    details = "".join(
        f"        <TaxCodeDetails>\n          <TaxCode>{c.code}</TaxCode>\n"
        f"          <Description>{escape(c.description)}</Description>\n"
        f"          <TaxPercentage>{c.percentage}</TaxPercentage>\n          <Country>NO</Country>\n"
        f"          <StandardTaxCode>{c.standard_code}</StandardTaxCode>\n"
        f"          <BaseRate>100</BaseRate>\n        </TaxCodeDetails>\n"
        for c in codes
    )
    return (
        "    <TaxTable>\n      <TaxTableEntry>\n        <TaxType>MVA</TaxType>\n"
        f"        <Description>Merverdiavgift</Description>\n{details}      </TaxTableEntry>\n"
        "    </TaxTable>\n"
    )


def _tax(tax: Tax) -> str:
    side = "DebitTaxAmount" if tax.amount >= 0 else "CreditTaxAmount"
    return (
        f"          <TaxInformation>\n            <TaxType>MVA</TaxType>\n"
        f"            <TaxCode>{tax.code}</TaxCode>\n"
        f"            <TaxPercentage>{tax.percentage}</TaxPercentage>\n"
        f"            <TaxBase>{nok(tax.base)}</TaxBase>\n"
        f"            <{side}>\n              <Amount>{nok(abs(tax.amount))}</Amount>\n"
        f"            </{side}>\n          </TaxInformation>\n"
    )


def _write_journal(out: TextIO, transactions: Iterable[Transaction]) -> tuple[int, int, int, dict[str, int]]:
    """The journal; returns (transactions, lines, total debit øre, net øre per account)."""
    net: dict[str, int] = {}
    total_debit = count = lines = 0
    out.write(
        "    <Journal>\n      <JournalID>GL</JournalID>\n      <Description>Hovedbok</Description>\n"
        "      <Type>GL</Type>\n"
    )
    for count, transaction in enumerate(transactions, start=1):
        when = transaction.when.isoformat()
        parts = [
            f"      <Transaction>\n        <TransactionID>{count}</TransactionID>\n"
            f"        <Period>{transaction.when.month}</Period>\n"
            f"        <PeriodYear>{transaction.when.year}</PeriodYear>\n"
            f"        <TransactionDate>{when}</TransactionDate>\n"
            f"        <Description>{escape(transaction.description)}</Description>\n"
            f"        <SystemEntryDate>{when}</SystemEntryDate>\n"
            f"        <GLPostingDate>{when}</GLPostingDate>\n"
        ]
        for record, posting in enumerate(transaction.postings, start=1):
            ore = posting.ore
            net[posting.account] = net.get(posting.account, 0) + ore
            side = "DebitAmount" if ore >= 0 else "CreditAmount"
            if ore > 0:
                total_debit += ore
            party = ""
            if posting.customer_id:
                party += f"          <CustomerID>{posting.customer_id}</CustomerID>\n"
            if posting.supplier_id:
                party += f"          <SupplierID>{posting.supplier_id}</SupplierID>\n"
            parts.append(
                f"        <Line>\n          <RecordID>{record}</RecordID>\n"
                f"          <AccountID>{posting.account}</AccountID>\n"
                f"          <ValueDate>{when}</ValueDate>\n"
                f"{party}          <Description>{escape(posting.description)}</Description>\n"
                f"          <{side}>\n            <Amount>{nok(abs(ore))}</Amount>\n"
                f"          </{side}>\n{_tax(posting.tax) if posting.tax else ''}        </Line>\n"
            )
        lines += len(transaction.postings)
        parts.append("      </Transaction>\n")
        out.write("".join(parts))
    out.write("    </Journal>\n")
    return count, lines, total_debit, net
