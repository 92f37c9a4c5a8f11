"""The organisation's tab bar (``inventory/_org_nav.html``), shown by base.html on every organisation page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from klimabok.accounts.access import role_in
from klimabok.accounts.roles import Capability, can
from klimabok.inventory.models import ReportingYear

register = template.Library()


def _current(path: str, slug: str) -> str:
    rest = path.removeprefix(f"/o/{slug}/")
    if path.startswith("/factors/"):
        return "factors"
    if rest.startswith(("members", "settings")):
        return "members"
    if rest.startswith("certificates"):
        return "certificates"
    if rest.startswith("reports/"):
        return "reports"
    if rest.startswith(("news/", "suggestions/", "digest/")):
        return "engagement"
    if rest.startswith("plan/"):
        return "plan"
    if rest.split("/")[0].isdigit() and "/survey/" in f"/{rest}":
        return "survey"
    if rest.split("/")[0].isdigit():
        for section in ("account", "compensate", "claims"):
            if f"/{section}" in rest:
                return section
        return "data"
    return "overview"


@register.simple_tag(takes_context=True)
def org_nav_links(context: Any) -> dict[str, Any]:
    """The year the Data/Account/Compensation/Claims tabs point at (the page's, else the newest)."""
    organisation = context["organisation"]
    request = context.get("request")
    reporting_year = context.get("reporting_year")
    year = reporting_year.year if reporting_year else (
        ReportingYear.objects.filter(organisation=organisation).values_list("year", flat=True).first())
    year_urls = {}
    if year:
        kwargs = {"slug": organisation.slug, "year": year}
        year_urls = {"account_url": reverse("account:account", kwargs=kwargs),
                     "compensate_url": reverse("compensation:compensate", kwargs=kwargs),
                     "claims_url": reverse("claims:claims", kwargs=kwargs)}
    role = context.get("access").role if context.get("access") else (
        role_in(request.user, organisation) if request else None)
    return {"year": year, **year_urls,
            "certificates_url": reverse("certificates:list", kwargs={"slug": organisation.slug}),
            "plan_url": reverse("plans:dashboard", kwargs={"slug": organisation.slug}),
            "members": can(role, Capability.MANAGE_MEMBERS),
            "current": _current(request.path if request else "", organisation.slug)}
