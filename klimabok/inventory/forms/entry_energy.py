"""Guided forms for energy and vehicles: electricity, district heating, company cars, refrigerants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from klimabok.inventory import guarantees
from klimabok.inventory.forms.entry_base import CHOOSE, KWH_PER, EntryForm, quantity_field
from klimabok.inventory.models import ActivityEntry
from klimabok.inventory.templatetags.account_format import grouped
from klimabok.inventory.templatetags.account_format import quantity as number_format
from klimabok.web.forms import choice_field

ENERGY_UNITS = [("kWh", "kWh"), ("MWh", "MWh")]


#: Where guarantees of origin were produced: the Norwegian bidding zones (Elhub/NVE's NO1–NO5), the
#: other Nordic zones, or another country of the European (AIB/EECS) market.
GOO_ZONES = [
    ("", _("(choose)")),
    ("NO1", _("NO1 Eastern Norway")), ("NO2", _("NO2 Southern Norway")), ("NO3", _("NO3 Central Norway")),
    ("NO4", _("NO4 Northern Norway")), ("NO5", _("NO5 Western Norway")),
    ("SE", _("Sweden")), ("DK", _("Denmark")), ("FI", _("Finland")), ("IS", _("Iceland")),
    ("EU", _("Another EU/EEA country (AIB member)")),
]
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


#: How far from last year's figure a year's energy may be before the form asks (a kWh/MWh mix-up or an
#: extra digit or three is a factor of 1,000 or more; a real change — a new building — rarely 100).
LAST_YEAR_RATIO = Decimal(100)


class EnergyEntryForm(EntryForm):
    """An energy entry (kWh or MWh per site), asked about when it is 100 × last year's or less than 1/100."""

    def plausibility_warnings(self) -> list[str]:
        warnings = super().plausibility_warnings()
        data = self.cleaned_data
        site = data.get("site")
        before = self.context.previous_kwh.get((self.kind, site.pk if site else None))
        kwh = data["quantity"] * KWH_PER.get(data.get("unit", "kWh"), Decimal(1))
        if not before or not kwh:
            return warnings
        ratio = kwh / before
        if ratio >= LAST_YEAR_RATIO or ratio <= 1 / LAST_YEAR_RATIO:
            text = _("%(kwh)s kWh is %(ratio)s × last year's %(before)s kWh for the same site. Check the "
                     "number and the unit (kWh or MWh).") if ratio > 1 else _(
                     "%(kwh)s kWh is 1/%(ratio)s of last year's %(before)s kWh for the same site. Check the "
                     "number and the unit (kWh or MWh).")
            shown = ratio if ratio > 1 else 1 / ratio
            warnings.append(str(text % {"kwh": grouped(float(kwh), 0), "before": grouped(float(before), 0),
                                        "ratio": grouped(float(shown), 0)}))
        return warnings


