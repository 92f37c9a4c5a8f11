"""Guided forms for travel: flights, hotel nights, taxi/bus/rail, commuting, homeworking."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klimabok.inventory.airport_names import MAX_CANDIDATES, AmbiguousAirport, resolve_airport
from klimabok.inventory.countries import country_name
from klimabok.inventory.flights import Airport, FlightLeg, Haul, UnknownAirport, flight_leg
from klimabok.inventory.forms.entry_base import CHOOSE, EntryForm, quantity_field
from klimabok.inventory.templatetags.account_format import grouped
from klimabok.web.forms import WholeNumberField, choice_field

CABIN_CLASSES = [("economy", _("Economy")), ("premium_economy", _("Premium economy")),
                 ("business", _("Business")), ("first", _("First")), ("average", _("Don't know"))]
# DESNZ has no premium/first factor for short-haul and only an average one for domestic flights:
# the nearest class it does have.
CLASS_FALLBACK = {"premium_economy": "economy", "first": "business"}


def fmt(value: Decimal | float | int, decimals: int = 0) -> str:
    """A number as the account shows it (rounded, grouped, the language's separators)."""
    return grouped(float(value), decimals)


#: Half the earth's equatorial circumference (WGS 84: π × 6,378.137 km): the longest great circle.
HALF_EARTH_KM = Decimal("20037.5")


class FlightForm(EntryForm):
    """Flights by route (airport codes) or by haul band and distance."""

    kind = "flight"
    amount_fields = ("trips", "band_km", "cost_nok", "vouchers")
    # Not max_length=3: a browser cut "bergen" to "ber", which is Berlin (issue 10).
    origin = forms.CharField(label=_("From (airport code or city)"), max_length=100, required=False,
                             widget=forms.TextInput(attrs={"list": "airports", "autocomplete": "off",
                                                           "placeholder": "OSL", "class": "iata"}))
    destination = forms.CharField(
        label=_("To (airport code or city)"), max_length=100, required=False,
        help_text=_("A three-letter code (BGO) or the name of a city or airport (Bergen, Gardermoen). A name "
                    "must match one airport only; the airports found are shown with “Show emissions”."),
        widget=forms.TextInput(attrs={"list": "airports", "autocomplete": "off", "placeholder": "BGO",
                                      "class": "iata"}))
    band = forms.ChoiceField(
        label=_("…or, without airports: distance band"), required=False,
        choices=[("", "—"), (Haul.DOMESTIC, _("Domestic")), (Haul.SHORT, _("Short-haul (up to 3,700 km)")),
                 (Haul.LONG, _("Long-haul (over 3,700 km)"))])
    band_km = quantity_field(_("Distance one way (km)"), required=False,
                             help_text=_("Only with a distance band."))
    cabin_class = forms.ChoiceField(label=_("Cabin class"), choices=CABIN_CLASSES, initial="economy")
    trips = WholeNumberField(label=_("Number of trips (passengers × journeys)"), min_value=1, initial=1)
    return_trip = forms.BooleanField(label=_("Return trip (there and back)"), required=False, initial=True)
    radiative_forcing = forms.BooleanField(
        label=_("Include the extra warming of high-altitude emissions (radiative forcing)"), required=False,
        initial=True, help_text=_("Recommended, and the default in DESNZ reporting."))
    error_fields = {"quantity": "trips", "unit": "trips", "activity": "cabin_class"}

    def setup(self) -> None:
        self.leg: FlightLeg | None = None
        self.airports: dict[str, Airport] = {}

    def _resolve(self, name: str, text: str) -> str:
        """The IATA code of the one airport ``text`` names, or "" with the refusal beside field ``name``."""
        field = gettext("From") if name == "origin" else gettext("To")
        try:
            found = resolve_airport(text)
        except AmbiguousAirport as exc:
            listed = ", ".join(f"{a.iata} {a.name} ({a.country})" for a in exc.candidates[:MAX_CANDIDATES])
            more = " …" if len(exc.candidates) > MAX_CANDIDATES else ""
            self.add_error(name, gettext("%(field)s: «%(text)s» matches %(candidates)s%(more)s — type the "
                                         "code of the one you mean.") % {
                "field": field, "text": text, "candidates": listed, "more": more})
            return ""
        except UnknownAirport:
            self.add_error(name, gettext("%(field)s: «%(text)s» is neither an airport code nor a city or "
                                         "airport we know — type the three-letter code.") % {
                "field": field, "text": text})
            return ""
        self.airports[name] = found
        return found.iata

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        typed = {name: " ".join(data.get(name, "").split()) for name in ("origin", "destination")}
        self.leg, self.airports = None, {}
        if typed["origin"] or typed["destination"]:
            for name, text in typed.items():
                if not text:
                    self.add_error(name, _("Give both airports, or use a distance band instead."))
            # Saved as the codes, so an entry reopens with what was resolved.
            origin, destination = (self._resolve(name, text) if text else "" for name, text in typed.items())
            data["origin"], data["destination"] = origin, destination
            if origin and destination:
                self.leg = flight_leg(origin, destination)
                if origin == destination:
                    self.add_error("destination", _("From and to are the same airport."))
        elif not data.get("band"):
            self.add_error("origin", _("Give the airports, or choose a distance band."))
        elif not data.get("band_km"):
            self.add_error("band_km", _("Give the distance of one trip."))
        return data

    @property
    def haul(self) -> str:
        return self.leg.haul if self.leg else self.cleaned_data["band"]

    @property
    def km_one_way(self) -> Decimal:
        """Distance of one leg in km (the great circle with airports, as given with a band)."""
        if self.leg:
            return Decimal(str(round(self.leg.distance_km, 1)))
        band_km: Decimal = self.cleaned_data["band_km"]
        return band_km

    def plausibility_warnings(self) -> list[str]:
        warnings = super().plausibility_warnings()
        if self.leg is None and self.km_one_way > HALF_EARTH_KM:
            warnings.append(gettext(
                "%(km)s km for one flight is longer than half the earth (%(half)s km): no two airports are "
                "further apart. Give the distance of one trip, one way.") % {
                "km": fmt(self.km_one_way), "half": fmt(HALF_EARTH_KM)})
        return warnings

    def legs(self) -> int:
        trips: int = self.cleaned_data["trips"]
        return trips * (2 if self.cleaned_data["return_trip"] else 1)

    def activity_key(self) -> str:
        cabin = self.cleaned_data["cabin_class"]
        rf = "" if self.cleaned_data["radiative_forcing"] else ".without_rf"
        for candidate in (cabin, CLASS_FALLBACK.get(cabin, cabin), "average"):
            key = f"flight.{self.haul}.{candidate}{rf}"
            if self.catalogue.has_key(key):
                return key
        return f"flight.{self.haul}.{cabin}{rf}"

    def entry(self) -> tuple[str, Decimal, str]:
        quantity = (self.leg.passenger_km(self.cleaned_data["trips"], self.cleaned_data["return_trip"])
                    if self.leg else self.km_one_way * self.legs())
        return self.activity_key(), quantity, "passenger_km"

    def extra_details(self) -> dict[str, Any]:
        details: dict[str, Any] = {"km_one_way": str(self.km_one_way), "haul": str(self.haul)}
        if self.leg:
            details["great_circle_km"] = str(round(self.leg.great_circle_km, 1))
            details["origin_name"] = self.leg.origin.name
            details["destination_name"] = self.leg.destination.name
        return details

    def route_facts(self) -> list[tuple[str, str]]:
        """The airports the typed text resolved to, and the distance between them, to check before saving."""
        facts = [(gettext("From") if name == "origin" else gettext("To"),
                  f"{found.iata} – {found.name}, {found.city} ({found.country})")
                 for name, found in sorted(self.airports.items(), key=lambda item: item[0] != "origin")]
        if self.leg:
            facts.append((gettext("Distance as the crow flies"),
                          gettext("%(km)s km") % {"km": fmt(self.leg.great_circle_km)}))
            # The source of "no uplift", where the distance is shown (klimabok/inventory/flights.py).
            facts.append((gettext("Why %(uplift)s is not added") % {"uplift": "8 %"}, gettext(
                "DESNZ's air passenger factors already include the %(uplift)s distance uplift for indirect "
                "routes and holding, so they take the great-circle distance (DESNZ, Greenhouse gas "
                "reporting: conversion factors — methodology paper, passenger air transport; the note on "
                "the “Business travel- air” sheet: “All the factors include the distance uplift”).")
                % {"uplift": "8 %"}))
        return facts

    def explanation(self) -> str:
        _key, quantity, _unit = self.entry()
        if self.leg:
            # No uplift: DESNZ's factors include the 8 % for indirect routes (klimabok/inventory/flights.py).
            route = gettext("%(origin)s–%(destination)s is %(km)s km as the crow flies (DESNZ's factors "
                            "already include the 8 %% for indirect routes and holding); %(band)s") % {
                "origin": self.leg.origin.iata, "destination": self.leg.destination.iata,
                "km": fmt(self.km_one_way, 1), "band": self.leg.band_reason}
        else:
            route = gettext("%(km)s km per trip") % {"km": fmt(self.km_one_way, 1)}
        return gettext("%(route)s; × %(legs)s flights = %(pkm)s passenger-km") % {
            "route": route, "legs": self.legs(), "pkm": fmt(quantity, 1)}


class HotelForm(EntryForm):
    """Hotel nights in one country: the country's names in the page's language, the organisation's own
    country first chosen."""

    kind = "hotel"
    activity = forms.ChoiceField(label=_("Country"))
    quantity = quantity_field(_("Hotel nights (rooms × nights)"))
    error_fields = {"quantity": "quantity", "activity": "activity", "unit": "quantity"}
    zero_warning = _("0 hotel nights: this entry adds nothing to the account. Give the number of rooms × "
                     "nights, or leave the entry out.")

    def setup(self) -> None:
        choices = sorted(((key, country_name(key.removeprefix("hotel."))) for key, _label
                          in self.activity_choices("hotel.")), key=lambda c: c[1])
        own = f"hotel.{self.context.country.lower()}"
        has_own = any(key == own for key, _label in choices)
        choice_field(self, "activity").choices = choices if has_own else [CHOOSE, *choices]
        self.fields["activity"].initial = own if has_own else ""

    def entry(self) -> tuple[str, Decimal, str]:
        return self.cleaned_data["activity"], self.cleaned_data["quantity"], "room_night"


class TransportForm(EntryForm):
    """Business travel by taxi, bus, rail or ferry, in passenger-km."""

    kind = "transport"
    activity = forms.ChoiceField(label=_("How did you travel?"))
    quantity = quantity_field(_("Kilometres travelled (all trips, all travellers)"))
    error_fields = {"quantity": "quantity", "activity": "activity", "unit": "quantity"}

    def setup(self) -> None:
        choices = [c for c in self.activity_choices("travel.")
                   if not c[0].startswith("travel.car.") and not c[0].endswith(".km")]
        choice_field(self, "activity").choices = [CHOOSE, *choices]

    def entry(self) -> tuple[str, Decimal, str]:
        return self.cleaned_data["activity"], self.cleaned_data["quantity"], "passenger_km"


class CommutingForm(EntryForm):
    """Employees × one-way distance × 2 × days → passenger-km (or car-km) for one mode."""

    kind = "commuting"
    amount_fields = ("employees", "days")
    activity = forms.ChoiceField(label=_("How they travel to work"))
    employees = WholeNumberField(label=_("Number of employees who travel this way"), min_value=1)
    km_one_way = quantity_field(_("Average distance from home to work, one way (km)"))
    days = WholeNumberField(label=_("Days at the office per employee in the year"), min_value=0,
                              max_value=366, initial=200)
    error_fields = {"quantity": "employees", "activity": "activity", "unit": "activity"}

    def setup(self) -> None:
        choices = [c for c in self.activity_choices("commute.")
                   if not c[0].endswith("taxi.km") and ".ferry." not in c[0]]
        choice_field(self, "activity").choices = [CHOOSE, *choices]

    def entry(self) -> tuple[str, Decimal, str]:
        data = self.cleaned_data
        quantity = data["employees"] * data["km_one_way"] * 2 * data["days"]
        # Car factors are per vehicle-km (one commuter per car); the others per passenger-km.
        unit = "km" if data["activity"].endswith(".km") else "passenger_km"
        return data["activity"], quantity, unit

    def explanation(self) -> str:
        data = self.cleaned_data
        _key, quantity, unit = self.entry()
        return gettext("%(n)s employees × %(km)s km × 2 (there and back) × %(days)s days "
                       "= %(total)s %(unit)s") % {
            "n": fmt(data["employees"]), "km": fmt(data["km_one_way"], 1), "days": data["days"],
            "total": fmt(quantity), "unit": gettext("km") if unit == "km" else gettext("passenger-km")}


class HomeworkingForm(EntryForm):
    """FTE working from home × days × hours → FTE-hours."""

    kind = "homeworking"
    amount_fields = ("fte", "days")
    heating = forms.ChoiceField(
        label=_("How are the homes heated?"), initial="electric",
        choices=[("electric", _("Electricity or heat pump (most Norwegian homes)")),
                 ("fossil", _("Gas, oil or unknown"))],
        help_text=_("The published factor for heating assumes British gas-heated homes; with electric "
                    "heating only the office equipment is counted."))
    fte = quantity_field(_("Full-time equivalents working from home"))
    days = WholeNumberField(label=_("Days at home per FTE in the year"), min_value=0, max_value=366)
    hours = quantity_field(_("Working hours per day"), initial=Decimal("7.5"))
    error_fields = {"quantity": "fte", "activity": "fte", "unit": "fte"}

    def entry(self) -> tuple[str, Decimal, str]:
        data = self.cleaned_data
        key = "homeworking.office_equipment" if data["heating"] == "electric" else "homeworking"
        return key, data["fte"] * data["days"] * data["hours"], "fte_hour"

    def explanation(self) -> str:
        data = self.cleaned_data
        _key, quantity, _unit = self.entry()
        return gettext("%(fte)s FTE × %(days)s days × %(hours)s hours = %(total)s FTE-hours") % {
            "fte": fmt(data["fte"], 1), "days": data["days"], "hours": fmt(data["hours"], 1),
            "total": fmt(quantity)}
