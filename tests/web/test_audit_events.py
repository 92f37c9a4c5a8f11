"""Issue 9 §3: closing, reopening and recalculating a year, spend overrides and factor library changes are
events of the one audit trail, each with who, when and what, chained with the credit events.

Year figures (nordlys 2024, one line: 120 000 kWh ``electricity.no``):

- location-based: 120 000 kWh × 0.015 kg/kWh (``nve-electricity.csv`` row 2, NVE 2023) = 1 800 kg = 1.800 t;
- market-based: 120 000 kWh × 0.40491 kg/kWh (``aib-electricity.csv`` row 107, AIB residual mix NO 2021)
  = 48 589.2 kg = 48.589 t.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import translation

from klimabok.account.services import close_year, reopen_year
from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.audit.read_models import verify_chain
from klimabok.audit.services import record_event
from klimabok.core.credits.registries import Project
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.core.factors.model import FactorDataset
from klimabok.credits import services
from klimabok.credits.verification import verify
from klimabok.factors import services as factor_services
from klimabok.factors.models import StoredDataset
from klimabok.factors.services import archive_datasets, import_dataset
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.inventory.services import InventoryConflict, YearClosed
from tests.test_audit_trail import SERIAL
from tests.web.conftest import ClientFor
from tests.web.spend_setup import spend_year

pytestmark = pytest.mark.django_db

YEAR = "year:nordlys/2024"


@pytest.fixture
def year_2024(nordlys: Organisation) -> ReportingYear:
    year = ReportingYear.objects.create(organisation=nordlys, year=2024, fte=Decimal(380))
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(120_000),
                                 unit="kWh")
    return year


def events_about(subject: str) -> list[Event]:
    return list(Event.objects.filter(subject=subject).order_by("pk"))


def test_closing_reopening_and_recalculating_a_year_are_events_with_who_when_and_what(
        year_2024: ReportingYear, alice: User, client_for: ClientFor) -> None:
    client = client_for(alice)
    for action in ("year_close", "year_reopen", "year_close", "year_recalculate"):
        assert client.post(reverse(f"account:{action}", args=["nordlys", 2024])).status_code == 302
    events = events_about(YEAR)
    assert [e.kind for e in events] == ["year.closed", "year.reopened", "year.closed", "year.recalculated"]
    closed = events[0]
    assert (closed.actor_id, closed.actor_label, closed.organisation_id) == (
        alice.pk, alice.email, year_2024.organisation_id)
    assert closed.created_at is not None
    year_2024.refresh_from_db()
    assert closed.payload == {
        "year": 2024, "lines": 1, "gwp_set": year_2024.gwp_set,
        "total_t_co2e": {"location_based": "1.800", "market_based": "48.589"},
        "factor_datasets": year_2024.pinned_datasets}
    assert events[1].payload == {"year": 2024, "factor_datasets": year_2024.pinned_datasets}
    recalculated = events[3].payload
    # same data, same factors: the recalculation changes nothing and says so
    total = closed.payload["total_t_co2e"]
    assert recalculated["old_total_t_co2e"] == recalculated["new_total_t_co2e"] == total
    assert recalculated["factor_change_t_co2e"] == recalculated["data_change_t_co2e"] == {
        "location_based": "0.000", "market_based": "0.000"}
    assert verify_chain().ok


def test_a_refused_close_records_no_event(year_2024: ReportingYear, alice: User,
                                          client_for: ClientFor) -> None:
    client = client_for(alice)
    client.post(reverse("account:year_close", args=["nordlys", 2024]))
    response = client.post(reverse("account:year_close", args=["nordlys", 2024]))  # already closed
    assert response.status_code == 302
    assert [e.kind for e in events_about(YEAR)] == ["year.closed"]


def test_an_employee_cannot_close_a_year_and_leaves_no_event(year_2024: ReportingYear, emma: User,
                                                             client_for: ClientFor) -> None:
    assert client_for(emma).post(reverse("account:year_close", args=["nordlys", 2024])).status_code == 403
    assert not Event.objects.exists()


def test_spend_overrides_set_and_removed_are_events(nordlys: Organisation, carl: User,
                                                    client_for: ClientFor) -> None:
    spend_year(nordlys)
    client = client_for(carl)
    overrides = "/o/nordlys/2025/account/spend/overrides/"
    client.post(overrides, {"target": "supplier", "key": "20009", "action": "factor",
                            "kg_co2e_per_nok": "0.02", "source": "Ukjent Tjeneste AS, klimarapport 2025",
                            "note": "ringte dem"})
    (set_event,) = events_about("year:nordlys/2025")
    assert (set_event.kind, set_event.actor_label) == ("spend.override_set", carl.email)
    assert set_event.payload == {
        "year": 2025, "target": "supplier", "key": "20009", "category": "", "kg_co2e_per_nok": "0.02",
        "source": "Ukjent Tjeneste AS, klimarapport 2025", "excluded_reason": "", "note": "ringte dem"}
    override = nordlys.reporting_years.get(year=2025).spend_overrides.get()
    client.post(f"{overrides}{override.pk}/delete/")
    removed = events_about("year:nordlys/2025")[1]
    assert (removed.kind, removed.payload["key"], removed.payload["kg_co2e_per_nok"]) == (
        "spend.override_removed", "20009", "0.02")


def test_factor_library_changes_are_everyones_events(alice: User) -> None:
    base = default_catalogue().factor("district_heating.waste_heat", 2024)
    factor = replace(base, key="district_heating.plant.demo", name="Demo plant", kg_co2e=0.05, kg_co2=0.05)
    record = import_dataset(FactorDataset("plant-demo", "2024", 2024, "Demo plant", "Supplier declaration",
                                          "supplier", (factor,)), file_name="plant.csv", user=alice)
    nve = next(d for d in default_catalogue().datasets if d.dataset_id == "nve-electricity")
    archive_datasets([nve], user=alice)
    imported, archived = Event.objects.order_by("pk")
    assert (imported.kind, imported.subject, imported.organisation_id) == (
        Kind.FACTORS_DATASET_IMPORTED, "dataset:plant-demo@2024", None)
    assert imported.payload == {"dataset": "plant-demo", "version": "2024", "year": 2024, "factors": 1,
                                "content_sha256": record.content_hash, "file_name": "plant.csv"}
    assert (archived.kind, archived.subject, archived.actor_label) == (
        Kind.FACTORS_DATASET_ARCHIVED, f"dataset:{nve.ref}", alice.email)


def test_year_and_credit_events_share_one_chain_that_verifies(year_2024: ReportingYear, alice: User,
                                                              client_for: ClientFor) -> None:
    partner = Organisation.objects.get(slug="klimapartner")
    services.add_block(partner, SERIAL, 425, Project(registry="", project_id="", name="Bale Mountains"),
                       user=None, kind="removal", price=Decimal("150"))
    client_for(alice).post(reverse("account:year_close", args=["nordlys", 2024]))
    kinds = [e.kind for e in Event.objects.order_by("pk")]
    # closing archives the factor datasets the account pins (one event each), then records itself
    archived = len(ReportingYear.objects.get(pk=year_2024.pk).pinned_datasets)
    assert kinds == ["block_added", "screened", *["factors.dataset_archived"] * archived, "year.closed"]
    result = verify()
    assert result.ok, result.problems
    assert result.checked[0].startswith(f"hash chain: {3 + archived} events")


def test_the_year_page_shows_its_history_to_those_who_see_the_data(
        year_2024: ReportingYear, alice: User, aud: User, emma: User, mallory: User,
        client_for: ClientFor) -> None:
    client = client_for(alice)
    client.post(reverse("account:year_close", args=["nordlys", 2024]))
    client.post(reverse("account:year_reopen", args=["nordlys", 2024]))
    html = client_for(aud).get("/o/nordlys/2024/").content.decode()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Historikk 2 hendelser i revisjonssporet, nyeste først." in page
    # newest first; 48.589 t and 1.800 t (the module docstring) with one decimal
    assert re.search(r"Åpnet for endringer igjen alice@nordlys\.example .*"
                     r"Året lukket alice@nordlys\.example 48,6 t CO₂e markedsbasert, 1,8 t lokasjonsbasert",
                     page)
    assert "Historikk" not in client_for(emma).get("/o/nordlys/2024/").content.decode()  # summary only
    assert client_for(mallory).get("/o/nordlys/2024/").status_code == 404
    # the events' subjects name the slug of the time; a renamed organisation keeps its history
    Organisation.objects.filter(slug="nordlys").update(slug="nordlys-as")
    renamed = client_for(aud).get("/o/nordlys-as/2024/").content.decode()
    assert "2 hendelser i revisjonssporet" in renamed


def test_a_year_closed_twice_by_two_requests_is_closed_once(year_2024: ReportingYear, alice: User) -> None:
    """Two requests load the same open year and both press "Close": the second sees the first's close
    (its row is locked and read again) and is refused, so the trail holds one close, not two."""
    first, second = (ReportingYear.objects.get(pk=year_2024.pk) for _ in range(2))
    close_year(first, alice)
    with translation.override("en"), pytest.raises(YearClosed, match="2024 is closed: reopen it"):
        close_year(second, alice)
    reopen_year(first, alice)
    with translation.override("en"), pytest.raises(InventoryConflict, match="2024 is already open"):
        reopen_year(second, alice)  # `second` was read as closed; the year is open again
    assert [e.kind for e in events_about(YEAR)] == ["year.closed", "year.reopened"]


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_the_transaction_of_its_change() -> None:
    with pytest.raises(RuntimeError, match="runs inside the transaction of the change it records"):
        record_event(organisation=None, actor=None, kind=Kind.FACTORS_DATASET_ARCHIVED, subject="dataset:x",
                     payload={})
    assert not Event.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_closes_archiving_the_same_dataset_do_not_deadlock_on_postgresql(
        klimapartner: Organisation, monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing archives the factor datasets a year pins, one audit event each. The first close here
    archives AIB, then the Hotel Footprinting Tool, then NVE; the second only the hotel data, and is let
    in right after the first has recorded AIB's event (so holds the chain's lock). Before, the second
    inserted the hotel data and waited for the chain while the first waited for that row: a deadlock
    PostgreSQL broke by failing one close (a 500). Now every archiving close takes the chain's lock
    before its first insert: the second waits, then finds the hotel data stored."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks under real concurrency: run with DATABASE_URL=postgres://… (CI does)")
    years = []
    for slug, activities in (("sorlys", ("electricity.no", "hotel.no")), ("vestlys", ("hotel.no",))):
        organisation = Organisation.objects.create(slug=slug, name=slug.title(), partner=klimapartner)
        years.append(ReportingYear.objects.create(organisation=organisation, year=2024))
        for activity in activities:
            ActivityEntry.objects.create(reporting_year=years[-1], activity=activity, quantity=Decimal(100),
                                         unit="kWh" if activity.startswith("electricity") else "room_night")
    first_archived = threading.Event()
    store = factor_services._store

    def paced(dataset: FactorDataset, digest: str, **fields: Any) -> StoredDataset:
        if threading.current_thread().name == "second":
            first_archived.wait(10)
        record = store(dataset, digest, **fields)
        if threading.current_thread().name == "first" and not first_archived.is_set():
            first_archived.set()
            time.sleep(1.5)  # the second close goes ahead now, while the first holds the chain
        return record

    monkeypatch.setattr(factor_services, "_store", paced)
    outcomes: dict[str, str] = {}

    def close(name: str, year: ReportingYear) -> None:
        try:
            close_year(year, None)
            outcomes[name] = "ok"
        except Exception as exc:  # reported by the assertion, with its type
            outcomes[name] = f"{type(exc).__name__}: {exc}"
        finally:
            connections.close_all()

    workers = [threading.Thread(target=close, args=(name, year), name=name)
               for name, year in zip(("first", "second"), years, strict=True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert outcomes == {"first": "ok", "second": "ok"}
    kinds = Counter(e.kind for e in Event.objects.all())
    assert (kinds["year.closed"], kinds["factors.dataset_archived"]) == (2, 3)  # AIB, hotel, NVE once each
    assert verify_chain().ok
