"""Reports made in the background: a :class:`~klimabok.reports.models.ReportJob` per request, run by the
task worker (:mod:`klimabok.reports.tasks`), its progress written step by step so that the job's page can
show it, and its file kept in the default storage under ``reports/``.

Two kinds of long file go this way from the web pages, so that nobody waits on a request for minutes:

- the auditor's bundle of a large year (every line, every posting, the reports inside it), from the
  reports page; the API and ``klimabok export audit`` still make it at once;
- the account's exports of every line, the workbook (summary and lines) and the lines CSV, from the account
  page: a 100,000-line year has some 170,000 rows, seconds of CSV and minutes of XLSX. Their progress is
  the rows written out of all (:data:`ROW_STEPS`), told every
  :data:`~klimabok.account.exports.PROGRESS_ROWS` rows. The small summary CSV stays a direct download.

A kind writes its file into a temporary file, not into memory, which is then hashed and stored in chunks:
the worker holds a row at a time, whatever the size of the year.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO, Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimabok.account.exports import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    export_filename,
    line_count,
    load_account_export,
    write_lines_csv,
    write_xlsx,
)
from klimabok.accounts.models import User
from klimabok.core.errors import KlimabokError, input_errors
from klimabok.inventory.models import ReportingYear
from klimabok.reports.audit_bundle import BUNDLE_STEPS, build_bundle, bundle_filename
from klimabok.reports.models import ReportJob
from klimabok.web.core_messages import localise

logger = logging.getLogger(__name__)

#: what the job's page says of each step
STEPS = {
    "queued": gettext_lazy("Waiting for the worker"),
    "account": gettext_lazy("Computing the account and writing its lines"),
    "imports": gettext_lazy("Writing the imported files' lines and postings"),
    "adjustments": gettext_lazy("Writing overrides, rules and the scope 3 screening"),
    "audit": gettext_lazy("Checking the audit trail"),
    "reports": gettext_lazy("Making the reports"),
    "packing": gettext_lazy("Packing the ZIP and its manifest"),
    "computing": gettext_lazy("Computing the account"),
    "saving": gettext_lazy("Saving the file"),
    "done": gettext_lazy("Ready"),
}
#: steps counted in rows: the job's progress is then the rows written of ``progress_total``
ROW_STEPS = {
    "lines": gettext_lazy("Writing the lines: %(done)s of %(total)s rows"),
}
#: the steps of the account's exports, in order
EXPORT_STEPS = ("computing", "lines", "saving")
#: how many of the problems that prevent the account a failed job's page lists
FAILURE_PROBLEMS = 20
#: the size of a chunk read from the temporary file to hash and store it
CHUNK_BYTES = 1024 * 1024


class Progress(Protocol):
    """Told each step as it starts; a row step (:data:`ROW_STEPS`) also the rows ``done`` of ``total``."""

    def __call__(self, step: str, done: int | None = None, total: int | None = None) -> None: ...


@dataclass(frozen=True)
class JobKind:
    steps: tuple[str, ...]
    #: writes the file of a year, in a language, into a binary file
    write: Callable[[ReportingYear, str, Progress, BinaryIO], None]
    filename: Callable[[ReportingYear], str]
    content_type: str


def _bundle(reporting_year: ReportingYear, language: str, progress: Progress, out: BinaryIO) -> None:
    out.write(build_bundle(reporting_year, language, progress=progress))


def _export(write: Callable[..., None]) -> Callable[[ReportingYear, str, Progress, BinaryIO], None]:
    """An export of every line: the account computed, its rows written (told every few thousand), saved."""

    def run(reporting_year: ReportingYear, language: str, progress: Progress, out: BinaryIO) -> None:
        with translation.override(language):
            progress("computing")
            export = load_account_export(reporting_year)
            total = line_count(export)
            progress("lines", 0, total)
            write(export, out, lambda done: progress("lines", done, total))
            progress("saving", total, total)

    return run


def _export_name(extension: str, part: str = "") -> Callable[[ReportingYear], str]:
    """The direct download's name (:func:`~klimabok.account.exports.export_filename`)."""
    return lambda year: export_filename(year.organisation.slug, year.year, extension, part)


KINDS = {
    ReportJob.Kind.AUDIT_BUNDLE: JobKind(BUNDLE_STEPS, _bundle, bundle_filename, "application/zip"),
    ReportJob.Kind.ACCOUNT_XLSX: JobKind(EXPORT_STEPS, _export(write_xlsx), _export_name("xlsx"),
                                         XLSX_CONTENT_TYPE),
    ReportJob.Kind.LINES_CSV: JobKind(EXPORT_STEPS, _export(write_lines_csv), _export_name("csv", "lines"),
                                      CSV_CONTENT_TYPE),
}


def step_label(job: ReportJob) -> str:
    """What the job's page says it is doing: its step, with the rows written in a row step."""
    if job.step in ROW_STEPS:
        return ROW_STEPS[job.step] % {"done": number_format(job.progress, force_grouping=True),
                                      "total": number_format(job.progress_total, force_grouping=True)}
    return str(STEPS.get(job.step, job.get_status_display()))


