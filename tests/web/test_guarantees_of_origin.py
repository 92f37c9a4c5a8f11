"""Guarantees of origin by volume (issue 10, medium): only the kWh they cover get 0 g market-based, the
rest the residual mix of the reporting year — or, when that is not published, the newest earlier one,
said on the page.

The residual mix: AIB European Residual Mixes 2021, Norway, 0.40491 kg CO2/kWh (ignite row
``Scope2_Electricity_NO_kWh_2021``, in ``tests/data/ignite/activity_based_EF_database.csv``); the newest
in klimabok's sources, so a 2025 account uses it. Location-based: NVE 2023, 15 g CO2e/kWh.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.test import Client

from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from tests.web.conftest import ClientFor

NEW = "/o/nordlys/2025/entries/new/electricity/"
RESIDUAL_NO_2021 = 0.40491  # kg CO2/kWh, AIB 2021, Scope2_Electricity_NO_kWh_2021
NVE_2023 = 0.015


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


@pytest.fixture
def oslo(nordlys: Organisation) -> Site:
    return Site.objects.create(organisation=nordlys, name="Oslo")


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User, year_2025: ReportingYear) -> Client:
    return client_for(carl)


def _form(**changes: str) -> dict[str, str]:
    return {"quantity": "100000", "unit": "kWh", "goo_volume": "60000", "goo_zone": "NO1",
            "goo_period_start": "2025-01-01", "goo_period_end": "2025-12-31", "goo_reference": "ECO-2025-17",
            "data_quality": "1", "action": "save", **changes}


def test_only_the_covered_kwh_get_zero_and_the_rest_the_2021_residual_mix(
        carl_client: Client, oslo: Site, year_2025: ReportingYear) -> None:
    assert carl_client.post(NEW, _form(site=str(oslo.pk))).status_code == 302
    entry = ActivityEntry.objects.get()
    assert (entry.activity, entry.quantity) == ("electricity.no", Decimal(100000))
    assert entry.details["goo_volume"] == "60000" and entry.details["goo_zone"] == "NO1"
    assert entry.details["goo_period_start"] == "2025-01-01"
    assert entry.details["goo_reference"] == "ECO-2025-17"
    totals = load_account(year_2025).totals
    # market: 60,000 kWh × 0 + 40,000 kWh × 0.40491 = 16,196.4 kg; location: 100,000 × 0.015 = 1,500 kg
    assert totals.scope_2_market == pytest.approx(40_000 * RESIDUAL_NO_2021 / 1000)
    assert totals.scope_2_market == pytest.approx(16.1964)
    assert totals.scope_2_location == pytest.approx(100_000 * NVE_2023 / 1000)
    page = html.unescape(carl_client.get("/o/nordlys/2025/entries/").content.decode())
    assert "60\xa0000 kWh med opprinnelsesgarantier teller 0 g CO₂e/kWh markedsbasert." in page
    assert "40\xa0000 kWh får restmiksen for 2021 (AIB, 404,91 g CO₂/kWh)." in page
    assert "Ingen restmiks for 2025 er publisert i klimaboks faktorkilder, så den nyeste tidligere (2021) " \
           "brukes." in page
    # the entry is one row with both parts' tonnes: 16.196 t market-based
    assert page.count('data-testid="market-basis"') == 1
    account = html.unescape(carl_client.get("/o/nordlys/2025/account/").content.decode())
    assert ("Scope 2 markedsbasert: 60\xa0000 av 100\xa0000 kWh strøm dekket av opprinnelsesgarantier "
            "(0 g CO₂e/kWh);") in account
    assert "resten med AIB-restmiksen for 2021." in account


def test_old_yes_entries_count_as_covered_whole_and_reopen_with_the_volume(
        carl_client: Client, year_2025: ReportingYear) -> None:
    # An entry saved with the old yes/no box: activity electricity.no.goo, no volume in its details.
    entry = ActivityEntry.objects.create(reporting_year=year_2025, activity="electricity.no.goo",
                                         quantity=Decimal(50000), unit="kWh",
                                         details={"kind": "electricity", "guarantees_of_origin": True})
    assert load_account(year_2025).totals.scope_2_market == 0  # 50,000 kWh × 0
    form = carl_client.get(f"/o/nordlys/2025/entries/{entry.pk}/").content.decode()
    shown = re.search(r'name="quantity" value="([^"]+)"', form)
    assert shown and f'name="goo_volume" value="{shown.group(1)}"' in form


def test_more_guarantees_than_electricity_is_refused_naming_the_field(carl_client: Client) -> None:
    response = carl_client.post(NEW, _form(goo_volume="120000"))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert ("Dekket av opprinnelsesgarantier: 120\xa0000 kWh er mer enn de 100\xa0000 kWh som ble brukt; "
            "garantier kan dekke høyst strømmen i denne registreringen.") in page
    assert 'id="id_goo_volume_error"' in page
    assert not ActivityEntry.objects.exists()


def test_guarantees_produced_outside_the_reporting_year_are_refused(carl_client: Client) -> None:
    response = carl_client.post(NEW, _form(goo_period_start="2023-01-01", goo_period_end="2023-12-31"))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert ("Produksjonsperiode fra: garantiene ble produsert 01.01.2023–31.12.2023, utenfor 2025. Bare "
            "garantier for strøm produsert i rapporteringsåret teller (GHG-protokollens kvalitetskriterium 4 "
            "for scope 2).") in page
    assert not ActivityEntry.objects.exists()


def test_a_volume_needs_zone_and_period(carl_client: Client) -> None:
    response = carl_client.post(NEW, _form(goo_zone="", goo_period_end=""))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Budområde eller produksjonsland: trengs når opprinnelsesgarantier dekker strømmen." in page
    assert "Produksjonsperiode til: trengs når opprinnelsesgarantier dekker strømmen." in page


def test_the_page_says_the_same_in_english(carl_client: Client, year_2025: ReportingYear) -> None:
    carl_client.post(NEW, _form())
    carl_client.cookies["django_language"] = "en"
    page = html.unescape(carl_client.get("/o/nordlys/2025/entries/").content.decode())
    assert "40,000 kWh get the residual mix of 2021 (AIB, 404.91 g CO₂/kWh)." in page
