"""An organisation's years and one year's page, with what its account says; closing, reopening,
recalculating.

Each view checks access, loads the account once (:mod:`klimabok.account.read_models`) and renders;
the writes are :mod:`klimabok.account.services` (close, reopen, recalculate) and
:mod:`klimabok.inventory.services` (the year's facts).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.account import services
from klimabok.account.read_models import load_year_accounts, load_year_history, load_year_overview
from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.models import User
from klimabok.accounts.roles import Capability
from klimabok.core.errors import InputErrors, KlimabokError
from klimabok.inventory import services as inventory
from klimabok.inventory.access import page_context, year_access
from klimabok.inventory.forms.years import UploadForm, YearCreateForm, YearFactsForm
from klimabok.inventory.models import ReportingYear
from klimabok.web.core_messages import localise


@login_required
def org_home(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    years = list(ReportingYear.objects.filter(organisation=access.organisation))
    accounts = load_year_accounts(years)
    rows = [(year, accounts[year.pk]) for year in years]
    return render(request, "account/org_home.html",
                  page_context(access, rows=rows,
                               create_form=YearCreateForm(existing=[y.year for y in years])))


def _year_page(request: HttpRequest, slug: str, year: int, *, facts_form: YearFactsForm | None = None,
               status: int = 200) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year)
    overview = load_year_overview(reporting_year, entries=False)
    history, history_count = (load_year_history(reporting_year) if access.can(Capability.VIEW_DATA)
                              else ([], 0))
    return render(request, "account/year.html", page_context(
        access, reporting_year=reporting_year, overview=overview, history=history,
        history_count=history_count,
        facts_form=facts_form or YearFactsForm.for_year(reporting_year), upload_form=UploadForm(),
        ledger_imports=list(reporting_year.ledger_imports.order_by("-created_at", "-id")),
    ), status=status)


@login_required
def year_detail(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    return _year_page(request, slug, year)


@login_required
@require_POST
def year_facts(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.MANAGE_YEARS)
    form = YearFactsForm.for_year(reporting_year, request.POST)
    if form.is_valid():
        try:
            inventory.update_year_facts(reporting_year, form.facts())
        except KlimabokError as exc:
            messages.error(request, localise(exc))
        else:
            messages.success(request, _("The organisation facts are saved."))
        return redirect("account:year", slug=slug, year=year)
    return _year_page(request, slug, year, facts_form=form, status=400)


def _change_year(request: AuthenticatedHttpRequest, slug: str, year: int,
                 change: Callable[[ReportingYear, User], object], done: str,
                 cannot_compute: str | None = None) -> HttpResponse:
    """Make ``change`` to the year as the user, say ``done`` or why not, and go back to the year page.

    ``cannot_compute`` (with ``%(count)s``) replaces the list of errors when lines cannot be computed.
    """
    _access, reporting_year = year_access(request, slug, year, Capability.MANAGE_YEARS)
    try:
        change(reporting_year, request.user)
    except KlimabokError as exc:
        if cannot_compute is not None and isinstance(exc, InputErrors):
            messages.error(request, cannot_compute % {"year": year, "count": len(exc.errors)})
        else:
            messages.error(request, localise(exc))
    else:
        messages.success(request, done % {"year": year})
    return redirect("account:year", slug=slug, year=year)


@login_required
@require_POST
def year_close(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    return _change_year(
        request, slug, year, services.close_year,
        _("%(year)s is closed. Its factors are pinned: the account will not "
          "change unless you recalculate it."),
        cannot_compute=_("%(year)s cannot be closed: %(count)s line(s) cannot be computed."))


@login_required
@require_POST
def year_reopen(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    return _change_year(request, slug, year, services.reopen_year, _("%(year)s is open for changes again."))


@login_required
@require_POST
def year_recalculate(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    return _change_year(request, slug, year, services.recalculate_with_current_factors,
                        _("%(year)s is recalculated with the current factors; see what changed "
                          "below."))
