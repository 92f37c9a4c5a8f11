"""The partner's spend-mapping page: how ledger accounts become spend categories and CEDA factors.

Partner staff (role PARTNER in a partner organisation) see every spend category with its Open
CEDA 2025 sectors, the kg CO2e per NOK per year (exchange rate and price-year deflator), the
activity groups that cover it and the SAF-T rules that lead to it, and may choose other CEDA
sectors for a category (for all their clients' open years). Anyone else gets a 404, as on the
other partner pages. Thin views: validate, call one service, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from klimabok.accounts.access import partner_of
from klimabok.accounts.http import AuthenticatedHttpRequest
from klimabok.core.errors import FactorNotFound
from klimabok.core.spend import ATTRIBUTION
from klimabok.core.spend.factors import category_mappings
from klimabok.core.spend.tables import category, ceda_sectors, excluded_rules, price_index
from klimabok.ledger import services
from klimabok.ledger.forms import SectorChoiceForm
from klimabok.ledger.read_models import partner_choices, sector_choice


@login_required
def spend_mapping(request: AuthenticatedHttpRequest) -> HttpResponse:
    partner = partner_of(request)
    choices = partner_choices(partner)
    mappings = category_mappings(sector_choice(partner))
    return render(request, "ledger/mapping.html", {
        "partner": partner, "mappings": [(m, choices.get(m.category.key)) for m in mappings],
        "excluded": excluded_rules(), "price_index": price_index(), "attribution": ATTRIBUTION,
    })


@login_required
def spend_mapping_edit(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """Choose the CEDA sectors of spend category ``key`` for the partner's clients, or go back to the
    shipped ones."""
    partner = partner_of(request)
    try:
        spend = category(key)
    except FactorNotFound:
        raise Http404 from None
    back = reverse("ledger:spend_mapping") + f"#category-{key}"
    if request.method == "POST" and "reset" in request.POST:
        services.reset_sectors(partner, key)
        messages.success(request, _("Back to the shipped CEDA sectors (%(sectors)s).")
                         % {"sectors": " ".join(spend.ceda_sectors)})
        return redirect(back)
    current = partner_choices(partner).get(key)
    form = SectorChoiceForm(request.POST or None, initial={
        "ceda_sectors": current.ceda_sectors if current else " ".join(spend.ceda_sectors),
        "rationale": current.rationale if current else ""})
    if request.method == "POST" and form.is_valid():
        services.choose_sectors(partner, key, form.cleaned_data["ceda_sectors"],
                                form.cleaned_data["rationale"], request.user)
        messages.success(request, _("Saved: every client's open years use these sectors; closed years keep "
                                    "the factors they were closed with."))
        return redirect(back)
    return render(request, "ledger/mapping_edit.html", {
        "partner": partner, "category": spend, "form": form, "current": current,
        "sectors": ceda_sectors().values(), "attribution": ATTRIBUTION,
    }, status=400 if form.errors else 200)
