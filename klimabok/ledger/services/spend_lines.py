"""Writing a read ledger (:class:`~klimabok.ledger.pipeline.ReadLedger`) into its import.

:func:`write_import` saves the import with its totals, one :class:`~klimabok.ledger.models.SpendLine`
per (account, supplier) with its tonnes (:func:`spend_lines`, under the climate partner's CEDA
sectors) and the spooled postings — inside the caller's transaction, so an import is all or nothing.
Both import paths of :mod:`.imports` (the worker and :func:`~.imports.import_saft`) end here.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.db import transaction

from klimabok.core.errors import FactorNotFound
from klimabok.core.messages import Message
from klimabok.core.spend import CoverageEntry, account_emissions, coverage
from klimabok.core.spend.factors import SectorChoice
from klimabok.ledger.messages import message_to_json
from klimabok.ledger.models import LedgerImport, Posting, SpendLine
from klimabok.ledger.pipeline import ReadLedger
from klimabok.ledger.read_models import sector_choice

_T_PLACES = Decimal("0.000001")
#: Postings written per INSERT.
BATCH = 2000


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
    """Write the spooled postings: ``COPY … FROM STDIN`` on PostgreSQL, else INSERTs of :data:`BATCH` rows.

    Both in the caller's transaction (a failed COPY aborts it like a failed INSERT: all or nothing), with
    the same values: the COPY path sends the spooled text of the date, period and amount, which
    PostgreSQL parses into the same ``date``, ``smallint`` and ``numeric(20, 2)`` the INSERTs' parameters
    become. Either is a plain loop: ``bulk_create`` would build a model instance and prepare every value
    through its field (three quarters of the import's time for a ledger of 200,000 lines).
    """
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        _copy_postings(connection, ids, spooled)
        return
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


def _copy_postings(connection: Any, ids: dict[tuple[str, str], int], spooled: IO[str]) -> None:
    """The spooled postings through psycopg 3's ``COPY … FROM STDIN`` (PostgreSQL only), one stream."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(Posting._meta.db_table)} ({', '.join(map(quote, _POSTING_COLUMNS))}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        write = copy.write_row
        for account_id, supplier_id, transaction_id, record_id, when, period, description, amount in (
                csv.reader(spooled)):
            write((ids[(account_id[:40], supplier_id[:100])], transaction_id[:100], record_id[:100],
                   when or None, period or None, description[:300], amount))
