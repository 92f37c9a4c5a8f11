"""``summarise(path)``: what a SAF-T file contains, per account, without keeping its lines.

The figures ``klimabok saft summary`` prints. Amounts are NOK ``Decimal``; in :meth:`SaftSummary.as_json`
they are strings with exactly 2 decimals (``"12500.00"``), so nothing is lost to floating point.
Spend categories and emissions (``category``, ``excluded``, ``t_co2e``, ``coverage``) come from
the spend mapping (issue 4 §2); until it exists they are ``None`` (``null`` in JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from klimabok.core.messages import Message
from klimabok.core.saft.model import Account, Header, Totals
from klimabok.core.saft.reader import SaftReader

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
    excluded: str | None = None
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
        "excluded": item.excluded,
        "t_co2e": None if item.t_co2e is None else str(item.t_co2e),
    }


def summarise(path: str | Path, *, schema: etree.XMLSchema | None = None) -> SaftSummary:
    """Read ``path`` once and add its lines up per account (constant memory; see :class:`SaftReader`)."""
    reader = SaftReader(path, schema=schema)
    debit: dict[str, Decimal] = {}
    credit: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    for line in reader.lines():
        account_id, amount = line.account_id, line.amount
        counts[account_id] = counts.get(account_id, 0) + 1
        if amount >= 0:
            debit[account_id] = debit.get(account_id, 0) + amount
        else:
            credit[account_id] = credit.get(account_id, 0) - amount
    assert reader.header is not None  # lines() raises when the file has no Header
    accounts = [
        AccountSummary(
            account,
            counts.get(account_id, 0),
            debit.get(account_id, Decimal(0)),
            credit.get(account_id, Decimal(0)),
        )
        for account_id, account in sorted(reader.accounts.items())
    ]
    return SaftSummary(
        reader.header,
        reader.totals,
        reader.transactions,
        sum(counts.values()),
        sum(debit.values(), Decimal(0)),
        sum(credit.values(), Decimal(0)),
        accounts,
        len(reader.suppliers),
        reader.warnings,
    )
