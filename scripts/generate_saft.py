"""Write a realistic synthetic SAF-T Financial 1.30 file of N ledger lines (constant memory).

The company is like the demo's Nordlys Kundesenter AS (org 928467139): a customer-service firm
with expense accounts carrying real næringsspesifikasjon grouping codes (6340 light/heat, 6350 IT,
6395 waste/cleaning, 6440 car leasing, 7000 fuel, 7155/7165 travel, 4005 goods, 6700 advisory),
payroll (5000), revenue (3000), bank (1920), receivables, payables and VAT. Transactions balance:
purchases (expense + input VAT = payable, supplier on the payable line), payments, sales, payroll.
Deterministic for a seed. Totals and account balances in the header agree with the lines: the
ledger is written to a temporary file first, then the header and master files, then the ledger.

    .venv/bin/python scripts/generate_saft.py OUT.xml --lines 1000000 [--seed 1] [--year 2025]
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"
COMPANY = ("Nordlys Kundesenter AS", "928467139")

#: (AccountID, description, GroupingCategory, GroupingCode): the chart of accounts.
ACCOUNTS = (
    ("1500", "Kundefordringer", "balanseverdiForOmloepsmiddel", "1500"),
    ("1920", "Bankinnskudd", "balanseverdiForOmloepsmiddel", "1920"),
    ("2400", "Leverandørgjeld", "kortsiktigGjeld", "2400"),
    ("2700", "Utgående merverdiavgift, høy sats", "kortsiktigGjeld", "2740"),
    ("2710", "Inngående merverdiavgift, høy sats", "kortsiktigGjeld", "2740"),
    ("3000", "Salgsinntekt, avgiftspliktig", "salgsinntekt", "3000"),
    ("4000", "Innkjøp av varer", "varekostnad", "4005"),
    ("5000", "Lønn til ansatte", "loennskostnad", "5000"),
    ("6340", "Lys, varme", "annenDriftskostnad", "6340"),
    ("6350", "IT-kostnader", "annenDriftskostnad", "6350"),
    ("6395", "Renovasjon og renhold", "annenDriftskostnad", "6395"),
    ("6440", "Leasing av bil", "annenDriftskostnad", "6440"),
    ("6700", "Regnskap og rådgivning", "annenDriftskostnad", "6700"),
    ("7000", "Drivstoff", "annenDriftskostnad", "7000"),
    ("7140", "Reisekostnad, opplysningspliktig", "annenDriftskostnad", "7155"),
    ("7150", "Reisekostnad, ikke opplysningspliktig", "annenDriftskostnad", "7165"),
)

#: (expense account, supplier name, NACE, amount range in NOK excl. VAT): what Nordlys buys.
PURCHASES = (
    ("6340", "Oslo Kraft AS", "35.140", (2_000, 40_000)),
    ("6340", "Fjernvarme Oslo AS", "35.300", (1_000, 25_000)),
    ("6350", "Skyhuset Drift AS", "62.030", (500, 30_000)),
    ("6350", "Nordic Software AS", "58.290", (200, 15_000)),
    ("6395", "Renholdsgruppen AS", "81.210", (1_000, 12_000)),
    ("6395", "Ren Avfall AS", "38.110", (300, 5_000)),
    ("6440", "Billeasing Norge AS", "77.110", (3_000, 9_000)),
    ("7000", "Drivstoffkjeden AS", "47.300", (300, 2_500)),
    ("7140", "Reisebyrået AS", "79.110", (1_000, 20_000)),
    ("7150", "Flyselskapet AS", "51.100", (800, 8_000)),
    ("4000", "Kontorvarer AS", "46.660", (200, 10_000)),
    ("6700", "Revisjon og Råd AS", "69.201", (5_000, 60_000)),
)


def org_number(base: int) -> str:
    """A valid 9-digit org.nr (mod-11 check digit) from ``base``: the next 8-digit stem that has one."""
    stem = base
    while True:
        digits = [int(d) for d in f"{stem:08d}"[:8]]
        remainder = sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return f"{stem:08d}{check}"
        stem += 1


@dataclass(frozen=True)
class SupplierInfo:
    supplier_id: str
    name: str
    org_number: str
    nace: str


SUPPLIERS = tuple(
    SupplierInfo(f"{20001 + i}", name, org_number(91234567 + 7919 * i), nace)
    for i, (_account, name, nace, _range) in enumerate(PURCHASES)
)


def nok(ore: int) -> str:
    """Øre → ``"1234.50"``."""
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // 100}.{ore % 100:02d}"


def _transactions(
    lines: int, rng: random.Random
) -> Iterator[tuple[str, list[tuple[str, int, str | None, str]]]]:
    """(kind, [(account, øre debit − credit, supplier id, description)]) until exactly ``lines`` lines."""
    if lines < 2:
        raise ValueError("a SAF-T file needs at least 2 lines (one balanced transaction)")
    remaining = lines
    while remaining:
        three_fits = remaining == 3 or remaining - 3 >= 2
        two_fits = remaining == 2 or remaining - 2 >= 2
        roll = rng.random()
        if three_fits and (roll < 0.55 or not two_fits):
            if roll < 0.45 or not two_fits:
                index = rng.randrange(len(PURCHASES))
                account, name, _nace, (low, high) = PURCHASES[index]
                net = rng.randint(low * 100, high * 100)
                vat = net // 4
                supplier = SUPPLIERS[index].supplier_id
                text = f"Faktura {name}"
                yield (
                    "purchase",
                    [
                        (account, net, None, text),
                        ("2710", vat, None, text),
                        ("2400", -(net + vat), supplier, text),
                    ],
                )
            else:
                net = rng.randint(5_000_00, 200_000_00)
                vat = net // 4
                yield (
                    "sale",
                    [
                        ("1500", net + vat, None, "Salgsfaktura"),
                        ("3000", -net, None, "Salgsfaktura"),
                        ("2700", -vat, None, "Salgsfaktura"),
                    ],
                )
            remaining -= 3
        else:
            if roll < 0.8:
                index = rng.randrange(len(PURCHASES))
                amount = rng.randint(1_000_00, 50_000_00)
                yield (
                    "payment",
                    [
                        ("2400", amount, SUPPLIERS[index].supplier_id, "Betaling leverandør"),
                        ("1920", -amount, None, "Betaling leverandør"),
                    ],
                )
            else:
                amount = rng.randint(30_000_00, 80_000_00)
                yield "payroll", [("5000", amount, None, "Lønn"), ("1920", -amount, None, "Lønn")]
            remaining -= 2


def _write_ledger(out: TextIO, lines: int, seed: int, year: int) -> tuple[int, int, dict[str, int]]:
    """The journal's transactions; returns (transactions, total debit øre, net øre per account)."""
    rng = random.Random(seed)
    net: dict[str, int] = {}
    total_debit = 0
    count = written = 0
    out.write(
        "    <Journal>\n      <JournalID>GL</JournalID>\n      <Description>Hovedbok</Description>\n"
        "      <Type>GL</Type>\n"
    )
    for count, (kind, entries) in enumerate(_transactions(lines, rng), start=1):
        month = 1 + written * 12 // lines  # chronological, as a ledger is
        written += len(entries)
        day = rng.randint(1, 28)
        when = f"{year}-{month:02d}-{day:02d}"
        parts = [
            f"      <Transaction>\n        <TransactionID>{count}</TransactionID>\n"
            f"        <Period>{month}</Period>\n        <PeriodYear>{year}</PeriodYear>\n"
            f"        <TransactionDate>{when}</TransactionDate>\n"
            f"        <Description>{kind}</Description>\n"
            f"        <SystemEntryDate>{when}</SystemEntryDate>\n"
            f"        <GLPostingDate>{when}</GLPostingDate>\n"
        ]
        for record, (account, ore, supplier, text) in enumerate(entries, start=1):
            net[account] = net.get(account, 0) + ore
            side = "DebitAmount" if ore >= 0 else "CreditAmount"
            if ore > 0:
                total_debit += ore
            supplier_xml = f"          <SupplierID>{supplier}</SupplierID>\n" if supplier else ""
            parts.append(
                f"        <Line>\n          <RecordID>{record}</RecordID>\n"
                f"          <AccountID>{account}</AccountID>\n          <ValueDate>{when}</ValueDate>\n"
                f"{supplier_xml}          <Description>{escape(text)}</Description>\n"
                f"          <{side}>\n            <Amount>{nok(abs(ore))}</Amount>\n"
                f"          </{side}>\n        </Line>\n"
            )
        parts.append("      </Transaction>\n")
        out.write("".join(parts))
    out.write("    </Journal>\n")
    return count, total_debit, net


