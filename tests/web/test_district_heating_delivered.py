"""District heating per delivered kWh (issue 10, medium): the form asks for the kWh on the bill, so the
factor must be per kWh delivered, not per kWh fed into the plant, and the page says which one is used.

Norsk Fjernvarme, Klimaregnskap for fjernvarme 2020 (dok. 34223-00005-3.0) publishes factors per kWh
*supplied to the plant* (Tabell 1, p. 2) and, as its only figure per delivered kWh, the worked example of
a typical plant on p. 19: 23 GWh electricity (18 g), recovered heat from waste (0 g), 52 GWh light oil
(265 + 21 g), 48 GWh pellets (0 + 13 g) in; 221 GWh delivered; 15,910 t; 72 g CO2e per delivered kWh.
That is the Norwegian default when no figure of the user's network is in the factor library.
"""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.test import Client

from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear
from tests.web.conftest import ClientFor

NEW = "/o/nordlys/2025/entries/new/district_heating/"
# p. 19: combustion (scope 2) = (23 × 18 + 52 × 265 + 48 × 0) t / 221 GWh; production and transport
# (scope 3.3) = (52 × 21 + 48 × 13) t / 221 GWh. Together 15,910 t / 221 GWh = 71.99 ≈ 72 g/kWh.
COMBUSTION_G = (23 * 18 + 52 * 265 + 48 * 0) / 221    # 14,194 / 221 = 64.226 g/kWh
UPSTREAM_G = (52 * 21 + 48 * 13) / 221                # 1,716 / 221 = 7.765 g/kWh


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User, year_2025: ReportingYear) -> Client:
    return client_for(carl)


def test_the_default_is_per_delivered_kwh_and_not_zero(carl_client: Client, year_2025: ReportingYear) -> None:
    form = html.unescape(carl_client.get(NEW).content.decode())
    # The form offers the delivered-energy default first, and no longer the per-input carriers.
    assert 'value="district_heating.delivered.no_default" selected' in form
    assert "district_heating.waste_heat" not in form
    response = carl_client.post(NEW, {"quantity": "100000", "unit": "kWh", "supplier": "Hafslund Celsio",
                                      "activity": "district_heating.delivered.no_default",
                                      "data_quality": "2", "action": "save"})
    assert response.status_code == 302
    totals = load_account(year_2025).totals
    # 100,000 kWh × 64.226 g = 6,422.6 kg scope 2 (both views); × 7.765 g = 776.5 kg scope 3.3
    assert round(COMBUSTION_G + UPSTREAM_G) == 72 and 14_194 + 1_716 == 15_910
    # (the table keeps 7 decimals of kg: 0.0642262 kg/kWh → 6.42262 t)
    assert totals.scope_2_location == totals.scope_2_market == pytest.approx(100_000 * COMBUSTION_G / 1e6,
                                                                             abs=1e-5)
    assert totals.total_market == pytest.approx(100_000 * 72 / 1e6, abs=0.001)   # 7.2 t (7.199 t)
    page = html.unescape(carl_client.get("/o/nordlys/2025/entries/").content.decode())
    assert ("Faktor: norsk standardverdi per levert kWh (Norsk Fjernvarme 2020, regneeksempel s. 19: "
            "72 g CO₂e/kWh), fordi ingen tall for «Hafslund Celsio» per levert kWh finnes i "
            "faktorbiblioteket.") in page
    lines = html.unescape(carl_client.get("/o/nordlys/2025/account/lines/").content.decode())
    assert "p. 19, Regneeksempler: (14,194 + 1,716) t CO2e / 221 GWh levert = 72 g/kWh" in lines


def test_entries_with_the_old_per_input_factors_still_compute_and_say_so(
        carl_client: Client, year_2025: ReportingYear) -> None:
    # Tabell 1, p. 2: light oil 265 g combustion + 21 g production and transport per kWh fed in.
    entry = ActivityEntry.objects.create(reporting_year=year_2025, activity="district_heating.light_oil",
                                         quantity=Decimal(1000), unit="kWh",
                                         details={"kind": "district_heating", "supplier": "Gammel sentral"})
    assert load_account(year_2025).totals.total_market == pytest.approx(1000 * (0.265 + 0.021) / 1000)
    page = html.unescape(carl_client.get("/o/nordlys/2025/entries/").content.decode())
    assert "Faktor per kWh tilført anlegget (gammel metode)" in page
    form = html.unescape(carl_client.get(f"/o/nordlys/2025/entries/{entry.pk}/").content.decode())
    assert "per kWh tilført anlegget (gammel metode)" in form
