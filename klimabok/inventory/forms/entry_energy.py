"""Guided forms for energy and vehicles: electricity, district heating, company cars, refrigerants."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klimabok.inventory.forms.entry_base import EntryForm, quantity_field
from klimabok.web.forms import choice_field

ENERGY_UNITS = [("kWh", "kWh"), ("MWh", "MWh")]


class ElectricityForm(EntryForm):
    """Electricity bought for a site in the year; guarantees of origin decide the market-based factor."""

    kind = "electricity"
    quantity = quantity_field(
        _("Electricity used in the year"),
        help_text=_("From the electricity bill or the grid company's annual statement."))
    unit = forms.ChoiceField(label=_("Unit"), choices=ENERGY_UNITS)
    guarantees_of_origin = forms.BooleanField(
        label=_("We bought guarantees of origin (opprinnelsesgarantier) for this electricity"),
        required=False,
        help_text=_("Only if the guarantees were cancelled for your company. Without them the market-based "
                    "figure uses the residual mix."))

    def entry(self) -> tuple[str, Decimal, str]:
        data = self.cleaned_data
        site = data.get("site")
        country = (site.country if site else "NO").lower()
        key = f"electricity.{country}"
        if not self.catalogue.has_key(key):
            key = "electricity.no"
        if data["guarantees_of_origin"]:
            key += ".goo"
        return key, data["quantity"], data["unit"]


class DistrictHeatingForm(EntryForm):
    kind = "district_heating"
    quantity = quantity_field(_("District heating delivered in the year"))
    unit = forms.ChoiceField(label=_("Unit"), choices=ENERGY_UNITS)
    supplier = forms.CharField(label=_("Supplier or plant"), max_length=120, required=False,
                               help_text=_("For example Hafslund Celsio (Oslo)."))
    activity = forms.ChoiceField(
        label=_("What the plant mainly burns or recovers"),
        help_text=_("From the supplier's heat declaration (varedeklarasjon). Oslo's district heating is "
                    "mostly recovered heat from waste incineration."))
    error_fields = {"quantity": "quantity", "unit": "unit", "activity": "activity"}

    def setup(self) -> None:
        choices = self.activity_choices("district_heating.")
        choice_field(self, "activity").choices = choices
        keys = [k for k, _label in choices]
        self.fields["activity"].initial = next((k for k in keys if k.endswith("waste_heat")),
                                               keys[0] if keys else None)

    def entry(self) -> tuple[str, Decimal, str]:
        data = self.cleaned_data
        return data["activity"], data["quantity"], data["unit"]


VEHICLE_SIZES = [
    ("car.small", _("Small car")), ("car.medium", _("Medium car")), ("car.large", _("Large car")),
    ("car.average", _("Car, size unknown")), ("van.class_1", _("Small van (up to 1.3 t)")),
    ("van.class_2", _("Van 1.3–1.7 t")), ("van.class_3", _("Large van 1.7–3.5 t")),
    ("van.average", _("Van, size unknown")),
]
VEHICLE_FUELS = [
    ("bev", _("Electric")), ("phev", _("Plug-in hybrid")), ("hybrid", _("Hybrid")),
    ("diesel", _("Diesel")), ("petrol", _("Petrol")), ("unknown", _("Unknown")),
]
# Fuel bought by the litre: the catalogue's activity for each vehicle fuel. Diesel is
# Miljødirektoratet's Norwegian standard factor (counted all fossil: it publishes no biofuel share),
# not DESNZ's UK blend; petrol stays DESNZ's UK blend, labelled so, as Miljødirektoratet gives petrol
# per GJ and tonne only (no density, so no per-litre figure) — see activities.csv.
FUEL_KEYS = {"diesel": "car.diesel.litres", "petrol": "car.petrol.litres", "hybrid": "car.petrol.litres",
             "phev": "car.petrol.litres"}


class CompanyCarForm(EntryForm):
    """Company cars and vans: kilometres driven, or litres of fuel bought."""

    kind = "company_cars"
    vehicle = forms.ChoiceField(label=_("Vehicle"), choices=VEHICLE_SIZES)
    fuel = forms.ChoiceField(label=_("Fuel"), choices=VEHICLE_FUELS)
    measure = forms.ChoiceField(
        label=_("What do you know?"), widget=forms.RadioSelect, initial="km",
        choices=[("km", _("Kilometres driven")), ("litres", _("Litres of fuel bought"))])
    quantity = quantity_field(_("Amount"), help_text=_("All cars of this kind together, for the whole year."))
    error_fields = {"quantity": "quantity", "unit": "measure", "activity": "fuel"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("measure") == "litres" and data.get("fuel") and data["fuel"] not in FUEL_KEYS:
            self.add_error("measure", _("Electric and unknown-fuel cars are entered in kilometres."))
        return data

    def entry(self) -> tuple[str, Decimal, str]:
        data = self.cleaned_data
        if data["measure"] == "litres":
            return FUEL_KEYS[data["fuel"]], data["quantity"], "litres"
        return f"{data['vehicle']}.{data['fuel']}.km", data["quantity"], "km"


class RefrigerantForm(EntryForm):
    kind = "refrigerant"
    activity = forms.ChoiceField(label=_("Refrigerant gas"),
                                 help_text=_("On the label of the heat pump or cooling unit, or in the "
                                             "service report."))
    quantity = quantity_field(_("Kilograms refilled (= leaked) in the year"))
    error_fields = {"quantity": "quantity", "activity": "activity", "unit": "quantity"}

    def setup(self) -> None:
        choice_field(self, "activity").choices = self.activity_choices("refrigerant.")

    def entry(self) -> tuple[str, Decimal, str]:
        return self.cleaned_data["activity"], self.cleaned_data["quantity"], "kg"
