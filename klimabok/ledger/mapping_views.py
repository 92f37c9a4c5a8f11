"""The partner's spend-mapping page: how ledger accounts become spend categories and CEDA factors.

Partner staff (role PARTNER in a partner organisation) see every spend category with its Open
CEDA 2025 sectors, the kg CO2e per NOK per year (exchange rate and price-year deflator), the
activity groups that cover it and the SAF-T rules that lead to it, and may choose other CEDA
sectors for a category (for all their clients' open years). Anyone else gets a 404, as on the
other partner pages. Thin views: validate, call one service, render.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klimabok.accounts.access import partner_of
from klimabok.core.errors import FactorNotFound, KlimabokError
from klimabok.core.spend import ATTRIBUTION
from klimabok.core.spend.factors import category_mappings
from klimabok.core.spend.tables import category, ceda_sectors, excluded_rules, price_index
from klimabok.ledger.mapping_services import (
    choose_sectors,
    parse_sectors,
    partner_choices,
    reset_sectors,
    sector_choice,
)
from klimabok.web.core_messages import localise


class SectorChoiceForm(forms.Form):
    ceda_sectors = forms.CharField(
        label=gettext_lazy("CEDA sectors"), max_length=200,
        help_text=gettext_lazy("Sector codes separated by spaces, e.g. 311810 445000: the factor is their "
                               "equal-weight mean."))
    rationale = forms.CharField(label=gettext_lazy("Why these sectors"), required=False, max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def clean_ceda_sectors(self) -> tuple[str, ...]:
        try:
            return parse_sectors(self.cleaned_data["ceda_sectors"])
        except KlimabokError as exc:
            raise forms.ValidationError(localise(exc)) from None


@login_required
def spend_mapping(request: HttpRequest) -> HttpResponse:
    partner = partner_of(request)
    choices = partner_choices(partner)
    mappings = category_mappings(sector_choice(partner))
    return render(request, "ledger/mapping.html", {
        "partner": partner, "mappings": [(m, choices.get(m.category.key)) for m in mappings],
        "excluded": excluded_rules(), "price_index": price_index(), "attribution": ATTRIBUTION,
    })


@login_required
def spend_mapping_edit(request: HttpRequest, key: str) -> HttpResponse:
    """Choose the CEDA sectors of spend category ``key`` for the partner's clients, or go back to the
    shipped ones."""
    partner = partner_of(request)
    try:
        spend = category(key)
    except FactorNotFound:
        raise Http404 from None
    back = reverse("spend_mapping") + f"#category-{key}"
    if request.method == "POST" and "reset" in request.POST:
        reset_sectors(partner, key)
        messages.success(request, _("Back to the shipped CEDA sectors (%(sectors)s).")
                         % {"sectors": " ".join(spend.ceda_sectors)})
        return redirect(back)
    current = partner_choices(partner).get(key)
    form = SectorChoiceForm(request.POST or None, initial={
        "ceda_sectors": current.ceda_sectors if current else " ".join(spend.ceda_sectors),
        "rationale": current.rationale if current else ""})
    if request.method == "POST" and form.is_valid():
        choose_sectors(partner, key, form.cleaned_data["ceda_sectors"], form.cleaned_data["rationale"],
                       request.user)  # type: ignore[arg-type]
        messages.success(request, _("Saved: every client's open years use these sectors; closed years keep "
                                    "the factors they were closed with."))
        return redirect(back)
    return render(request, "ledger/mapping_edit.html", {
        "partner": partner, "category": spend, "form": form, "current": current,
        "sectors": ceda_sectors().values(), "attribution": ATTRIBUTION,
    }, status=400 if form.errors else 200)
