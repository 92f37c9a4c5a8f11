"""The organisation overview, reporting years and their facts, sites, closing and recalculating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import org_access
from klimabok.accounts.roles import Capability
from klimabok.core.errors import InputErrors, KlimabokError
from klimabok.inventory import services
from klimabok.inventory.forms.years import SiteForm, UploadForm, YearCreateForm, YearFactsForm
from klimabok.inventory.models import ReportingYear, Site
from klimabok.inventory.read_models import load_year_accounts, load_year_overview
from klimabok.inventory.views.common import page_context, year_access
from klimabok.web.core_messages import localise


@login_required
def org_home(request: HttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    years = list(ReportingYear.objects.filter(organisation=access.organisation))
    accounts = load_year_accounts(years)
    rows = [(year, accounts[year.pk]) for year in years]
    return render(request, "inventory/org_home.html",
                  page_context(access, rows=rows, create_form=YearCreateForm()))


@login_required
def year_create(request: HttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_YEARS)
    form = YearCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_year(access.organisation, form.cleaned_data["year"])
        except KlimabokError as exc:
            form.add_error("year", localise(exc))
        else:
            messages.success(request, _("%(year)s is ready for data.") % {"year": created.year})
            return redirect("inventory:year", slug=slug, year=created.year)
    return render(request, "inventory/year_create.html", page_context(access, form=form))


def _year_page(request: HttpRequest, slug: str, year: int, *, facts_form: YearFactsForm | None = None,
               status: int = 200) -> HttpResponse:
    access, reporting_year = year_access(request, slug, year)
    overview = load_year_overview(reporting_year)
    return render(request, "inventory/year.html", page_context(
        access, reporting_year=reporting_year, overview=overview,
        facts_form=facts_form or YearFactsForm.for_year(reporting_year), upload_form=UploadForm(),
        ledger_imports=list(reporting_year.ledger_imports.order_by("-created_at", "-id")),
    ), status=status)


@login_required
def year_detail(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    return _year_page(request, slug, year)


@login_required
@require_POST
def year_facts(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.MANAGE_YEARS)
    form = YearFactsForm.for_year(reporting_year, request.POST)
    if form.is_valid():
        try:
            services.update_year_facts(reporting_year, form.facts())
        except KlimabokError as exc:
            messages.error(request, localise(exc))
        else:
            messages.success(request, _("The organisation facts are saved."))
        return redirect("inventory:year", slug=slug, year=year)
    return _year_page(request, slug, year, facts_form=form, status=400)


@login_required
@require_POST
def year_close(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.MANAGE_YEARS)
    try:
        services.close_year(reporting_year, request.user)  # type: ignore[arg-type]
    except InputErrors as exc:
        messages.error(request, _("%(year)s cannot be closed: %(count)s line(s) cannot be computed.")
                       % {"year": year, "count": len(exc.errors)})
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("%(year)s is closed. Its factors are pinned: the account will not "
                                    "change unless you recalculate it.") % {"year": year})
    return redirect("inventory:year", slug=slug, year=year)


@login_required
@require_POST
def year_reopen(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.MANAGE_YEARS)
    try:
        services.reopen_year(reporting_year)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("%(year)s is open for changes again.") % {"year": year})
    return redirect("inventory:year", slug=slug, year=year)


@login_required
@require_POST
def year_recalculate(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    _access, reporting_year = year_access(request, slug, year, Capability.MANAGE_YEARS)
    try:
        services.recalculate_with_current_factors(reporting_year, request.user)  # type: ignore[arg-type]
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("%(year)s is recalculated with the current factors; see what changed "
                                    "below.") % {"year": year})
    return redirect("inventory:year", slug=slug, year=year)


@login_required
def sites(request: HttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug)
    form = SiteForm(request.POST or None)
    if request.method == "POST":
        access = org_access(request, slug, Capability.MANAGE_YEARS)
        if form.is_valid():
            try:
                services.save_site(access.organisation, **form.cleaned_data)
            except KlimabokError as exc:
                form.add_error("name", localise(exc))
            else:
                messages.success(request, _("The site is added."))
                return redirect("inventory:sites", slug=slug)
    return render(request, "inventory/sites.html", page_context(
        access, sites=Site.objects.filter(organisation=access.organisation), form=form))


@login_required
def site_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_YEARS)
    site = get_object_or_404(Site, organisation=access.organisation, pk=pk)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_site(access.organisation, site=site, **form.cleaned_data)
        except KlimabokError as exc:
            form.add_error("name", localise(exc))
        else:
            messages.success(request, _("The site is saved."))
            return redirect("inventory:sites", slug=slug)
    return render(request, "inventory/site_edit.html", page_context(access, site=site, form=form))


@login_required
@require_POST
def site_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_YEARS)
    site = get_object_or_404(Site, organisation=access.organisation, pk=pk)
    try:
        services.delete_site(site)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("“%(name)s” is deleted.") % {"name": site.name})
    return redirect("inventory:sites", slug=slug)
