"""The survey's forms: the anonymous answer (phone first) and the managers' open and use forms."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klimabok.core import commuting
from klimabok.web.core_messages import localise

MODE_LABELS = {
    "walk": _("Walk"),
    "bike": _("Bicycle"),
    "e_bike": _("E-bike"),
    "bus": _("Bus"),
    "metro": _("Metro (T-bane)"),
    "tram": _("Tram or light rail"),
    "train": _("Train"),
    "car_driver": _("Car, as the driver"),
    "car_passenger": _("Car, as a passenger"),
    "motorbike": _("Motorbike or moped"),
    "ferry": _("Ferry or boat"),
}
CAR_SIZE_LABELS = {"small": _("Small car"), "medium": _("Medium car"), "large": _("Large car or van"),
                   "average": _("Don't know")}
CAR_FUEL_LABELS = {"petrol": _("Petrol"), "diesel": _("Diesel"), "hybrid": _("Hybrid (not plug-in)"),
                   "phev": _("Plug-in hybrid"), "bev": _("Electric"), "unknown": _("Don't know")}
HEATING_LABELS = {"electric": _("Electric heaters"), "heat_pump": _("Heat pump"),
                  "district": _("District heating"), "wood": _("Wood stove"),
                  "oil_gas": _("Oil, paraffin or gas"), "unknown": _("Don't know")}


def _number(label: Any, *, step: str, max_value: int, initial: Any = None, help_text: Any = "",
            required: bool = True) -> forms.Field:
    # No max_value on the field: the core's check refuses with the message the survey means.
    return forms.DecimalField(label=label, min_value=Decimal(0), max_digits=6, decimal_places=1,
                              initial=initial, help_text=help_text, required=required,
                              widget=forms.NumberInput(attrs={"step": step, "min": "0", "max": str(max_value),
                                                              "inputmode": "decimal"}))


class AnswerForm(forms.Form):
    """One employee's commuting and homeworking week. ``novalidate``: the server's messages, in nb or en."""

    days_on_site = _number(_("Days a week at the workplace"), step="0.5", max_value=7,
                           help_text=_("In a normal week. Half days count as 0.5."))
    km_one_way = _number(_("Distance from home to work, one way (km)"), step="0.1", max_value=300,
                         help_text=_("The distance you travel, not as the crow flies. A guess is fine."))
    #: Anchors the messages about the shares (they belong to all the share fields together).
    shares = forms.CharField(required=False, widget=forms.HiddenInput)
    car_size = forms.ChoiceField(label=_("Size of the car"), required=False,
                                 choices=[("", "—"), *CAR_SIZE_LABELS.items()])
    car_fuel = forms.ChoiceField(label=_("The car runs on"), required=False,
                                 choices=[("", "—"), *CAR_FUEL_LABELS.items()])
    car_people = forms.IntegerField(label=_("People in the car, you included"), required=False, min_value=1,
                                    initial=1, widget=forms.NumberInput(attrs={"min": "1", "max": "9",
                                                                               "inputmode": "numeric"}))
    homeworking_days = _number(_("Days a week working from home"), step="0.5", max_value=7, initial=0,
                               required=False)
    heating = forms.ChoiceField(label=_("How is your home heated?"), widget=forms.RadioSelect,
                                choices=list(HEATING_LABELS.items()))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for mode in commuting.MODES:
            self.fields[f"share_{mode}"] = forms.IntegerField(
                label=MODE_LABELS[mode], required=False, min_value=0, max_value=100,
                widget=forms.NumberInput(attrs={"min": "0", "max": "100", "step": "5", "inputmode": "numeric",
                                                "class": "share", "placeholder": "0"}))

    def share_fields(self) -> list[forms.BoundField]:
        return [self[f"share_{mode}"] for mode in commuting.MODES]

    def car_fields(self) -> list[forms.BoundField]:
        return [self["car_size"], self["car_fuel"], self["car_people"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        answer = self.answer()
        if answer.days_on_site > 0 and not answer.shares:
            self.add_error("shares", _("Give the share of your trips for each way you travel."))
            return data
        if answer.uses_car:
            for name in ("car_size", "car_fuel"):
                if not data.get(name):
                    self.add_error(name, _("Choose one (“Don't know” is fine)."))
        for problem in commuting.check(answer).refused:
            self.add_error(problem.field if problem.field in self.fields else None, localise(problem.text))
        return data

    def answer(self) -> commuting.Answer:
        data = self.cleaned_data
        shares = {mode: float(data[f"share_{mode}"]) for mode in commuting.MODES
                  if data.get(f"share_{mode}")}
        return commuting.Answer(
            days_on_site=float(data["days_on_site"]), km_one_way=float(data["km_one_way"]), shares=shares,
            car_size=data.get("car_size") or "average", car_fuel=data.get("car_fuel") or "unknown",
            car_people=data.get("car_people") or 1,
            homeworking_days=float(data.get("homeworking_days") or 0), heating=data["heating"])


class OpenForm(forms.Form):
    closes_on = forms.DateField(label=_("Last day to answer"), required=False,
                                help_text=_("Blank: open until you close it."),
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class UseForm(forms.Form):
    homeworking = forms.BooleanField(
        label=_("Include homeworking (optional under the GHG Protocol)"), required=False, initial=True)
