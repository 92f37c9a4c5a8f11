"""Overrides of the spend-based lines (issue 4 §2 "Overrides"): per account, supplier and transaction,
with a reason; the account changes by the expected amount; roles; a closed year stays as closed.
Figures: see ``spend_setup`` (factors.csv 2025: electricity_heat 0.024373795, it_telecom 0.012002989)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from klimabok.account.read_models import load_account
from klimabok.account.services import close_year, reopen_year
from klimabok.accounts.models import Organisation, User
from klimabok.factors.models import StoredDataset
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import SpendOverride
from tests.web.conftest import ClientFor, messages_shown
from tests.web.spend_setup import ELECTRICITY_PER_NOK, IT_PER_NOK, spend_year

pytestmark = pytest.mark.django_db

SPEND = "/o/nordlys/2025/account/spend/"
OVERRIDES = SPEND + "overrides/"


@pytest.fixture
def year(nordlys: Organisation) -> ReportingYear:
    return spend_year(nordlys)


def kg_total(year: ReportingYear) -> Decimal:
    """The account's location-based total in kg, to the gram (the engine computes in float): spend-based
    electricity at the CEDA figure as is (the market-based total scales it by residual mix / location
    factor, test_spend_account.py::test_spend_electricity_counts_in_both_scope_2_totals)."""
    return Decimal(repr(load_account(year).totals.total_location * 1000)).quantize(Decimal("0.001"))


def post(client: Client, **data: str) -> Any:
    return client.post(OVERRIDES, {"next": SPEND + "?account=6350", **data})


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_supplier_own_factor_adds_its_nok_times_the_factor(year: ReportingYear, carl: User,
                                                           client_for: ClientFor) -> None:
    client = client_for(carl)
    before = kg_total(year)
    # the unmapped supplier reports 0.02 kg CO2e per NOK: 20 000 NOK × 0.02 = 400 kg
    response = post(client, target="supplier", key="20009", action="factor", kg_co2e_per_nok="0.02",
                    source="Ukjent Tjeneste AS, klimarapport 2025", note="ringte dem")
    assert response.status_code == 302 and response.url == SPEND + "?account=6350"
    assert messages_shown(response)[-1:] == ["Overstyringen er lagret: regnskapet bruker den nå."]
    assert kg_total(year) - before == Decimal("400.000")
    page = client.get("/o/nordlys/2025/account/")
    categories = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.content.decode()))
    assert re.search(r"Egne faktorer 20 000 0,02 0,4", categories)
    # coverage: the 20 000 are mapped now: 170 000 / 670 000 = 25.4 %, nothing unmapped
    assert "25,4 % · NOK 170 000" in categories and "0,0 % · NOK 0" in categories
    # the drill-down shows the own factor with its source
    supplier = text(client.get(SPEND, {"supplier": "20009"}))
    assert "Ukjent Tjeneste AS, klimarapport 2025" in supplier
    assert "Egen faktor 0,02 kg CO₂e per NOK (kilde: Ukjent Tjeneste AS, klimarapport 2025)" in supplier


def test_supplier_category_moves_its_spend(year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    before = kg_total(year)
    post(client_for(alice), target="supplier", key="20004", action="category", category="electricity_heat")
    # 10 000 NOK from IT (0.012002989) to electricity (0.024373795): + 10 000 × 0.012370806 = 123.708 kg
    assert Decimal(10_000) * (ELECTRICITY_PER_NOK - IT_PER_NOK) == Decimal("123.70806")
    assert kg_total(year) - before == Decimal("123.708")
    shown = text(client_for(alice).get("/o/nordlys/2025/account/"))
    assert re.search(r"Strøm og oppvarming 110 000", shown)


def test_voucher_excluded_with_its_reason(year: ReportingYear, carl: User, client_for: ClientFor) -> None:
    client = client_for(carl)
    before = kg_total(year)
    # the posting's form: exclude voucher T1 (25 000 NOK of IT): − 25 000 × 0.012002989 = − 300.074725 kg
    post(client, target="transaction", key="T1", action="exclude", excluded_reason="feilført, gjelder 2024")
    assert kg_total(year) - before == Decimal("-300.075")
    excluded = text(client.get("/o/nordlys/2025/account/"))
    # "By hand" once (the badge), then the reason: not "Manuelt utelatt manuelt: …".
    assert "Manuelt feilført, gjelder 2024 25 000 6350 IT-kostnader" in excluded
    transactions = text(client.get(SPEND, {"account": "6350", "supplier": "20003"}))
    # Skyhuset: the rest (T2, 15 000 NOK → 180.0 kg = 0.2 t) and T1 excluded
    assert re.search(r"Alle posteringer 1 postering 15 000 .* 0,2", transactions)
    # "excluded by hand" once, as the badge (English until the catalogue has the new badge's bokmål).
    t1 = "Bilag T1 (overstyrt) 1 postering 25 000 {} feilført, gjelder 2024"
    assert any(t1.format(badge) in transactions for badge in ("Utelatt manuelt", "Excluded by hand"))
    assert "utelatt manuelt:" not in transactions


def test_most_specific_wins(year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    client = client_for(alice)
    post(client, target="account", key="6350", action="exclude", excluded_reason="konserninternt")
    post(client, target="supplier", key="20003", action="factor", kg_co2e_per_nok="0.01",
         source="Skyhuset 2025")
    post(client, target="transaction", key="T1", action="exclude", excluded_reason="feilført")
    account = load_account(year)
    spend = {line.ref: line.kg_co2e for line in account.lines
             if line.ref.startswith("spend:") and line.basis != "market"}
    # electricity 100 000 × 0.024373795 = 2 437.3795 kg; Skyhuset T2 only: 15 000 × 0.01 = 150 kg (the
    # own factor beats the account's exclusion, T1's exclusion the supplier); Nordic excluded with 6350
    assert sorted(round(kg, 4) for kg in spend.values()) == [150.0, 2437.3795]


def test_setting_again_replaces_and_removing_restores(year: ReportingYear, carl: User,
                                                      client_for: ClientFor) -> None:
    client = client_for(carl)
    before = kg_total(year)
    post(client, target="account", key="6340", action="exclude", excluded_reason="strøm er ført som kWh")
    assert kg_total(year) - before == Decimal("-2437.380")  # 100 000 × 0.024373795 = 2 437.3795 kg
    post(client, target="account", key="6340", action="category", category="it_telecom")
    assert SpendOverride.objects.count() == 1
    # 100 000 × 0.012002989 = 1 200.2989 kg instead of 2 437.3795: − 1 237.0806 kg
    assert kg_total(year) - before == Decimal("-1237.081")
    override = SpendOverride.objects.get()
    response = client.post(f"{OVERRIDES}{override.pk}/delete/")
    assert response.status_code == 302
    assert messages_shown(response)[-1:] == ["Overstyringen er fjernet: standarden gjelder igjen."]
    assert kg_total(year) == before


def test_bad_override_names_what_is_missing_and_saves_nothing(year: ReportingYear, carl: User,
                                                              client_for: ClientFor) -> None:
    client = client_for(carl)
    response = post(client, target="supplier", key="20009", action="factor", kg_co2e_per_nok="0.02",
                    source="")
    assert messages_shown(response)[-1:] == ["Overstyringen ble ikke lagret: Oppgi hvor faktoren kommer fra."]
    response = post(client, target="supplier", key="99999", action="exclude", excluded_reason="x")
    assert messages_shown(response)[-1:] == ["2025 har ingen importerte posteringer for «99999»"]
    response = post(client, target="account", key="6350", action="factor", kg_co2e_per_nok="-1", source="x")
    assert messages_shown(response)[-1].startswith("Overstyringen ble ikke lagret:")
    response = post(client, target="account", key="6350", action="category", category="no_such_category")
    assert messages_shown(response)[-1].startswith("Overstyringen ble ikke lagret:")
    assert not SpendOverride.objects.exists()


def test_forms_on_the_drill_down_for_writers_only(year: ReportingYear, carl: User, aud: User,
                                                  client_for: ClientFor) -> None:
    page = text(client_for(carl).get(SPEND, {"account": "6350", "supplier": "20003"}))
    assert "Overstyring for konto 6350" in page and "Overstyring for leverandør 20003" in page
    assert "Utelat bilaget" in page and "Lagre overstyring" in page
    page = text(client_for(aud).get(SPEND, {"account": "6350", "supplier": "20003"}))
    assert "Lagre overstyring" not in page and "Utelat bilaget" not in page


@pytest.mark.parametrize(("name", "status", "saved"), [
    ("alice", 302, True), ("carl", 302, True), ("petra", 302, True), ("olga", 302, True),
    ("aud", 403, False), ("emma", 403, False), ("mallory", 404, False)])
def test_who_may_set_and_remove(year: ReportingYear, everyone: dict[str, User], client_for: ClientFor,
                                name: str, status: int, saved: bool) -> None:
    """Writers are those who may enter activity data (EDIT_DATA): administrator, partner, contributor
    and the sustainability ombudsman; the auditor and employees read; mallory sees nothing."""
    client = client_for(everyone[name])
    response = post(client, target="account", key="6350", action="exclude", excluded_reason="test")
    assert response.status_code == status
    assert SpendOverride.objects.exists() == saved
    override = SpendOverride.objects.create(reporting_year=year, target="supplier", key="20003",
                                            excluded_reason="av alice")
    assert client.post(f"{OVERRIDES}{override.pk}/delete/").status_code == status
    assert SpendOverride.objects.filter(pk=override.pk).exists() == (not saved)


@pytest.mark.parametrize(("name", "status"), [("alice", 200), ("olga", 200), ("carl", 200), ("aud", 200),
                                              ("petra", 200), ("emma", 403), ("mallory", 404)])
def test_who_sees_the_list(year: ReportingYear, everyone: dict[str, User], carl: User, client_for: ClientFor,
                           name: str, status: int) -> None:
    SpendOverride.objects.create(reporting_year=year, target="supplier", key="20004",
                                 category="electricity_heat", created_by=carl)
    response = client_for(everyone[name]).get(OVERRIDES)
    assert response.status_code == status
    if status == 200:
        shown = text(response)
        assert "Leverandør 20004 Nordic Software AS Kostnadskategori: Strøm og oppvarming" in shown
        assert "Carl Contributor" in shown
        assert ("Fjern overstyringen" in shown) == (name in ("alice", "olga", "carl", "petra"))


def test_closed_year_keeps_its_account_and_its_overrides(year: ReportingYear, alice: User,
                                                         client_for: ClientFor) -> None:
    client = client_for(alice)
    post(client, target="supplier", key="20009", action="factor", kg_co2e_per_nok="0.02",
         source="rapport 2025")
    open_kg = kg_total(year)
    close_year(year, alice)
    year.refresh_from_db()
    # the own factor is part of what the closed account pins and archives
    [own] = [ref for ref in year.pinned_datasets if ref.startswith("spend-own@")]
    assert StoredDataset.objects.filter(dataset_id="spend-own", kind=StoredDataset.Kind.ARCHIVE).exists()
    assert kg_total(year) == open_kg
    # no changes while closed: nothing is saved, the removal is refused, the account is the same
    response = post(client, target="account", key="6340", action="exclude", excluded_reason="x")
    assert messages_shown(response)[-1:] == ["2025 er lukket: åpne året igjen for å endre dataene."]
    override = SpendOverride.objects.get()
    response = client.post(f"{OVERRIDES}{override.pk}/delete/")
    assert messages_shown(response)[-1:] == ["2025 er lukket: åpne året igjen for å endre dataene."]
    assert SpendOverride.objects.count() == 1 and kg_total(year) == open_kg
    assert "Året er lukket: overstyringene kan ikke endres." in text(client.get(OVERRIDES))
    assert own in year.pinned_datasets
    # reopened, it can change again
    reopen_year(year, None)
    post(client, target="account", key="6340", action="exclude", excluded_reason="kWh ført")
    assert kg_total(year) == open_kg - Decimal("2437.380")


def test_next_must_stay_on_the_site(year: ReportingYear, alice: User, client_for: ClientFor) -> None:
    response = client_for(alice).post(OVERRIDES, {"next": "https://evil.example/", "target": "account",
                                                  "key": "6350", "action": "exclude", "excluded_reason": "x"})
    assert response.status_code == 302 and response["Location"] == OVERRIDES


def test_carry_over_from_the_previous_year(nordlys: Organisation, year: ReportingYear, alice: User, aud: User,
                                           mallory: User, client_for: ClientFor) -> None:
    earlier = ReportingYear.objects.create(organisation=nordlys, year=2024)
    for target, key, what in (("account", "6340", {"excluded_reason": "strøm ført som kWh"}),
                              ("supplier", "20009", {"kg_co2e_per_nok": Decimal("0.02"),
                                                     "source": "rapport"}),
                              ("supplier", "20003", {"category": "it_telecom"}),
                              ("transaction", "T1", {"excluded_reason": "feilført"}),
                              ("supplier", "55555", {"excluded_reason": "ikke i 2025"})):
        SpendOverride.objects.create(reporting_year=earlier, target=target, key=key, **what)
    # 2025 already overrides supplier 20003 itself: that one stays as it is
    SpendOverride.objects.create(reporting_year=year, target="supplier", key="20003",
                                 category="advisory_services")
    assert client_for(aud).post(OVERRIDES + "carry-over/").status_code == 403
    assert client_for(mallory).post(OVERRIDES + "carry-over/").status_code == 404
    client = client_for(alice)
    offer = text(client.get(OVERRIDES))
    assert "2024 har 2 overstyringer av kontoer eller leverandører som også gjelder årets regnskap." in offer
    assert "Kopier dem fra 2024" in offer
    before = kg_total(year)
    response = client.post(OVERRIDES + "carry-over/")
    assert messages_shown(response)[-1:] == ["2 overstyringer er kopiert."]
    assert sorted(SpendOverride.objects.filter(reporting_year=year).values_list("target", "key")) == [
        ("account", "6340"), ("supplier", "20003"), ("supplier", "20009")]
    # − 2 437.3795 kg (6340 excluded) + 400 kg (20 000 NOK × 0.02): − 2 037.380 kg
    assert kg_total(year) - before == Decimal("-2037.380")
    assert 'data-testid="carry-over"' not in client.get(OVERRIDES).content.decode()
    close_year(year, alice)
    response = client.post(OVERRIDES + "carry-over/")
    assert messages_shown(response)[-1:] == ["2025 er lukket: åpne året igjen for å endre dataene."]
