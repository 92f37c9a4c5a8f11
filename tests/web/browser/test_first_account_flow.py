"""Issue 15's proof: a 30-person office company's year, entered in Chromium through the grid and the
template, reaches the account page with the total worked out by hand below.

The climate partner (petra) pastes the company's spreadsheet into the grid (electricity with and
without guarantees of origin, district heating, two cars, waste; Norwegian decimal commas) and saves
all; downloads the Excel template, fills in the travel agency's ten flights and the hotel nights in
its flight and hotel columns, uploads it; and opens the account.

Hand computation, kg CO2e, shipped catalogue for 2025 (factor, source row):
- electricity.no, 180 000 kWh: market 0.40491 (AIB residual mix NO 2021) → 72 883.80;
  location 0.015 (NVE klimadeklarasjon 2023) → 2 700.00
- electricity.no.goo, 40 000 kWh: market 0 (cancelled guarantees) → 0; location 0.015 → 600.00
- district_heating.delivered.no_default, 120 000 kWh: 0.0642262 + WTT 0.0077647 (Norsk Fjernvarme
  2020, p. 19) → 120 000 × 0.0719909 = 8 638.91 (both methods)
- car.medium.diesel.km, 18 000 km: 0.17174 + WTT 0.04103 (DESNZ 4_301_3053_4_1, 26_904_3053_4_1)
  → 18 000 × 0.21277 = 3 829.86
- car.medium.bev.km, 22 000 km: 0 + WTT 0.01022 (DESNZ 4_301_3060_4_1, 26_904_3060_4_1) → 224.84
- waste.mixed.incineration 2,4 t and waste.paper.recycling 1,1 t: 4.68568 per tonne (DESNZ
  20_507_5311_15_1, 20_506_5450_15_1) → 3.5 × 4.68568 = 16.40
- flights, great-circle km from airportsdata, DESNZ 2025 with RF + WTT, per passenger-km:
  OSL–BGO 324.7076 km, domestic 0.22928 + 0.03350 = 0.26278: 3 passengers return → 1 948.2458 pkm
  → 511.96; and 2 passengers one way BGO–OSL → 649.4153 pkm → 170.65;
  OSL–TRD 363.0469 km, domestic: 2 return → 1 452.1876 pkm → 381.61;
  OSL–CPH 517.0233 km, short-haul economy 0.12576 + 0.02249 = 0.14825: 2 return → 2 068.0930 pkm
  → 306.60; OSL–LHR 1 205.5960 km, short-haul business 0.18863 + 0.03373 = 0.22236: 1 return →
  2 411.1919 pkm → 536.15. Ten flights (3 + 2 + 2 + 1 + 2 passengers), 1 906.97 in all.
- hotels: 24 nights in Norway × 1.8 (hotel.no, 2022 row) = 43.2; 3 in the UK × 10.4 (DESNZ
  29_600_4000_13_1) = 31.2 → 74.40

Market-based: 72 883.80 + 0 + 8 638.91 + 3 829.86 + 224.84 + 16.40 + 1 906.97 + 74.40 = 87 575.18 kg
= 87,6 t. Location-based: the same with 2 700.00 + 600.00 for electricity = 17 991.38 kg = 18,0 t.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import expect

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, Site
from klimabok.inventory.services import create_year
from tests.web.browser.test_enter_data_flow import log_in, stat_values

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"
#: The company's spreadsheet as Excel copies it (tab-separated, decimal commas, a header row).
SPREADSHEET = (
    "Aktivitet\tMengde\tEnhet\tLokasjon\tNotat\n"
    "electricity.no\t180 000\tkWh\tOslo\tHovedkontoret, Elvia årsoppgave\n"
    "Strøm, NO, med opprinnelsesgarantier\t40 000\tkWh\tOslo\tLageret, garantier fra Ishavskraft\n"
    "district_heating.delivered.no_default\t120 000\tkWh\tOslo\tFjernvarme, Hafslund Celsio\n"
    "car.medium.diesel.km\t18 000\tkm\t\tFirmabil 1 (diesel)\n"
    "car.medium.bev.km\t22 000\tkm\t\tFirmabil 2 (elbil)\n"
    "waste.mixed.incineration\t2,4\ttonnes\tOslo\tRestavfall, Norsk Gjenvinning\n"
    "waste.paper.recycling\t1,1\ttonnes\tOslo\tPapir og papp\n"
)
#: The travel agency's flights and the hotel nights, typed into the template's flight and hotel columns:
#: (from, to, class, return, passengers) and (country, nights).
FLIGHTS = [("OSL", "BGO", "economy", "ja", 3), ("Oslo", "Trondheim", "economy", "ja", 2),
           ("OSL", "CPH", "economy", "ja", 2), ("OSL", "LHR", "business", "ja", 1),
           ("BGO", "OSL", "economy", "nei", 2)]
HOTELS = [("NO", 24), ("GB", 3)]


def paste(page: Any, selector: str, text: str) -> None:
    """Paste ``text`` into the cell as Ctrl+V does: a paste event carrying the clipboard's text."""
    page.locator(selector).focus()
    page.locator(selector).evaluate(
        """(cell, text) => {
             const data = new DataTransfer();
             data.setData("text/plain", text);
             const init = {clipboardData: data, bubbles: true, cancelable: true};
             cell.dispatchEvent(new ClipboardEvent("paste", init));
           }""",
        text)


