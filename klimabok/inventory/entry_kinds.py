"""The kinds of activity data a user can enter, each with its guided form.

The data-entry page lists these in this order; an entry remembers its kind
(``details["kind"]``) so it is edited in the form it was made with. Entries
from uploads and the API use the generic form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from klimabok.inventory.forms.entry_base import EntryForm
from klimabok.inventory.forms.entry_energy import (
    CompanyCarForm,
    DistrictHeatingForm,
    ElectricityForm,
    RefrigerantForm,
)
from klimabok.inventory.forms.entry_other import GenericForm, PurchaseForm, WasteForm, WaterForm
from klimabok.inventory.forms.entry_travel import (
    CommutingForm,
    FlightForm,
    HomeworkingForm,
    HotelForm,
    TransportForm,
)
from klimabok.inventory.models import ActivityEntry


@dataclass(frozen=True)
class EntryKind:
    slug: str
    title: str | Promise
    summary: str | Promise
    scope: str | Promise
    form_class: type[EntryForm]


KINDS: tuple[EntryKind, ...] = (
    EntryKind("electricity", _("Electricity"), _("kWh per site, with or without guarantees of origin"),
              _("Scope 2"), ElectricityForm),
    EntryKind("district_heating", _("District heating"), _("kWh of heat from the district heating network"),
              _("Scope 2"), DistrictHeatingForm),
    EntryKind("company_cars", _("Company cars and vans"), _("Kilometres driven or litres of fuel"),
              _("Scope 1"), CompanyCarForm),
    EntryKind("flight", _("Flights"), _("From and to which airport, how many trips"),
              _("Scope 3 · business travel"), FlightForm),
    EntryKind("hotel", _("Hotel nights"), _("Nights per country"), _("Scope 3 · business travel"), HotelForm),
    EntryKind("transport", _("Taxi, bus and rail"), _("Kilometres travelled on business"),
              _("Scope 3 · business travel"), TransportForm),
    EntryKind("commuting", _("Commuting"), _("Employees, how they travel, how far"),
              _("Scope 3 · commuting"), CommutingForm),
    EntryKind("homeworking", _("Working from home"), _("Full-time equivalents, days and hours at home"),
              _("Scope 3 · commuting"), HomeworkingForm),
    EntryKind("waste", _("Waste"), _("Kilograms or tonnes per fraction and treatment"),
              _("Scope 3 · waste"), WasteForm),
    EntryKind("water", _("Water"), _("Cubic metres of water and wastewater"), _("Scope 3"), WaterForm),
    EntryKind("purchases", _("Purchased goods and services"),
              _("IT equipment, food, paper and clothing, by weight"), _("Scope 3 · purchases"), PurchaseForm),
    EntryKind("refrigerant", _("Refrigerant leaks"), _("Kilograms refilled in heat pumps and cooling"),
              _("Scope 1"), RefrigerantForm),
    EntryKind("generic", _("Any activity in the factor library"), _("For specialists: pick the activity "
              "and give the quantity in any matching unit"), _("Any scope"), GenericForm),
)
BY_SLUG = {kind.slug: kind for kind in KINDS}


def kind_of(entry: ActivityEntry) -> EntryKind:
    """The kind an entry was made with (generic for uploads and unknown kinds)."""
    return BY_SLUG.get(str(entry.details.get("kind", "")), BY_SLUG["generic"])