class ElectricityForm(EnergyEntryForm):
    """Electricity bought for a site in the year, and the kWh guarantees of origin cover.

    The covered kWh get the certificates' rate (0) in the market-based figure, the rest the residual
    mix (:mod:`klimabok.inventory.guarantees`). The production period must overlap the reporting
    year: GHG Protocol Scope 2 Guidance (2015), Table 7.1, Scope 2 Quality Criterion 4 (instruments
    issued and redeemed as close as possible to the period of consumption); docs/domain.md.
    """

    kind = "electricity"
    amount_fields = (*EntryForm.amount_fields, "goo_volume", "goo_period_start", "goo_period_end",
                     "goo_reference")
    quantity = quantity_field(
        _("Electricity used in the year"),
        help_text=_("From the electricity bill or the grid company's annual statement."))
    unit = forms.ChoiceField(label=_("Unit"), choices=ENERGY_UNITS, initial="kWh")
    goo_volume = quantity_field(
        _("Of which covered by guarantees of origin (opprinnelsesgarantier)"), required=False,
        help_text=_("In the same unit: the volume of the guarantees cancelled for your company for this "
                    "electricity. Leave empty without guarantees: the market-based figure then uses the "
                    "residual mix for all of it."))
    goo_zone = forms.ChoiceField(label=_("Bidding zone or country of production"), choices=GOO_ZONES,
                                 required=False)
    goo_period_start = forms.DateField(label=_("Production period from"), required=False, widget=DATE_WIDGET)
    goo_period_end = forms.DateField(label=_("Production period to"), required=False, widget=DATE_WIDGET)
    goo_reference = forms.CharField(label=_("Cancellation or certificate reference (optional)"),
                                    max_length=120, required=False)

    @classmethod
    def initial_from(cls, entry: ActivityEntry) -> dict[str, Any]:
        initial = super().initial_from(entry)
        # Entries made with the old yes/no box: the guarantees covered the whole quantity.
        if entry.activity.endswith(guarantees.GOO_SUFFIX) and guarantees.goo_volume(entry.details) is None:
            initial["goo_volume"] = initial.get("quantity")
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        volume, quantity = data.get("goo_volume"), data.get("quantity")
        if not volume:
            return data
        unit = data.get("unit", "kWh")
        if quantity is not None and volume > quantity:
            self.add_error("goo_volume", _(
                "Covered by guarantees of origin: %(covered)s %(unit)s is more than the %(used)s %(unit)s "
                "used; guarantees can cover at most the electricity of this entry.")
                % {"covered": number_format(float(volume)), "used": number_format(float(quantity)),
                   "unit": unit})
        for name, label in (("goo_zone", self.fields["goo_zone"].label),
                            ("goo_period_start", self.fields["goo_period_start"].label),
                            ("goo_period_end", self.fields["goo_period_end"].label)):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("%(field)s: needed when guarantees of origin cover part of the "
                                       "electricity.") % {"field": label})
        start, end = data.get("goo_period_start"), data.get("goo_period_end")
        if start and end:
            if start > end:
                self.add_error("goo_period_end", _("Production period to: %(end)s is before %(start)s.")
                               % {"start": date_format(start, "SHORT_DATE_FORMAT"),
                                  "end": date_format(end, "SHORT_DATE_FORMAT")})
            elif end < date(self.year, 1, 1) or start > date(self.year, 12, 31):
                self.add_error("goo_period_start", _(
                    "Production period from: the guarantees were produced %(start)s–%(end)s, outside "
                    "%(year)s. Only guarantees for electricity produced in the reporting year count "
                    "(GHG Protocol Scope 2 Quality Criterion 4).")
                    % {"start": date_format(start, "SHORT_DATE_FORMAT"),
                       "end": date_format(end, "SHORT_DATE_FORMAT"), "year": self.year})
        return data

    def entry(self) -> tuple[str, Decimal, str]:
        data = self.cleaned_data
        site = data.get("site")
        country = (site.country if site else "NO").lower()
        key = f"electricity.{country}"
        if not self.catalogue.has_key(key):
            key = "electricity.no"
        volume = data.get("goo_volume")
        if volume and volume >= data["quantity"] and self.catalogue.has_key(key + guarantees.GOO_SUFFIX):
            key += guarantees.GOO_SUFFIX
        return key, data["quantity"], data["unit"]

    def explanation(self) -> str:
        activity, quantity, unit = self.entry()
        draft_details = {"kind": self.kind, "goo_volume": self.cleaned_data.get("goo_volume")}
        cover = guarantees.coverage(activity, quantity, unit, draft_details, catalogue=self.catalogue,
                                    year=self.year)
        return market_basis_text(cover) if cover is not None else ""


def market_basis_text(cover: guarantees.Coverage) -> str:
    """What the market-based figure of an electricity entry rests on, in the page's language."""
    parts = []
    if cover.covered:
        parts.append(_("%(covered)s %(unit)s covered by guarantees of origin count 0 g CO₂e/kWh "
                       "market-based.") % {"covered": number_format(float(cover.covered)),
                                           "unit": cover.unit})
    if cover.rest and cover.residual is not None:
        text = _("%(rest)s %(unit)s get the residual mix of %(residual_year)s (AIB, %(g)s g CO₂/kWh).") % {
            "rest": number_format(float(cover.rest)), "unit": cover.unit,
            "residual_year": cover.residual_year,
            "g": grouped(cover.residual.kg_co2e * 1000, 2)}
        if cover.residual_is_older:
            text += " " + _("No residual mix for %(year)s is published in klimabok's factor sources, so the "
                            "newest earlier one (%(residual_year)s) is used.") % {
                "year": cover.year, "residual_year": cover.residual_year}
        parts.append(text)
    return " ".join(str(p) for p in parts)


#: District heating per DELIVERED kWh (what the bill says): the Norwegian default, and any network's
#: own figure in the factor library (imported as ``district_heating.network.<name>`` or
#: ``district_heating.plant.<name>``). The older ``district_heating.<carrier>`` factors are per kWh fed
#: into the plant: kept so entries made with them still compute, no longer offered for new entries.
DELIVERED_DEFAULT = "district_heating.delivered.no_default"
DELIVERED_PREFIXES = ("district_heating.delivered.", "district_heating.network.", "district_heating.plant.")


