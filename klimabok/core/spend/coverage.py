"""Coverage: how much of the cost spend became emissions, and what to look at next.

Counts cost spend only: entries excluded as balance sheet, revenue or VAT are not spend (VAT is a
claim on or a debt to the state, never a cost: counting it made the excluded share larger than the
excluded costs listed beside it), and
negative amounts (credits, refunds) are left out of the shares (their sum is reported as
``credits_nok``). Shares are ``Decimal`` fractions of ``total_nok`` that sum to 1 (to 28 digits).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from klimabok.core.spend.model import Classification, ExclusionReason, exclusion_message

_NOT_SPEND = (exclusion_message(ExclusionReason.BALANCE_SHEET), exclusion_message(ExclusionReason.REVENUE),
              exclusion_message(ExclusionReason.VAT))
#: How many of the largest unmapped accounts and suppliers are listed.
TOP = 10


@dataclass(frozen=True, slots=True)
class CoverageEntry:
    """An account's net amount (or one ledger line) with its classification."""

    account_id: str
    amount_nok: Decimal
    classification: Classification
    supplier_id: str = ""
    description: str = ""


@dataclass(frozen=True, slots=True)
class RankedSpend:
    key: str  #: account id or supplier id
    description: str
    amount_nok: Decimal


@dataclass(frozen=True, slots=True)
class Coverage:
    total_nok: Decimal
    mapped_nok: Decimal
    excluded_nok: Decimal
    unmapped_nok: Decimal
    credits_nok: Decimal
    unmapped_accounts: tuple[RankedSpend, ...]
    unmapped_suppliers: tuple[RankedSpend, ...]

    def share(self, part: Decimal) -> Decimal:
        return part / self.total_nok if self.total_nok else Decimal(0)

    @property
    def mapped_share(self) -> Decimal:
        return self.share(self.mapped_nok)

    @property
    def excluded_share(self) -> Decimal:
        return self.share(self.excluded_nok)

    @property
    def unmapped_share(self) -> Decimal:
        """The rest, so the three shares sum to exactly 1 (0 when there is no cost spend)."""
        return 1 - self.mapped_share - self.excluded_share if self.total_nok else Decimal(0)

    def to_dict(self) -> dict[str, object]:
        return {
            "total_nok": str(self.total_nok), "mapped_nok": str(self.mapped_nok),
            "excluded_nok": str(self.excluded_nok), "unmapped_nok": str(self.unmapped_nok),
            "credits_nok": str(self.credits_nok),
            "mapped_share": float(self.mapped_share), "excluded_share": float(self.excluded_share),
            "unmapped_share": float(self.unmapped_share),
            "unmapped_accounts": [
                {"account_id": r.key, "description": r.description, "amount_nok": str(r.amount_nok)}
                for r in self.unmapped_accounts],
            "unmapped_suppliers": [{"supplier_id": r.key, "amount_nok": str(r.amount_nok)}
                                   for r in self.unmapped_suppliers],
        }


def coverage(entries: Iterable[CoverageEntry], *, top: int = TOP) -> Coverage:
    """Cost spend mapped / excluded / unmapped, with the ``top`` largest unmapped accounts and suppliers."""
    sums = {"mapped": Decimal(0), "excluded": Decimal(0), "unmapped": Decimal(0)}
    credits = Decimal(0)
    accounts: dict[str, Decimal] = defaultdict(Decimal)
    names: dict[str, str] = {}
    suppliers: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        if entry.classification.excluded in _NOT_SPEND:
            continue
        amount = Decimal(entry.amount_nok)
        if amount < 0:
            credits += amount
            continue
        status = entry.classification.status
        sums[status] += amount
        if status == "unmapped":
            accounts[entry.account_id] += amount
            names.setdefault(entry.account_id, entry.description)
            if entry.supplier_id:
                suppliers[entry.supplier_id] += amount
    return Coverage(
        total_nok=sum(sums.values(), Decimal(0)), mapped_nok=sums["mapped"], excluded_nok=sums["excluded"],
        unmapped_nok=sums["unmapped"], credits_nok=credits,
        unmapped_accounts=_largest(accounts, names, top), unmapped_suppliers=_largest(suppliers, {}, top))


def _largest(amounts: dict[str, Decimal], names: dict[str, str], top: int) -> tuple[RankedSpend, ...]:
    ranked = sorted(amounts.items(), key=lambda item: (-item[1], item[0]))[:top]
    return tuple(RankedSpend(key, names.get(key, ""), amount) for key, amount in ranked)
