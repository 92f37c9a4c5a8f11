"""Forms of the partner's credit pages; they validate input, the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klimabok.core.credits.registries import FORMATS
from klimabok.credits.models import SERIAL_KINDS, CreditKind, CreditProject
from klimabok.web.forms import NumberField, WholeNumberField

FORMAT_LABELS = {"verra": _("Verra VCS transactions (CSV)"),
                 "gold-standard": _("Gold Standard issuances (CSV)"),
                 "isometric": _("Isometric issuances (CSV)")}


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("\n", ",").split(",") if w.strip()]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Registry export"))
    format = forms.ChoiceField(label=_("Format"), choices=[(f, FORMAT_LABELS[f]) for f in FORMATS])


class AddBlockForm(forms.Form):
    serial = forms.CharField(label=_("Serial number"), max_length=300, help_text=_(
        "As the registry shows it, e.g. "
        "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1 "
        "or GS1-1-KE-GS11603-16-2025-30256-110-5463."))
    quantity = WholeNumberField(label=_("Quantity (t CO₂e)"), min_value=1,
                                  help_text=_("Must equal last serial − first serial + 1."))
    project_name = forms.CharField(label=_("Project name"), max_length=300)
    project_id = forms.CharField(label=_("Registry project ID"), max_length=80, required=False,
                                 help_text=_("Read from the serial when it carries one."))
    country = forms.CharField(label=_("Country"), max_length=100, required=False)
    methodology = forms.CharField(label=_("Methodology"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Removal or reduction"), choices=CreditKind.choices)
    # Gold Standard serials do not say whether the unit is a VER or a (forward) PER: ask, so the
    # ex-post check can refuse a PER entered by hand as it does one imported.
    product_type = forms.ChoiceField(label=_("Unit type"), required=False, choices=[
        ("", _("As the serial says")), ("VER", "VER"), ("PER", _("PER (planned, ex ante)")), ("VCU", "VCU"),
        ("CER", "CER"), ("CORC", "CORC"), ("PVC", "PVC"), ("FPVC", _("fPVC (future, ex ante)")),
        ("RPVC", _("rPVC (ex ante)"))],
        help_text=_("As the registry names the unit. Gold Standard serials do not show it."))
    labels = forms.CharField(label=_("Labels"), required=False, help_text=_(
        "As the registry spells them, separated by commas, e.g. ICVCM CCP, CCB-Biodiversity Gold."))
    price = NumberField(label=_("Price per tonne (NOK)"), min_value=Decimal(0), max_digits=14,
                               decimal_places=2, required=False)

    def clean_labels(self) -> list[str]:
        return _words(self.cleaned_data["labels"])


class PolicyForm(forms.Form):
    require_ccp = forms.BooleanField(label=_("Only credits with the ICVCM CCP label"), required=False,
                                     help_text=_("ICVCM Core Carbon Principles. On by default."))
    min_vintage_year = forms.IntegerField(label=_("Oldest vintage year"), min_value=1990, max_value=2100,
                                          required=False)
    max_vintage_age_years = forms.IntegerField(
        label=_("Maximum vintage age (years)"), min_value=0, max_value=50, required=False,
        help_text=_("5 by default: screened in 2026, a block must be of vintage 2021 or later. "
                    "Empty: no limit."))
    min_removal_percent = NumberField(label=_("Minimum share of removals (%)"), min_value=Decimal(0),
                                             max_value=Decimal(100), decimal_places=2, required=False)
    allowed_registries = forms.MultipleChoiceField(
        label=_("Allowed registries"), choices=SERIAL_KINDS, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any registry."))
    inactive_methodologies = forms.CharField(label=_("Inactive methodologies"), required=False, help_text=_(
        "Refused methodologies: codes separated by commas, e.g. VM0007, AMS-III.C. Empty by default."))
    ex_post_only = forms.BooleanField(label=_("Ex-post credits only"), required=False, initial=True)

    def clean_inactive_methodologies(self) -> list[str]:
        return _words(self.cleaned_data["inactive_methodologies"])

    def policy_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        percent = data["min_removal_percent"]
        return {"require_ccp": data["require_ccp"], "min_vintage_year": data["min_vintage_year"],
                "max_vintage_age_years": data["max_vintage_age_years"],
                "min_removal_share": (percent / 100).quantize(Decimal("0.0001"))
                if percent is not None else None,
                "allowed_registries": data["allowed_registries"] or None,
                "inactive_methodologies": data["inactive_methodologies"],
                "ex_post_only": data["ex_post_only"]}


class ProjectForm(forms.ModelForm[CreditProject]):
    photo_url = forms.URLField(label=_("photo URL"), required=False, max_length=500, assume_scheme="https")
    url = forms.URLField(label=_("public registry page"), required=False, max_length=500,
                         assume_scheme="https")
    price = NumberField(label=_("Price per tonne (NOK) for all its blocks"), min_value=Decimal(0),
                               max_digits=14, decimal_places=2, required=False,
                               help_text=_("Empty: prices stay as they are."))

    class Meta:
        model = CreditProject
        fields = ["name", "description", "photo_url", "co_benefits", "kind", "nature_based", "durability",
                  "buffer", "rating", "url", "program", "corsia", "article6", "corresponding_adjustment"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5}),
                   "co_benefits": forms.Textarea(attrs={"rows": 3})}
