"""The general-ledger CSV/XLSX import: upload, preview under a column mapping, import or cancel.

Upload (the form on the year's ledger page) stages the file (:mod:`klimabok.ledger.gl_staging`) and
opens its preview: one ``<select>`` per role, pre-filled by the guess from the headers, and the first
rows as that mapping reads them, each row's problems beside it. "Preview again" reads them under the
chosen mapping; "Import" queues the file into the same pipeline as SAF-T (``kind="gl"``) and opens
that import's page (progress, summary to confirm, or the rows that failed); "Cancel" drops the file.
Writing needs ``EDIT_DATA`` as the SAF-T upload does; another organisation's URL is a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimabok.accounts.roles import Capability
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.core.gl import ROLES, ColumnMapping, ParsedRow, Preview
from klimabok.inventory.access import page_context, year_access
from klimabok.ledger import gl_staging
from klimabok.web.core_messages import localise


class GlUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("General-ledger export (CSV or XLSX)"))


class MappingForm(forms.Form):
    """One choice per role: a column of the file (by position) or none."""

    def __init__(self, headers: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("– not in the file –")), *((str(i), name) for i, name in enumerate(headers))]
        for role, label in ROLES.items():
            self.fields[role] = forms.TypedChoiceField(label=capfirst(localise(label)), choices=choices,
                                                       coerce=int, empty_value=None, required=False)

    def mapping(self) -> ColumnMapping:
        return {role: column for role, column in self.cleaned_data.items() if column is not None}


@login_required
def gl_upload(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Stage an uploaded export and open its preview (GET: the form on a page of its own)."""
    access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    form = GlUploadForm(request.POST or None, request.FILES or None)
    problems: list[InputError] = []
    if request.method == "POST" and form.is_valid():
        try:
            staged = gl_staging.stage_upload(request.session, reporting_year, form.cleaned_data["file"])
        except KlimabokError as exc:
            problems = input_errors(exc)
        else:
            return redirect("ledger:gl_preview", slug=slug, year=year, token=staged.token)
    return render(request, "ledger/gl_upload.html", page_context(
        access, reporting_year=reporting_year, form=form, problems=problems,
    ), status=400 if problems or form.errors else 200)


@login_required
def gl_preview(request: HttpRequest, slug: str, year: int, token: str) -> HttpResponse:
    """The staged file's first rows under a mapping; POST ``action``: preview, import or cancel."""
    access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    staged = gl_staging.staged_upload(request.session, reporting_year, token)
    if staged is None:
        raise Http404
    action = request.POST.get("action", "preview") if request.method == "POST" else "preview"
    if action == "cancel":
        gl_staging.discard(request.session, staged)
        messages.info(request, _("“%(name)s” was not imported.") % {"name": staged.name})
        return redirect("ledger:imports", slug=slug, year=year)
    problems: list[InputError] = []
    shown: Preview = gl_staging.preview_staged(request.session, staged, reporting_year, None)
    form = MappingForm(shown.headers, request.POST if request.method == "POST" else None,
                       initial={role: str(column) for role, column in shown.mapping.items()})
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        if action == "import":
            try:
                imported = gl_staging.import_staged(request.session, staged, reporting_year, mapping,
                                                    request.user)  # type: ignore[arg-type]
            except KlimabokError as exc:
                problems = input_errors(exc)
            else:
                return redirect("ledger:import", slug=slug, year=year, pk=imported.pk)
        shown = gl_staging.preview_staged(request.session, staged, reporting_year, mapping)
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
