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
from klimabok.inventory import services
from klimabok.inventory.access import page_context, year_access, year_upload
from klimabok.inventory.forms.years import UploadForm
from klimabok.inventory.models import Upload
from klimabok.inventory.read_models import catalogue_for
from klimabok.web.core_messages import tell_outcome

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
    upload = year_upload(request, slug, year, UploadForm, lambda reporting_year, file: (
        services.import_activity_file(reporting_year, file, request.user)))
    if upload.stored is not None:
        messages.success(request, _("%(count)s lines from “%(name)s” are added to %(year)s.")
                         % {"count": upload.stored.line_count, "name": upload.stored.filename, "year": year})
        return redirect("inventory:upload", slug=slug, year=year)
    uploads = Upload.objects.filter(reporting_year=upload.reporting_year).select_related("uploaded_by")
    return render(request, "inventory/upload.html", page_context(
        upload.access, reporting_year=upload.reporting_year, form=upload.form, problems=upload.problems,
        uploads=uploads,
    ), status=upload.status)


@login_required
@require_POST
def upload_delete(request: AuthenticatedHttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    target = get_object_or_404(Upload, reporting_year=reporting_year, pk=pk)
    tell_outcome(request, lambda: services.delete_upload(target),
                 lambda count: _("“%(name)s” and its %(count)s lines are deleted.")
                 % {"name": target.filename, "count": count})
    return redirect("inventory:upload", slug=slug, year=year)
