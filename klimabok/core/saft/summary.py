"""``summarise(path)``: what a SAF-T file contains, per account, without keeping its lines.

The figures ``klimabok saft summary`` prints. Amounts are NOK ``Decimal``; in :meth:`SaftSummary.as_json`
they are strings with exactly 2 decimals (``"12500.00"``), so nothing is lost to floating point.
Spend categories, exclusions and emissions (``category``, ``excluded``, ``t_co2e``, ``coverage``)
come from the spend mapping (:mod:`klimabok.core.spend`, Open CEDA 2025 "CEDA by Watershed");
``t_co2e`` is a decimal string in tonnes, ``null`` where nothing was computed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from klimabok.core.errors import FactorNotFound
from klimabok.core.messages import Message
from klimabok.core.saft.model import Account, Header, Totals
from klimabok.core.saft.reader import SaftReader
from klimabok.core.spend import (
    ATTRIBUTION,
    Classification,
    CoverageEntry,
    account_emissions,
    classify,
    coverage,
)

_CENT = Decimal("0.01")


def money(amount: Decimal | None) -> str | None:
    """NOK as a string with 2 decimals (``None`` stays ``None``)."""
    return None if amount is None else str(amount.quantize(_CENT))


@dataclass(slots=True)
class AccountSummary:
    """One account's lines added up: ``net_amount`` = debit − credit in NOK."""

    account: Account
    lines: int = 0
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    category: str | None = None
    excluded: Message | None = None
    t_co2e: Decimal | None = None

    @property
    def net_amount(self) -> Decimal:
        return self.debit - self.credit


@dataclass(slots=True)
class SaftSummary:
    """A whole file: header, declared totals, per-account sums and warnings."""

    header: Header
    totals: Totals
    transactions: int
    lines: int
    total_debit: Decimal
    total_credit: Decimal
    accounts: list[AccountSummary]
    suppliers: int
    warnings: list[Message] = field(default_factory=list)
    coverage: dict[str, Any] | None = None
    t_co2e: Decimal | None = None
    #: What the spend factors flag (no deflator, a later year's factor, none for the year…).
    notes: list[Message | str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The summary as JSON-ready data (amounts as 2-decimal strings, dates ISO)."""
        header = self.header
        return {
            "audit_file_version": header.audit_file_version,
            "company": {"name": header.company_name, "org_number": header.org_number},
            "period": {
                "start": header.period_start.isoformat() if header.period_start else None,
                "end": header.period_end.isoformat() if header.period_end else None,
            },
            "currency": header.currency,
            "software": header.software,
            "transactions": self.transactions,
            "lines": self.lines,
            "total_debit": money(self.total_debit),
            "total_credit": money(self.total_credit),
            "suppliers": self.suppliers,
            "accounts": [_account_json(item, header.mapping) for item in self.accounts],
            "coverage": self.coverage,
            "t_co2e": None if self.t_co2e is None else str(self.t_co2e),
            "warnings": [str(warning) for warning in self.warnings],
            "notes": [str(note) for note in self.notes],
            "attribution": ATTRIBUTION if self.t_co2e is not None else None,
        }


def _account_json(item: AccountSummary, mapping: str) -> dict[str, Any]:
    account = item.account
    codes = (
        {"grouping_category": account.grouping_category, "grouping_code": account.grouping_code}
        if mapping == "grouping"
        else {"standard_account_id": account.standard_account_id}
    )
    return {
        "account_id": account.account_id,
        "description": account.description,
        **codes,
        "lines": item.lines,
        "net_amount": money(item.net_amount),
        "category": item.category,
        "excluded": None if item.excluded is None else str(item.excluded),
        "t_co2e": None if item.t_co2e is None else str(item.t_co2e),
    }


def summarise(path: str | Path, *, schema: etree.XMLSchema | None = None) -> SaftSummary:
    """Read ``path`` once, add its lines up per account and classify each (constant memory).

    Lines are summed per (account, supplier), so coverage can rank unmapped suppliers; the
    spend mapping (:mod:`klimabok.core.spend`) gives each account its category or exclusion and
    t CO2e for its net amount in the file's reporting year (the year its period ends).
    """
    reader = SaftReader(path, schema=schema)
    zero = Decimal(0)
    sums = reader.sums()  # (account, supplier) → [lines, debit, credit]: no object per line or transaction
    header = reader.header
    assert header is not None  # lines() raises when the file has no Header
    per_account = {
        account_id: AccountSummary(account) for account_id, account in sorted(reader.accounts.items())
    }
    net_by_supplier: dict[tuple[str, str | None], Decimal] = {}
    total_debit = total_credit = zero
    for key, (count, debit, credit) in sums.items():
        item = per_account[key[0]]
        item.lines += count
        item.debit += debit
        item.credit += credit
        net_by_supplier[key] = debit - credit
        total_debit += debit
        total_credit += credit
    summary = SaftSummary(
        header,
        reader.totals,
        reader.transactions,
        sum(found[0] for found in sums.values()),
        total_debit,
        total_credit,
        list(per_account.values()),
        len(reader.suppliers),
        reader.warnings,
    )
    _add_emissions(summary, net_by_supplier)
    return summary


def _add_emissions(summary: SaftSummary, net_by_supplier: dict[tuple[str, str | None], Decimal]) -> None:
    """Category, exclusion and t CO2e per account; coverage and total t CO2e for the file."""
    header = summary.header
    period_end = header.period_end or header.period_start
    year = period_end.year if period_end else None
    classifications: dict[str, Classification] = {}
    notes: dict[Message | str, None] = {}  # distinct, in order
    total = Decimal(0)
    for item in summary.accounts:
        account = item.account
        found = classify(
            account.account_id,
            grouping_category=account.grouping_category,
            grouping_code=account.grouping_code,
            standard_account_id=account.standard_account_id,
            description=account.description,
        )
        classifications[account.account_id] = found
        item.category, item.excluded = found.category, found.excluded
        if year is None or found.status != "mapped" or not item.lines:
            continue
        try:
            result = account_emissions(found, item.net_amount, year)
        except FactorNotFound as exc:  # e.g. a 2015 file: no spend factors built that far back
            notes[exc.message] = None
            continue
        if result is not None:
            item.t_co2e = result.t_co2e
            total += result.t_co2e
            notes.update(dict.fromkeys(result.flags))
    descriptions = {item.account.account_id: item.account.description for item in summary.accounts}
    summary.coverage = coverage(
        CoverageEntry(
            account_id, amount, classifications[account_id], supplier_id or "", descriptions[account_id]
        )
        for (account_id, supplier_id), amount in net_by_supplier.items()
    ).to_dict()
    summary.t_co2e = total if any(item.t_co2e is not None for item in summary.accounts) else None
    summary.notes = list(notes)
