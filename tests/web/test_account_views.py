"""The account page, its drill-down lines and its exports, for every role.

Nordlys has a 2024 and a 2025 account with three kinds of activity. The
expected numbers are computed by hand from the shipped factors (AR5, the
year's own figures):

2025
- electricity.no, 100,000 kWh at Oslo:
  location 100,000 × 0.015 kg/kWh (NVE klimadeklarasjon 2023: 15 g CO2e/kWh)        =  1,500 kg
  market   100,000 × 0.40491 kg/kWh (AIB residual mix 2021, Scope2_Electricity_NO_kWh_2021) = 40,491 kg
- flight.domestic.average, 50,000 passenger-km (no site), DESNZ 2025:
  with RF  50,000 × 0.22928 (ID 21_316_3160_11_1, CO2 + CH4 + N2O under AR5) = 11,464 kg
  WTT      50,000 × 0.0335  (ID 22_912_3160_11_1)                          =  1,675 kg → 13,139 kg, scope 3.6
- car.average.diesel.km, 10,000 km at Oslo, DESNZ 2025:
  tailpipe 10,000 × 0.17304 (ID 4_301_3069_4_1)  = 1,730.4 kg scope 1
  WTT      10,000 × 0.04146 (ID 26_904_3069_4_1) =   414.6 kg scope 3.3

  scope 1 1.730 t · scope 2 location 1.500 t, market 40.491 t · scope 3 13.139 + 0.415 = 13.554 t
  total location 1.730 + 1.500 + 13.554 = 16.784 t → "16,8"
  total market   1.730 + 40.491 + 13.554 = 55.775 t → "55,8"

2024
- electricity.no, 120,000 kWh: location 1,800 kg, market 48,589.2 kg
- flight.domestic.average, 40,000 pkm × (0.27257 with RF + 0.0335 WTT) (DESNZ 2024) = 12,242.8 kg
  total market 48.589 + 12.243 = 60.832 t; change 55.775 − 60.832 = −5.057 t → "−5,1", −8.3 %
  scope 3.6 change 13.139 − 12.243 = +0.896 t → "+0,9", +7.3 %
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from klimabok.account.services import close_year
from klimabok.accounts.models import Organisation, User
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.core.factors.gwp import gwp_set
from klimabok.core.factors.model import split_version
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from tests.test_exports import number
from tests.web.conftest import ClientFor, streamed_text

if TYPE_CHECKING:
    from tests.web.conftest import TestResponse

NBSP = "\u00a0"
MALICIOUS = '=HYPERLINK("http://evil.example","Click")'


def per_unit(key: str, year: int) -> float:
    """kg CO2e per unit of a factor under AR5, as the engine computes it (gas split where published)."""
    return default_catalogue().factor(key, year).co2e(gwp_set("AR5"))


def text(response: TestResponse) -> str:
    """The page's visible text with whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))  # keeps no-break spaces


@pytest.fixture
def years(nordlys: Organisation) -> dict[int, ReportingYear]:
    oslo = Site.objects.create(organisation=nordlys, name="Oslo", floor_area_m2=Decimal("2000"))
    y2024 = ReportingYear.objects.create(organisation=nordlys, year=2024, fte=Decimal("380"))
    y2025 = ReportingYear.objects.create(organisation=nordlys, year=2025, fte=Decimal("400"),
                                         revenue_nok=Decimal("250000000"))
    entries = [
        (y2024, "electricity.no", 120_000, "kWh", oslo, "Strøm 2024"),
        (y2024, "flight.domestic.average", 40_000, "passenger.km", None, "Fly 2024"),
        (y2025, "electricity.no", 100_000, "kWh", oslo, "Strøm hovedkontor"),
        (y2025, "flight.domestic.average", 50_000, "passenger.km", None, MALICIOUS),
        (y2025, "car.average.diesel.km", 10_000, "km", oslo, "Firmabiler"),
    ]
    for year, activity, quantity, unit, site, description in entries:
        ActivityEntry.objects.create(reporting_year=year, activity=activity, quantity=Decimal(quantity),
                                     unit=unit, site=site, description=description)
    return {2024: y2024, 2025: y2025}


