"""The organisation's tab bar (``inventory/_org_nav.html``), shown by base.html on every organisation page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

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
    if rest.split("/")[0].isdigit():
        return "account" if "/account" in rest else "data"
    return "overview"


@register.simple_tag(takes_context=True)
def org_nav_links(context: Any) -> dict[str, Any]:
    """The year the Data/Account tabs point at (the page's, else the newest) and which tabs to show.

    The Account tab appears once the account page's URL exists (another app provides it).
    """
    organisation = context["organisation"]
    request = context.get("request")
    reporting_year = context.get("reporting_year")
    year = reporting_year.year if reporting_year else (
        ReportingYear.objects.filter(organisation=organisation).values_list("year", flat=True).first())
    account_url = None
    if year:
        try:
            account_url = reverse("inventory:account", kwargs={"slug": organisation.slug, "year": year})
        except NoReverseMatch:
            account_url = None
    role = context.get("access").role if context.get("access") else (
        role_in(request.user, organisation) if request else None)
    return {"year": year, "account_url": account_url,
            "members": can(role, Capability.MANAGE_MEMBERS),
            "current": _current(request.path if request else "", organisation.slug)}
