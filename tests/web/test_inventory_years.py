"""Reporting years: creating, facts, closing pins the factors, reopening, recalculating, the read model."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from klimabok.account import services as account_services
from klimabok.account.read_models import load_account, load_previous_account, load_year_accounts
from klimabok.accounts.models import Organisation, User
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from tests.web.conftest import ClientFor


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    oslo = Site.objects.create(organisation=nordlys, name="Oslo", floor_area_m2=Decimal(4800))
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(100000),
                                 unit="kWh", site=oslo)
    ActivityEntry.objects.create(reporting_year=year, activity="hotel.no", quantity=Decimal(10),
                                 unit="room_night")
    return year


@pytest.fixture
def alice_client(client_for: ClientFor, alice: User) -> Client:
    return client_for(alice)


def test_creating_a_year_copies_last_years_facts(alice_client: Client, year_2025: ReportingYear) -> None:
    ReportingYear.objects.filter(pk=year_2025.pk).update(fte=Decimal(380), revenue_nok=Decimal(300_000_000))
    response = alice_client.post("/o/nordlys/years/", {"year": 2026}, follow=True)
    assert "2026 er klart for data." in response.content.decode()
    created = ReportingYear.objects.get(year=2026)
    assert (created.fte, created.revenue_nok) == (Decimal(380), Decimal(300_000_000))


def test_a_year_cannot_be_created_twice(alice_client: Client, year_2025: ReportingYear) -> None:
    response = alice_client.post("/o/nordlys/years/", {"year": 2025})
    assert "2025 finnes allerede." in response.content.decode()
    assert ReportingYear.objects.count() == 1


def test_the_year_page_shows_totals_by_category(alice_client: Client, year_2025: ReportingYear) -> None:
    page = alice_client.get("/o/nordlys/2025/").content.decode()
    account = load_account(year_2025)
    # 100 000 kWh × 0.015 kg/kWh (NVE, location-based) = 1.5 t; hotel 10 nights
    assert account.totals.scope_2_location == pytest.approx(100_000 * 0.015 / 1000)
    assert "Scope 3.6: Tjenestereiser" in page or "Scope 3.6" in page
    assert "Data lagt inn, per kategori" in page


def test_closing_pins_the_datasets_the_account_used(alice_client: Client, year_2025: ReportingYear) -> None:
    response = alice_client.post("/o/nordlys/2025/close/", follow=True)
    assert "2025 er lukket. Faktorene er låst" in response.content.decode()
    year_2025.refresh_from_db()
    assert year_2025.is_closed
    refs = {d.ref for d in default_catalogue().datasets}
    assert year_2025.pinned_datasets and set(year_2025.pinned_datasets) <= refs
    assert any(ref.startswith("nve-electricity@") for ref in year_2025.pinned_datasets)
    assert year_2025.closed_lines is not None and len(year_2025.closed_lines) == 2


def test_a_closed_year_refuses_every_change(client_for: ClientFor, carl: User, alice: User,
                                            year_2025: ReportingYear) -> None:
    account_services.close_year(year_2025, alice)
    carl_client = client_for(carl)
    entry = year_2025.entries.first()
    assert entry is not None
    response = carl_client.post("/o/nordlys/2025/entries/new/electricity/",
                                {"quantity": "5", "unit": "kWh", "data_quality": 2, "action": "save"})
    assert "2025 er lukket: åpne året igjen for å endre dataene." in response.content.decode()
    response = carl_client.post(f"/o/nordlys/2025/entries/{entry.pk}/delete/", follow=True)
    assert "2025 er lukket" in response.content.decode()
    assert ActivityEntry.objects.count() == 2
    response = client_for(alice).post("/o/nordlys/2025/facts/", {"fte": "10", "gwp_set": "AR5"}, follow=True)
    assert "2025 er lukket" in response.content.decode()
    year_2025.refresh_from_db()
    assert year_2025.fte is None


def test_a_closed_account_is_computed_with_its_pinned_datasets_only(alice: User,
                                                                    year_2025: ReportingYear) -> None:
    before = load_account(year_2025).totals
    account_services.close_year(year_2025, alice)
    year_2025.refresh_from_db()
    account = load_account(year_2025)
    assert account.totals == before
    assert set(account.datasets) == set(year_2025.pinned_datasets)


def test_reopen_then_recalculate_explains_data_change(alice_client: Client, alice: User,
                                                      year_2025: ReportingYear) -> None:
    account_services.close_year(year_2025, alice)
    alice_client.post("/o/nordlys/2025/reopen/")
    year_2025.refresh_from_db()
    assert not year_2025.is_closed
    ActivityEntry.objects.filter(activity="hotel.no").update(quantity=Decimal(20))
    response = alice_client.post("/o/nordlys/2025/recalculate/", follow=True)
    page = response.content.decode()
    assert "Siste nyberegning med gjeldende faktorer" in page
    year_2025.refresh_from_db()
    change = year_2025.last_recalculation
    assert change is not None
    # Same factors: the whole change is data (10 more hotel nights × 1.8 kg = 0.018 t), none from factors.
    assert change["factor_change"]["total_market"] == 0
    assert change["data_change"]["total_market"] == pytest.approx(0.018)


def test_recalculating_with_nothing_new_says_so(alice_client: Client, alice: User,
                                                year_2025: ReportingYear) -> None:
    account_services.close_year(year_2025, alice)
    page = alice_client.post("/o/nordlys/2025/recalculate/", follow=True).content.decode()
    assert "Ingenting er endret: det er ikke publisert nyere faktorer" in page
    assert "Fra nye faktorer" not in page  # no table of zeros


def test_auditor_sees_uploads_without_an_upload_form(client_for: ClientFor, aud: User,
                                                     year_2025: ReportingYear) -> None:
    page = client_for(aud).get("/o/nordlys/2025/upload/").content.decode()
    assert "Opplastede aktivitetsfiler for 2025" in page
    assert 'type="file"' not in page


def test_recalculating_a_year_never_closed_is_refused(alice_client: Client, year_2025: ReportingYear) -> None:
    response = alice_client.post("/o/nordlys/2025/recalculate/", follow=True)
    assert "2025 har aldri vært lukket" in response.content.decode()


def test_previous_year_account(alice: User, nordlys: Organisation, year_2025: ReportingYear) -> None:
    earlier = ReportingYear.objects.create(organisation=nordlys, year=2024)
    ActivityEntry.objects.create(reporting_year=earlier, activity="hotel.no", quantity=Decimal(5),
                                 unit="room_night")
    found = load_previous_account(year_2025)
    assert found is not None and found[0] == earlier
    assert found[1].totals.total_market == pytest.approx(5 * 1.8 / 1000)
    assert load_previous_account(earlier) is None


def test_loading_accounts_needs_a_fixed_number_of_queries(django_assert_max_num_queries: object,
                                                          nordlys: Organisation,
                                                          year_2025: ReportingYear) -> None:
    oslo = Site.objects.get(name="Oslo")
    ActivityEntry.objects.bulk_create(
        ActivityEntry(reporting_year=year_2025, activity="electricity.no", quantity=Decimal(i), unit="kWh",
                      site=oslo) for i in range(1, 200))
    load_account(year_2025)  # warm the factor catalogue cache
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        account = load_account(year_2025)
    assert len(account.columns) == 201
    years = list(ReportingYear.objects.all())
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        load_year_accounts(years)


def test_year_page_query_count_does_not_grow_with_entries(client_for: ClientFor, alice: User,
                                                          django_assert_max_num_queries: object,
                                                          year_2025: ReportingYear) -> None:
    client = client_for(alice)
    client.get("/o/nordlys/2025/entries/")
    ActivityEntry.objects.bulk_create(
        ActivityEntry(reporting_year=year_2025, activity="hotel.no", quantity=Decimal(1), unit="room_night")
        for _ in range(100))
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        assert client.get("/o/nordlys/2025/entries/").status_code == 200
