"""The Miljøfyrtårn annual report of a year: the page, its XLSX and PDF, and the form of entered figures.

Every member reads the report (Miljøfyrtårn shares it with all employees); the ombudsman, the
administrator and the climate partner (MANAGE_PLAN, as for the plan it reports on) enter the figures.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.inventory.access import page_context, year_access
from klimabok.reports.exports import XLSX_TYPE, miljofyrtarn_xlsx
from klimabok.reports.forms import MiljofyrtarnFiguresForm
from klimabok.reports.layout import sections
from klimabok.reports.models import MiljofyrtarnFigures
from klimabok.reports.pdf import render_miljofyrtarn_pdf
from klimabok.reports.read_models import load_miljofyrtarn
from klimabok.reports.services import save_miljofyrtarn_figures


def _title(year: int) -> str:
    return _("Miljøfyrtårn annual climate and environment report %(year)s") % {"year": year}


@login_required
@require_safe
def report(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    page = load_miljofyrtarn(reporting_year)
    context: dict[str, Any] = page_context(
        access,
        reporting_year=reporting_year,
        page=page,
        sections=sections(page.report),
        title=_title(year),
        can_enter=access.can(Capability.MANAGE_PLAN),
    )
    return render(request, "reports/miljofyrtarn.html", context)


def _subtitle(name: str, year: int) -> str:
    return _(
        "%(organisation)s · reporting year %(year)s · to be reported in the Miljøfyrtårn portal by "
        "1 April %(next)s"
    ) % {"organisation": name, "year": year, "next": year + 1}


@login_required
@require_safe
def report_xlsx(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    page = load_miljofyrtarn(reporting_year)
    name = access.organisation.name
    data = miljofyrtarn_xlsx(_title(year), _subtitle(name, year), sections(page.report))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="miljofyrtarn-{access.organisation.slug}-{year}.xlsx"'
    )
    return response


@login_required
@require_safe
def report_pdf(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_SUMMARY)
    page = load_miljofyrtarn(reporting_year)
    name = access.organisation.name
    data = render_miljofyrtarn_pdf(
        _title(year),
        _subtitle(name, year),
        footer=f"{name} · {_('Miljøfyrtårn report')} {year}",
        page_word=_("Page"),
        sections=sections(page.report),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="miljofyrtarn-{access.organisation.slug}-{year}.pdf"'
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def figures(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """The year's entered figures: sick leave, degree days and heating share, own indicators."""
    access, reporting_year = year_access(request, slug, year, Capability.MANAGE_PLAN)
    row = MiljofyrtarnFigures.objects.filter(reporting_year=reporting_year).first()
    if request.method == "POST":
        form = MiljofyrtarnFiguresForm(request.POST)
        if form.is_valid():
            save_miljofyrtarn_figures(reporting_year, form.draft(), request.user)
            messages.success(request, _("The figures for %(year)s are saved.") % {"year": year})
            return redirect("reports:miljofyrtarn", slug=access.organisation.slug, year=year)
    else:
        form = MiljofyrtarnFiguresForm(initial=MiljofyrtarnFiguresForm.initial_from(row))
    context = page_context(
        access,
        reporting_year=reporting_year,
        form=form,
        title=_title(year),
        report_url=reverse("reports:miljofyrtarn", args=[access.organisation.slug, year]),
    )
    return render(request, "reports/figures_form.html", context, status=400 if form.errors else 200)