class DistrictHeatingForm(EnergyEntryForm):
    kind = "district_heating"
    quantity = quantity_field(_("District heating delivered in the year"),
                              help_text=_("The kWh on the heating bill (energy delivered to you)."))
    unit = forms.ChoiceField(label=_("Unit"), choices=ENERGY_UNITS)
    supplier = forms.CharField(label=_("Network or plant"), max_length=120, required=False,
                               help_text=_("For example Hafslund Celsio (Oslo)."))
    activity = forms.ChoiceField(
        label=_("Emission factor per delivered kWh"),
        help_text=_("Your network's own figure per delivered kWh if it is in the factor library; otherwise "
                    "the Norwegian default from Norsk Fjernvarme (72 g CO₂e/kWh, a typical plant)."))
    error_fields = {"quantity": "quantity", "unit": "unit", "activity": "activity"}

    def setup(self) -> None:
        every = self.activity_choices("district_heating.")
        choices = [c for c in every if c[0].startswith(DELIVERED_PREFIXES)]
        choices.sort(key=lambda c: c[0] != DELIVERED_DEFAULT)
        # An entry made with a factor per kWh fed into the plant keeps it until changed (also on a
        # re-posted form of that entry).
        current = self.data.get("activity") or self.initial.get("activity")
        old = _("%(name)s — per kWh fed into the plant (old method)")
        choices += [(key, old % {"name": label}) for key, label in every
                    if key == current and not key.startswith(DELIVERED_PREFIXES)]
        choice_field(self, "activity").choices = choices
        self.fields["activity"].initial = self.city_network(choices) or DELIVERED_DEFAULT

    def city_network(self, choices: list[tuple[str, str]]) -> str | None:
        """The factor of the organisation's own city network, when the library has one: a network or
        plant factor whose name or key names the city of one of the organisation's sites."""
        for city in self.context.cities:
            wanted = city.casefold()
            for key, label in choices:
                if key.startswith(DELIVERED_PREFIXES[1:]) and (wanted in label.casefold()
                                                               or wanted in key.casefold()):
                    return key
        return None

    def entry(self) -> tuple[str, Decimal, str]:
        data = self.cleaned_data
        return data["activity"], data["quantity"], data["unit"]

    def explanation(self) -> str:
        return heating_basis_text(self.cleaned_data["activity"], self.cleaned_data.get("supplier", ""))


def heating_basis_text(activity: str, supplier: str) -> str:
    """Which district-heating factor an entry uses, in the page's language."""
    if activity == DELIVERED_DEFAULT:
        if supplier:
            return _("Factor: the Norwegian default per delivered kWh (Norsk Fjernvarme 2020, worked example "
                     "p. 19: 72 g CO₂e/kWh), because no figure of “%(network)s” per delivered kWh is in the "
                     "factor library.") % {"network": supplier}
        return str(_("Factor: the Norwegian default per delivered kWh (Norsk Fjernvarme 2020, worked example "
                     "p. 19: 72 g CO₂e/kWh); name your network to use its own figure when it is in the "
                     "factor library."))
    if activity.startswith(DELIVERED_PREFIXES):
        return str(_("Factor: the network's own figure per delivered kWh."))
    return str(_("Factor per kWh fed into the plant (old method): it undercounts delivered heat; choose "
                 "a factor per delivered kWh."))


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


#: The earth's equatorial circumference in km (WGS 84: 2π × 6,378.137 km).
EARTH_KM = Decimal("40075")
#: A fleet of 250 cars at 20,000 km a year: more than this for one entry is asked about.
CAR_KM_LIMIT = Decimal(5_000_000)
#: The same fleet at about 6.7 l/100 km (15 km per litre, the figure the warning's text uses).
CAR_LITRES_LIMIT = CAR_KM_LIMIT / 15


class CompanyCarForm(EntryForm):
    """Company cars and vans: kilometres driven, or litres of fuel bought."""

    kind = "company_cars"
    vehicle = forms.ChoiceField(label=_("Vehicle"), choices=[CHOOSE, *VEHICLE_SIZES])
    fuel = forms.ChoiceField(label=_("Fuel"), choices=[CHOOSE, *VEHICLE_FUELS])
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

    def plausibility_warnings(self) -> list[str]:
        warnings = super().plausibility_warnings()
        quantity, measure = self.cleaned_data["quantity"], self.cleaned_data["measure"]
        if measure == "km" and quantity > CAR_KM_LIMIT:
            warnings.append(str(_(
                "%(km)s km is %(laps)s times around the earth, for the cars of this kind in one year. Check "
                "the number: is it kilometres, for the year?") % {
                "km": grouped(float(quantity), 0), "laps": grouped(float(quantity / EARTH_KM), 0)}))
        elif measure == "litres" and quantity > CAR_LITRES_LIMIT:
            warnings.append(str(_(
                "%(litres)s litres of fuel in one year is enough for about %(km)s km. Check the number: is "
                "it litres, for the year?") % {"litres": grouped(float(quantity), 0),
                                               "km": grouped(float(quantity * 15), 0)}))
        return warnings

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
        choice_field(self, "activity").choices = [CHOOSE, *self.activity_choices("refrigerant.")]

    def entry(self) -> tuple[str, Decimal, str]:
        return self.cleaned_data["activity"], self.cleaned_data["quantity"], "kg"
