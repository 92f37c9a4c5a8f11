"""Reports made by the task worker: start one, follow its progress, download its file (:mod:`..jobs`).

Whoever may read the account's lines (VIEW_DATA) starts and follows the auditor's bundle and the account's
exports of every line, as for the direct downloads; an employee gets 403, another organisation's user 404
(its jobs are not found).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_POST, require_safe

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.inventory.access import page_context, year_access
from klimabok.reports.jobs import KINDS, start_job, step_label
from klimabok.reports.models import ReportJob

#: the account page's export buttons (``account:account_export``'s formats) and the job that makes each
EXPORT_KINDS = {"xlsx": ReportJob.Kind.ACCOUNT_XLSX, "lines.csv": ReportJob.Kind.LINES_CSV}


def _language() -> str:
    return "en" if (get_language() or "").startswith("en") else "nb"


def _job(request: AuthenticatedHttpRequest, slug: str, pk: int) -> tuple[object, ReportJob]:
    access = org_access(request, slug, Capability.VIEW_DATA)
    job = get_object_or_404(ReportJob.objects.select_related("reporting_year"), pk=pk,
                            reporting_year__organisation=access.organisation)
    return access, job


@login_required
@require_POST
def start_audit_bundle(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    job = start_job(reporting_year, ReportJob.Kind.AUDIT_BUNDLE, _language(), request.user)
    return redirect("reports:job", slug=slug, pk=job.pk)


@login_required
@require_POST
def start_account_export(request: AuthenticatedHttpRequest, slug: str, year: int, fmt: str) -> HttpResponse:
    """The account page's "Excel" and "Lines (CSV)": every line of a large year takes seconds to minutes, so
    the worker writes the file and the job's page offers it (the same bytes as the direct download)."""
    _access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    if fmt not in EXPORT_KINDS:
        raise Http404
    job = start_job(reporting_year, EXPORT_KINDS[fmt], _language(), request.user)
    return redirect("reports:job", slug=slug, pk=job.pk)


@login_required
@require_safe
def job_page(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access, job = _job(request, slug, pk)
    waiting = job.status in (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING)
    if job.kind == ReportJob.Kind.AUDIT_BUNDLE:
        back_url = reverse("reports:index", args=[slug]) + "#audit-bundle"
    else:
        back_url = reverse("account:account", args=[slug, job.reporting_year.year])
    return render(request, "reports/job.html", page_context(
        access, job=job, waiting=waiting, step_label=step_label(job),  # type: ignore[arg-type]
        back_url=back_url, to_account=job.kind != ReportJob.Kind.AUDIT_BUNDLE,
    ))


@login_required
@require_safe
def job_status(request: AuthenticatedHttpRequest, slug: str, pk: int) -> JsonResponse:
    _access, job = _job(request, slug, pk)
    done = job.status in (ReportJob.Status.DONE, ReportJob.Status.FAILED)
    return JsonResponse({"status": job.status, "done": done, "percent": job.percent,
                         "label": step_label(job)})


@login_required
@require_safe
def job_download(request: AuthenticatedHttpRequest, slug: str, pk: int) -> FileResponse:
    _access, job = _job(request, slug, pk)
    if job.status != ReportJob.Status.DONE or not job.file or not default_storage.exists(job.file):
        raise Http404("the report is not made (yet)")
    return FileResponse(default_storage.open(job.file, "rb"), as_attachment=True, filename=job.filename,
                        content_type=KINDS[ReportJob.Kind(job.kind)].content_type)
