"""The organisation's reports: each year's Miljøfyrtårn report, and the public climate page's switch.

Every member sees the list; turning the public page on or off is the administrator's or the climate
partner's (MANAGE_YEARS: publishing the account is a decision about the account).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from klimabok.accounts.access import org_access
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.inventory.access import page_context
from klimabok.inventory.models import ReportingYear
from klimabok.reports.forms import PublicPageForm
from klimabok.reports.models import ReportJob
from klimabok.reports.read_models import is_published
from klimabok.reports.services import set_public_page

#: how many of the latest report jobs the reports page lists
JOBS_SHOWN = 5


@login_required
@require_safe
def index(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.VIEW_SUMMARY)
    years = list(ReportingYear.objects.filter(organisation=access.organisation).order_by("-year"))
    published = is_published(access.organisation)
    return render(
        request,
        "reports/index.html",
        page_context(
            access,
            years=years,
            published=published,
            public_url=reverse("reports:public_page", args=[access.organisation.slug]),
            can_publish=access.can(Capability.MANAGE_YEARS),
            report_jobs=list(
                ReportJob.objects.filter(reporting_year__organisation=access.organisation)
                .select_related("reporting_year")[:JOBS_SHOWN]
            ) if access.can(Capability.VIEW_DATA) else [],
            keep_days=settings.KLIMABOK_REPORT_JOBS_KEEP_DAYS,
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def public_page_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    access = org_access(request, slug, Capability.MANAGE_YEARS)
    published = is_published(access.organisation)
    if request.method == "POST":
        form = PublicPageForm(request.POST)
        if form.is_valid():
            enabled = form.cleaned_data["enabled"]
            set_public_page(access.organisation, enabled, request.user)
            messages.success(
                request,
                _("The public climate page is published.")
                if enabled
                else _("The public climate page is not published."),
            )
            return redirect("reports:index", slug=access.organisation.slug)
    else:
        form = PublicPageForm(initial={"enabled": published})
    return render(
        request,
        "reports/public_settings.html",
        page_context(
            access,
            form=form,
            published=published,
            public_url=request.build_absolute_uri(
                reverse("reports:public_page", args=[access.organisation.slug])
            ),
        ),
    )