def _balance(kind: str, ore: int) -> str:
    side = "Debit" if ore >= 0 else "Credit"
    return f"      <{kind}{side}Balance>{nok(abs(ore))}</{kind}{side}Balance>\n"


def generate(path: str | Path, lines: int, *, seed: int = 1, year: int = 2025) -> Path:
    """Write the file (UTF-8) and return its path. Opening balances are zero; closing = the year's net."""
    path = Path(path)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as ledger:
        transactions, total_debit, net = _write_ledger(ledger, lines, seed, year)
        ledger.seek(0)
        with path.open("w", encoding="utf-8") as out:
            out.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<AuditFile xmlns="{NAMESPACE}">\n  <Header>\n'
                "    <AuditFileVersion>1.30</AuditFileVersion>\n    <AuditFileCountry>NO</AuditFileCountry>\n"
                f"    <AuditFileDateCreated>{year + 1}-02-01</AuditFileDateCreated>\n"
                "    <SoftwareCompanyName>klimabok</SoftwareCompanyName>\n"
                "    <SoftwareID>generate_saft.py</SoftwareID>\n    <SoftwareVersion>1</SoftwareVersion>\n"
                f"    <Company>\n      <RegistrationNumber>{COMPANY[1]}</RegistrationNumber>\n"
                f"      <Name>{COMPANY[0]}</Name>\n      <Address>\n        <City>Tromsø</City>\n"
                "        <PostalCode>9008</PostalCode>\n      </Address>\n"
                "      <Contact>\n        <ContactPerson>\n          <FirstName>Kari</FirstName>\n"
                "          <LastName>Nordmann</LastName>\n        </ContactPerson>\n      </Contact>\n"
                "    </Company>\n    <DefaultCurrencyCode>NOK</DefaultCurrencyCode>\n"
                "    <SelectionCriteria>\n      <PeriodStart>1</PeriodStart>\n"
                f"      <PeriodStartYear>{year}</PeriodStartYear>\n      <PeriodEnd>12</PeriodEnd>\n"
                f"      <PeriodEndYear>{year}</PeriodEndYear>\n    </SelectionCriteria>\n"
                "    <TaxAccountingBasis>A</TaxAccountingBasis>\n  </Header>\n  <MasterFiles>\n"
                "    <GeneralLedgerAccounts>\n"
            )
            for account_id, description, category, code in ACCOUNTS:
                out.write(
                    f"    <Account>\n      <AccountID>{account_id}</AccountID>\n"
                    f"      <AccountDescription>{escape(description)}</AccountDescription>\n"
                    f"      <GroupingCategory>{category}</GroupingCategory>\n"
                    f"      <GroupingCode>{code}</GroupingCode>\n      <AccountType>GL</AccountType>\n"
                    f"{_balance('Opening', 0)}{_balance('Closing', net.get(account_id, 0))}    </Account>\n"
                )
            out.write("    </GeneralLedgerAccounts>\n    <Suppliers>\n")
            for supplier in SUPPLIERS:
                out.write(
                    f"    <Supplier>\n      <RegistrationNumber>{supplier.org_number}</RegistrationNumber>\n"
                    f"      <Name>{escape(supplier.name)}</Name>\n"
                    "      <Address>\n        <City>Oslo</City>\n"
                    f"      </Address>\n      <SupplierID>{supplier.supplier_id}</SupplierID>\n"
                    f"      <PartyInfo>\n        <NaceCode>{supplier.nace}</NaceCode>\n"
                    "      </PartyInfo>\n    </Supplier>\n"
                )
            out.write(
                f"    </Suppliers>\n  </MasterFiles>\n  <GeneralLedgerEntries>\n"
                f"    <NumberOfEntries>{transactions}</NumberOfEntries>\n"
                f"    <TotalDebit>{nok(total_debit)}</TotalDebit>\n"
                f"    <TotalCredit>{nok(total_debit)}</TotalCredit>\n"
            )
            shutil.copyfileobj(ledger, out, 1024 * 1024)
            out.write("  </GeneralLedgerEntries>\n</AuditFile>\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args()
    generate(args.out, args.lines, seed=args.seed, year=args.year)


if __name__ == "__main__":
    main()
