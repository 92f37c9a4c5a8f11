"""The grid of many lines: paste a block from Excel, see each row's tonnes and problems, save all or none.

Hand-checkable figures (shipped catalogue, 2025, as tests/web/browser/test_enter_data_flow.py):
- 100 000 kWh Norwegian grid electricity without guarantees of origin: location 100 000 × 0.015 =
  1 500 kg = 1,5 t (NVE 2023); market 100 000 × 0.40491 = 40 491 kg = 40,5 t (AIB residual mix NO 2021).
- 20 000 kWh with guarantees of origin (electricity.no.goo): location 20 000 × 0.015 = 300 kg = 0,3 t;
  market 0 (the cancelled guarantees' rate).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from tests.web.conftest import ClientFor, messages_shown

URL = "/o/nordlys/2025/entries/grid/"
PASTED = ("Aktivitet\tMengde\tEnhet\tLokasjon\tNotat\n"
          "electricity.no\t100 000\tkWh\tOslo\tHovedkontor\n"
          "Strøm, NO, med opprinnelsesgarantier\t20000\t\t\tLager\n")


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    Site.objects.create(organisation=nordlys, name="Oslo")
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


def grid_post(rows: list[dict[str, str]], **extra: str) -> dict[str, str]:
    data = dict(extra)
    for i, row in enumerate(rows):
        for column, value in row.items():
            data[f"row-{i}-{column}"] = value
    return data


def test_a_pasted_block_fills_the_rows_by_its_header(client_for: ClientFor, alice: User,
                                                      year_2025: ReportingYear) -> None:
    response = client_for(alice).post(URL, {"action": "paste", "format": "json", "pasted": PASTED})
    rows = response.json()["rows"]
    assert [(r["activity"], r["quantity"], r["unit"], r["site"], r["note"]) for r in rows] == [
        ("electricity.no", "100 000", "kWh", "Oslo", "Hovedkontor"),
        ("Strøm, NO, med opprinnelsesgarantier", "20000", "", "", "Lager")]


def test_each_row_shows_its_tonnes_and_save_all_adds_every_line(client_for: ClientFor, carl: User,
                                                                year_2025: ReportingYear) -> None:
    client = client_for(carl)
    rows = [{"activity": "electricity.no", "quantity": "100 000", "site": "Oslo"},
            {"activity": "Strøm, NO, med opprinnelsesgarantier", "quantity": "20000,0"}]
    checked = client.post(URL, grid_post(rows, action="check", format="json")).json()
    assert [(r["number"], r["market"], r["location"], r["problems"]) for r in checked["rows"]] == [
        (1, "40,5", "1,5", []), (2, "0,0", "0,3", [])]
    assert (checked["summary"]["market"], checked["summary"]["location"]) == ("40,5", "1,8")
    response = client.post(URL, grid_post(rows, action="save"))
    assert response.status_code == 302 and response["Location"] == "/o/nordlys/2025/entries/"
    assert messages_shown(response) == ["2 lines are saved."]
    saved = ActivityEntry.objects.order_by("id")
    assert [(e.activity, e.quantity, e.unit, e.site.name if e.site else "", e.created_by) for e in saved] == [
        ("electricity.no", Decimal(100000), "kWh", "Oslo", carl),
        ("electricity.no.goo", Decimal(20000), "kWh", "", carl)]