def start_job(reporting_year: ReportingYear, kind: str, language: str, user: User) -> ReportJob:
    """A queued job; the worker gets it once the caller's transaction commits."""
    job = ReportJob.objects.create(
        reporting_year=reporting_year, kind=kind, language=language, requested_by=user, step="queued",
        progress_total=len(KINDS[ReportJob.Kind(kind)].steps) + 1,
    )

    def enqueue() -> None:
        from klimabok.reports.tasks import make_report

        make_report.enqueue(job.pk)

    transaction.on_commit(enqueue)
    return job


def run_job(job: ReportJob) -> ReportJob:
    """Make the job's file, writing each step as it starts; a failure is recorded, never raised."""
    kind = KINDS[ReportJob.Kind(job.kind)]
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.RUNNING, started_at=timezone.now())

    def progress(step: str, done: int | None = None, total: int | None = None) -> None:
        if total is None:  # a step of the kind's steps, counted as one
            ReportJob.objects.filter(pk=job.pk).update(step=step, progress=kind.steps.index(step))
        else:
            ReportJob.objects.filter(pk=job.pk).update(step=step, progress=done or 0, progress_total=total)

    reporting_year = job.reporting_year
    with tempfile.TemporaryFile() as out:
        try:
            kind.write(reporting_year, job.language, progress, out)
            size, sha256 = _size_and_sha256(out)
            name = default_storage.save(f"reports/{reporting_year.organisation.slug}/job-{job.pk}.bin",
                                        File(out))
        except Exception as exc:
            logger.exception("report job %s (%s) failed", job.pk, job.kind)
            ReportJob.objects.filter(pk=job.pk).update(
                status=ReportJob.Status.FAILED, error=_failure(exc, job.language),
                data_problem=isinstance(exc, KlimabokError), finished_at=timezone.now())
            job.refresh_from_db()
            return job
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE, step="done", progress=F("progress_total"), file=name,
        filename=kind.filename(reporting_year), size=size, sha256=sha256, finished_at=timezone.now())
    job.refresh_from_db()
    if job.kind in SUPERSEDED:
        for earlier in ReportJob.objects.filter(reporting_year_id=job.reporting_year_id, kind=job.kind,
                                                language=job.language, requested_by_id=job.requested_by_id,
                                                status=ReportJob.Status.DONE, pk__lt=job.pk):
            earlier.delete()  # its file with it (klimabok.reports.apps)
    return job


def _size_and_sha256(out: BinaryIO) -> tuple[int, str]:
    """The written file's size and SHA-256, read back in chunks; the file left at its start to be stored."""
    out.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := out.read(CHUNK_BYTES):
        digest.update(chunk)
        size += len(chunk)
    out.seek(0)
    return size, digest.hexdigest()


def _failure(exc: Exception, language: str) -> str:
    """What the job's page says went wrong: an account that cannot be computed in words (its first
    problems), anything else as its type and message."""
    if isinstance(exc, KlimabokError):
        with translation.override(language):
            problems = [localise(problem) for problem in input_errors(exc)]
            shown = "\n".join(problems[:FAILURE_PROBLEMS])
            more = len(problems) - FAILURE_PROBLEMS
            return _("The account cannot be computed until these lines are fixed:") + "\n" + shown + (
                "\n" + _("… and %(count)s more") % {"count": more} if more > 0 else "")
    return f"{type(exc).__name__}: {exc}"


def delete_job(job: ReportJob) -> None:
    """The job and its file (:func:`delete_file`, on every deletion of a job: its year's included)."""
    job.delete()


def delete_file(job: ReportJob) -> None:
    """``post_delete`` of a job: its file goes with it, however the job was deleted."""
    if job.file:
        default_storage.delete(job.file)


#: An export of every line is the year's data as it is now: a user's newer one of the same year, kind and
#: language replaces theirs (its file is deleted when the newer is ready; another user's stays theirs).
#: An auditor's bundle is evidence with its SHA-256 and is only deleted by age (:func:`clean_jobs`).
SUPERSEDED = (ReportJob.Kind.ACCOUNT_XLSX, ReportJob.Kind.LINES_CSV)


@dataclass(frozen=True)
class Cleaned:
    """What :func:`clean_jobs` deleted: jobs (with their files) and the bytes of those files."""

    jobs: int
    bytes: int


def clean_jobs(now: datetime | None = None, keep_days: int | None = None) -> Cleaned:
    """Delete the jobs finished more than ``keep_days`` (``KLIMABOK_REPORT_JOBS_KEEP_DAYS``) ago with
    their files, and those queued or running since before then (their worker never came back)."""
    now = now or timezone.now()
    days = keep_days if keep_days is not None else settings.KLIMABOK_REPORT_JOBS_KEEP_DAYS
    cutoff = now - timedelta(days=days)
    old = ReportJob.objects.filter(
        Q(finished_at__lt=cutoff)
        | Q(status__in=[ReportJob.Status.QUEUED, ReportJob.Status.RUNNING], created_at__lt=cutoff))
    count = size = 0
    for job in old:
        size += job.size
        job.delete()
        count += 1
    return Cleaned(count, size)
