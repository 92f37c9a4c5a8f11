"""A year's scope 3 relevance screening: which of the 15 categories belong in the account's boundary.

Reading it needs VIEW_DATA (the auditor reads it); saving it EDIT_DATA — the administrator, the
sustainability ombudsman, contributors and the climate partner, as for the year's data, since
klimabok's roles give the ombudsman no right the contributor lacks. A closed year shows it read-only
and the service refuses a change. The page shows each category's tonnes and share of scope 3 beside
its screening, and what the boundary still lacks for an ISO 14068-1 claim.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.account import services
from klimabok.account.forms import CRITERION_HELP, Scope3ScreeningForm
from klimabok.account.screening import load_screening_overview
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.inventory.access import page_context, year_access
from klimabok.web.core_messages import localise


def _page(request: HttpRequest, slug: str, year: int, form: Scope3ScreeningForm | None = None,
          status: int = 200) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year, Capability.VIEW_DATA)
    overview = load_screening_overview(reporting_year)
    editable = access.can(Capability.EDIT_DATA) and not reporting_year.is_closed
    if form is None and editable:
        form = Scope3ScreeningForm(initial_screening={row.category: row.screening for row in overview.rows})
    rows = [(row, form.fields_of(row.category) if form is not None else None) for row in overview.rows]
    return render(request, "account/scope3_screening.html", page_context(
        access, reporting_year=reporting_year, overview=overview, rows=rows, form=form,
        criteria=CRITERION_HELP, account_url=reverse("account:account", args=[slug, year])),
        status=status)


@login_required
def scope3_screening(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """``/o/<slug>/<year>/account/scope3-screening/``."""
    return _page(request, slug, year)


@login_required
@require_POST
def scope3_screening_save(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    """Save the 15 categories' screening (EDIT_DATA; refused on a closed year)."""
    _access, reporting_year = year_access(request, slug, year, Capability.EDIT_DATA)
    form = Scope3ScreeningForm(request.POST)
    if not form.is_valid():
        return _page(request, slug, year, form=form, status=400)
    try:
        changed = services.save_scope3_screening(reporting_year, form.screening(), request.user)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        if changed:
            messages.success(request, _("The scope 3 screening for %(year)s is saved (%(count)s "
                                        "categories changed).") % {"year": year, "count": len(changed)})
        else:
            messages.info(request, _("Nothing changed in the scope 3 screening."))
    return redirect("account:scope3_screening", slug=slug, year=year)
