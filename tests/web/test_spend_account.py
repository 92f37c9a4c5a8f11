"""Spend-based lines in the climate account (issue 4 §2–3): shown beside the activity-based lines
with method and data quality, the double-counting exclusion with its reason, coverage, and the
drill-down category → accounts → suppliers → ledger lines. Figures: see ``spend_setup``."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klimabok.account import cache
from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.ledger.models import LedgerImport, SpendLine
from tests.web.conftest import ClientFor, streamed_text
from tests.web.spend_setup import ELECTRICITY_PER_NOK, IT_PER_NOK, spend_year

pytestmark = pytest.mark.django_db

ACCOUNT = "/o/nordlys/2025/account/"
SPEND = "/o/nordlys/2025/account/spend/"
FACTORS = Path(__file__).resolve().parents[2] / "klimabok" / "data" / "spend" / "factors.csv"


@pytest.fixture
def year(nordlys: Organisation) -> ReportingYear:
    return spend_year(nordlys)


def text(response: Any) -> str:
    """The page as a reader sees it: tags dropped, whitespace collapsed."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(response: Any, testid: str) -> str:
    html = response.content.decode()
    match = re.search(rf'data-testid="{testid}".*?</(table|dl|ul)>', html, re.S)
    assert match, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_account_page_shows_spend_categories_with_nok_tonnes_share_and_attribution(
        year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    page = client_for(alice).get(ACCOUNT)
    assert page.status_code == 200
    shown = text(page)
    assert "Fra regnskapet (kostnadsbasert)" in shown
    assert "CEDA by Watershed" in shown
    # electricity: 100 000 NOK × 0.024373795 = 2 437.3795 kg = 2.4 t; IT: 50 000 × 0.012002989 = 600.14945 kg
    assert Decimal("2437.3795") == 100_000 * ELECTRICITY_PER_NOK
    assert Decimal("600.14945") == 50_000 * IT_PER_NOK
    categories = section(client_for(alice).get(ACCOUNT + "?view=location"), "spend-categories")
    # location-based view, share of the total (all spend): 2 437.3795 / 3 037.52895 = 80.2 %,
    # 600.14945 / 3 037.52895 = 19.8 %
    assert re.search(r"Strøm og oppvarming 100 000 0,02437 2,4 80,2 %", categories), categories
    assert re.search(r"IT-tjenester, programvare og telekom 50 000 0,012 0,6 19,8 %", categories), categories
    # the factors' flags are explained once, in bokmål
    assert shown.count("faktor i produsentpris brukt på kostnader i kjøperpris") == 1
    # the ranking labels each source with its method and tier
    assert "Kostnadsbasert anslag" in shown and "Nivå 4" in shown


def test_spend_electricity_counts_in_both_scope_2_totals(year: ReportingYear, alice: User,
                                                         client_for: ClientFor) -> None:
    """GHG Protocol Scope 2 Guidance (2015), ch. 6: electricity without contractual instruments counts
    at the grid average in the location-based total and at the residual mix in the market-based one.

    Location-based: 100 000 NOK × 0.024373795 kg/NOK (factors.csv row 3, CEDA 221100) = 2 437.3795 kg.
    Market-based: × residual mix / location factor of the shipped catalogue for 2025 (newest rows):
    aib-electricity.csv ``electricity.no.market.residual,…,2024,2021,NO,2,,market,0.40491``
    (Scope2_Electricity_NO_kWh_2021) / nve-electricity.csv ``electricity.no.location,…,2024,2023,NO,2,,
    location,0.015`` (klimadeklarasjon 2023: 15 g CO2e/kWh) = × 26.994 → 0.65794622223 kg/NOK,
    100 000 × 0.65794622223 = 65 794.622223 kg.
    IT (scope 3, both totals): 600.14945 kg. Location total 3 037.52895 kg, market total 66 394.771673 kg.
    """
    assert Decimal("0.40491") / Decimal("0.015") == Decimal("26.994")
    assert 100_000 * ELECTRICITY_PER_NOK * Decimal("26.994") == Decimal("65794.62222300000")
    totals = load_account(year).totals
    assert totals.scope_2_location * 1000 == pytest.approx(2437.3795, abs=1e-6)
    assert totals.scope_2_market * 1000 == pytest.approx(65794.622223, abs=1e-6)
    assert totals.total_location * 1000 == pytest.approx(3037.52895, abs=1e-6)
    assert totals.total_market * 1000 == pytest.approx(66394.771673, abs=1e-6)
    market = next(line for line in load_account(year).lines if line.basis == "market")
    assert market.factor.key == "spend.electricity_heat.market"
    assert "electricity.no.market.residual 2024, Scope2_Electricity_NO_kWh_2021" in market.factor.notes
    assert "electricity.no.location 2024, klimadeklarasjon 2023" in market.factor.notes
    page = client_for(alice).get(ACCOUNT)
    shown = text(page)
    assert ("Kostnadsbasert strøm telles i begge scope 2-totalene: lokasjonsbasert 2,4 t CO₂e (CEDA-tallet, "
            "et nettgjennomsnitt), markedsbasert 65,8 t CO₂e") in shown
    assert "Scope 2 Guidance (2015), kap. 6" in shown
    # the market view (the page's default) shows the market-based figure: 65 794.6222 / 66 394.771673 = 99.1 %
    categories = section(page, "spend-categories")
    assert re.search(r"Strøm og oppvarming 100 000 0,6579 65,8 99,1 %", categories), categories


def test_factors_are_the_csv_rows() -> None:
    """The constants of ``spend_setup`` are klimabok/data/spend/factors.csv's 2025 rows."""
    with FACTORS.open(encoding="utf-8") as f:
        rows = {(r["category"], r["year"]): r["kg_co2e_per_nok"] for r in csv.DictReader(f)}
    assert Decimal(rows[("electricity_heat", "2025")]) == ELECTRICITY_PER_NOK
    assert Decimal(rows[("it_telecom", "2025")]) == IT_PER_NOK


def test_method_and_tier_beside_activity_based_lines(year: ReportingYear, alice: User,
                                                      client_for: ClientFor) -> None:
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(10000),
                                 unit="kWh", data_quality=1)
    shown = text(client_for(alice).get(ACCOUNT))
    assert "Aktivitetsbasert Nivå 1" in shown
    assert "Kostnadsbasert anslag Nivå 4" in shown


