"""VSME B3/C3 and ESRS E1 datapoints of a year, as JSON and XLSX (issue 13 §2).

The same rights as the account summary (VIEW_SUMMARY): the figures are the account's. An open year's
export says it is a draft (``"draft": true`` in the JSON, a banner row in the XLSX). A year whose account
cannot be computed gets the reason on the reports page instead of an empty file.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import InputError
from klimabok.core.report.esrs import esrs_json
from klimabok.core.report.ixbrl import IxbrlUnavailable
from klimabok.core.report.ixbrl import document as ixbrl_document
from klimabok.core.report.vsme import datapoints, fill_template, template_json
from klimabok.inventory.access import year_access
from klimabok.reports.datapoints import esrs_xlsx, load_esrs, load_year_facts, vsme_template
from klimabok.reports.exports import XLSX_TYPE
from klimabok.reports.ghg_read import report_date
from klimabok.web.core_messages import localise


def _draft(year: int) -> str:
    return _("DRAFT: the year %(year)s is open; its figures may still change.") % {"year": year}


def _cannot(
    request: AuthenticatedHttpRequest, slug: str, year: int, problems: list[InputError]
) -> HttpResponse:
    reason = "; ".join(str(localise(p.message)) for p in problems[:3])
    messages.error(
        request,
        _("The %(year)s account cannot be computed, so it has no datapoints: %(reason)s")
        % {"year": year, "reason": reason},
    )
    return redirect("reports:index", slug=slug)


def _download(data: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
def vsme_json(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    loaded = load_year_facts(reporting_year)
    if loaded.facts is None:
        return _cannot(request, access.organisation.slug, year, loaded.problems)
    data = template_json(datapoints(loaded.facts))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return _download(body, "application/json", f"vsme-{access.organisation.slug}-{year}.json")


@login_required
@require_safe
def vsme_ixbrl(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """B3 and C3 as an Inline XBRL document (:mod:`klimabok.core.report.ixbrl`); it needs the LEI."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    loaded = load_year_facts(reporting_year)
    if loaded.facts is None:
        return _cannot(request, access.organisation.slug, year, loaded.problems)
    try:
        data = ixbrl_document(datapoints(loaded.facts), made_on=report_date(reporting_year))
    except IxbrlUnavailable:
        messages.error(request, _(
            "The iXBRL report needs the organisation's LEI (legal entity identifier): XBRL names the "
            "reporting company by a standard identifier, and the organisation number is not one. An "
            "administrator records it under Settings → Identifier scheme for VSME reports."))
        return redirect("reports:index", slug=access.organisation.slug)
    return _download(data, "application/xhtml+xml", f"vsme-{access.organisation.slug}-{year}.xhtml")


@login_required
@require_safe
def vsme_xlsx(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    template = vsme_template()
    if template is None:
        raise Http404("no VSME template configured")
    loaded = load_year_facts(reporting_year)
    if loaded.facts is None:
        return _cannot(request, access.organisation.slug, year, loaded.problems)
    data = fill_template(
        template, datapoints(loaded.facts), draft_text=_draft(year), org_number_label=_("Organisation number")
    )
    return _download(data, XLSX_TYPE, f"vsme-{access.organisation.slug}-{year}.xlsx")


@login_required
@require_safe
def esrs_e1_json(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    report, problems = load_esrs(reporting_year)
    if report is None:
        return _cannot(request, access.organisation.slug, year, problems)
    body = json.dumps(esrs_json(report), ensure_ascii=False, indent=2)
    return _download(body, "application/json", f"esrs-e1-{access.organisation.slug}-{year}.json")


@login_required
@require_safe
def esrs_e1_xlsx(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    report, problems = load_esrs(reporting_year)
    if report is None:
        return _cannot(request, access.organisation.slug, year, problems)
    title = _("ESRS E1 datapoints %(year)s · %(organisation)s") % {
        "year": year,
        "organisation": report.organisation,
    }
    data = esrs_xlsx(report, title, _draft(year))
    return _download(data, XLSX_TYPE, f"esrs-e1-{access.organisation.slug}-{year}.xlsx")
