"""The auditor's bundle of a year as a download (:mod:`klimabok.reports.audit_bundle`).

Whoever may read the account's lines and exports (VIEW_DATA: the auditor, the administrator, the
ombudsman, a contributor and the climate partner) downloads it; an employee gets 403, another
organisation's user 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.inventory.access import year_access
from klimabok.reports.audit_bundle import build_bundle, bundle_filename


@login_required
@require_safe
def download(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    language = "en" if (get_language() or "").startswith("en") else "nb"
    response = HttpResponse(build_bundle(reporting_year, language), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{bundle_filename(reporting_year)}"'
    return response