def test_electricity_spend_excluded_with_its_reason_when_kwh_are_entered(
        year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    """The entry names the supplier (Oslo Kraft AS): its 100 000 NOK of "Lys, varme" is not counted twice."""
    client = client_for(alice)
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(10000),
                                 unit="kWh", details={"supplier": "Oslo Kraft AS"})
    page = client.get(ACCOUNT)
    excluded = section(page, "spend-excluded")
    assert ("Dobbelttelling Strøm og oppvarming: leverandørene som er oppgitt på registreringene "
            "(strøm i kWh) 100 000") in excluded
    assert "6340 Lys, varme" in excluded
    # by rule: payroll, with its NOK
    assert "lønn: lønn, pensjon og arbeidsgiveravgift er ikke innkjøp 500 000" in excluded
    # only IT is counted now: 50 000 NOK, 0.6 t
    categories = section(page, "spend-categories")
    assert "Strøm og oppvarming" not in categories and "IT-tjenester" in categories
    # coverage: mapped 50 000 / 670 000 = 7.5 %, excluded 600 000 = 89.6 %, unmapped 20 000 = 3.0 %
    coverage = section(page, "spend-coverage")
    assert re.search(r"7,5 % · NOK 50 000 .*89,6 % · NOK 600 000 .*3,0 % · NOK 20 000", coverage), coverage


