"""VSME B3/C3 and ESRS E1 downloads of a hand-made year: the figures, the draft mark of an open year, the
template's cells, the ESRS XLSX's banner, and the reports page's links."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings
from openpyxl import load_workbook

from klimabok.account.read_models import load_account
from klimabok.account.services import close_year
from klimabok.accounts.models import Organisation, User
from klimabok.core.engine.result import to_tonnes_decimal
from klimabok.inventory import services
from klimabok.inventory.models import ReportingYear
from tests.web.conftest import ClientFor
from tests.xbrl.arelle import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(nordlys: Organisation, carl: User) -> ReportingYear:
    """2025: 300,000 kWh electricity, 100,000 kWh of it covered by guarantees of origin; 100 MWh district
    heating; revenue 20,000,000 NOK."""
    year = services.create_year(nordlys, 2025)
    services.update_year_facts(year, services.YearFacts(revenue_nok=Decimal(20_000_000)))
    goo = {"goo_volume": "100000", "goo_zone": "NO1", "goo_period_start": "2025-01-01",
           "goo_period_end": "2025-12-31"}
    services.add_entry(year, services.EntryDraft("electricity.no", Decimal(300000), "kWh", details=goo), carl)
    services.add_entry(
        year, services.EntryDraft("district_heating.delivered.no_default", Decimal(100), "MWh"), carl
    )
    return year


def _url(year: ReportingYear, name: str) -> str:
    return f"/o/{year.organisation.slug}/reports/{year.year}/{name}"


def test_vsme_json_of_an_open_year_is_a_draft(year: ReportingYear, client_for: ClientFor, emma: User) -> None:
    response = client_for(emma).get(_url(year, "vsme.json"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["draft"] is True
    points = data["datapoints"]
    assert points["TotalEnergyConsumption"] == 400.0  # 300 MWh electricity + 100 MWh heating
    assert points["EnergyConsumptionFromElectricity_RenewableEnergyMember"] == 100.0  # the GoO's kWh
    assert points["EnergyConsumptionFromElectricity_NonRenewableEnergyMember"] == 200.0
    totals = load_account(year).totals
    assert points["GrossMarketBasedScope2GreenhouseGasEmissions"] == float(
        to_tonnes_decimal(totals.scope_2_market))


def test_a_closed_year_is_no_draft_and_fills_the_template(
    year: ReportingYear, client_for: ClientFor, alice: User, emma: User
) -> None:
    close_year(year, alice)
    data = json.loads(client_for(emma).get(_url(year, "vsme.json")).content)
    assert data["draft"] is False
    response = client_for(emma).get(_url(year, "vsme.xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook["Environmental Disclosures"]["G5"].value == 400  # TotalEnergyConsumption
    assert workbook["Environmental Disclosures"]["C1"].value is None  # no draft banner


def test_esrs_xlsx_of_an_open_year_has_a_draft_banner(
    year: ReportingYear, client_for: ClientFor, emma: User
) -> None:
    response = client_for(emma).get(_url(year, "esrs-e1.xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert str(rows[1][0]).startswith("UTKAST")
    assert ["E1-5", "E1 §37", "energy_total", None, 400, "MWh"] in [list(r[:6]) for r in rows]
    data = json.loads(client_for(emma).get(_url(year, "esrs-e1.json")).content)
    assert data["draft"] is True
    keys = {p["key"]: p for p in data["datapoints"]}
    assert keys["energy_renewable_purchased_electricity"]["value"] == 100.0
    assert keys["intensity_location"]["unit"] == "t CO2e per NOK"


def test_reports_page_links_the_downloads(year: ReportingYear, client_for: ClientFor, emma: User) -> None:
    page = client_for(emma).get(f"/o/{year.organisation.slug}/reports/").content.decode()
    assert _url(year, "vsme.json") in page and _url(year, "esrs-e1.xlsx") in page
    assert _url(year, "vsme.xlsx") in page
    with override_settings(VSME_TEMPLATE=""):
        page = client_for(emma).get(f"/o/{year.organisation.slug}/reports/").content.decode()
        assert _url(year, "vsme.xlsx") not in page
        assert client_for(emma).get(_url(year, "vsme.xlsx")).status_code == 404


def test_the_ixbrl_report_passes_arelle_and_carries_the_year_s_figures(
    year: ReportingYear, client_for: ClientFor, alice: User, emma: User, tmp_path: Path
) -> None:
    Organisation.objects.filter(pk=year.organisation_id).update(identifier_scheme="LEI",
                                                                identifier="5299KLIMABOKDEMO0142")
    close_year(year, alice)
    response = client_for(emma).get(_url(year, "vsme.xhtml"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xhtml+xml"
    assert validate(response.content, tmp_path) == []
    text = response.content.decode()
    # 300 MWh electricity + 100 MWh district heating (the fixture)
    assert 'name="vsme:TotalEnergyConsumption"' in text and ">400.000</ix:nonFraction>" in text
    assert "LEI 5299KLIMABOKDEMO0142 · organisation number" in text
    assert client_for(emma).get(_url(year, "vsme.xhtml")).content == response.content  # reproducible


def test_without_an_lei_the_ixbrl_link_says_what_to_record(
    year: ReportingYear, client_for: ClientFor, emma: User
) -> None:
    response = client_for(emma).get(_url(year, "vsme.xhtml"), follow=True)
    assert response.redirect_chain[-1][0] == "/o/nordlys/reports/"
    assert "iXBRL-rapporten krever virksomhetens LEI" in response.content.decode()


def test_another_organisation_gets_no_ixbrl(year: ReportingYear, client_for: ClientFor,
                                            mallory: User) -> None:
    assert client_for(mallory).get(_url(year, "vsme.xhtml")).status_code == 404
