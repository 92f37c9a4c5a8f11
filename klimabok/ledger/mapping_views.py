"""The partner's spend-mapping page: how ledger accounts become spend categories and CEDA factors.

Partner staff (role PARTNER in a partner organisation) see every spend category with its Open
CEDA 2025 sectors, the kg CO2e per NOK per year (exchange rate and price-year deflator), the
activity groups that cover it and the SAF-T rules that lead to it; anyone else gets a 404, as on
the other partner pages. Read-only: the table is shipped data (``klimabok/data/spend/``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from klimabok.core.spend import ATTRIBUTION
from klimabok.core.spend.factors import category_mappings
from klimabok.core.spend.tables import excluded_rules, price_index
from klimabok.credits.views import partner_of


@login_required
def spend_mapping(request: HttpRequest) -> HttpResponse:
    partner = partner_of(request)
    return render(request, "ledger/mapping.html", {
        "partner": partner, "mappings": category_mappings(), "excluded": excluded_rules(),
        "price_index": price_index(), "attribution": ATTRIBUTION,
    })
