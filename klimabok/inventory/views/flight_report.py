"""The travel agency's flight report: upload, map its columns, preview, import all or none."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.accounts.roles import Capability
from klimabok.inventory.access import year_access


@login_required
def flight_report(request: AuthenticatedHttpRequest, slug: str, year: int) -> HttpResponse:
    year_access(request, slug, year, Capability.EDIT_DATA)
    return redirect("inventory:grid", slug=slug, year=year)
