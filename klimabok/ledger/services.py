"""Importing a SAF-T Financial file into a reporting year, and removing an import again.

:func:`import_saft` reads the file once, streaming (:class:`~klimabok.core.saft.SaftReader`), adds
its lines up per (account, supplier) and stores those sums as :class:`SpendLine` rows with their
spend category or exclusion (:func:`~klimabok.core.spend.classify`) — or nothing at all: the
reader's fatal errors (totals that do not add up, unknown accounts, bad amounts, not SAF-T…)
come after the last line, before anything is written, and everything is written in one
transaction. Whether a spend category is *covered by activity data* is decided when the account is
computed (:mod:`klimabok.ledger.read_models`), since activity data can be added after the import.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from klimabok.accounts.models import User
from klimabok.core.errors import FactorNotFound, InputError
from klimabok.core.saft import SaftReader
from klimabok.core.spend import Classification, CoverageEntry, account_emissions, classify, coverage
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.services import ensure_open
from klimabok.ledger.models import LedgerImport, SpendLine

_T_PLACES = Decimal("0.000001")


@contextmanager
def _local_file(source: str | Path | IO[bytes] | Any) -> Iterator[tuple[Path, str]]:
    """A path to read ``source`` from (a path as is; an uploaded file copied to a temporary file)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.exists():
            raise FileNotFoundError(2, "no such file", str(path))
        yield path, path.name
        return
    name = Path(getattr(source, "name", None) or "saft.xml").name
    with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
        if hasattr(source, "seek"):
            source.seek(0)
        shutil.copyfileobj(source, tmp, 1024 * 1024)
        tmp.flush()
        yield Path(tmp.name), name


def _sha256(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as f:
        while chunk := f.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _refuse_repeat(reporting_year: ReportingYear, digest: str, name: str) -> None:
    earlier = (LedgerImport.objects.filter(reporting_year=reporting_year, sha256=digest)
               .exclude(status=LedgerImport.Status.FAILED).first())
    if earlier is not None:
        when = date_format(timezone.localtime(earlier.created_at), "SHORT_DATE_FORMAT")
        raise InputError(_("this file was already imported as “%(name)s” on %(date)s (%(lines)s lines); "
                           "delete that import first to load it again")
                         % {"name": earlier.filename, "date": when, "lines": earlier.line_count}, source=name)


def import_saft(reporting_year: ReportingYear, source: str | Path | IO[bytes] | Any,
                user: User | None) -> LedgerImport:
    """Import a SAF-T Financial file (a path or an uploaded file) into ``reporting_year`` — or nothing.

    Refused, with nothing saved: a closed year (``YearClosed``), the same file (SHA-256) imported into
    the year before (naming that import), a file whose period is not within the reporting year, and
    every fatal problem the reader finds (``InputError``/``InputErrors`` naming the element or line).
    """
    ensure_open(reporting_year)
    with _local_file(source) as (path, name):
        digest, size = _sha256(path)
        _refuse_repeat(reporting_year, digest, name)
        reader = SaftReader(path)
        reader.source = name
        sums: dict[tuple[str, str], list[Any]] = {}  # (account, supplier) → [lines, net]
        debit = credit = Decimal(0)
        count = 0
        for line in reader.lines():
            item = sums.setdefault((line.account_id, line.supplier_id or ""), [0, Decimal(0)])
            item[0] += 1
            item[1] += line.amount
            count += 1
            if line.amount > 0:
                debit += line.amount
            else:
                credit -= line.amount
    header = reader.header
    assert header is not None  # lines() raises when the file has no Header
    _check_period(reporting_year, header.period_start, header.period_end, name)
    year = reporting_year.year
    classifications: dict[str, Classification] = {}
    spend_lines: list[SpendLine] = []
    notes: dict[str, None] = {}
    total: Decimal | None = None
    for (account_id, supplier_id), (lines, net) in sorted(sums.items()):
        account = reader.accounts[account_id]
        found = classifications.get(account_id)
        if found is None:
            found = classifications[account_id] = classify(
                account_id, grouping_category=account.grouping_category, grouping_code=account.grouping_code,
                standard_account_id=account.standard_account_id, description=account.description)
        t_co2e: Decimal | None = None
        flags: list[str] = []
        try:
            result = account_emissions(found, net, year) if net else None
        except FactorNotFound as exc:
            result = None
            flags.append(str(exc.message))
        if result is not None:
            t_co2e = result.t_co2e.quantize(_T_PLACES)
            total = (total or Decimal(0)) + t_co2e
            flags.extend(str(flag) for flag in result.flags)
        notes.update(dict.fromkeys(flags))
        supplier = reader.suppliers.get(supplier_id) if supplier_id else None
        spend_lines.append(SpendLine(
            account_id=account_id[:40], account_description=account.description[:300],
            supplier_id=supplier_id[:100], supplier_name=(supplier.name if supplier else "")[:300],
            supplier_org_number=((supplier.org_number or "") if supplier else "")[:20],
            category=found.category or "", excluded=str(found.excluded or "")[:300],
            rule=str(found.rule or "")[:300], lines=lines, net_nok=net, t_co2e=t_co2e, flags=flags))
    cover = coverage(CoverageEntry(s.account_id, s.net_nok, classifications[s.account_id], s.supplier_id,
                                   s.account_description) for s in spend_lines).to_dict()
    try:
        with transaction.atomic():
            imported = LedgerImport.objects.create(
                reporting_year=reporting_year, filename=name[:255], sha256=digest, size=size,
                audit_file_version=header.audit_file_version[:10], company_name=header.company_name[:300],
                org_number=header.org_number[:20], period_start=header.period_start,
                period_end=header.period_end, transactions=reader.transactions, line_count=count,
                total_debit=debit, total_credit=credit, t_co2e=total, coverage=cover,
                warnings=[str(w) for w in reader.warnings], notes=list(notes), created_by=user,
                status=LedgerImport.Status.CONFIRMED, confirmed_by=user, confirmed_at=timezone.now())
            for spend_line in spend_lines:
                spend_line.ledger_import = imported
            SpendLine.objects.bulk_create(spend_lines)
    except IntegrityError:  # the same file, imported a moment ago by another request
        raise InputError(_("this file was already imported"), source=name) from None
    return imported


def _check_period(reporting_year: ReportingYear, start: Any, end: Any, name: str) -> None:
    """The file's period must lie within the reporting year."""
    if start is None and end is None:
        raise InputError(_("the file gives no period (Header/SelectionCriteria); "
                           "it cannot be placed in a reporting year"), source=name)
    outside = [d for d in (start, end) if d is not None and d.year != reporting_year.year]
    if outside:
        raise InputError(_("the file covers %(start)s – %(end)s, which is not within the reporting year "
                           "%(year)s; import it into its own year")
                         % {"start": start or "?", "end": end or "?", "year": reporting_year.year},
                         source=name)


@transaction.atomic
def delete_import(imported: LedgerImport) -> int:
    """Delete an import with all its spend lines (refused on a closed year); the number of lines deleted."""
    ensure_open(imported.reporting_year)
    lines = imported.spend_lines.count()
    imported.delete()
    return lines
