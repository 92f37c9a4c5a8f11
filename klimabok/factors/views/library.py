"""The factor library page: every factor in the catalogue with its source, searchable.

Any logged-in user may read it (factors are public reference data, not a
tenant's). Thin view: parse the filters, ask the catalogue, render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.core.factors.model import Factor
from klimabok.factors.services import archived_refs, catalogue_with_imports

PAGE_SIZE = 100


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def matches(factor: Factor, words: list[str]) -> bool:
    """Every word appears in the key, a name, the region or the source reference (case-insensitive)."""
    text = " ".join((factor.key, factor.name, factor.name_nb, factor.region, factor.source_ref,
                     factor.source)).lower()
    return all(w in text for w in words)


@login_required
def library(request: AuthenticatedHttpRequest) -> HttpResponse:
    catalogue = catalogue_with_imports()
    query = request.GET.get("q", "").strip()
    year, scope = _int(request.GET.get("year")), _int(request.GET.get("scope"))
    factors = catalogue.factors(year if year in catalogue.years else None)
    words = query.lower().split()
    rows = [f for f in factors if (scope is None or f.scope == scope) and (not words or matches(f, words))]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "factors/library.html", {
        "page": page, "count": len(rows), "query": query, "year": year, "scope": scope,
        "years": catalogue.years, "scopes": (1, 2, 3), "norwegian": (get_language() or "").startswith("nb"),
        "filter_query": params.urlencode(), "datasets": catalogue.datasets,
        # archived versions that are no longer current: kept for closed accounts, never offered here
        "archived": len(set(archived_refs()) - {d.ref for d in catalogue.datasets}),
    })
