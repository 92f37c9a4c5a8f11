"""What every inventory view does first: find the organisation and year the user may see."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from klimabok.accounts.access import Access, org_access
from klimabok.accounts.roles import Capability
from klimabok.inventory.models import ReportingYear


def page_context(access: Access, **extra: Any) -> dict[str, Any]:
    """The organisation and what the user may do there, for templates (no role names in templates)."""
    return {
        "organisation": access.organisation, "access": access,
        "can_view_data": access.can(Capability.VIEW_DATA), "can_edit": access.can(Capability.EDIT_DATA),
        "can_manage": access.can(Capability.MANAGE_YEARS), **extra,
    }


def year_access(request: HttpRequest, slug: str, year: int,
                capability: str | None = None) -> tuple[Access, ReportingYear]:
    """The organisation as the user may see it, and its reporting ``year`` (404 if there is none)."""
    access = org_access(request, slug, capability)
    reporting_year = get_object_or_404(ReportingYear, organisation=access.organisation, year=year)
    return access, reporting_year
