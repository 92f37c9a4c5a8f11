"""Input people type (issue 15 §3): Norwegian numbers, warnings that ask before saving, sensible defaults.

The checks live in the entry forms (klimabok.inventory.forms), so the guided pages and anything else that
validates a row through them (the multi-row grid) ask the same questions.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

from klimabok.accounts.models import Organisation, User
from klimabok.core.factors.catalogue import Catalogue, default_catalogue
from klimabok.core.factors.model import FactorDataset
from klimabok.inventory.forms.entry_base import address_city, entry_context, entry_form
from klimabok.inventory.forms.entry_energy import DistrictHeatingForm
from klimabok.inventory.forms.entry_travel import HotelForm
from klimabok.inventory.forms.years import YearFactsForm
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from tests.web.conftest import ClientFor

NEW = "/o/nordlys/2025/entries/new/"
NBSP = "\u00a0"
COMMON = {"data_quality": "2", "action": "save"}


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User, year_2025: ReportingYear) -> Client:
    client = client_for(carl)
    client.cookies["django_language"] = "en"
    return client


def page(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def selected(text: str, name: str) -> str:
    """The value of the selected option of select ``name`` ("" when none is)."""
    select = re.search(rf'<select name="{name}".*?</select>', text, re.S)
    assert select, name
    found = re.search(r'<option value="([^"]*)" selected>', select.group(0))
    return found.group(1) if found else ""


# --- Numbers as people type them ------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["45 000 000", f"45{NBSP}000{NBSP}000", "45000000", "45.000.000",
                                   "45 000 000,00", "45000000.0"])
def test_a_norwegian_number_is_saved_as_it_reads(carl_client: Client, typed: str) -> None:
    response = carl_client.post(NEW + "electricity/", {"quantity": typed, "unit": "kWh", **COMMON})
    assert response.status_code == 302
    assert ActivityEntry.objects.get().quantity == Decimal(45_000_000)


def test_decimals_with_a_comma_or_a_point(carl_client: Client) -> None:
    for typed in ("45 000,50", "45000.50"):
        response = carl_client.post(NEW + "electricity/", {"quantity": typed, "unit": "kWh", **COMMON})
        assert response.status_code == 302
    assert list(ActivityEntry.objects.values_list("quantity", flat=True)) == [Decimal("45000.5")] * 2


def test_a_number_with_a_word_in_it_is_refused_beside_the_field(carl_client: Client) -> None:
    response = carl_client.post(NEW + "electricity/", {"quantity": "45 000 kWh", "unit": "kWh", **COMMON})
    assert response.status_code == 400
    assert "Enter a number." in page(response) and not ActivityEntry.objects.exists()


def test_whole_numbers_read_with_spaces_and_refuse_decimals(carl_client: Client) -> None:
    data = {"activity": "commute.rail.national", "employees": "1 200", "km_one_way": "12,5", "days": "200",
            **COMMON}
    assert carl_client.post(NEW + "commuting/", data).status_code == 302
    # 1,200 employees × 12.5 km × 2 × 200 days = 6,000,000 passenger-km
    assert ActivityEntry.objects.get().quantity == Decimal(6_000_000)
    response = carl_client.post(NEW + "commuting/", {**data, "employees": "2,5"})
    assert response.status_code == 400 and "Enter a whole number." in page(response)


def test_the_year_facts_read_a_revenue_of_45_million(year_2025: ReportingYear) -> None:
    form = YearFactsForm({"fte": "12,5", "revenue_nok": f"45{NBSP}000{NBSP}000", "floor_area_m2": "1 200",
                          "gwp_set": "AR5", "notes": ""})
    assert form.is_valid(), form.errors
    facts = form.cleaned_data
    assert (facts["fte"], facts["revenue_nok"], facts["floor_area_m2"]) == (
        Decimal("12.5"), Decimal(45_000_000), Decimal(1200))


# --- Warnings that ask before saving -----------------------------------------------------------------

def test_a_billion_km_by_car_is_asked_about_and_saved_when_confirmed(carl_client: Client) -> None:
    data = {"vehicle": "car.medium", "fuel": "diesel", "measure": "km", "quantity": "1 000 000 000", **COMMON}
    response = carl_client.post(NEW + "company_cars/", data)
    assert response.status_code == 400 and not ActivityEntry.objects.exists()
    # 1,000,000,000 km / 40,075 km = 24,953.2 times around the earth
    assert ("1,000,000,000 km is 24,953 times around the earth, for the cars of this kind in one year."
            in page(response))
    assert 'name="confirm_warnings"' in page(response)
    assert carl_client.post(NEW + "company_cars/", {**data, "confirm_warnings": "on"}).status_code == 302
    assert ActivityEntry.objects.get().quantity == Decimal(1_000_000_000)


def test_a_normal_fleet_is_not_asked_about(carl_client: Client) -> None:
    data = {"vehicle": "car.medium", "fuel": "diesel", "measure": "km", "quantity": "5 000 000", **COMMON}
    assert carl_client.post(NEW + "company_cars/", data).status_code == 302


def test_zero_hotel_nights_are_asked_about(carl_client: Client) -> None:
    data = {"activity": "hotel.no", "quantity": "0", **COMMON}
    response = carl_client.post(NEW + "hotel/", data)
    assert response.status_code == 400
    assert "0 hotel nights: this entry adds nothing to the account." in page(response)
    assert carl_client.post(NEW + "hotel/", {**data, "confirm_warnings": "on"}).status_code == 302


def test_the_preview_shows_the_warning_without_asking(carl_client: Client) -> None:
    response = carl_client.post(NEW + "hotel/", {"activity": "hotel.no", "quantity": "0", **COMMON,
                                                 "action": "preview"})
    assert response.status_code == 200
    assert "0 hotel nights" in page(response) and "Not saved yet" in page(response)


def test_a_flight_longer_than_half_the_earth_is_asked_about(carl_client: Client) -> None:
    data = {"band": "long_haul", "band_km": "25 000", "cabin_class": "economy", "trips": "1",
            "radiative_forcing": "on", **COMMON}
    response = carl_client.post(NEW + "flight/", data)
    assert response.status_code == 400
    assert ("25,000 km for one flight is longer than half the earth (20,038 km): no two airports are "
            "further apart.") in page(response)
    # Oslo–Auckland is about 17,500 km: long, and no question.
    assert carl_client.post(NEW + "flight/", {**data, "band_km": "17 500"}).status_code == 302


@pytest.fixture
def oslo_2024(nordlys: Organisation, year_2025: ReportingYear) -> Site:
    oslo = Site.objects.create(organisation=nordlys, name="Oslo", address="Storgata 12, 0155 Oslo")
    year_2024 = ReportingYear.objects.create(organisation=nordlys, year=2024)
    ActivityEntry.objects.create(reporting_year=year_2024, activity="electricity.no", quantity=Decimal(8000),
                                 unit="kWh", site=oslo, details={"kind": "electricity"})
    ActivityEntry.objects.create(reporting_year=year_2024, activity="electricity.no", quantity=Decimal(2),
                                 unit="MWh", site=oslo, details={"kind": "electricity"})
    return oslo


def test_a_years_electricity_100_times_last_years_is_asked_about(carl_client: Client,
                                                                 oslo_2024: Site) -> None:
    # Last year: 8,000 kWh + 2 MWh = 10,000 kWh for Oslo. 1,000,000 kWh is 100 ×.
    data = {"site": oslo_2024.pk, "quantity": "1 000 000", "unit": "kWh", **COMMON}
    response = carl_client.post(NEW + "electricity/", data)
    assert response.status_code == 400
    assert ("1,000,000 kWh is 100 × last year's 10,000 kWh for the same site. Check the number and the unit "
            "(kWh or MWh).") in page(response)
    # The same typed in MWh, and a hundredth of last year's, ask too; 99 × does not.
    in_mwh = carl_client.post(NEW + "electricity/", {**data, "quantity": "1000", "unit": "MWh"})
    assert "1,000,000 kWh is 100 ×" in page(in_mwh)
    assert "100 kWh is 1/100 of last year's 10,000 kWh" in page(
        carl_client.post(NEW + "electricity/", {**data, "quantity": "100"}))
    assert carl_client.post(NEW + "electricity/", {**data, "quantity": "990 000"}).status_code == 302
    # Another site (or the whole organisation) has no last year to compare with.
    assert carl_client.post(NEW + "electricity/", {**data, "site": ""}).status_code == 302


# --- Defaults --------------------------------------------------------------------------------------

def test_hotel_country_is_the_organisations_and_named_in_the_interface_language(
        carl_client: Client, nordlys: Organisation) -> None:
    form = page(carl_client.get(NEW + "hotel/"))
    assert selected(form, "activity") == "hotel.no"
    assert '<option value="hotel.se">Sweden</option>' in form and "Hotel night," not in form
    nordlys.country = "SE"
    nordlys.save()
    carl_client.cookies["django_language"] = "nb"
    form = page(carl_client.get(NEW + "hotel/"))
    assert selected(form, "activity") == "hotel.se"
    assert '<option value="hotel.at">Østerrike</option>' in form
    assert '<option value="hotel.se" selected>Sverige</option>' in form
    assert "Hotellovernatting," not in form and "Austria" not in form


def test_hotel_without_a_factor_for_the_organisations_country_asks_to_choose(
        year_2025: ReportingYear, nordlys: Organisation) -> None:
    nordlys.country = "IS"   # no hotel factor for Iceland
    nordlys.save()
    with translation.override("en"):
        form = entry_form(HotelForm, year_2025)
        choices = list(form.fields["activity"].choices)  # type: ignore[attr-defined]
        assert choices[0] == ("", "(choose)") and form.fields["activity"].initial == ""


@pytest.mark.parametrize("kind", ["transport", "commuting", "refrigerant", "waste", "water", "company_cars",
                                  "generic"])
def test_no_list_defaults_to_its_first_item(carl_client: Client, kind: str) -> None:
    form = page(carl_client.get(NEW + f"{kind}/"))
    for select in re.findall(r'<select name="(activity|vehicle|fuel|fraction|treatment)"', form):
        assert selected(form, select) == "", (kind, select)
        assert re.search(rf'<select name="{select}"[^>]*>\s*<option value="" selected>\(choose\)</option>',
                         form)


def test_address_city() -> None:
    assert address_city("Sandviksveien 40, 5035 Bergen") == "Bergen"
    assert address_city("Storgata 12, 0155 Oslo ") == "Oslo"
    assert address_city("Storgata 12") == ""


def network_catalogue() -> Catalogue:
    base = default_catalogue().factor("district_heating.waste_heat", 2024)
    network = replace(base, key="district_heating.network.bergen",
                      name="BKK Varme (Bergen), per delivered kWh", kg_co2e=0.03, kg_co2=0.03,
                      source="Supplier declaration", source_ref="p. 1")
    return default_catalogue().with_datasets([FactorDataset("bkk", "2024", 2024, "BKK Varme",
                                                            "Supplier declaration", "supplier", (network,))])


def test_district_heating_defaults_to_the_organisations_city_network(
        year_2025: ReportingYear, nordlys: Organisation) -> None:
    catalogue = network_catalogue()
    Site.objects.create(organisation=nordlys, name="Bakeri", address="Sandviksveien 40, 5035 Bergen")
    context = entry_context(year_2025)
    assert context.cities == ("Bergen",)
    form = DistrictHeatingForm(catalogue=catalogue, year=2025, sites=[], context=context)
    assert form.fields["activity"].initial == "district_heating.network.bergen"
    # An organisation in Oslo gets the Norwegian default, not Bergen's network (nor the list's first item).
    oslo_context = replace(context, cities=("Oslo",))
    form = DistrictHeatingForm(catalogue=catalogue, year=2025, sites=[], context=oslo_context)
    assert form.fields["activity"].initial == "district_heating.delivered.no_default"


def test_a_stored_number_is_shown_grouped_and_reads_back(year_2025: ReportingYear) -> None:
    year_2025.revenue_nok, year_2025.fte = Decimal("45000000.00"), Decimal("12.50")
    with translation.override("nb"):
        form = YearFactsForm.for_year(year_2025)
        shown = str(form["revenue_nok"])
        assert f'value="45{NBSP}000{NBSP}000"' in shown and 'value="12,5"' in str(form["fte"])
        again = YearFactsForm({"revenue_nok": f"45{NBSP}000{NBSP}000", "fte": "12,5", "gwp_set": "AR5"})
        assert again.is_valid(), again.errors
        assert again.cleaned_data["revenue_nok"] == Decimal(45_000_000)