def account_url(year: int = 2025) -> str:
    return reverse("account:account", args=["nordlys", year])


def lines_url(query: str = "") -> str:
    return reverse("account:account_lines", args=["nordlys", 2025]) + query


def export_url(fmt: str) -> str:
    return reverse("account:account_export", args=["nordlys", 2025, fmt])


def test_expected_values_from_the_catalogue() -> None:
    """The hand arithmetic of the module docstring, checked against the shipped factors."""
    assert per_unit("electricity.no.location", 2025) == pytest.approx(0.015)
    assert per_unit("electricity.no.market.residual", 2025) == pytest.approx(0.40491)
    assert per_unit("flight.domestic.average.rf", 2025) == pytest.approx(0.22928, abs=1e-5)
    assert per_unit("flight.domestic.average.wtt", 2025) == pytest.approx(0.0335)
    assert per_unit("car.average.diesel.km", 2025) == pytest.approx(0.17304, abs=1e-5)
    assert per_unit("car.average.diesel.km.wtt", 2025) == pytest.approx(0.04146)
    assert per_unit("flight.domestic.average.rf", 2024) == pytest.approx(0.27257, abs=1e-5)


@pytest.mark.usefixtures("years")
def test_admin_sees_both_totals_ranges_and_change(client_for: ClientFor, alice: User) -> None:
    response = client_for(alice).get(account_url())
    assert response.status_code == 200
    page = text(response)
    # total location 16.784 t, total market 55.775 t (module docstring)
    assert "Totalt, markedsbasert 55,8 t CO₂e" in page
    assert "Totalt, lokasjonsbasert 16,8 t CO₂e" in page
    assert "Scope 2: kjøpt energi, lokasjonsbasert 1,5 t CO₂e" in page
    assert "Scope 2: kjøpt energi, markedsbasert 40,5 t CO₂e" in page
    assert "Scope 1: direkte utslipp 1,7 t CO₂e" in page
    # market-based change from 2024: 55.775 − 60.832 = −5.057 t, −8.3 %
    assert f"−8,3{NBSP}% (−5,1 t) fra 2024" in page
    # 95 % range shown on the totals, with its method and source (klimabok.core.uncertainty)
    assert "95 % intervall" in page
    assert "utslippsfaktoren etter utgiver (brensel ±5 %" in page
    assert "IPCCs retningslinjer 2006 bd. 1 kap. 3 (tilnærming 1, feilforplantning)" in page
    # intensity: 55.775 t / 400 FTE = 0.1394 t per FTE; 55,775 kg / 2,000 m² = 27.9 kg/m²
    assert "0,1394 t CO₂e/årsverk" in page
    assert "27,9 kg CO₂e/m²" in page
    # GHG Protocol category names, in bokmål
    assert "Scope 3.6: Forretningsreiser" in page
    assert "Scope 3.3: Drivstoff- og energirelaterte aktiviteter" in page
    # datasets and GWP set
    assert "IPCC AR5" in page
    assert "nve-electricity" in page
    # drill-down links and exports for a user with VIEW_DATA
    assert lines_url("?scope=scope_3.6") in response.content.decode()
    # every line of a large year is written by the task worker (test_account_export_jobs.py)
    export_start = reverse("reports:account_export_start", args=["nordlys", 2025, "xlsx"])
    assert export_start in response.content.decode()


@pytest.mark.usefixtures("years")
def test_where_to_cut_ranks_the_largest_sources(client_for: ClientFor, alice: User) -> None:
    page = text(client_for(alice).get(account_url()))
    ranking = page[page.index("Hvor kan vi kutte?"):page.index("Diagrammer")]
    # market view: electricity 40.491 t (its 1.5 t location-based line is not in this total), 72.6 % of 55.775
    electricity = ranking.index("Strøm, NO (uten opprinnelsesgarantier) 40,5 72,6")
    flights = ranking.index("13,1")
    assert electricity < flights
    location = text(client_for(alice).get(account_url() + "?view=location"))
    ranking = location[location.index("Hvor kan vi kutte?"):location.index("Diagrammer")]
    # location view: flights 13.1 t first, electricity 1.5 t last
    assert ranking.index("13,1") < ranking.index("Strøm, NO (uten opprinnelsesgarantier) 1,5")


