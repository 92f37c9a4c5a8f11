"""Importing a ledger file into a reporting year: upload, read in the background, confirm, remove.

The web path: :func:`start_import` checks the upload (open year, size, looks like XML, not the same
file again), stores it under ``ledger-uploads/`` and queues :func:`process_import` (the task of
:mod:`klimabok.ledger.tasks`), which reads it streaming with progress (:mod:`klimabok.ledger.pipeline`)
and writes the spend lines and their postings all or nothing (:mod:`.spend_lines`) — status
``ready`` — or records why it ``failed``. Nothing counts in the account before :func:`confirm_import`.
The command line and the demo use :func:`import_saft`: the same pipeline at once, confirmed.

Whether a spend category is *covered by activity data* is decided when the account is computed
(:mod:`klimabok.ledger.read_models`), since activity data can be added after the import.
"""

from __future__ import annotations

import logging
import time
import uuid
from contextlib import suppress
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from klimabok.accounts.models import User
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.core.messages import Message
from klimabok.core.saft import SaftReader
from klimabok.inventory.kept_files import forget, keep
from klimabok.inventory.models import ReportingYear
from klimabok.inventory.services import ensure_open
from klimabok.ledger.messages import errors_to_json
from klimabok.ledger.models import LedgerImport
from klimabok.ledger.pipeline import READERS, LedgerReader, ReaderFactory, read_ledger
from klimabok.ledger.read_models import counted_overlapping
from klimabok.ledger.services.spend_lines import write_import
from klimabok.ledger.services.uploads import (
    UPLOAD_DIR,
    Hashing,
    checked_upload_name,
    local_file,
    sha256_of,
    stored_path,
)

logger = logging.getLogger(__name__)
Status = LedgerImport.Status
#: Progress is written at most this many times per file (every 1 %)…
PROGRESS_STEPS = 100
#: …and at least this often (seconds) while lines come, so a slow file keeps its heartbeat.
HEARTBEAT_SECONDS = 60


# --- The upload ------------------------------------------------------------------------------------

def _looks_like_xml(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def start_import(reporting_year: ReportingYear, uploaded_file: Any, user: User | None, *,
                 kind: str = LedgerImport.Kind.SAFT, options: dict[str, Any] | None = None) -> LedgerImport:
    """Store an upload and queue its reading; returns the import at once (status ``queued``).

    Refused, with nothing kept: a closed year, a file over ``KLIMABOK_LEDGER_MAX_UPLOAD_BYTES``, a
    SAF-T upload that is not XML, and the same file (SHA-256) already imported into the year and not
    failed (naming that import).
    """
    ensure_open(reporting_year)
    name = checked_upload_name(uploaded_file, "ledger")
    size = uploaded_file.size
    uploaded_file.seek(0)
    head = uploaded_file.read(1024)
    uploaded_file.seek(0)
    if kind == LedgerImport.Kind.SAFT and not _looks_like_xml(head):
        raise InputError(Message(gettext_noop(
            "this is not an XML file; a SAF-T Financial file is XML (.xml)")), source=name)
    content = Hashing(uploaded_file)
    stored = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}", content)
    digest = content.digest.hexdigest()
    try:
        _refuse_repeat(reporting_year, digest, name)
        with transaction.atomic():
            imported = LedgerImport.objects.create(
                reporting_year=reporting_year, kind=kind, filename=name, sha256=digest, size=size,
                stored_file=stored, progress_total=size, progress_at=timezone.now(), options=options or {},
                created_by=user)
            transaction.on_commit(lambda: _enqueue(imported.pk))
    except IntegrityError:  # the same file, uploaded a moment ago by another request
        default_storage.delete(stored)
        raise InputError(Message(gettext_noop("this file was already imported")), source=name) from None
    except BaseException:
        default_storage.delete(stored)
        raise
    return imported


def _enqueue(import_id: int) -> None:
    from klimabok.ledger.tasks import process_ledger_import

    process_ledger_import.enqueue(import_id)


def _refuse_repeat(reporting_year: ReportingYear, digest: str, name: str) -> None:
    earlier = (LedgerImport.objects.filter(reporting_year=reporting_year, sha256=digest)
               .exclude(status=Status.FAILED).first())
    if earlier is not None:
        when = date_format(timezone.localtime(earlier.created_at), "SHORT_DATE_FORMAT")
        raise InputError(Message(gettext_noop(
            "this file was already imported as “%(name)s” on %(date)s (%(lines)s lines); "
            "delete that import first to load it again"),
            {"name": earlier.filename, "date": when, "lines": earlier.line_count}), source=name)


# --- Reading (the worker) --------------------------------------------------------------------------

