"""The grid of many lines: paste a block from Excel, see each row's tonnes and problems, save all or none.

Hand-checkable figures (shipped catalogue, 2025, as tests/web/browser/test_enter_data_flow.py):
- 100 000 kWh Norwegian grid electricity without guarantees of origin: location 100 000 × 0.015 =
  1 500 kg = 1,5 t (NVE 2023); market 100 000 × 0.40491 = 40 491 kg = 40,5 t (AIB residual mix NO 2021).
- 20 000 kWh with guarantees of origin (electricity.no.goo): location 20 000 × 0.015 = 300 kg = 0,3 t;
  market 0 (the cancelled guarantees' rate).
"""

from __future__ import annotations

import html
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.grid import MAX_ROWS
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


def english(client: Client) -> Client:
    """New messages are asserted in English (their bokmål arrives with the next catalogue merge)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_pasted_block_fills_the_rows_by_its_header(client_for: ClientFor, alice: User,
                                                      year_2025: ReportingYear) -> None:
    response = client_for(alice).post(URL, {"action": "paste", "format": "json", "pasted": PASTED})
    rows = response.json()["rows"]
    assert [(r["activity"], r["quantity"], r["unit"], r["site"], r["note"]) for r in rows] == [
        ("electricity.no", "100 000", "kWh", "Oslo", "Hovedkontor"),
        ("Strøm, NO, med opprinnelsesgarantier", "20000", "", "", "Lager")]


def test_each_row_shows_its_tonnes_and_save_all_adds_every_line(client_for: ClientFor, carl: User,
                                                                year_2025: ReportingYear) -> None:
    client = client_for(carl)  # bokmål: "100 000" and "20000,0" are read as a Norwegian types them
    rows = [{"activity": "electricity.no", "quantity": "100 000", "site": "Oslo"},
            {"activity": "Strøm, NO, med opprinnelsesgarantier", "quantity": "20000,0"}]
    checked = client.post(URL, grid_post(rows, action="check", format="json")).json()
    assert [(r["number"], r["market"], r["location"], r["problems"]) for r in checked["rows"]] == [
        (1, "40,49", "1,50", []), (2, "0,00", "0,30", [])]
    assert (checked["summary"]["market"], checked["summary"]["location"]) == ("40,49", "1,80")
    response = english(client).post(URL, grid_post(rows, action="save") | {"row-1-quantity": "20000.0"})
    assert response.status_code == 302 and response["Location"] == "/o/nordlys/2025/entries/"
    assert messages_shown(response) == ["2 lines are saved."]
    saved = ActivityEntry.objects.order_by("id")
    assert [(e.activity, e.quantity, e.unit, e.site.name if e.site else "", e.created_by) for e in saved] == [
        ("electricity.no", Decimal(100000), "kWh", "Oslo", carl),
        ("electricity.no.goo", Decimal(20000), "kWh", "", carl)]


def test_one_bad_row_saves_nothing_and_names_row_and_column(client_for: ClientFor, alice: User,
                                                            year_2025: ReportingYear) -> None:
    client = english(client_for(alice))
    rows = [{"activity": "electricity.no", "quantity": "100000"},
            {"origin": "OSL", "destination": "Atlantis"},
            {"activity": "unobtainium", "quantity": "3"},
            {},
            {"activity": "hotel.no", "quantity": "-2", "site": "Bergen"}]
    response = client.post(URL, grid_post(rows, action="save"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Nothing was saved: 3 rows have problems. Correct them and save again." in page
    assert "Row 2: To: «Atlantis» is neither an airport code nor a city or airport we know" in page
    assert "Row 3, Activity: «unobtainium» is not an activity of the factor library" in page
    assert "Row 5, Site: unknown site “Bergen”; add it under Sites first (known: Oslo)" in page
    # Row 4 is blank and is skipped; what was typed is kept for correcting.
    assert 'name="row-1-destination" value="Atlantis"' in page
    assert not ActivityEntry.objects.exists()


def test_flights_hotels_and_any_activity_go_through_their_forms(client_for: ClientFor, carl: User,
                                                                year_2025: ReportingYear) -> None:
    """A flight row is the flight form's entry (kind, airports, trips), and opens in it again."""
    client = english(client_for(carl))
    rows = [{"origin": "Oslo", "destination": "BGO", "cabin_class": "økonomi", "return_trip": "ja",
             "passengers": "3", "note": "Kundemøte"},
            {"activity": "Hotel night, Norway", "quantity": "4"},
            {"origin": "OSL", "destination": "LHR", "cabin_class": "business", "return_trip": "nei"}]
    assert client.post(URL, grid_post(rows, action="save")).status_code == 302
    flight, hotel, london = ActivityEntry.objects.order_by("id")
    # 3 passengers × there and back × 324.7 km
    assert (flight.activity, flight.details["kind"], flight.details["trips"], flight.details["return_trip"],
            round(flight.quantity)) == ("flight.domestic.average", "flight", 3, True, 1948)  # 324.7076 × 6
    assert (hotel.activity, hotel.details["kind"], hotel.quantity, hotel.unit) == (
        "hotel.no", "hotel", Decimal(4), "room_night")
    assert (london.activity, london.details["return_trip"]) == ("flight.short_haul.business", False)
    page = html.unescape(client.get(f"/o/nordlys/2025/entries/{flight.pk}/").content.decode())
    assert 'name="trips" value="3"' in page


