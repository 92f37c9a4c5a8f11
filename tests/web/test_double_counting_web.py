"""Double counting on the account page: only the spend the activity data covers is excluded, the rule is
shown per category and can be set (issue 10, High 5). Figures: ``spend_setup`` (Oslo Kraft AS, 6340
Lys, varme, 100 000 NOK × 0.024373795 kg/NOK, factors.csv row 3 ``electricity_heat,2025,0.024373795``).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.audit.models import Event
from klimabok.core.factors.model import Basis
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.ledger.models import SpendCoverageRule
from tests.web.conftest import ClientFor, messages_shown
from tests.web.spend_setup import ELECTRICITY_PER_NOK, spend_year

pytestmark = pytest.mark.django_db

ACCOUNT = "/o/nordlys/2025/account/"
RULE = "/o/nordlys/2025/account/spend/coverage/"


@pytest.fixture
def year(nordlys: Organisation) -> ReportingYear:
    reporting_year = spend_year(nordlys)
    # one site's kWh, no supplier named: the audit's case (it used to remove all of "Lys, varme")
    ActivityEntry.objects.create(reporting_year=reporting_year, activity="electricity.no",
                                 quantity=Decimal(10000), unit="kWh", description="Elhub, Drammen")
    return reporting_year


def text(response: Any) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section(response: Any, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}".*?</(table|p)>', response.content.decode(), re.S)
    assert match, testid
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def electricity_kg(year: ReportingYear) -> float:
    """The location-based kg of the spend-based electricity (the market-based line is the same NOK at the
    residual mix, GHG Protocol Scope 2 Guidance ch. 6)."""
    return sum(line.kg_co2e for line in load_account(year).lines
               if line.activity == "spend.electricity_heat" and line.factor.basis is Basis.LOCATION)


def test_one_sites_kwh_without_a_match_keep_the_spend_and_warn(year: ReportingYear, alice: User,
                                                               client_for: ClientFor) -> None:
    page = client_for(alice).get(ACCOUNT)
    # counted: 100 000 NOK × 0.024373795 = 2 437.3795 kg
    assert electricity_kg(year) == pytest.approx(float(100_000 * ELECTRICITY_PER_NOK))
    warning = section(page, "possible-double-count")
    assert ("Mulig dobbelttelling: NOK 100 000 av disse kostnadene telles fortsatt, og 1 registrering "
            "oppgir verken leverandør, bilag eller beløp som passer: Strøm og oppvarming — Elhub, Drammen."
            ) in warning
    table = section(page, "spend-double-counting")
    assert re.search(r"Strøm og oppvarming strøm i kWh · 1 registrering "
                     r"100 000 0 0 0 0 100 000", table), table


def test_the_supplier_on_the_entry_excludes_its_spend(year: ReportingYear, alice: User,
                                                      client_for: ClientFor) -> None:
    ActivityEntry.objects.filter(reporting_year=year).update(details={"supplier": "NO 912 345 674 MVA"})
    page = client_for(alice).get(ACCOUNT)
    assert electricity_kg(year) == 0
    assert 'data-testid="possible-double-count"' not in page.content.decode()
    table = section(page, "spend-double-counting")
    assert re.search(r"Strøm og oppvarming .* 100 000 0 100 000 0 0 0", table), table


def test_the_stated_cost_covers_that_much(year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    ActivityEntry.objects.filter(reporting_year=year).update(details={"cost_nok": "30000"})
    # 70 000 NOK still counted × 0.024373795 = 1 706.16565 kg
    assert electricity_kg(year) == pytest.approx(1706.16565)
    table = section(client_for(alice).get(ACCOUNT), "spend-double-counting")
    assert re.search(r"100 000 0 0 30 000 0 70 000", table), table


def test_admin_sets_the_rule_all_or_a_share(year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    client = client_for(alice)
    response = client.post(RULE, {"category": "electricity_heat", "mode": "share", "share_percent": "40",
                                  "note": "kWh for én av to lokasjoner", "next": ACCOUNT}, follow=True)
    assert messages_shown(response) == [
        "Regelen er lagret: klimaregnskapet holder nå utenfor det regelen sier at aktivitetsdataene dekker."]
    # 60 000 NOK counted × 0.024373795 = 1 462.4277 kg
    assert electricity_kg(year) == pytest.approx(1462.4277)
    assert re.search(r"100 000 0 0 0 40 000 60 000", section(response, "spend-double-counting"))
    event = Event.objects.get(kind="spend.coverage_rule_set")
    assert (event.payload["category"], event.payload["mode"], event.payload["share_percent"]) == (
        "electricity_heat", "share", "40")
    assert event.actor == alice

    client.post(RULE, {"category": "electricity_heat", "mode": "all", "next": ACCOUNT})
    assert electricity_kg(year) == 0
    assert SpendCoverageRule.objects.get().mode == "all"
    # back to the default: the stored rule goes, the spend counts again
    client.post(RULE, {"category": "electricity_heat", "mode": "matched", "next": ACCOUNT})
    assert not SpendCoverageRule.objects.exists()
    assert electricity_kg(year) == pytest.approx(float(100_000 * ELECTRICITY_PER_NOK))


@pytest.mark.parametrize(("data", "shown"), [
    ({"mode": "share", "note": "x"},
     "Regelen ble ikke lagret: Oppgi andelen aktivitetsdataene dekker, 0 til 100 %."),
    ({"mode": "share", "share_percent": "40"},
     "Si hvorfor aktivitetsdataene dekker denne andelen (for eksempel: kWh er målt for to av våre tre "
     "lokasjoner)."),
    ({"mode": "share", "share_percent": "140", "note": "x"},
     "Regelen ble ikke lagret: Verdien må være mindre enn eller lik 100. Oppgi andelen aktivitetsdataene "
     "dekker, 0 til 100 %."),
])
def test_a_bad_rule_is_refused_with_a_message(year: ReportingYear, alice: User, client_for: ClientFor,
                                              data: dict[str, str], shown: str) -> None:
    response = client_for(alice).post(RULE, {"category": "electricity_heat", "next": ACCOUNT, **data},
                                      follow=True)
    assert shown in messages_shown(response)
    assert not SpendCoverageRule.objects.exists()


def test_a_category_no_activity_data_measures_has_no_rule(year: ReportingYear, alice: User,
                                                          client_for: ClientFor) -> None:
    response = client_for(alice).post(RULE, {"category": "it_telecom", "mode": "all", "next": ACCOUNT},
                                      follow=True)
    assert messages_shown(response) == [
        "Ingen aktivitetsdata måler kostnadskategorien «it_telecom»."]


def test_a_closed_year_keeps_its_rule(year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    year.status = ReportingYear.Status.CLOSED
    year.save()
    response = client_for(alice).post(RULE, {"category": "electricity_heat", "mode": "all", "next": ACCOUNT},
                                      follow=True)
    assert messages_shown(response) == ["2025 er lukket: åpne året igjen for å endre dataene."]
    assert not SpendCoverageRule.objects.exists()
    # and the page shows the rule without a form
    assert 'class="inline-form coverage-rule"' not in client_for(alice).get(ACCOUNT).content.decode()


@pytest.mark.parametrize(("name", "status", "saved"), [
    ("alice", 302, True), ("olga", 302, True), ("carl", 302, True), ("petra", 302, True),
    ("aud", 403, False), ("emma", 403, False), ("mallory", 404, False)])
def test_who_may_set_the_rule(year: ReportingYear, everyone: dict[str, User], client_for: ClientFor,
                              name: str, status: int, saved: bool) -> None:
    """Those who enter data set it; the auditor and employees read; another organisation sees nothing."""
    response = client_for(everyone[name]).post(RULE, {"category": "electricity_heat", "mode": "all"})
    assert response.status_code == status
    assert SpendCoverageRule.objects.exists() == saved


def test_the_auditor_reads_the_rule_without_a_form(year: ReportingYear, aud: User,
                                                   client_for: ClientFor) -> None:
    SpendCoverageRule.objects.create(reporting_year=year, category="electricity_heat", mode="all")
    page = client_for(aud).get(ACCOUNT)
    table = section(page, "spend-double-counting")
    assert table.rstrip().endswith("100 000 0 0 0 100 000 0 alt")
    assert 'class="inline-form coverage-rule"' not in page.content.decode()


def test_the_entry_form_asks_where_it_is_in_the_ledger(year: ReportingYear, carl: User,
                                                       client_for: ClientFor) -> None:
    client = client_for(carl)
    form = text(client.get("/o/nordlys/2025/entries/new/flight/"))
    assert "Leverandør i regnskapet (valgfritt)" in form and "Bilags- eller fakturanumre (valgfritt)" in form
    assert "Betalt beløp, NOK ekskl. mva. (valgfritt)" in form
    # the commuting survey is not bought: no ledger fields
    assert "Leverandør i regnskapet" not in text(client.get("/o/nordlys/2025/entries/new/commuting/"))
