"""The reports of a year over the JSON API (issue 13 §6): the GHG inventory report and the board summary
as PDFs, the VSME and ESRS E1 datapoints as the same JSON as the web downloads, the auditor's bundle for
whoever may see the data; a year with no lines or an account that cannot be computed is a 409.

Nordlys' hand-made open 2025 as in ``test_api_account``: 100,000 kWh Norwegian electricity and 10,000 km in
an average diesel car."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.test import Client

from klimabok.accounts.models import Organisation, User
from klimabok.api.tokens import create_token
from klimabok.inventory.models import ActivityEntry, ReportingYear
from tests.web.conftest import ClientFor

if TYPE_CHECKING:
    from tests.web.conftest import TestResponse

BASE = "/api/v1/orgs/nordlys/years/2025/reports"

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(nordlys: Organisation) -> ReportingYear:
    reporting_year = ReportingYear.objects.create(organisation=nordlys, year=2025, fte=Decimal(10))
    for activity, quantity, unit in (("electricity.no", 100_000, "kWh"),
                                     ("car.average.diesel.km", 10_000, "km")):
        ActivityEntry.objects.create(reporting_year=reporting_year, activity=activity,
                                     quantity=Decimal(quantity), unit=unit)
    return reporting_year


def get(path: str, user: User, organisation: Organisation) -> TestResponse:
    token = create_token(user, organisation)[1]
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.parametrize("name", ["ghg-inventory", "board-summary"])
def test_a_pdf_report_is_application_pdf(year: ReportingYear, alice: User, nordlys: Organisation,
                                         name: str) -> None:
    response = get(f"{BASE}/{name}.pdf", alice, nordlys)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'inline; filename="{name}-nordlys-2025-draft.pdf"'


@pytest.mark.parametrize("name", ["vsme", "esrs-e1"])
def test_the_datapoints_are_the_web_download(year: ReportingYear, alice: User, nordlys: Organisation,
                                             client_for: ClientFor, name: str) -> None:
    response = get(f"{BASE}/{name}.json", alice, nordlys)
    web = client_for(alice).get(f"/o/nordlys/reports/2025/{name}.json")
    assert (response.status_code, web.status_code) == (200, 200)
    assert response["Content-Type"] == "application/json"
    assert response.content == web.content
    assert json.loads(response.content)


def test_the_ixbrl_report_is_the_web_s_and_needs_the_lei(
    year: ReportingYear, client_for: ClientFor, alice: User, nordlys: Organisation
) -> None:
    response = get(f"{BASE}/vsme.xhtml", alice, nordlys)
    assert (response.status_code, response.json()["code"]) == (409, "lei_missing")
    assert "needs the organisation's LEI" in response.json()["detail"]
    Organisation.objects.filter(pk=nordlys.pk).update(identifier_scheme="LEI",
                                                      identifier="5299KLIMABOKDEMO0142")
    response = get(f"{BASE}/vsme.xhtml", alice, nordlys)
    web = client_for(alice).get("/o/nordlys/reports/2025/vsme.xhtml")
    assert (response.status_code, response["Content-Type"]) == (200, "application/xhtml+xml")
    assert response.content == web.content
    assert b'name="vsme:GrossScope1GreenhouseGasEmissions"' in response.content


def test_the_bundle_needs_the_right_to_see_the_data(year: ReportingYear, aud: User, emma: User,
                                                    nordlys: Organisation) -> None:
    response = get(f"{BASE}/audit-bundle.zip", aud, nordlys)
    assert (response.status_code, response["Content-Type"]) == (200, "application/zip")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert "account/lines.csv" in names
    response = get(f"{BASE}/audit-bundle.zip", emma, nordlys)
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")
    # the employee still reads the reports, as on the web
    assert get(f"{BASE}/ghg-inventory.pdf", emma, nordlys).status_code == 200


def test_another_organisation_is_a_404_and_no_token_a_401(year: ReportingYear, mallory: User,
                                                          fjordbakst: Organisation) -> None:
    for name in ("ghg-inventory.pdf", "board-summary.pdf", "vsme.json", "vsme.xhtml", "esrs-e1.json",
                 "audit-bundle.zip"):
        response = get(f"{BASE}/{name}", mallory, fjordbakst)
        assert (response.status_code, response.json()["code"]) == (404, "not_found"), name
        assert Client().get(f"{BASE}/{name}").status_code == 401


def test_a_year_without_lines_or_without_an_account_is_a_409(nordlys: Organisation, alice: User) -> None:
    reporting_year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    for name in ("ghg-inventory.pdf", "board-summary.pdf", "vsme.json", "vsme.xhtml", "esrs-e1.json"):
        response = get(f"{BASE}/{name}", alice, nordlys)
        assert (response.status_code, response.json()["code"]) == (409, "year_empty"), name
        assert "no lines" in response.json()["detail"]
    ActivityEntry.objects.create(reporting_year=reporting_year, activity="fuel.unobtainium",
                                 quantity=Decimal(5), unit="kg")
    for name in ("ghg-inventory.pdf", "board-summary.pdf", "vsme.json", "esrs-e1.json"):
        response = get(f"{BASE}/{name}", alice, nordlys)
        assert (response.status_code, response.json()["code"]) == (409, "account_not_computable"), name
    assert get(f"{BASE}/audit-bundle.zip", alice, nordlys).status_code == 200  # its notes say why
    assert get("/api/v1/orgs/nordlys/years/2031/reports/vsme.json", alice, nordlys).status_code == 404
