"""The SAF-T upload of a reporting year: list and upload, progress, summary to confirm, delete.

Reading the file is a background task (:mod:`klimabok.ledger.tasks`); the import's page shows a
progress bar that ``ledger_import.js`` keeps current from ``status.json`` (without script: a
refresh link), then the summary with Confirm / Delete, or the file's problems.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.inventory.access import page_context, year_access, year_upload
from klimabok.ledger import services
from klimabok.ledger.forms import SaftUploadForm
from klimabok.ledger.messages import errors_from_json
from klimabok.ledger.models import LedgerImport
from klimabok.ledger.read_models import import_summary
from klimabok.web.core_messages import tell_outcome

Status = LedgerImport.Status
WAITING = (Status.QUEUED, Status.RUNNING)


@login_required
def imports(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's ledger imports, and the upload form (POST: store the file and queue its reading)."""
    upload = year_upload(request, slug, year, SaftUploadForm, lambda reporting_year, file: (
        services.start_import(reporting_year, file, request.user)))
    if upload.stored is not None:
        return redirect("ledger:import", slug=slug, year=year, pk=upload.stored.pk)
    services.fail_stale_imports(upload.reporting_year)
    rows = (LedgerImport.objects.filter(reporting_year=upload.reporting_year).select_related("created_by")
            .order_by("-created_at", "-id"))
    return render(request, "ledger/imports.html", page_context(
        upload.access, reporting_year=upload.reporting_year, form=upload.form, problems=upload.problems,
        imports=rows,
    ), status=upload.status)


def _import_of(request: HttpRequest, slug: str, year: int, pk: int,
               capability: str) -> tuple[Any, LedgerImport]:
    access, reporting_year = year_access(request, slug, year, capability)
    imported = get_object_or_404(LedgerImport.objects.select_related("created_by", "confirmed_by"),
                                 reporting_year=reporting_year, pk=pk)
    return access, imported


def _current(imported: LedgerImport) -> LedgerImport:
    """The import as it stands, failed if it waits or runs but its worker stopped."""
    if imported.status in WAITING and services.fail_stale_imports(imported.reporting_year):
        imported.refresh_from_db()
    return imported


def _percent(done: int, total: int) -> int:
    return min(100, round(100 * done / total)) if total else 0


@login_required
def detail(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """One import: progress while it is read, then its summary to confirm, or why it failed."""
    access, imported = _import_of(request, slug, year, pk, Capability.VIEW_DATA)
    imported = _current(imported)
    context = page_context(access, reporting_year=imported.reporting_year, imported=imported,
                           waiting=imported.status in WAITING,
                           percent=_percent(imported.progress, imported.progress_total))
    if imported.status == Status.FAILED:
        context["problems"] = errors_from_json(imported.errors)
        context["worker_stopped"] = services.worker_stopped(imported)
    elif imported.status in (Status.READY, Status.CONFIRMED):
        context.update(import_summary(imported))
    return render(request, "ledger/import.html", context)


@login_required
def status(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> JsonResponse:
    """Where the reading stands, for the progress bar (polled every second)."""
    _access, imported = _import_of(request, slug, year, pk, Capability.VIEW_DATA)
    imported = _current(imported)
    return JsonResponse({
        "status": imported.status, "label": str(imported.get_status_display()),
        "progress": imported.progress, "progress_total": imported.progress_total,
        "percent": _percent(imported.progress, imported.progress_total),
        "done": imported.status not in WAITING,
    })


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, imported = _import_of(request, slug, year, pk, Capability.EDIT_DATA)
    if not tell_outcome(request, lambda: services.confirm_import(imported, request.user),
                        lambda _confirmed: _("“%(name)s” is confirmed: its spend now counts in the %(year)s "
                                             "account.") % {"name": imported.filename, "year": year}):
        return redirect("ledger:import", slug=slug, year=year, pk=pk)
    pointers = import_summary(imported)["pointers"]
    for pointer in pointers:
        messages.info(request, pointer.message())
    if pointers:  # the import's page links each one to its form
        return redirect("ledger:import", slug=slug, year=year, pk=pk)
    return redirect("account:account", slug=slug, year=year)


@login_required
@require_POST
def delete(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, imported = _import_of(request, slug, year, pk, Capability.EDIT_DATA)
    if not tell_outcome(request, lambda: services.delete_import(imported),
                        lambda count: _("“%(name)s” and its %(count)s spend lines are deleted.")
                        % {"name": imported.filename, "count": count}):
        return redirect("ledger:import", slug=slug, year=year, pk=pk)
    return redirect("ledger:imports", slug=slug, year=year)
