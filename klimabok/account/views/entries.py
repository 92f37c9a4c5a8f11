"""The entries of a year with the tonnes each counts in the account, filterable by category and site."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from klimabok.account.read_models import load_year_overview
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.read_models import activity_name, catalogue_for


@login_required
def entry_list(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Every entry of the year with its tonnes, filterable by category and site."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    overview = load_year_overview(reporting_year)
    category, site = request.GET.get("category", ""), request.GET.get("site", "")
    catalogue = catalogue_for(reporting_year)
    rows = [(row, activity_name(catalogue, row.entry.activity))
            for row in overview.entry_rows(category=category, site=site)]
    return render(request, "account/entries.html", page_context(
        access, reporting_year=reporting_year, overview=overview, rows=rows,
        category=category, site=site, filtered=bool(category or site)))
