"""Write a realistic synthetic SAF-T Financial 1.30 file of N ledger lines (constant memory).

The company is like the demo's Nordlys Kundesenter AS (org 928467139): a customer-service firm
with expense accounts carrying real næringsspesifikasjon grouping codes (6340 light/heat, 6350 IT,
6395 waste/cleaning, 6440 car leasing, 7000 fuel, 7155/7165 travel, 4005 goods, 6700 advisory),
payroll (5000), revenue (3000), bank (1920), receivables, payables and VAT. Transactions balance:
purchases (expense + input VAT = payable, supplier on the payable line), payments, sales, payroll.
Deterministic for a seed. Written by :func:`klimabok.core.saft.writer.write_saft` (which the demo's
ledger, ``klimabok demo saft-file``, uses too): totals and account balances in the header agree
with the lines.

    .venv/bin/python scripts/generate_saft.py OUT.xml --lines 1000000 [--seed 1] [--year 2025]
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from klimabok.core.saft.writer import Account, Company, Party, Posting, Transaction, org_number, write_saft

COMPANY = Company("Nordlys Kundesenter AS", "928467139", city="Tromsø", postal_code="9008")

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


def _ledger(lines: int, seed: int, year: int) -> Iterator[Transaction]:
    """The journal's transactions, chronological (month by the share of lines written), as a ledger is."""
    rng = random.Random(seed)
    written = 0
    for kind, entries in _transactions(lines, rng):
        month = 1 + written * 12 // lines
        written += len(entries)
        when = date(year, month, rng.randint(1, 28))
        yield Transaction(when, kind, [Posting(account, ore, text, supplier_id=supplier)
                                       for account, ore, supplier, text in entries])


def generate(path: str | Path, lines: int, *, seed: int = 1, year: int = 2025) -> Path:
    """Write the file (UTF-8) and return its path. Opening balances are zero; closing = the year's net."""
    return write_saft(
        path, company=COMPANY, year=year,
        accounts=[Account(*account) for account in ACCOUNTS],
        suppliers=[Party(s.supplier_id, s.name, s.org_number, s.nace) for s in SUPPLIERS],
        transactions=_ledger(lines, seed, year)).path


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
