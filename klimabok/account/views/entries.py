"""The entries of a year with the tonnes each counts in the account, filterable by category and site."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from klimabok.account.read_models import load_year_overview
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.factors.catalogue import Catalogue
from klimabok.inventory import guarantees
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.forms.entry_energy import heating_basis_text, market_basis_text
from klimabok.inventory.models import ActivityEntry
from klimabok.inventory.read_models import activity_name, catalogue_for


def _name(entry: ActivityEntry, catalogue: Catalogue) -> str:
    """The entry's activity name; electricity that guarantees of origin cover in part says so (its
    activity is the residual-mix one, "no guarantees of origin", for the kWh they do not cover)."""
    name = activity_name(catalogue, entry.activity)
    if len(guarantees.split(entry.activity, entry.quantity, entry.details)) > 1:
        return _("%(name)s — partly covered by guarantees of origin") % {"name": name}
    return name


def _basis(entry: ActivityEntry, catalogue: Catalogue, year: int) -> str:
    """What an electricity entry's market-based figure rests on (guarantees of origin, residual-mix
    year), or a district-heating entry's factor; empty for other entries."""
    cover = guarantees.coverage(entry.activity, entry.quantity, entry.unit, entry.details,
                                catalogue=catalogue, year=year)
    if cover is not None:
        return market_basis_text(cover)
    if entry.activity.startswith("district_heating."):
        return heating_basis_text(entry.activity, str(entry.details.get("supplier") or ""))
    return ""


@login_required
def entry_list(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Every entry of the year with its tonnes, filterable by category and site."""
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    overview = load_year_overview(reporting_year)
    category, site = request.GET.get("category", ""), request.GET.get("site", "")
    catalogue = catalogue_for(reporting_year)
    rows = [(row, _name(row.entry, catalogue), _basis(row.entry, catalogue, year))
            for row in overview.entry_rows(category=category, site=site)]
    return render(request, "account/entries.html", page_context(
        access, reporting_year=reporting_year, overview=overview, rows=rows,
        category=category, site=site, filtered=bool(category or site)))
