"""The SAF-T upload of a reporting year: list and upload, progress, summary to confirm, delete.

Reading the file is a background task (:mod:`klimabok.ledger.tasks`); the import's page shows a
progress bar that ``ledger_import.js`` keeps current from ``status.json`` (without script: a
refresh link), then the summary with Confirm / Delete, or the file's problems.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError, input_errors
from klimabok.core.spend import ATTRIBUTION
from klimabok.core.spend import categories as spend_categories
from klimabok.inventory.access import page_context, year_access
from klimabok.ledger import services
from klimabok.ledger.messages import errors_from_json, message_from_json
from klimabok.ledger.models import LedgerImport
from klimabok.web.core_messages import localise

Status = LedgerImport.Status
WAITING = (Status.QUEUED, Status.RUNNING)


class SaftUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("SAF-T Financial file (XML)"))


@login_required
def imports(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's ledger imports, and the upload form (POST: store the file and queue its reading)."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    form = SaftUploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST":
        access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
        if form.is_valid():
            try:
                imported = services.start_import(reporting_year, form.cleaned_data["file"],
                                                 request.user)  # type: ignore[arg-type]
            except KlimabokError as exc:
                problems = input_errors(exc)
            else:
                return redirect("ledger:import", slug=slug, year=year, pk=imported.pk)
    services.fail_stale_imports(reporting_year)
    rows = (LedgerImport.objects.filter(reporting_year=reporting_year).select_related("created_by")
            .order_by("-created_at", "-id"))
    return render(request, "ledger/imports.html", page_context(
        access, reporting_year=reporting_year, form=form, problems=problems, imports=rows,
    ), status=400 if problems or form.errors else 200)


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
def detail(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
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
        context.update(_summary(imported))
    return render(request, "ledger/import.html", context)


def _summary(imported: LedgerImport) -> dict[str, Any]:
    """What the summary shows beside the import's own fields: shares, categories, messages."""
    cover = imported.coverage or {}
    own = imported.reporting_year.organisation.org_number.replace(" ", "")
    theirs = imported.org_number.replace(" ", "")
    lines = imported.spend_lines.aggregate(
        total=Count("id"), mapped=Count("id", filter=Q(excluded="") & ~Q(category="")),
        excluded=Count("id", filter=~Q(excluded="")))
    table = {c.key: c for c in spend_categories()}
    categories = (imported.spend_lines.filter(excluded="").exclude(category="").values("category")
                  .annotate(nok=Sum("net_nok"), t_co2e=Sum("t_co2e")).order_by("-t_co2e"))
    return {
        "org_number_differs": bool(own and theirs and theirs != own),
        "overlapping": services.counted_overlapping(imported.reporting_year, imported.period_start,
                                                    imported.period_end, other_than=imported.pk)
        if imported.status == Status.READY else [],
        "shares": {key: 100 * float(cover.get(f"{key}_share", 0))
                   for key in ("mapped", "excluded", "unmapped")},
        "cover": cover,
        "spend_line_counts": lines,
        "categories": [{"spend": table.get(c["category"]), "key": c["category"], "nok": float(c["nok"] or 0),
                        "t_co2e": float(c["t_co2e"] or Decimal(0))} for c in categories],
        "warnings": [message_from_json(w) for w in imported.warnings],
        "notes": [message_from_json(n) for n in imported.notes],
        "attribution": ATTRIBUTION,
    }


@login_required
def status(request: HttpRequest, slug: str, year: int, pk: int) -> JsonResponse:
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
def confirm(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, imported = _import_of(request, slug, year, pk, Capability.EDIT_DATA)
    try:
        services.confirm_import(imported, request.user)  # type: ignore[arg-type]
    except KlimabokError as exc:
        messages.error(request, localise(exc))
        return redirect("ledger:import", slug=slug, year=year, pk=pk)
    messages.success(request, _("“%(name)s” is confirmed: its spend now counts in the %(year)s account.")
                     % {"name": imported.filename, "year": year})
    return redirect("account:account", slug=slug, year=year)


@login_required
@require_POST
def delete(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, imported = _import_of(request, slug, year, pk, Capability.EDIT_DATA)
    try:
        count = services.delete_import(imported)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
        return redirect("ledger:import", slug=slug, year=year, pk=pk)
    messages.success(request, _("“%(name)s” and its %(count)s spend lines are deleted.")
                     % {"name": imported.filename, "count": count})
    return redirect("ledger:imports", slug=slug, year=year)
