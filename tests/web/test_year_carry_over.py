"""A year that starts half-filled (issue 15 §2): last year's sources, copied on request; facts carry over."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.forms.years import proposed_year
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from tests.web.conftest import ClientFor, messages_shown


@pytest.fixture
def year_2024(nordlys: Organisation) -> ReportingYear:
    """Last year: 12,000 kWh for Oslo, 40 hotel nights in Sweden, a line uploaded from a file."""
    year = ReportingYear.objects.create(organisation=nordlys, year=2024, fte=Decimal(42),
                                        revenue_nok=Decimal(45_000_000), floor_area_m2=Decimal(1200))
    oslo = Site.objects.create(organisation=nordlys, name="Oslo", address="Storgata 12, 0155 Oslo")
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(12_000),
                                 unit="kWh", site=oslo, description="Hafslund",
                                 details={"kind": "electricity", "quantity": "12000", "unit": "kWh",
                                          "vouchers": "1001, 1002"})
    ActivityEntry.objects.create(reporting_year=year, activity="hotel.se", quantity=Decimal(40),
                                 unit="room_night",
                                 details={"kind": "hotel", "activity": "hotel.se", "quantity": "40"})
    ActivityEntry.objects.create(reporting_year=year, activity="fuel.diesel", quantity=Decimal(500),
                                 unit="litres",
                                 origin=ActivityEntry.Origin.UPLOAD, details={"row": 2})
    return year


@pytest.fixture
def alice_client(client_for: ClientFor, alice: User) -> Client:
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    return client


def text(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


def test_the_new_year_field_proposes_last_year() -> None:
    assert proposed_year([], 2026) == 2025
    assert proposed_year([2023], 2026) == 2025
    assert proposed_year([2024, 2025], 2026) == 2026
    assert proposed_year([2025, 2026], 2026) == 2027


def test_the_organisation_page_proposes_last_year(alice_client: Client) -> None:
    last_year = timezone.now().year - 1
    assert f'name="year" value="{last_year}"' in text(alice_client.get("/o/nordlys/"))


def test_a_new_year_lists_last_years_sources_with_the_amounts_blank(
        alice_client: Client, year_2024: ReportingYear) -> None:
    response = alice_client.post("/o/nordlys/years/", {"year": "2025", "start": "sources"})
    assert response.status_code == 302 and response["Location"] == "/o/nordlys/2025/entries/new/"
    created = ReportingYear.objects.get(organisation=year_2024.organisation, year=2025)
    # The organisation facts carry over.
    assert (created.fte, created.revenue_nok, created.floor_area_m2) == (Decimal(42), Decimal(45_000_000),
                                                                        Decimal(1200))
    assert not created.entries.exists()
    page = text(alice_client.get("/o/nordlys/2025/entries/new/"))
    assert "Start from 2024" in page and "Copy the 3 lines with their quantities" in page
    assert "12,000 kWh" in page and "40 room-nights" in page and "500 litres" in page
    electricity = year_2024.entries.get(activity="electricity.no")
    link = f"/o/nordlys/2025/entries/new/electricity/?from={electricity.pk}"
    assert link in page
    form = text(alice_client.get(link))
    # The same site and note, this year's amount and vouchers blank.
    assert f'<option value="{electricity.site_id}" selected>Oslo</option>' in form
    assert 'value="Hafslund"' in form
    assert 'name="quantity"' in form and 'name="quantity" value=' not in form
    assert "1001, 1002" not in form
    assert "Filled in as in 2024 (12,000 kWh): give this year's amounts." in form
    # Once entered, the source leaves the list.
    assert alice_client.post(link, {"site": electricity.site_id, "quantity": "13 000", "unit": "kWh",
                                    "data_quality": "2", "action": "save"}).status_code == 302
    page = text(alice_client.get("/o/nordlys/2025/entries/new/"))
    assert "Copy the 2 lines with their quantities" in page and link not in page


def test_copied_on_request_with_their_quantities(alice_client: Client, year_2024: ReportingYear) -> None:
    response = alice_client.post("/o/nordlys/years/", {"year": "2025", "start": "copy"}, follow=True)
    assert "3 lines are copied from last year with their quantities: correct them where they changed." in (
        messages_shown(response))
    year_2025 = ReportingYear.objects.get(organisation=year_2024.organisation, year=2025)
    copies = year_2025.entries.order_by("activity")
    assert [(e.activity, e.quantity, e.unit, e.origin) for e in copies] == [
        ("electricity.no", Decimal(12_000), "kWh", "form"), ("fuel.diesel", Decimal(500), "litres", "form"),
        ("hotel.se", Decimal(40), "room_night", "form")]
    assert copies[0].details["copied_from"] == 2024 and "vouchers" not in copies[0].details
    # Copying again adds nothing: every source is entered.
    again = alice_client.post("/o/nordlys/2025/entries/copy-last-year/", follow=True)
    assert "0 lines are copied" in messages_shown(again)[0] and copies.count() == 3


def test_start_empty(alice_client: Client, year_2024: ReportingYear) -> None:
    response = alice_client.post("/o/nordlys/years/", {"year": "2025", "start": "empty"})
    assert response["Location"] == "/o/nordlys/2025/"
    assert not ReportingYear.objects.get(organisation=year_2024.organisation, year=2025).entries.exists()


def test_a_line_of_another_organisation_is_not_a_source(alice_client: Client, year_2024: ReportingYear,
                                                        mallory: User, fjordbakst: Organisation) -> None:
    theirs = ReportingYear.objects.create(organisation=fjordbakst, year=2024)
    secret = ActivityEntry.objects.create(reporting_year=theirs, activity="electricity.no",
                                          quantity=Decimal(777), unit="kWh", description="Fjordbakst secret",
                                          details={"kind": "electricity", "quantity": "777"})
    ReportingYear.objects.create(organisation=year_2024.organisation, year=2025)
    form = text(alice_client.get(f"/o/nordlys/2025/entries/new/electricity/?from={secret.pk}"))
    assert "Fjordbakst secret" not in form and "Filled in as in" not in form


def test_only_editors_copy(client_for: ClientFor, aud: User, year_2024: ReportingYear) -> None:
    ReportingYear.objects.create(organisation=year_2024.organisation, year=2025)
    response = client_for(aud).post("/o/nordlys/2025/entries/copy-last-year/")
    assert response.status_code in (403, 404)
    assert not ReportingYear.objects.get(organisation=year_2024.organisation, year=2025).entries.exists()
