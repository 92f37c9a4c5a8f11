"""The general-ledger CSV/XLSX import: upload, preview under a column mapping, import or cancel.

Upload (the form on the year's ledger page) stages the file
(:mod:`klimabok.ledger.services.general_ledger`) and opens its preview: one ``<select>`` per role,
pre-filled by the guess from the headers, and the first rows as that mapping reads them, each row's
problems beside it. "Preview again" reads them under the chosen mapping; "Import" queues the file
into the same pipeline as SAF-T (``kind="gl"``) and opens that import's page (progress, summary to
confirm, or the rows that failed); "Cancel" drops the file. Writing needs ``EDIT_DATA`` as the
SAF-T upload does; another organisation's URL is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.core.gl import ROLES, ColumnMapping, ParsedRow, Preview
from klimabok.inventory.access import page_context, year_access, year_upload
from klimabok.ledger import services
from klimabok.ledger.forms import GlUploadForm, MappingForm


@login_required
def gl_upload(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Stage an uploaded export and open its preview (GET: the form on a page of its own)."""
    upload = year_upload(request, slug, year, GlUploadForm, lambda reporting_year, file: (
        services.stage_upload(request.session, reporting_year, file)), capability=Capability.EDIT_DATA)
    if upload.stored is not None:
        return redirect("ledger:gl_preview", slug=slug, year=year, token=upload.stored.token)
    return render(request, "ledger/gl_upload.html", page_context(
        upload.access, reporting_year=upload.reporting_year, form=upload.form, problems=upload.problems,
    ), status=upload.status)


@login_required
def gl_preview(request: AuthenticatedHttpRequest, slug: str, year: int, token: str) -> HttpResponse:
    """The staged file's first rows under a mapping; POST ``action``: preview, import or cancel."""
    access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    staged = services.staged_upload(request.session, reporting_year, token)
    if staged is None:
        raise Http404
    action = request.POST.get("action", "preview") if request.method == "POST" else "preview"
    if action == "cancel":
        services.discard(request.session, staged)
        messages.info(request, _("“%(name)s” was not imported.") % {"name": staged.name})
        return redirect("ledger:imports", slug=slug, year=year)
    problems: list[InputError] = []
    shown: Preview = services.preview_staged(request.session, staged, reporting_year, None)
    form = MappingForm(shown.headers, request.POST if request.method == "POST" else None,
                       initial={role: str(column) for role, column in shown.mapping.items()})
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        if action == "import":
            try:
                imported = services.import_staged(request.session, staged, reporting_year, mapping,
                                                    request.user)
            except KlimabokError as exc:
                problems = input_errors(exc)
            else:
                return redirect("ledger:import", slug=slug, year=year, pk=imported.pk)
        shown = services.preview_staged(request.session, staged, reporting_year, mapping)
    return render(request, "ledger/gl_preview.html", page_context(
        access, reporting_year=reporting_year, staged=staged, form=form, problems=problems or shown.problems,
        columns=[(ROLES[role], shown.headers[column]) for role, column in shown.mapping.items()],
        rows=[_row(row, shown.mapping) for row in shown.rows],
    ), status=400 if problems or form.errors else 200)


def _row(row: ParsedRow, mapping: ColumnMapping) -> dict[str, Any]:
    """A preview row as the table shows it: the mapped cells in role order, the amount read, problems,
    why it is skipped (a total row)."""
    cells = [row.cells[column] if column < len(row.cells) else "" for column in mapping.values()]
    return {"number": row.number, "cells": cells, "amount": row.line.amount if row.line else None,
            "problems": row.problems, "skipped": row.skipped}