def fill_template(path: Path) -> None:
    """What the user does in Excel: the example rows out, the flights and hotel nights in."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Activities"]
    headings = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)
    for origin, destination, cabin, back, passengers in FLIGHTS:
        sheet.append([{"fra": origin, "til": destination, "klasse": cabin, "tur_retur": back,
                       "passasjerer": passengers, "beskrivelse": "Reisebyrå: Berg-Hansen"}.get(str(h))
                      for h in headings])
    for country, nights in HOTELS:
        sheet.append([{"land": country, "netter": nights, "beskrivelse": "Hotell"}.get(str(h))
                      for h in headings])
    workbook.save(path)


def test_a_partner_enters_a_thirty_person_companys_year_through_grid_and_template(
        live_server: Any, page: Any, petra: User, nordlys: Organisation, tmp_path: Path) -> None:
    create_year(nordlys, 2025)
    Site.objects.create(organisation=nordlys, name="Oslo")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    started = time.perf_counter()
    log_in(page, base, petra)

    # 1. The spreadsheet, pasted into the grid's first cell.
    page.goto(f"{base}/o/nordlys/2025/entries/grid/")
    page.wait_for_selector("#grid-form[data-ready=true]")
    paste(page, "input[name=row-0-activity]", SPREADSHEET)
    expect(page.locator("[data-testid=grid-total-market]")).to_have_text("85,59")  # the rows are checked
    assert page.locator("input[name=row-1-quantity]").input_value() == "40 000"
    assert page.locator("input[name=row-5-quantity]").input_value() == "2,4"
    market = [t.strip() for t in page.locator("#grid-rows [data-testid=row-market]").all_inner_texts()][:7]
    assert market == ["72,88", "0,00", "8,64", "3,83", "0,22", "0,01", "0,01"]
    assert page.locator("tr.grid-problems:not([hidden])").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "grid-pasted.png"), full_page=True)
    page.locator("button[name=action][value=save]").click()
    page.wait_for_url(f"{base}/o/nordlys/2025/entries/")
    assert ActivityEntry.objects.count() == 7

    # 2. The template, with the flights and hotel nights, downloaded and uploaded.
    page.goto(f"{base}/o/nordlys/2025/upload/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned malen").click()
    template = tmp_path / "klimabok-mal.xlsx"
    download.value.save_as(template)
    fill_template(template)
    page.locator("input[type=file]").set_input_files(str(template))
    page.get_by_role("button", name="Last opp").click()
    page.wait_for_url(f"{base}/o/nordlys/2025/upload/")
    assert ActivityEntry.objects.count() == 7 + len(FLIGHTS) + len(HOTELS)

    # 3. The account: the hand-computed totals (module docstring).
    page.goto(f"{base}/o/nordlys/2025/account/")
    assert stat_values(page) == ["87,6", "18,0"]  # market-based first, then location-based
    elapsed = time.perf_counter() - started
    page.screenshot(path=str(SCREENSHOTS / "first-account.png"), full_page=True)
    print(f"\nscripted walkthrough (log in → account page): {elapsed:.1f} s")


def test_a_row_shows_its_problem_as_it_is_typed_and_its_tonnes_once_corrected(
        live_server: Any, page: Any, carl: User, nordlys: Organisation) -> None:
    """OSL–BGO for 2 passengers one way: 2 × 324.7076 km × 0.26278 kg/pkm = 170.65 kg = 0,17 t."""
    create_year(nordlys, 2025)
    base = live_server.url
    log_in(page, base, carl)
    page.goto(f"{base}/o/nordlys/2025/entries/grid/")
    page.wait_for_selector("#grid-form[data-ready=true]")
    paste(page, "input[name=row-0-origin]", "OSL\tAtlantis\teconomy\tnei\t2")
    problems = page.locator('tr[data-problems-for="0"]')
    expect(problems).to_contain_text("«Atlantis»")
    expect(problems).to_contain_text(" 1: Til: «Atlantis» er verken en flyplasskode")  # "Rad 1: Til: …"
    assert page.locator("input[name=row-0-destination]").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(SCREENSHOTS / "grid-problem.png"), full_page=True)
    page.locator("input[name=row-0-destination]").fill("Bergen")
    expect(page.locator('tr[data-index="0"] [data-testid=row-market]')).to_have_text("0,17")
    expect(problems).to_be_hidden()
    page.locator("button[name=action][value=save]").click()
    page.wait_for_url(f"{base}/o/nordlys/2025/entries/")
    flight = ActivityEntry.objects.get()
    assert (flight.details["origin"], flight.details["destination"], flight.details["trips"]) == (
        "OSL", "BGO", 2)


def test_the_travel_agencys_report_is_mapped_previewed_and_imported(
        live_server: Any, page: Any, alice: User, nordlys: Organisation, tmp_path: Path) -> None:
    """The same ten flights as the grid test, one row per passenger and leg, as an agency lists them:
    1 906.97 kg = 1,9 t (module docstring)."""
    create_year(nordlys, 2025)
    report = tmp_path / "berg-hansen-2025.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Reisedato", "Reisende", "Avreise", "Ankomst", "Klasse"])
    for origin, destination, cabin, back, passengers in FLIGHTS:
        for n in range(passengers):
            sheet.append([f"2025-03-{10 + n:02d}", f"Reisende {n + 1}", origin, destination, cabin])
            if back == "ja":
                sheet.append([f"2025-03-{12 + n:02d}", f"Reisende {n + 1}", destination, origin, cabin])
    workbook.save(report)
    base = live_server.url
    log_in(page, base, alice)
    page.goto(f"{base}/o/nordlys/2025/flights/import/")
    page.locator("input[type=file]").set_input_files(str(report))
    page.locator("button[name=action][value=upload]").click()
    # "Reisedato", "Avreise", "Ankomst", "Klasse" and "Reisende" are guessed from the headings.
    assert page.locator("select[name=origin]").input_value() == "Avreise"
    assert page.locator("select[name=destination]").input_value() == "Ankomst"
    page.locator("button[name=action][value=preview]").click()
    expect(page.locator("[data-testid=report-total]")).to_have_text("1,9")
    page.screenshot(path=str(SCREENSHOTS / "flight-report-preview.png"), full_page=True)
    page.locator("button[name=action][value=import]").click()
    page.wait_for_url(f"{base}/o/nordlys/2025/entries/")
    assert ActivityEntry.objects.count() == 18  # 8 return trips as two legs each, 2 one-way legs