def process_import(imported: LedgerImport, reader_factory: ReaderFactory | None = None) -> LedgerImport:
    """Read a queued import's stored file: ``ready`` with its lines, or ``failed`` with its errors.

    Never leaves it ``running``: a bad file fails with the reader's messages (element/line), anything
    unexpected with a generic message (the traceback goes to the log). The stored file is deleted.
    An import deleted meanwhile is left deleted, one failed meanwhile (:func:`fail_stale_imports`) failed.
    """
    started = LedgerImport.objects.filter(pk=imported.pk, status=Status.QUEUED).update(
        status=Status.RUNNING, progress=0, progress_at=timezone.now())
    if not started:
        return imported  # deleted, or failed waiting for a worker (fail_stale_imports)
    logger.info("ledger import %s started: %s (%s, %s bytes) for %s", imported.pk, imported.filename,
                imported.kind, imported.size, imported.reporting_year)
    factory = reader_factory or READERS[imported.kind]
    stored = imported.stored_file
    step = max(imported.progress_total // PROGRESS_STEPS, 1)
    shown = [0, time.monotonic()]

    def progress(done: int) -> None:
        if done - shown[0] >= step or time.monotonic() - shown[1] >= HEARTBEAT_SECONDS:
            shown[:] = [done, time.monotonic()]
            try:
                LedgerImport.objects.filter(pk=imported.pk, status=Status.RUNNING).update(
                    progress=done, progress_at=timezone.now())
            except OperationalError as exc:
                # Progress is for the person watching: a database busy past its timeout (SQLite with the
                # web process writing) skips this step instead of failing the file; the next step, or the
                # result's write, tries again.
                logger.info("ledger import %s: progress not saved (%s)", imported.pk, exc)

    try:
        with stored_path(stored, imported.filename) as path:
            reader = factory(path, imported)
            read = read_ledger(reader, progress)
        _check_period(imported.reporting_year, read.header.period_start, read.header.period_end,
                      imported.filename)
        with transaction.atomic():
            # locks the row; none: deleted while it was read, or failed as stale (fail_stale_imports)
            if not LedgerImport.objects.filter(pk=imported.pk, status=Status.RUNNING).update(
                    progress_at=timezone.now()):
                return imported
            ensure_open(imported.reporting_year)
            write_import(imported, read, imported.reporting_year.year, status=Status.READY,
                         progress=imported.progress_total, stored_file="")
        _keep_read_file(imported, stored)
    except KlimabokError as exc:
        problems = input_errors(exc)
        logger.warning("ledger import %s (%s) failed: %s error(s), the first: %s", imported.pk,
                       imported.filename, len(problems), problems[0] if problems else exc)
        _fail(imported, errors_to_json(exc))
    except Exception:
        logger.exception("ledger import %s (%s) failed unexpectedly", imported.pk, imported.filename)
        _fail(imported, errors_to_json(InputError(
            Message(gettext_noop("the file could not be read because of an unexpected error (it has been "
                                 "logged); try again, or ask the administrator")), source=imported.filename)))
    finally:
        if stored:
            default_storage.delete(stored)
    with suppress(LedgerImport.DoesNotExist):
        imported.refresh_from_db()
        if imported.status == Status.READY:
            logger.info("ledger import %s finished: %s transactions, %s ledger lines from %s", imported.pk,
                        imported.transactions, imported.line_count, imported.filename)
    return imported


def _keep_read_file(imported: LedgerImport, stored: str) -> None:
    """Keep the file just read for the auditor's bundle (a copy in ``kept-imports/``); a failure to keep it
    is logged, never a failed import."""
    try:
        with default_storage.open(stored, "rb") as handle:
            kept = keep(imported.reporting_year, f"ledger-{imported.pk}", imported.filename, File(handle))
    except OSError:
        logger.exception("ledger import %s: the file could not be kept for the auditor's bundle", imported.pk)
        return
    if kept:
        LedgerImport.objects.filter(pk=imported.pk).update(kept_file=kept)


def _fail(imported: LedgerImport, errors: list[dict[str, Any]]) -> None:
    LedgerImport.objects.filter(pk=imported.pk).update(status=Status.FAILED, errors=errors, stored_file="")


def fail_stale_imports(reporting_year: ReportingYear | None = None) -> int:
    """Fail the imports (of ``reporting_year``, or all) whose worker stopped; how many were failed.

    An import waiting or being read whose heartbeat (:attr:`LedgerImport.progress_at`, or its
    creation before there was one) is older than ``KLIMABOK_LEDGER_STALE_MINUTES`` fails with a
    message saying so, and its stored file is deleted: the same file can be uploaded again. Cheap
    when nothing is stale (one query), so the import pages call it for their year.
    """
    minutes = settings.KLIMABOK_LEDGER_STALE_MINUTES
    cutoff = timezone.now() - timedelta(minutes=minutes)
    old = Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, created_at__lt=cutoff)
    stale = LedgerImport.objects.filter(old, status__in=(Status.QUEUED, Status.RUNNING))
    if reporting_year is not None:
        stale = stale.filter(reporting_year=reporting_year)
    failed = 0
    for pk, was, stored, name in stale.values_list("pk", "status", "stored_file", "filename"):
        why = _STOPPED if was == Status.RUNNING else _NEVER_STARTED
        error = InputError(Message(why, {"minutes": minutes}), source=name)
        # the same conditions again: a worker that wrote progress meanwhile keeps its import
        if LedgerImport.objects.filter(old, pk=pk, status=was).update(
                status=Status.FAILED, errors=errors_to_json(error), stored_file=""):
            failed += 1
            logger.warning("ledger import %s (%s) failed: %s, no progress for %s minutes", pk, name, was,
                           minutes)
            if stored:
                default_storage.delete(stored)
    return failed


