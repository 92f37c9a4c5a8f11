"""Guided forms for waste, water and purchases, and the generic "any catalogue activity" form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klimabok.inventory.forms.entry_base import (
    CHOOSE,
    EntryForm,
    activity_label,
    quantity_field,
    usable_activities,
)
from klimabok.inventory.templatetags.account_format import unit_name
from klimabok.web.forms import choice_field

WASTE_FRACTIONS = [
    ("mixed", _("Mixed waste (restavfall)")), ("food", _("Food waste")), ("paper", _("Paper")),
    ("cardboard", _("Cardboard")), ("plastic", _("Plastics")), ("glass", _("Glass")),
    ("metal", _("Metal packaging")), ("weee", _("Electrical and electronic waste (EE)")),
    ("batteries", _("Batteries")), ("wood", _("Wood")), ("clothing", _("Textiles")),
]
WASTE_TREATMENTS = [
    ("incineration", _("Incineration (energy recovery)")), ("recycling", _("Recycling")),
    ("recycling_open_loop", _("Recycling (open loop)")), ("composting", _("Composting")),
    ("anaerobic_digestion", _("Biogas production")), ("landfill", _("Landfill")), ("reuse", _("Re-use")),
]
MASS_UNITS = [("kg", "kg"), ("tonne", _("tonnes"))]


class WasteForm(EntryForm):
    kind = "waste"
    fraction = forms.ChoiceField(label=_("Waste fraction"), choices=[CHOOSE, *WASTE_FRACTIONS])
    treatment = forms.ChoiceField(label=_("What happens to it"), choices=[CHOOSE, *WASTE_TREATMENTS],
                                  help_text=_("From the waste company's annual report."))
    quantity = quantity_field(_("Amount in the year"))
    unit = forms.ChoiceField(label=_("Unit"), choices=MASS_UNITS, initial="kg")
    error_fields = {"quantity": "quantity", "unit": "unit", "activity": "treatment"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fraction") and data.get("treatment") and not self.catalogue.has_key(self._key(data)):
            self.add_error("treatment", _("There is no published factor for this fraction treated this way. "
                                          "Choose the treatment closest to it."))
        return data

    @staticmethod
    def _key(data: dict[str, Any]) -> str:
        return f"waste.{data['fraction']}.{data['treatment']}"

    def entry(self) -> tuple[str, Decimal, str]:
        return self._key(self.cleaned_data), self.cleaned_data["quantity"], self.cleaned_data["unit"]


class WaterForm(EntryForm):
    kind = "water"
    activity = forms.ChoiceField(label=_("What"), choices=[
        CHOOSE, ("water.supply", _("Water supply (from the water meter or the bill)")),
        ("water.treatment", _("Wastewater treatment (usually the same volume)"))])
    quantity = quantity_field(_("Cubic metres (m³) in the year"))
    error_fields = {"quantity": "quantity", "activity": "activity", "unit": "quantity"}

    def entry(self) -> tuple[str, Decimal, str]:
        return self.cleaned_data["activity"], self.cleaned_data["quantity"], "m3"


# Catalogue groups of purchased goods and services (scope 3.1/3.2) the form offers when they exist.
PURCHASE_GROUPS = ("purchased", "purchase", "spend", "goods", "capital", "services", "it", "food")


def purchase_activities(form: EntryForm) -> list[tuple[str, str]]:
    return [(a.key, f"{activity_label(a)} ({unit_name(a.unit)})")
            for a in usable_activities(form.catalogue, form.year)
            if a.group in PURCHASE_GROUPS or a.key.split(".")[0] in PURCHASE_GROUPS]


class GenericForm(EntryForm):
    """Any activity of the catalogue, with the quantity in any unit that converts to its own."""

    kind = "generic"
    activity = forms.ChoiceField(label=_("Activity"))
    quantity = quantity_field(_("Quantity"))
    unit = forms.CharField(label=_("Unit"), max_length=40,
                           help_text=_("For example kWh, MWh, litres, km, passenger_km, kg, tonnes, m3."))
    error_fields = {"quantity": "quantity", "unit": "unit", "activity": "activity"}

    def setup(self) -> None:
        choice_field(self, "activity").choices = [CHOOSE, *(
            (a.key, f"{activity_label(a)} — {a.key} ({unit_name(a.unit)})")
            for a in usable_activities(self.catalogue, self.year))]

    def entry(self) -> tuple[str, Decimal, str]:
        data = self.cleaned_data
        return data["activity"], data["quantity"], data["unit"].strip()


class PurchaseForm(GenericForm):
    """Purchased goods and services: the generic entry, offering only the catalogue's purchases."""

    kind = "purchases"
    activity = forms.ChoiceField(label=_("What was bought"))
    quantity = quantity_field(_("Amount"))
    unit = forms.CharField(label=_("Unit"), max_length=40,
                           help_text=_("The unit shown after the item, or one that converts to it."))

    def setup(self) -> None:
        choices = purchase_activities(self)
        choice_field(self, "activity").choices = [CHOOSE, *choices] if choices else []

    @property
    def available(self) -> bool:
        return bool(choice_field(self, "activity").choices)
