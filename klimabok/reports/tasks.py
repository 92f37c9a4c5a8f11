"""The background task that makes a report (``manage.py db_worker`` runs it; :mod:`klimabok.reports.jobs`)."""

from __future__ import annotations

import logging

from django_tasks import task

from klimabok.reports.jobs import run_job
from klimabok.reports.models import ReportJob

logger = logging.getLogger(__name__)


@task()
def make_report(job_id: int) -> str | None:
    """Make the job's file (nothing when the job was deleted meanwhile); its final status."""
    logger.info("task make_report(%s) started", job_id)
    job = ReportJob.objects.select_related("reporting_year__organisation").filter(pk=job_id).first()
    status = None if job is None else run_job(job).status
    logger.info("task make_report(%s) ended: %s", job_id, status or "job deleted")
    return status
