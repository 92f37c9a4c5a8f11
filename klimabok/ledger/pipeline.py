"""Reading a ledger file into an import: spend lines per (account, supplier) and their postings.

Any reader with the :class:`LedgerReader` protocol feeds the same pipeline — the SAF-T reader
(:class:`~klimabok.core.saft.SaftReader`) and a general-ledger CSV/XLSX reader alike (``READERS``,
by :attr:`LedgerImport.kind`). :func:`read_ledger` streams the lines once, adding them up per
(account, supplier) and spooling the postings worth keeping to a temporary file (constant
memory); the reader's fatal errors come after its last line, before anything is written.
:func:`write_import` then writes everything in one transaction.

Postings (:class:`~klimabok.ledger.models.Posting`) are kept for the lines of cost accounts — mapped,
unmapped, and those excluded as costs that are not purchases (payroll, depreciation, taxes…, which
an override may still map) — but not for balance-sheet and revenue accounts (bank, payables,
VAT, sales: no spend at all, and most of a ledger's lines).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Protocol

from django.db import transaction

from klimabok.core.errors import FactorNotFound
from klimabok.core.gl import GlReader
from klimabok.core.messages import Message
from klimabok.core.saft import Account, Header, LedgerLine, SaftReader, Supplier
from klimabok.core.spend import (
    Classification,
    CoverageEntry,
    ExclusionReason,
    account_emissions,
    classify,
    coverage,
    exclusion_message,
)
from klimabok.core.spend.factors import SectorChoice
from klimabok.ledger.mapping_services import sector_choice
from klimabok.ledger.messages import message_to_json
from klimabok.ledger.models import LedgerImport, Posting, SpendLine

_T_PLACES = Decimal("0.000001")
_NO_POSTINGS = (exclusion_message(ExclusionReason.BALANCE_SHEET), exclusion_message(ExclusionReason.REVENUE))
#: Postings written per INSERT.
BATCH = 2000


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


def read_ledger(reader: LedgerReader, progress: Callable[[int], None] | None = None) -> ReadLedger:
    """Read every line of ``reader``; ``progress(bytes_read)`` is called every 1,000 lines."""
    # closed by write_import, or here when reading fails
    read = ReadLedger(reader, tempfile.TemporaryFile("w+", newline=""))  # noqa: SIM115
    out = csv.writer(read.postings)
    try:
        for line in reader.lines():
            key = (line.account_id, line.supplier_id or "")
            item = read.sums.setdefault(key, [0, Decimal(0)])
            item[0] += 1
            item[1] += line.amount
            read.count += 1
            if line.amount > 0:
                read.debit += line.amount
            else:
                read.credit -= line.amount
            found = read.classification(line.account_id)
            if found is not None and found.excluded not in _NO_POSTINGS:
                out.writerow((*key, line.transaction_id, line.record_id, line.date or "",
                              "" if line.period is None else line.period, line.description, line.amount))
            if progress is not None and read.count % 1000 == 0:
                progress(reader.bytes_read)
    except BaseException:
        read.postings.close()
        raise
    read.postings.seek(0)
    return read


def spend_lines(read: ReadLedger, year: int,
                chosen: SectorChoice | None = None) -> tuple[list[SpendLine], Decimal | None, list[Message]]:
    """The spend lines of a read ledger with their tonnes for ``year``, the total and the notes.

    ``chosen``: the climate partner's CEDA sectors, so the tonnes are the ones the account shows."""
    out: list[SpendLine] = []
    notes: dict[Message, None] = {}
    total: Decimal | None = None
    for (account_id, supplier_id), (lines, net) in sorted(read.sums.items()):
        account = read.reader.accounts[account_id]
        found = read.classification(account_id)
        assert found is not None
        t_co2e: Decimal | None = None
        flags: list[Message] = []
        try:
            result = account_emissions(found, net, year, chosen) if net else None
        except FactorNotFound as exc:
            result = None
            if isinstance(exc.message, Message):
                flags.append(exc.message)
        if result is not None:
            t_co2e = result.t_co2e.quantize(_T_PLACES)
            total = (total or Decimal(0)) + t_co2e
            flags.extend(result.flags)
        notes.update(dict.fromkeys(flags))
        supplier = read.reader.suppliers.get(supplier_id) if supplier_id else None
        out.append(SpendLine(
            account_id=account_id[:40], account_description=account.description[:300],
            supplier_id=supplier_id[:100], supplier_name=(supplier.name if supplier else "")[:300],
            supplier_org_number=((supplier.org_number or "") if supplier else "")[:20],
            category=found.category or "", excluded=str(found.excluded or "")[:300],
            rule=str(found.rule or "")[:300], lines=lines, net_nok=net, t_co2e=t_co2e,
            flags=[str(flag) for flag in flags]))
    return out, total, list(notes)


def write_import(imported: LedgerImport, read: ReadLedger, year: int, **fields: Any) -> LedgerImport:
    """Save ``imported`` (new or existing) with what ``read`` holds, its spend lines and postings.

    Call inside ``transaction.atomic``: all or nothing. ``fields`` are further fields to set
    (``status``, ``confirmed_by``…).
    """
    header = read.header
    lines, total, notes = spend_lines(read, year, sector_choice(imported.reporting_year.organisation.partner))
    cover = coverage(CoverageEntry(s.account_id, s.net_nok, read.classifications[s.account_id], s.supplier_id,
                                   s.account_description) for s in lines).to_dict()
    values = {
        "audit_file_version": header.audit_file_version[:10], "company_name": header.company_name[:300],
        "org_number": header.org_number[:20], "period_start": header.period_start,
        "period_end": header.period_end, "transactions": read.reader.transactions, "line_count": read.count,
        "total_debit": read.debit, "total_credit": read.credit, "t_co2e": total, "coverage": cover,
        "warnings": [message_to_json(w) for w in read.reader.warnings],
        "notes": [message_to_json(n) for n in notes], **fields,
    }
    for name, value in values.items():
        setattr(imported, name, value)
    assert transaction.get_connection().in_atomic_block
    imported.save()
    for line in lines:
        line.ledger_import = imported
    SpendLine.objects.bulk_create(lines, batch_size=BATCH)
    ids = {(line.account_id, line.supplier_id): line.pk for line in lines}
    _insert_postings(ids, read.postings)
    read.postings.close()
    return imported


#: The columns :func:`_insert_postings` fills, in the order of its rows.
_POSTING_COLUMNS = ("spend_line_id", "transaction_id", "record_id", "date", "period", "description", "amount")


def _insert_postings(ids: dict[tuple[str, str], int], spooled: IO[str]) -> None:
    """INSERT the spooled postings in batches of :data:`BATCH` rows.

    A plain ``executemany``: ``bulk_create`` would build a model instance and prepare every value
    through its field (three quarters of the import's time for a ledger of 200,000 lines).
    """
    connection = transaction.get_connection()
    ops = connection.ops
    quote = ops.quote_name
    # constant identifiers quoted by the backend; every value is a parameter
    sql = (f"INSERT INTO {quote(Posting._meta.db_table)} ({', '.join(map(quote, _POSTING_COLUMNS))}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(_POSTING_COLUMNS))})")
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for account_id, supplier_id, transaction_id, record_id, when, period, description, amount in (
                csv.reader(spooled)):
            batch.append((
                ids[(account_id[:40], supplier_id[:100])], transaction_id[:100], record_id[:100],
                ops.adapt_datefield_value(date.fromisoformat(when)) if when else None,
                int(period) if period else None, description[:300],
                ops.adapt_decimalfield_value(Decimal(amount), 20, 2)))
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