@pytest.mark.usefixtures("years")
def test_change_per_category(client_for: ClientFor, alice: User) -> None:
    page = text(client_for(alice).get(account_url()))
    # scope 3.6: 13.139 (2025) vs 12.243 (2024) → +0.896 t, +7.3 %; share 13.139 / 55.775 = 23.6 %
    assert f"Scope 3.6: Forretningsreiser 13,1 23,6{NBSP}% 12,2 +0,9 +7,3{NBSP}%" in page


@pytest.mark.usefixtures("years")
def test_first_year_has_no_change(client_for: ClientFor, alice: User) -> None:
    page = text(client_for(alice).get(account_url(2024)))
    assert "Totalt, markedsbasert 60,8 t CO₂e" in page
    assert "fra 20" not in page


@pytest.mark.usefixtures("years")
@pytest.mark.parametrize(("query", "expected"), [
    ("?scope=scope_3.6", "13,1"),
    ("?scope=scope_2_location", "1,5"),
    ("?scope=scope_2_market", "40,5"),
    ("?scope=scope_1", "1,7"),
    ("?scope=scope_3", "13,6"),
    ("?view=market", "55,8"),
    ("?view=location", "16,8"),
    ("?site=Oslo&view=market", "42,6"),  # 40.491 + 1.730 + 0.415
    ("?site=&view=market", "13,1"),  # the flights have no site
    ("?activity=electricity.no&view=market", "40,5"),
])
def test_lines_sum_to_the_number_that_was_clicked(client_for: ClientFor, alice: User, query: str,
                                                  expected: str) -> None:
    client = client_for(alice)
    page = client.get(account_url()).content.decode()
    href = lines_url(query).replace("&", "&amp;")
    # The page shows the number as a link to exactly these lines …
    assert re.search(rf'<a class="drill" href="{re.escape(href)}">{expected}</a>|'
                     rf'href="{re.escape(href)}"[^>]*>\s*<span class="stat-value">{expected}</span>', page)
    # … and the lines page adds up to it.
    lines = client.get(lines_url(query))
    assert lines.status_code == 200
    assert f'<span class="stat-value" data-testid="lines-total">{expected}</span>' in lines.content.decode()


@pytest.mark.usefixtures("years")
def test_lines_show_factor_provenance(client_for: ClientFor, aud: User) -> None:
    response = client_for(aud).get(lines_url("?scope=scope_2_location"))
    page = text(response)
    assert f"100{NBSP}000 kWh" in page
    assert "0,015 kg CO₂e per kWh" in page
    assert "klimadeklarasjon 2023: 15 g CO2e/kWh" in page  # the NVE row reference
    assert "faktor fra 2023" in page or "factor from 2023" in page  # the figure is older than 2025
    entry = ActivityEntry.objects.get(activity="electricity.no", reporting_year__year=2025)
    assert reverse("inventory:entry_edit", args=["nordlys", 2025, entry.pk]) in response.content.decode()
    assert "/factors/?q=electricity.no.location" in response.content.decode()


@pytest.mark.usefixtures("years")
def test_an_entry_drills_down_to_its_own_lines(client_for: ClientFor, aud: User) -> None:
    """The flight entry's lines: with RF 11,464 kg + WTT 1,675 kg = 13.139 t (module docstring)."""
    entry = ActivityEntry.objects.get(activity="flight.domestic.average", reporting_year__year=2025)
    response = client_for(aud).get(lines_url(f"?entry={entry.pk}"))
    assert response.status_code == 200
    page = text(response)
    assert "Registrering: Innenlandsfly" in page
    assert "2 linjer i regnskapet for 2025" in page
    assert f"50{NBSP}000 personkm" in page and "passenger" not in page
    assert '<span class="stat-value" data-testid="lines-total">13,1</span>' in response.content.decode()
    other_year = ActivityEntry.objects.get(activity="flight.domestic.average", reporting_year__year=2024)
    assert client_for(aud).get(lines_url(f"?entry={other_year.pk}")).status_code == 404


