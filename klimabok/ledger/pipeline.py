"""Reading a ledger file into an import: spend lines per (account, supplier) and their postings.

Any reader with the :class:`LedgerReader` protocol feeds the same pipeline — the SAF-T reader
(:class:`~klimabok.core.saft.SaftReader`) and a general-ledger CSV/XLSX reader alike (``READERS``,
by :attr:`LedgerImport.kind`). :func:`read_ledger` streams the lines once, adding them up per
(account, supplier) and spooling the postings worth keeping to a temporary file (constant
memory); the reader's fatal errors come after its last line, before anything is written.
:func:`klimabok.ledger.services.spend_lines.write_import` then writes everything in one transaction.

Reading writes nothing (only a temporary file), so it is not a service: the import services
(:mod:`klimabok.ledger.services.imports`) call it before they write, and benchmarks and tests can
feed it any reader.

Postings (:class:`~klimabok.ledger.models.Posting`) are kept for the lines of cost accounts — mapped,
unmapped, and those excluded as costs that are not purchases (payroll, depreciation, taxes…, which
an override may still map) — but not for balance-sheet and revenue accounts (bank, payables,
VAT, sales: no spend at all, and most of a ledger's lines).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol

from klimabok.core.gl import GlReader
from klimabok.core.messages import Message
from klimabok.core.saft import Account, Header, LedgerLine, SaftReader, Supplier
from klimabok.core.spend import Classification, ExclusionReason, classify, exclusion_message
from klimabok.ledger.models import LedgerImport

_NO_POSTINGS = (exclusion_message(ExclusionReason.BALANCE_SHEET), exclusion_message(ExclusionReason.REVENUE))


class LedgerReader(Protocol):
    """What the pipeline needs of a reader (:class:`~klimabok.core.saft.SaftReader` has it).

    ``lines()`` yields every ledger line once and raises ``InputError``/``InputErrors`` (naming the
    element or line) after the last one when the file is bad. ``header``, ``accounts`` (every
    account a line refers to, with its mapping codes) and ``suppliers`` are filled before the first
    line; ``transactions`` and ``warnings`` once ``lines()`` has ended. ``bytes_read`` is how far
    into the file reading has come (progress, of the file's size). ``source`` is the file name
    messages name.
    """

    source: str

    @property
    def header(self) -> Header | None: ...
    @property
    def accounts(self) -> Mapping[str, Account]: ...
    @property
    def suppliers(self) -> Mapping[str, Supplier]: ...
    @property
    def transactions(self) -> int: ...
    @property
    def warnings(self) -> Sequence[Message]: ...
    @property
    def bytes_read(self) -> int: ...
    def lines(self) -> Iterator[LedgerLine]: ...


def _gl_reader(path: Path, imported: LedgerImport) -> GlReader:
    """A general-ledger export read with the column mapping the user chose (``options["mapping"]``)."""
    organisation = imported.reporting_year.organisation
    return GlReader(path, imported.options["mapping"], year=imported.reporting_year.year,
                    company_name=organisation.name, org_number=organisation.org_number)


#: How a reader is made for a stored file of each import kind (``path``, the import with its ``options``).
ReaderFactory = Callable[[Path, LedgerImport], LedgerReader]
READERS: dict[str, ReaderFactory] = {
    LedgerImport.Kind.SAFT: lambda path, imported: SaftReader(path),
    LedgerImport.Kind.GL: _gl_reader,
}


@dataclass
class ReadLedger:
    """A ledger read to the end: sums per (account, supplier), totals, and the spooled postings."""

    reader: LedgerReader
    postings: IO[str]  # CSV rows: account, supplier, transaction, record, date, period, description, amount
    sums: dict[tuple[str, str], list[Any]] = field(default_factory=dict)  # → [lines, net]
    debit: Decimal = Decimal(0)
    credit: Decimal = Decimal(0)
    count: int = 0
    classifications: dict[str, Classification] = field(default_factory=dict)

    @property
    def header(self) -> Header:
        header = self.reader.header
        assert header is not None  # lines() raises when the file has no header
        return header

    def classification(self, account_id: str) -> Classification | None:
        """The account's default spend category or exclusion (``None``: not in the file's accounts)."""
        found = self.classifications.get(account_id)
        if found is None:
            account = self.reader.accounts.get(account_id)
            if account is None:
                return None
            found = self.classifications[account_id] = classify(
                account_id, grouping_category=account.grouping_category, grouping_code=account.grouping_code,
                standard_account_id=account.standard_account_id, description=account.description)
        return found


def _entries(reader: LedgerReader) -> Iterator[tuple[str, Any, Any, Iterable[tuple[Any, ...]]]]:
    """The reader's lines grouped by transaction: ``(transaction_id, date, period, lines)``, each line
    ``(record_id, account_id, supplier_id, description, amount)``. From
    :meth:`~klimabok.core.saft.SaftReader.entries` where the reader has it (no object per line), else
    from ``lines()`` one by one."""
    entries = getattr(reader, "entries", None)
    if entries is not None:
        for entry in entries():
            yield entry.transaction_id, entry.date, entry.period, zip(
                entry.record_ids, entry.account_ids, entry.supplier_ids, entry.descriptions, entry.amounts,
                strict=True)
        return
    for line in reader.lines():
        yield line.transaction_id, line.date, line.period, (
            (line.record_id, line.account_id, line.supplier_id, line.description, line.amount),)


def read_ledger(reader: LedgerReader, progress: Callable[[int], None] | None = None) -> ReadLedger:
    """Read every line of ``reader``; ``progress(bytes_read)`` is called every 1,000 lines or so."""
    # closed by write_import, or here when reading fails
    read = ReadLedger(reader, tempfile.TemporaryFile("w+", newline=""))  # noqa: SIM115
    writerow = csv.writer(read.postings).writerow
    sums = read.sums
    keeps: dict[str, bool] = {}  # account → are its lines kept as postings
    zero = Decimal(0)
    count = 0
    debit = credit = zero
    shown = 0
    try:
        for transaction_id, when, period, lines in _entries(reader):
            when_text = when or ""
            period_text = "" if period is None else period
            for record_id, account_id, supplier_id, description, amount in lines:
                key = (account_id, supplier_id or "")
                item = sums.get(key)
                if item is None:
                    item = sums[key] = [0, zero]
                item[0] += 1
                item[1] += amount
                count += 1
                if amount > 0:
                    debit += amount
                else:
                    credit -= amount
                keep = keeps.get(account_id)
                if keep is None:
                    found = read.classification(account_id)
                    keep = keeps[account_id] = found is not None and found.excluded not in _NO_POSTINGS
                if keep:
                    writerow((*key, transaction_id, record_id, when_text, period_text, description, amount))
            if progress is not None and count - shown >= 1000:
                shown = count
                progress(reader.bytes_read)
    except BaseException:
        read.postings.close()
        raise
    read.count, read.debit, read.credit = count, debit, credit
    read.postings.seek(0)
    return read