def worker_stopped(imported: LedgerImport) -> bool:
    """Whether a failed import failed because its worker stopped or never ran (the file may be fine)."""
    return any(isinstance(e.get("problem"), dict)
               and e["problem"].get("template") in (_STOPPED, _NEVER_STARTED) for e in imported.errors)


_STOPPED = gettext_noop("the reading stopped: no progress for %(minutes)s minutes (the task worker may "
                        "have been stopped). Upload the file again")
_NEVER_STARTED = gettext_noop("the reading never started: the file waited %(minutes)s minutes for the task "
                              "worker (a worker must run: manage.py db_worker). Upload the file again")


def _check_period(reporting_year: ReportingYear, start: Any, end: Any, name: str) -> None:
    """The file's period must lie within the reporting year."""
    if start is None and end is None:
        raise InputError(Message(gettext_noop("the file gives no period (Header/SelectionCriteria); "
                                              "it cannot be placed in a reporting year")), source=name)
    outside = [d for d in (start, end) if d is not None and d.year != reporting_year.year]
    if outside:
        raise InputError(Message(gettext_noop(
            "the file covers %(start)s – %(end)s, which is not within the reporting year %(year)s; "
            "import it into its own year"),
            {"start": str(start or "?"), "end": str(end or "?"), "year": reporting_year.year}), source=name)


# --- Confirm and remove ----------------------------------------------------------------------------

def refuse_overlap(reporting_year: ReportingYear, start: date | None, end: date | None, name: str,
                   other_than: int | None = None) -> None:
    """Refuse to count a ledger whose months an already counted import covers (naming it)."""
    for other in counted_overlapping(reporting_year, start, end, other_than):
        raise InputError(Message(gettext_noop(
            "“%(name)s” already counts for %(start)s – %(end)s; counting this file too would count the same "
            "costs twice. Delete one of them first"), {
                "name": other.filename, "start": _day(other.period_start), "end": _day(other.period_end)}),
            source=name)


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "?"


@transaction.atomic
def confirm_import(imported: LedgerImport, user: User | None) -> LedgerImport:
    """A ready import joins the account (refused on a closed year or in any other state)."""
    ensure_open(imported.reporting_year)
    refuse_overlap(imported.reporting_year, imported.period_start, imported.period_end, imported.filename,
                   other_than=imported.pk)
    updated = LedgerImport.objects.filter(pk=imported.pk, status=Status.READY).update(
        status=Status.CONFIRMED, confirmed_by=user, confirmed_at=timezone.now())
    if not updated:
        raise InputError(Message(gettext_noop(
            "only an import that has been read and is waiting for confirmation can be confirmed")),
            source=imported.filename)
    imported.refresh_from_db()
    return imported


@transaction.atomic
def delete_import(imported: LedgerImport) -> int:
    """Delete an import in any state with its spend lines, postings and stored file; the lines deleted.

    A confirmed import counts in the account, so it is refused on a closed year.
    """
    if imported.status == Status.CONFIRMED:
        ensure_open(imported.reporting_year)
    lines = imported.spend_lines.count()
    stored = imported.stored_file
    imported.delete()
    if stored:
        transaction.on_commit(lambda: default_storage.delete(stored))
    return lines


# --- At once: the command line and the demo --------------------------------------------------------

def import_saft(reporting_year: ReportingYear, source: str | Path | IO[bytes] | Any,
                user: User | None) -> LedgerImport:
    """Import a SAF-T Financial file (a path or an uploaded file) into ``reporting_year`` at once, confirmed.

    Refused, with nothing saved: a closed year (``YearClosed``), the same file (SHA-256) imported into
    the year before (naming that import), a file whose period is not within the reporting year, and
    every fatal problem the reader finds (``InputError``/``InputErrors`` naming the element or line).
    """
    ensure_open(reporting_year)
    with local_file(source) as (path, name):
        digest, size = sha256_of(path)
        _refuse_repeat(reporting_year, digest, name)
        reader: LedgerReader = SaftReader(path)
        reader.source = name
        read = read_ledger(reader)
        _check_period(reporting_year, read.header.period_start, read.header.period_end, name)
        refuse_overlap(reporting_year, read.header.period_start, read.header.period_end, name)
        with path.open("rb") as handle:
            kept = keep(reporting_year, f"ledger-{digest[:12]}", name, File(handle))
    imported = LedgerImport(reporting_year=reporting_year, filename=name[:255], sha256=digest, size=size,
                            progress=size, progress_total=size, created_by=user, kept_file=kept)
    try:
        with transaction.atomic():
            write_import(imported, read, reporting_year.year, status=Status.CONFIRMED, confirmed_by=user,
                         confirmed_at=timezone.now())
    except IntegrityError:  # the same file, imported a moment ago by another request
        forget(kept)
        raise InputError(Message(gettext_noop("this file was already imported")), source=name) from None
    except BaseException:
        forget(kept)
        raise
    return imported