@pytest.mark.usefixtures("years")
def test_entries_list_names_activities_and_units(client_for: ClientFor, aud: User) -> None:
    response = client_for(aud).get(reverse("account:entries", args=["nordlys", 2025]))
    page = text(response)
    assert "Innenlandsfly, gjennomsnittspassasjer, med strålingspådriv" in page  # the name, not the key only
    assert f"50{NBSP}000 personkm" in page and "passenger" not in page
    entry = ActivityEntry.objects.get(activity="flight.domestic.average", reporting_year__year=2025)
    assert lines_url(f"?entry={entry.pk}") in response.content.decode()
    assert "/edit" not in response.content.decode() and "Endre" not in page  # the auditor only reads


@pytest.mark.usefixtures("years")
def test_user_text_is_escaped_on_the_lines_page(client_for: ClientFor, alice: User) -> None:
    html = client_for(alice).get(lines_url("?scope=scope_3.6")).content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;Click&quot;)" in html


@pytest.mark.usefixtures("years")
def test_bad_filters_are_404(client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    assert client.get(lines_url("?scope=scope_9")).status_code == 404
    assert client.get(lines_url("?view=sideways")).status_code == 404
    assert client.get(export_url("pdf")).status_code == 404
    assert client.get(reverse("account:account", args=["nordlys", 2031])).status_code == 404


@pytest.mark.usefixtures("years")
def test_employee_sees_the_summary_only(client_for: ClientFor, emma: User) -> None:
    client = client_for(emma)
    response = client.get(account_url())
    assert response.status_code == 200
    assert "55,8" in text(response)
    html = response.content.decode()
    assert "/account/lines/" not in html
    assert "export." not in html
    assert client.get(lines_url("?scope=scope_1")).status_code == 403
    assert client.get(export_url("xlsx")).status_code == 403
    assert client.get(export_url("lines.csv")).status_code == 403


@pytest.mark.usefixtures("years")
@pytest.mark.parametrize("name", ["alice", "olga", "carl", "aud", "petra"])
def test_roles_with_data_access_read_lines_and_export(client_for: ClientFor, everyone: dict[str, User],
                                                      name: str) -> None:
    client = client_for(everyone[name])
    assert client.get(account_url()).status_code == 200
    assert client.get(lines_url()).status_code == 200
    assert client.get(export_url("xlsx")).status_code == 200


@pytest.mark.usefixtures("years")
def test_other_tenant_gets_404_everywhere(client_for: ClientFor, mallory: User) -> None:
    client = client_for(mallory)
    for url in (account_url(), lines_url(), export_url("xlsx"), export_url("lines.csv")):
        assert client.get(url).status_code == 404


@pytest.mark.usefixtures("years")
def test_anonymous_is_sent_to_login() -> None:
    for url in (account_url(), lines_url(), export_url("xlsx")):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.usefixtures("years")
def test_account_page_query_count(client_for: ClientFor, alice: User,
                                  django_assert_max_num_queries: DjangoAssertNumQueries) -> None:
    client = client_for(alice)
    # The header's "is this user partner staff?" comes with the organisation switcher's query;
    # this year's and the previous year's accounts add one each for their imported spend lines,
    # and the spend section one more (its lines with their overrides; none here).
    with django_assert_max_num_queries(17):
        assert client.get(account_url()).status_code == 200


def test_empty_year_shows_an_empty_state(client_for: ClientFor, alice: User, nordlys: Organisation) -> None:
    ReportingYear.objects.create(organisation=nordlys, year=2026)
    response = client_for(alice).get(account_url(2026))
    assert response.status_code == 200
    assert "Ingen aktivitetsdata ennå" in text(response)


@pytest.mark.usefixtures("years")
def test_xlsx_export_matches_the_page(client_for: ClientFor, aud: User) -> None:
    response = client_for(aud).get(export_url("xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="klimaregnskap-nordlys-2025.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1:] for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0]}
    assert round(number(summary["Totalt, markedsbasert"][0]), 1) == 55.8  # as on the page: "55,8"
    assert round(number(summary["Totalt, lokasjonsbasert"][0]), 1) == 16.8
    assert round(number(summary["Scope 3.6: Forretningsreiser"][1]), 1) == 13.1
    rows = list(book.worksheets[1].iter_rows(values_only=True))
    header, lines = rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    assert "Kildereferanse" in header
    flight = next(line for line in lines if line["Faktornøkkel"] == "flight.domestic.average.rf")
    assert flight["Beskrivelse"] == "'" + MALICIOUS
    assert flight["Kildereferanse"] == "21_316_3160_11_1"
    assert round(sum(number(line["t CO2e"]) for line in lines if line["Scope 2-grunnlag"] != "location"),
                 1) == 55.8