def test_coverage_and_largest_unmapped_account_and_supplier_link_to_an_override(
        year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    page = client_for(alice).get(ACCOUNT)
    # 150 000 / 670 000 = 22.4 %, 500 000 / 670 000 = 74.6 %, 20 000 / 670 000 = 3.0 %
    coverage = section(page, "spend-coverage")
    assert re.search(r"22,4 % · NOK 150 000 .*74,6 % · NOK 500 000 .*3,0 % · NOK 20 000", coverage), coverage
    html = page.content.decode()
    assert f'href="{SPEND}?account=6790"' in html
    assert f'href="{SPEND}?supplier=20009"' in html
    assert "Leverandør Ukjent Tjeneste AS · NOK 20 000" in section(page, "unmapped-suppliers")
    assert "Konto 6790 Annen fremmed tjeneste · NOK 20 000" in section(page, "unmapped-accounts")


def test_category_table_says_how_much_is_spend_based(year: ReportingYear, alice: User,
                                                      client_for: ClientFor) -> None:
    shown = text(client_for(alice).get(ACCOUNT))
    assert "herav kostnadsbasert" in shown


def test_drill_down_category_accounts_suppliers_postings(year: ReportingYear, aud: User,
                                                         client_for: ClientFor) -> None:
    client = client_for(aud)
    category = client.get(SPEND, {"category": "it_telecom"})
    assert category.status_code == 200
    rows = section(category, "spend-rows")
    assert rows.startswith('data-testid="spend-rows"> Konto NOK Faktor og kilde t CO₂e')
    # one account, 3 ledger lines, 50 000 NOK, 0.012002989 kg/NOK (factors.csv it_telecom 2025) → 0.6 t
    assert re.search(r"6350 IT-kostnader 3 posteringer 50 000 0,012 kg CO₂e per NOK .* 0,6 $", rows), rows
    assert "klimabok/data/spend/factors.csv: it_telecom, 2025" in rows
    assert f'href="{SPEND}?account=6350"' in category.content.decode()

    account = client.get(SPEND, {"account": "6350"})
    rows = section(account, "spend-rows")
    # Skyhuset 40 000 × 0.012002989 = 480.11956 kg = 0.5 t; Nordic 10 000 → 120.02989 kg = 0.1 t
    assert re.search(r"Skyhuset Drift AS .* 40 000 .* 0,5", rows), rows
    assert re.search(r"Nordic Software AS .* 10 000 .* 0,1", rows), rows

    supplier = client.get(SPEND, {"account": "6350", "supplier": "20003"})
    postings = section(supplier, "postings")
    assert "T1" in postings and "Skylisens januar 25 000" in postings
    assert "T2" in postings and "Skylisens februar 15 000" in postings
    # the auditor reads, no forms
    assert "Lagre overstyring" not in text(supplier)


def test_excluded_and_unmapped_are_shown_in_the_drill_down(year: ReportingYear, alice: User,
                                                           client_for: ClientFor) -> None:
    client = client_for(alice)
    rows = section(client.get(SPEND, {"status": "excluded"}), "spend-rows")
    assert "5000 Lønn til ansatte" in rows and "lønn: lønn, pensjon" in rows
    rows = section(client.get(SPEND, {"status": "unmapped"}), "spend-rows")
    assert "6790 Annen fremmed tjeneste" in rows and "Ikke kartlagt: NOK 20 000" in rows


def test_lines_page_links_spend_lines_to_the_ledger(year: ReportingYear, alice: User,
                                                    client_for: ClientFor) -> None:
    page = client_for(alice).get(ACCOUNT + "lines/", {"scope": "scope_3"})
    html = page.content.decode()
    line = SpendLine.objects.get(supplier_id="20003")
    assert f"{SPEND}?account=6350&amp;supplier=20003" in html, line
    assert "Åpne i regnskapet" in html and "Kostnadsbasert anslag" in html


@pytest.mark.parametrize(("name", "status"), [("alice", 200), ("olga", 200), ("carl", 200), ("aud", 200),
                                              ("petra", 200), ("emma", 403), ("mallory", 404)])
def test_drill_down_access_by_role(year: ReportingYear, everyone: dict[str, User], client_for: ClientFor,
                                   name: str, status: int) -> None:
    assert client_for(everyone[name]).get(SPEND, {"account": "6350"}).status_code == status


def test_employee_sees_the_spend_summary_without_links(year: ReportingYear, emma: User,
                                                       client_for: ClientFor) -> None:
    page = client_for(emma).get(ACCOUNT)
    assert "Fra regnskapet (kostnadsbasert)" in text(page)
    assert SPEND not in page.content.decode()


def test_mallory_cannot_see_nordlys_spend(year: ReportingYear, mallory: User, client_for: ClientFor) -> None:
    client = client_for(mallory)
    for url in (ACCOUNT, SPEND, SPEND + "overrides/"):
        assert client.get(url).status_code == 404


def test_unknown_drill_down_is_404(year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    client = client_for(alice)
    assert client.get(SPEND, {"account": "9999"}).status_code == 404
    assert client.get(SPEND, {"status": "bogus"}).status_code == 404


def test_unconfirmed_import_does_not_count(nordlys: Organisation, alice: User, client_for: ClientFor) -> None:
    spend_year(nordlys)
    LedgerImport.objects.update(status="ready")
    page = client_for(alice).get(ACCOUNT)
    assert "Fra regnskapet (kostnadsbasert)" not in text(page)


def _many_spend_lines(year: ReportingYear, count: int) -> None:
    imported = LedgerImport.objects.create(reporting_year=year, filename="big.xml", sha256="1" * 64,
                                           audit_file_version="1.30", status="confirmed")
    SpendLine.objects.bulk_create(
        SpendLine(ledger_import=imported, account_id=f"6{i:03d}", account_description=f"Konto {i}",
                  supplier_id=f"{30000 + i}", supplier_name=f"Leverandør {i}",
                  category="it_telecom" if i % 3 else "", net_nok=Decimal(1000 + i))
        for i in range(count))


def test_no_n_plus_1_on_the_account_page_and_drill_down(year: ReportingYear, alice: User,
                                                         client_for: ClientFor) -> None:
    """The same number of queries with the 5 spend lines of ``spend_setup`` as with 400 more, each page
    computing the account (the account kept per data revision is dropped before each)."""
    client: Client = client_for(alice)
    client.get(ACCOUNT)  # warm caches (catalogue, sessions)

    def queries() -> list[int]:
        counts = []
        pages: tuple[tuple[str, dict[str, str]], ...] = (
            (ACCOUNT, {}), (SPEND, {"category": "it_telecom"}), (SPEND, {"status": "unmapped"}))
        for url, query in pages:
            cache.clear()
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url, query).status_code == 200
            counts.append(len(captured.captured_queries))
        return counts

    few = queries()
    _many_spend_lines(year, 400)
    assert queries() == few
    assert max(few) <= 20


def test_exports_carry_the_spend_lines_with_method_and_attribution(year: ReportingYear, aud: User,
                                                                    client_for: ClientFor) -> None:
    client = client_for(aud)
    lines = streamed_text(client.get(ACCOUNT + "export.lines.csv"))
    rows = list(csv.DictReader(lines.splitlines()))
    spend = [r for r in rows if r["Linje"] and r["Metode"].startswith("Kostnadsbasert")]
    # three counted spend lines: 6340 Oslo Kraft (a location- and a market-based row), 6350 Skyhuset,
    # 6350 Nordic; market-based 100 000 × 0.024373795 × 0.40491 / 0.015 = 65 794.6222 kg
    assert len(spend) == 4
    assert {r["Metode"] for r in spend} == {"Kostnadsbasert anslag (CEDA by Watershed)"}
    assert sorted(float(r["kg CO2e"]) for r in spend) == pytest.approx(
        [120.02989, 480.11956, 2437.3795, 65794.622223])
    summary = streamed_text(client.get(ACCOUNT + "export.summary.csv"))
    assert "Fra regnskapet (kostnadsbasert),NOK,t CO2e,kg CO2e per NOK" in summary
    assert "Strøm og oppvarming,100000.0,2.437,0.024374" in summary
    assert "CEDA by Watershed: Open CEDA 2025, Norge, etter næring (CC BY-SA 4.0)" in summary
    assert "Ikke kartlagt,20000.0,3.0" in summary


def test_a_ledger_with_nothing_counted_still_shows_what_is_excluded_and_unmapped(
        nordlys: Organisation, alice: User, client_for: ClientFor) -> None:
    year = spend_year(nordlys)
    SpendLine.objects.filter(ledger_import__reporting_year=year, category__gt="").update(category="")
    page = client_for(alice).get(ACCOUNT)
    assert "Ingen aktivitetsdata ennå" in text(page)
    # nothing mapped: 500 000 payroll excluded (74.6 %), 170 000 unmapped (25.4 %) of 670 000
    coverage = section(page, "spend-coverage")
    assert re.search(r"0,0 % · NOK 0 .*74,6 % · NOK 500 000 .*25,4 % · NOK 170 000", coverage), coverage


def test_english(year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(10000),
                                 unit="kWh", details={"supplier": "Oslo Kraft"})
    page = client.get(ACCOUNT)
    assert "From the accounting ledger (spend-based)" in text(page)
    excluded = section(page, "spend-excluded")
    assert ("Double counting Electricity and heating: the suppliers named on the entries "
            "(electricity in kWh) 100,000" in excluded)
    rows = section(client.get(SPEND, {"account": "6350"}), "spend-rows")
    assert rows.startswith('data-testid="spend-rows"> Supplier NOK Factor and source t CO₂e')
    assert "IT services, software and telecom" in rows


def test_a_ledger_in_one_year_only_is_not_like_for_like(year: ReportingYear, nordlys: Organisation,
                                                        alice: User, client_for: ClientFor) -> None:
    """2025 has the ledger and 2024 not: the change from 2024 is partly a change of method, so the page
    says so and gives the change without the spend-based lines."""
    from klimabok.account.read_models import load_account

    earlier = ReportingYear.objects.create(organisation=nordlys, year=2024)
    for reporting_year in (earlier, year):
        ActivityEntry.objects.create(reporting_year=reporting_year, activity="electricity.no",
                                     quantity=Decimal(10000), unit="kWh",
                                     details={"supplier": "Oslo Kraft AS"})
    shown = text(client_for(alice).get(ACCOUNT))
    # the kWh from Oslo Kraft AS cover its electricity spend: IT alone counts, 50 000 × 0.012002989 = 0.6 t
    assert ("Ikke sammenlignbart. 2025 har med 0,6 t CO₂e anslått fra regnskapet (kostnadsbasert), "
            "2024 0,0 t.") in shown
    # the same 10 000 kWh in both years (the same factors): the total less the spend-based 0.6 t did not move
    this, last = load_account(year).totals.total_market, load_account(earlier).totals.total_market
    assert this - 0.60014945 == pytest.approx(last)
    assert "Uten de kostnadsbaserte linjene endret totalen seg 0,0 % (0,0 t) fra 2024." in shown

    # with the ledger in both years the change is like for like: no note
    from tests.web.spend_setup import add_import
    add_import(earlier)
    assert "Ikke sammenlignbart" not in text(client_for(alice).get(ACCOUNT))