def test_a_row_the_forms_would_ask_about_is_saved_only_once_confirmed(
    client_for: ClientFor, alice: User, year_2025: ReportingYear
) -> None:
    """0 hotel nights and 2 billion km by car are possible figures but almost always slips: the grid
    shows the entry forms' warnings, refuses "Save all" until "Save anyway" is ticked, then saves."""
    client = client_for(alice)
    rows = [{"activity": "Hotel night, Norway", "quantity": "0"},
            {"activity": "electricity.no", "quantity": "1000", "unit": "kWh"}]
    checked = client.post(URL, grid_post(rows, action="check", format="json")).json()
    assert [len(r["warnings"]) for r in checked["rows"]] == [1, 0]
    assert checked["rows"][0]["warnings"][0].startswith("Rad 1: ")
    assert checked["rows"][0]["problems"] == [] and checked["summary"]["warned"] == 1
    refused = client.post(URL, grid_post(rows, action="save"))
    assert refused.status_code == 400
    page = html.unescape(refused.content.decode())
    assert "Ingenting ble lagret: 1 rad har tall som bør sjekkes" in page
    assert 'data-testid="row-warning">Rad 1: ' in page
    assert ActivityEntry.objects.count() == 0
    saved = client.post(URL, grid_post(rows, action="save", confirm_warnings="on"))
    assert saved.status_code == 302
    assert ActivityEntry.objects.count() == 2


def test_a_closed_year_saves_nothing(client_for: ClientFor, alice: User, year_2025: ReportingYear) -> None:
    ReportingYear.objects.filter(pk=year_2025.pk).update(status=ReportingYear.Status.CLOSED)
    client = english(client_for(alice))
    response = client.post(URL, grid_post([{"activity": "electricity.no", "quantity": "1"}], action="save"))
    assert response.status_code == 400
    assert "2025 is closed: reopen it to change its data." in html.unescape(response.content.decode())
    assert not ActivityEntry.objects.exists()


def test_without_javascript_the_paste_box_fills_the_grid(client_for: ClientFor, alice: User,
                                                         year_2025: ReportingYear) -> None:
    page = client_for(alice).post(URL, {"action": "paste", "pasted": "OSL\tTRD\teconomy\tja\t2",
                                        "column": "origin"}).content.decode()
    assert 'name="row-0-origin" value="OSL"' in page and 'name="row-0-passengers" value="2"' in page


@pytest.mark.parametrize(("who", "status"), [("alice", 200), ("carl", 200), ("petra", 200), ("aud", 403),
                                             ("emma", 403), ("mallory", 404)])
def test_who_may_use_the_grid(client_for: ClientFor, everyone: dict[str, User], year_2025: ReportingYear,
                              who: str, status: int) -> None:
    client = client_for(everyone[who])
    assert client.get(URL).status_code == status
    response = client.post(URL, grid_post([{"activity": "electricity.no", "quantity": "10"}], action="save"))
    assert response.status_code == (302 if status == 200 else status)
    assert ActivityEntry.objects.count() == (1 if status == 200 else 0)


def test_the_page_posts_many_rows_as_one_field(client_for: ClientFor, alice: User,
                                                year_2025: ReportingYear) -> None:
    """grid.js posts the rows as one JSON list: 150 rows would be 1 500 fields, over Django's 1 000."""
    rows = [{"activity": "hotel.no", "quantity": str(n)} for n in range(1, 151)]
    response = client_for(alice).post(URL, {"action": "save", "rows_json": json.dumps(rows)})
    assert response.status_code == 302
    assert ActivityEntry.objects.count() == 150
    assert sum(e.quantity for e in ActivityEntry.objects.all()) == 150 * 151 // 2


def test_more_rows_than_the_grid_takes_are_refused(client_for: ClientFor, alice: User,
                                                   year_2025: ReportingYear) -> None:
    rows = [{"activity": "hotel.no", "quantity": "1"}] * (MAX_ROWS + 1)
    response = english(client_for(alice)).post(URL, {"action": "save", "rows_json": json.dumps(rows)})
    assert response.status_code == 400
    assert f"The grid takes at most {MAX_ROWS} rows at a time" in html.unescape(response.content.decode())
    assert not ActivityEntry.objects.exists()