@pytest.mark.usefixtures("years")
def test_csv_exports(client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    lines = client.get(export_url("lines.csv"))
    assert lines["Content-Disposition"] == 'attachment; filename="klimaregnskap-nordlys-2025-lines.csv"'
    body = streamed_text(lines)
    assert "'" + MALICIOUS.replace('"', '""') in body
    assert "4_301_3069_4_1" in body
    summary = streamed_text(client.get(export_url("summary.csv")))
    # tonnes, 95 % range, ± %: activity data by tier and factor by publisher (klimabok.core.uncertainty);
    # the residual-mix line (40.491 t, tier 3, AIB ±10 %) alone is ±√(0.2² + 0.1²) = ±22.4 %
    # (before, tiers only and lines independent: 47.25 … 64.3, ±15.3 %)
    assert '"Scope 2: kjøpt energi, markedsbasert",40.491,31.437,49.545,22.4' in summary
    assert '"Totalt, markedsbasert",55.775,46.26,65.29,17.1' in summary


@pytest.mark.usefixtures("years")
def test_closed_year_shows_its_pinned_datasets(client_for: ClientFor, alice: User,
                                               years: dict[int, ReportingYear]) -> None:
    close_year(years[2024], alice)
    page = text(client_for(alice).get(account_url(2024)))
    assert "Lukket: datasett låst" in page
    for ref in ReportingYear.objects.get(pk=years[2024].pk).pinned_datasets:
        # a shipped ref carries the publisher's version and its file's digest: "versjon 1.1 (be95501a)"
        dataset_id, version = ref.split("@")
        publisher, digest = split_version(version)
        assert digest and f"{dataset_id} versjon {publisher} ({digest})" in page
    # the closed year still computes the same: total market 60.832 t
    assert "Totalt, markedsbasert 60,8 t CO₂e" in page


@pytest.mark.usefixtures("years")
def test_english(client_for: ClientFor, alice: User) -> None:
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    page = text(client.get(account_url(), HTTP_ACCEPT_LANGUAGE="en"))
    assert "Total, market-based 55.8 t CO₂e" in page
    assert "Scope 3.6: Business travel" in page
    assert "its emission factor by publisher (fuels ±5 %" in page
    assert "IPCC 2006 Guidelines vol. 1 ch. 3 (approach 1, error propagation)" in page
    assert "Where to cut" in page


def test_lines_page_total_covers_every_page(client_for: ClientFor, alice: User,
                                            nordlys: Organisation) -> None:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    ActivityEntry.objects.bulk_create(
        ActivityEntry(reporting_year=year, activity="electricity.no", quantity=Decimal(1000), unit="kWh")
        for _ in range(105))
    client = client_for(alice)
    # 105 × 1,000 kWh × 0.40491 kg/kWh = 42,515.55 kg → "42,5" on every page
    first = client.get(lines_url("?scope=scope_2_market"))
    second = client.get(lines_url("?scope=scope_2_market&page=2"))
    for response in (first, second):
        assert '<span class="stat-value" data-testid="lines-total">42,5</span>' in response.content.decode()
    assert first.content.decode().count("Åpne registreringen") == 100
    assert second.content.decode().count("Åpne registreringen") == 5
    assert "Side 2 av 2" in text(second)
