"""The Excel template, activity-file uploads with row-level errors, and deleting an upload."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.activity_file import write_template_xlsx
from klimabok.core.errors import InputError, KlimabokError, input_errors
from klimabok.inventory import services
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.forms.years import UploadForm
from klimabok.inventory.models import Upload
from klimabok.inventory.read_models import catalogue_for
from klimabok.web.core_messages import localise

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def template_download(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """The activity template for the year, with the catalogue sheet (headers in the user's language)."""
    _access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    buffer = io.BytesIO()
    language = "nb" if (get_language() or "nb").startswith("nb") else "en"
    first_site = reporting_year.organisation.sites.order_by("name").values_list("name", flat=True).first()
    write_template_xlsx(buffer, catalogue_for(reporting_year), reporting_year.year, language=language,
                        site=first_site or "")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"klimabok-{reporting_year.organisation.slug}-{reporting_year.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def upload(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Upload an activity file: all lines are added, or none and every problem is listed."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[InputError] = []
    if request.method == "POST":
        access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
        if form.is_valid():
            try:
                created = services.import_activity_file(reporting_year, form.cleaned_data["file"],
                                                        request.user)
            except KlimabokError as exc:
                problems = input_errors(exc)
            else:
                messages.success(request, _("%(count)s lines from “%(name)s” are added to %(year)s.")
                                 % {"count": created.line_count, "name": created.filename, "year": year})
                return redirect("inventory:upload", slug=slug, year=year)
    uploads = Upload.objects.filter(reporting_year=reporting_year).select_related("uploaded_by")
    return render(request, "inventory/upload.html", page_context(
        access, reporting_year=reporting_year, form=form, problems=problems, uploads=uploads,
    ), status=400 if problems or form.errors else 200)


@login_required
@require_POST
def upload_delete(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    target = get_object_or_404(Upload, reporting_year=reporting_year, pk=pk)
    try:
        count = services.delete_upload(target)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("“%(name)s” and its %(count)s lines are deleted.")
                         % {"name": target.filename, "count": count})
    return redirect("inventory:upload", slug=slug, year=year)
