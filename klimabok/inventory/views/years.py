"""The organisation overview, reporting years and their facts, sites, closing and recalculating."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.core.errors import KlimabokError
from klimabok.inventory import carry_over, services
from klimabok.inventory.access import page_context
from klimabok.inventory.forms.years import START_COPY, START_SOURCES, SiteForm, YearCreateForm
from klimabok.inventory.models import ReportingYear, Site
from klimabok.web.core_messages import localise


@login_required
def year_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_YEARS)
    existing = list(ReportingYear.objects.filter(organisation=access.organisation)
                    .values_list("year", flat=True))
    form = YearCreateForm(request.POST or None, existing=existing)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_year(access.organisation, form.cleaned_data["year"])
            copy = form.start_choice == START_COPY
            copied = carry_over.copy_last_year(created, request.user) if copy else 0
        except KlimabokError as exc:
            form.add_error("year", localise(exc))
        else:
            messages.success(request, _("%(year)s is ready for data.") % {"year": created.year})
            if copied:
                messages.info(request, carry_over.copied_message(copied))
            elif form.start_choice == START_SOURCES and carry_over.earlier_year(created) is not None:
                return redirect("inventory:entry_kinds", slug=slug, year=created.year)
            return redirect("account:year", slug=slug, year=created.year)
    return render(request, "inventory/year_create.html", page_context(access, form=form))


@login_required
def sites(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
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
def site_edit(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
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
def site_delete(request: AuthenticatedHttpRequest, slug: str, pk: int) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_YEARS)
    site = get_object_or_404(Site, organisation=access.organisation, pk=pk)
    try:
        services.delete_site(site)
    except KlimabokError as exc:
        messages.error(request, localise(exc))
    else:
        messages.success(request, _("“%(name)s” is deleted.") % {"name": site.name})
    return redirect("inventory:sites", slug=slug)
