"""What an operator reads in the log (settings.LOGGING, stderr): a ledger import started, finished or
failed with its counts, and the background task around it, with the exception when it broke."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from klimabok.accounts.models import Organisation
from klimabok.core.gl import guess_mapping
from klimabok.inventory.models import ReportingYear
from klimabok.ledger import tasks
from klimabok.ledger.models import LedgerImport
from klimabok.ledger.services import process_import, start_import

pytestmark = pytest.mark.django_db

# One voucher: 25 000 NOK of rent against the bank.
RENT = ("Konto;Kontonavn;Dato;Bilagsnr;Beløp\n"
        "6300;Leie lokaler;15.01.2025;1;25 000,00\n"
        "1920;Bank;15.01.2025;1;-25 000,00\n")


@pytest.fixture
def year(tmp_path: Path, settings: Any) -> ReportingYear:
    settings.MEDIA_ROOT = tmp_path / "media"
    nordlys = Organisation.objects.create(slug="nordlys", name="Nordlys Kundesenter AS")
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


def queued(year: ReportingYear, content: str) -> LedgerImport:
    mapping = guess_mapping(content.split("\n", 1)[0].split(";"))
    return start_import(year, SimpleUploadedFile("hovedbok.csv", content.encode()), None,
                        kind=LedgerImport.Kind.GL, options={"mapping": mapping})


def test_a_ledger_import_logs_its_start_and_what_it_read(year: ReportingYear,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    waiting = queued(year, RENT)
    with caplog.at_level(logging.INFO, logger="klimabok"):
        imported = process_import(waiting)
    assert imported.status == LedgerImport.Status.READY
    size = len(RENT.encode())
    assert caplog.messages == [
        f"ledger import {imported.pk} started: hovedbok.csv (gl, {size} bytes) for "
        "Nordlys Kundesenter AS 2025",
        f"ledger import {imported.pk} finished: 1 transactions, 2 ledger lines from hovedbok.csv",
    ]
    assert {r.name for r in caplog.records} == {"klimabok.ledger.services.imports"}


def test_a_failed_ledger_import_logs_how_many_errors_and_the_first(year: ReportingYear,
                                                                   caplog: pytest.LogCaptureFixture) -> None:
    waiting = queued(year, RENT.replace("25 000,00", "abc", 1))
    with caplog.at_level(logging.INFO, logger="klimabok"):
        imported = process_import(waiting)
    assert imported.status == LedgerImport.Status.FAILED
    failed = caplog.records[-1]
    assert failed.levelname == "WARNING"
    assert failed.getMessage() == (f"ledger import {imported.pk} (hovedbok.csv) failed: 1 error(s), "
                                   "the first: hovedbok.csv, row 2, column Beløp: 'abc' is not an amount")


def test_the_import_task_logs_its_start_end_and_a_failure_with_the_exception(
        year: ReportingYear, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    waiting = queued(year, RENT)
    with caplog.at_level(logging.INFO, logger="klimabok.ledger.tasks"):
        assert tasks.process_ledger_import.call(waiting.pk) == "ready"
    task_log = [r.getMessage() for r in caplog.records if r.name == "klimabok.ledger.tasks"]
    assert task_log == [f"task process_ledger_import({waiting.pk}) started",
                        f"task process_ledger_import({waiting.pk}) ended: ready"]
    caplog.clear()

    def broken(imported: LedgerImport) -> LedgerImport:
        raise OSError("No space left on device")

    monkeypatch.setattr(tasks, "process_import", broken)
    with caplog.at_level(logging.INFO, logger="klimabok.ledger.tasks"), \
            pytest.raises(OSError, match=r"^No space left on device$"):
        tasks.process_ledger_import.call(waiting.pk)
    failure = caplog.records[-1]
    assert failure.levelname == "ERROR"
    assert failure.getMessage() == f"task process_ledger_import({waiting.pk}) failed"
    assert failure.exc_info is not None and "No space left on device" in caplog.text


def test_a_busy_database_skips_a_progress_step_instead_of_failing_the_file(
        year: ReportingYear, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """The browser test's flake (issue 9 §6): the worker's progress write met the web process's lock
    ("database table is locked") and the whole import failed 'unexpectedly'. Progress is best effort."""
    from django.db import OperationalError
    from django.db.models.query import QuerySet

    update = QuerySet.update
    refused: list[int] = []

    def busy_for_progress(self: QuerySet[Any], **fields: Any) -> int:
        if "progress" in fields and "status" not in fields:
            refused.append(fields["progress"])
            raise OperationalError("database table is locked: ledger_ledgerimport")
        return update(self, **fields)

    monkeypatch.setattr(QuerySet, "update", busy_for_progress)
    # 600 vouchers of 100 NOK: 1 200 lines, so the reader reports progress after line 1 000
    rows = "".join(f"6300;Leie lokaler;15.01.2025;{n};100,00\n1920;Bank;15.01.2025;{n};-100,00\n"
                   for n in range(1, 601))
    waiting = queued(year, RENT.split("\n", 1)[0] + "\n" + rows)
    with caplog.at_level(logging.INFO, logger="klimabok"):
        imported = process_import(waiting)
    assert (imported.status, imported.line_count, len(refused)) == (LedgerImport.Status.READY, 1200, 1)
    assert (f"ledger import {imported.pk}: progress not saved (database table is locked: ledger_ledgerimport)"
            in caplog.messages)
