"""What a SAF-T Financial file holds, as the reader hands it out (amounts in NOK, ``Decimal``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

#: The namespace of Norwegian SAF-T Financial (every version).
NAMESPACE = "urn:StandardAuditFile-Taxation-Financial:NO"


@dataclass(frozen=True, slots=True)
class Header:
    """The file's ``Header``: who, which period, in which currency, from which system.

    ``audit_file_version`` is as written (``"1.30"``, ``"1.20"``, or ``"1.0"`` in old files);
    ``mapping`` is how its accounts are mapped: ``"grouping"`` (1.30, GroupingCategory/Code) or
    ``"standard_account"`` (1.20 and older, StandardAccountID).
    """

    audit_file_version: str
    mapping: str
    company_name: str
    org_number: str
    period_start: date | None
    period_end: date | None
    currency: str
    software: str


@dataclass(frozen=True, slots=True)
class Account:
    """A general-ledger account of ``MasterFiles`` with its mapping code and balances (debit − credit)."""

    account_id: str
    description: str
    account_type: str
    grouping_category: str | None
    grouping_code: str | None
    standard_account_id: str | None
    opening_balance: Decimal
    closing_balance: Decimal


@dataclass(frozen=True, slots=True)
class Supplier:
    """A supplier of ``MasterFiles``: its id in the ledger, name, org.nr and NACE code (when given)."""

    supplier_id: str
    name: str
    org_number: str | None
    nace_code: str | None


@dataclass(frozen=True, slots=True)
class LedgerLine:
    """One ``GeneralLedgerEntries/Journal/Transaction/Line``.

    ``amount`` = debit − credit in NOK. ``supplier_id`` is the line's own ``SupplierID`` or, when it
    has none, the transaction's (the one on its payables line), so a cost line knows its supplier.
    ``period`` is the transaction's ``Period`` (1–12, 13+ for closing periods), ``date`` its
    ``TransactionDate``.
    """

    transaction_id: str
    record_id: str
    date: date | None
    period: int | None
    account_id: str
    supplier_id: str | None
    description: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    """``GeneralLedgerEntries``' declared ``NumberOfEntries``/``TotalDebit``/``TotalCredit``."""

    number_of_entries: int | None
    total_debit: Decimal | None
    total_credit: Decimal | None
