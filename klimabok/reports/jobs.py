"""Reports made in the background: a :class:`~klimabok.reports.models.ReportJob` per request, run by the
task worker (:mod:`klimabok.reports.tasks`), its progress written step by step so that the job's page can
show it, and its file kept in the default storage under ``reports/``.

The auditor's bundle of a large year is the long one (every line, every posting, the reports inside it),
so it goes this way from the reports page; the API and ``klimabok export audit`` still make it at once.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klimabok.accounts.models import User
from klimabok.inventory.models import ReportingYear
from klimabok.reports.audit_bundle import BUNDLE_STEPS, build_bundle, bundle_filename
from klimabok.reports.models import ReportJob

logger = logging.getLogger(__name__)

#: what the job's page says of each step
STEPS = {
    "queued": _("Waiting for the worker"),
    "account": _("Computing the account and writing its lines"),
    "imports": _("Writing the imported files' lines and postings"),
    "adjustments": _("Writing overrides, rules and the scope 3 screening"),
    "audit": _("Checking the audit trail"),
    "reports": _("Making the reports"),
    "packing": _("Packing the ZIP and its manifest"),
    "done": _("Ready"),
}

Progress = Callable[[str], None]


@dataclass(frozen=True)
class JobKind:
    steps: tuple[str, ...]
    build: Callable[[ReportingYear, str, Progress], bytes]
    filename: Callable[[ReportingYear], str]
    content_type: str


def _bundle(reporting_year: ReportingYear, language: str, progress: Progress) -> bytes:
    return build_bundle(reporting_year, language, progress=progress)


KINDS = {
    ReportJob.Kind.AUDIT_BUNDLE: JobKind(BUNDLE_STEPS, _bundle, bundle_filename, "application/zip"),
}


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

    def progress(step: str) -> None:
        done = kind.steps.index(step)
        ReportJob.objects.filter(pk=job.pk).update(step=step, progress=done)

    reporting_year = job.reporting_year
    try:
        data = kind.build(reporting_year, job.language, progress)
    except Exception as exc:
        logger.exception("report job %s (%s) failed", job.pk, job.kind)
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}", finished_at=timezone.now())
        job.refresh_from_db()
        return job
    name = default_storage.save(f"reports/{reporting_year.organisation.slug}/job-{job.pk}.bin",
                                ContentFile(data))
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.DONE, step="done", progress=len(kind.steps) + 1, file=name,
        filename=kind.filename(reporting_year), size=len(data), sha256=hashlib.sha256(data).hexdigest(),
        finished_at=timezone.now())
    job.refresh_from_db()
    return job


def delete_job(job: ReportJob) -> None:
    """The job and its file."""
    if job.file:
        default_storage.delete(job.file)
    job.delete()
