"""The GHG inventory report and the board summary of a year, as PDFs (issue 13 §1, §4, §7).

Every member who may view the account's summary reads them (VIEW_SUMMARY, as the Miljøfyrtårn
report); another organisation's year is a 404. A year with no lines, or whose account cannot be
computed, gets a message on the reports page instead of an empty PDF.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.core.report.ghg_inventory import InventoryReport
from klimabok.inventory.access import year_access
from klimabok.reports.ghg_pdf import render_board_summary_pdf, render_inventory_pdf
from klimabok.reports.ghg_read import load_inventory_report
from klimabok.web.core_messages import localise


def _pdf(request: AuthenticatedHttpRequest, slug: str, year: int, name: str,
         render: Callable[[InventoryReport, dict[str, str]], bytes]) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    try:
        page = load_inventory_report(reporting_year)
    except KlimabokError as exc:
        messages.error(request, _("The account of %(year)s cannot be computed: %(error)s")
                       % {"year": year, "error": localise(exc)})
        return redirect("reports:index", slug=access.organisation.slug)
    if page.report.empty:
        messages.warning(request, _("%(year)s has no lines yet: there is nothing to report. Enter activity "
                                    "data or import a ledger first.") % {"year": year})
        return redirect("reports:index", slug=access.organisation.slug)
    response = HttpResponse(render(page.report, page.activity_names), content_type="application/pdf")
    draft = "-draft" if page.report.draft else ""
    response["Content-Disposition"] = (
        f'inline; filename="{name}-{access.organisation.slug}-{year}{draft}.pdf"')
    return response


@login_required
@require_safe
def inventory_pdf(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    return _pdf(request, slug, year, "ghg-inventory", render_inventory_pdf)


@login_required
@require_safe
def board_summary_pdf(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    return _pdf(request, slug, year, "board-summary", render_board_summary_pdf)
