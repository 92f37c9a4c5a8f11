"""A year's data revision (klimabok.account.revision) and the account cache keyed by it (issue 14: the
account page of an open 100,000-line year).

The cache is only as good as the revision: every write to anything the account reads — by a service, a
bulk insert, a queryset update, raw SQL — must change it, and no value may come back. These tests write
each table the ways Django and a database shell can, and check that the account read through the cache
is always the account computed afresh.

Hand check: ``electricity.no`` at the NVE location factor 0.015 kg CO2e/kWh
(klimabok/data/factors/nve-electricity.csv, row 2): 10 000 kWh add 150 kg = 0.150 t location-based.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimabok.account import cache, revision
from klimabok.account.read_models import (
    _compute_year_account,
    account_from_entries,
    load_account,
    load_year_account,
)
from klimabok.accounts.models import Organisation, User
from klimabok.factors.models import StoredDataset, StoredFactor
from klimabok.inventory import services
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from klimabok.inventory.read_models import load_entries
from klimabok.ledger.models import (
    LedgerImport,
    Posting,
    SpendCoverageRule,
    SpendLine,
    SpendOverride,
    SpendSectorChoice,
)
from tests.web.conftest import ClientFor
from tests.web.spend_setup import spend_year

pytestmark = pytest.mark.django_db

NVE_LOCATION_KG_PER_KWH = 0.015  # nve-electricity.csv row 2


@pytest.fixture
def year(nordlys: Organisation, carl: User) -> ReportingYear:
    """nordlys 2025 with the spend import of spend_setup and one electricity entry at a site."""
    reporting_year = spend_year(nordlys)
    site = services.save_site(nordlys, name="Hovedkontor")
    draft = services.EntryDraft("electricity.no", Decimal(20_000), "kWh", site=site)
    services.add_entry(reporting_year, draft, carl)
    return reporting_year


@pytest.fixture
def other_year(fjordbakst: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=fjordbakst, year=2025)


def current(year: ReportingYear) -> int:
    return revision.revisions([year.pk])[year.pk]


def test_every_trigger_is_installed_after_migrate() -> None:
    assert revision.installed(connection) == set(revision.trigger_names())
    assert len(revision.trigger_names()) == 1 + 3 * len(revision.WATCHED)


#: Tables an account's computation reads that no trigger needs to watch, and why.
NOT_WATCHED = {
    "inventory_reportingyear": "the year itself: its own trigger sets the revision on every update",
    "accounts_user": "who created an override: shown beside it, never part of a figure",
}


def test_every_table_the_account_reads_is_watched(year: ReportingYear, klimapartner: Organisation) -> None:
    """A new table that feeds the account without a trigger would make the cache stale: this fails
    first. (The stored datasets' snapshot is dropped so that their query is made too.)"""
    SpendOverride.objects.create(reporting_year=year, target="supplier", key="20009", category="it_telecom")
    # a voucher's override reads the postings
    SpendOverride.objects.create(reporting_year=year, target="transaction", key="T1",
                                 excluded_reason="private")
    SpendSectorChoice.objects.create(partner=klimapartner, category="it_telecom", ceda_sectors="541511")
    from klimabok.factors import services as factor_services

    factor_services._cache.clear()
    year.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        _compute_year_account(year)
    read = {table for q in queries.captured_queries
            for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', q["sql"])}
    watched = {w.table for w in revision.WATCHED}
    assert read - watched - set(NOT_WATCHED) == set()
    # and the test saw the tables it means to: entries, sites, the ledger and the imported factors
    assert {"inventory_activityentry", "inventory_site", "ledger_spendline", "ledger_spendoverride",
            "ledger_posting", "factors_storeddataset"} <= read


def _site(year: ReportingYear) -> Site:
    return Site.objects.get(organisation_id=year.organisation_id, name="Hovedkontor")


def _sky(year: ReportingYear) -> SpendLine:
    return SpendLine.objects.get(ledger_import__reporting_year=year, supplier_id="20003")


def _raw(sql: str, *params: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _dataset(kind: str = StoredDataset.Kind.IMPORT) -> StoredDataset:
    return StoredDataset.objects.create(dataset_id="own-test", version="1", year=2025, title="t", source="s",
                                        licence="l", content_hash="f" * 64, kind=kind)


#: Every way the data behind ``year``'s account is written: by a service, by the ORM, in bulk, by SQL.
WRITES: dict[str, Callable[[ReportingYear], object]] = {
    "entry added by the service": lambda y: services.add_entry(
        y, services.EntryDraft("electricity.no", Decimal(10_000), "kWh"), None),
    "entry saved by the ORM": lambda y: ActivityEntry.objects.filter(reporting_year=y).first().save(),  # type: ignore[union-attr]
    "entries bulk-created": lambda y: ActivityEntry.objects.bulk_create(
        [ActivityEntry(reporting_year=y, activity="electricity.no", quantity=Decimal(5), unit="kWh")] * 3),
    "entries updated by a queryset": lambda y: ActivityEntry.objects.filter(reporting_year=y).update(
        quantity=Decimal(1)),
    "entries deleted": lambda y: ActivityEntry.objects.filter(reporting_year=y).delete(),
    "entry changed by raw SQL": lambda y: _raw(
        "UPDATE inventory_activityentry SET quantity = 7 WHERE reporting_year_id = %s", y.pk),
    "ledger import unconfirmed": lambda y: LedgerImport.objects.filter(reporting_year=y).update(
        status="failed"),
    "ledger import deleted": lambda y: LedgerImport.objects.filter(reporting_year=y).delete(),
    "spend line changed": lambda y: SpendLine.objects.filter(pk=_sky(y).pk).update(net_nok=Decimal(1)),
    "spend line deleted by raw SQL": lambda y: _raw(
        "DELETE FROM ledger_posting WHERE spend_line_id = %s", _sky(y).pk),
    "spend lines bulk-created": lambda y: SpendLine.objects.bulk_create([SpendLine(
        ledger_import=LedgerImport.objects.get(reporting_year=y), account_id="6999", supplier_id="x",
        category="it_telecom", net_nok=Decimal(100))]),
    "posting amount changed": lambda y: Posting.objects.filter(
        spend_line__ledger_import__reporting_year=y).update(amount=Decimal(3)),
    "override added": lambda y: SpendOverride.objects.create(reporting_year=y, target="supplier", key="20009",
                                                             category="it_telecom"),
    "coverage rule added": lambda y: SpendCoverageRule.objects.create(reporting_year=y,
                                                                       category="it_telecom"),
    "site renamed": lambda y: Site.objects.filter(pk=_site(y).pk).update(name="Kontoret"),
    "organisation's partner changed": lambda y: Organisation.objects.filter(pk=y.organisation_id).update(
        partner=None),
    "partner's sector choice added": lambda y: SpendSectorChoice.objects.create(
        partner=Organisation.objects.get(slug="klimapartner"), category="it_telecom",
        ceda_sectors="541511"),
    "factor dataset imported": lambda y: _dataset(),
    "stored factor changed": lambda y: StoredFactor.objects.filter(dataset=_dataset()).update(kg_co2e=1),
    "year's facts saved": lambda y: ReportingYear.objects.get(pk=y.pk).save(),
}


@pytest.mark.parametrize("write", WRITES, ids=list(WRITES))
def test_every_write_changes_the_years_revision_and_only_its_own(write: str, year: ReportingYear,
                                                                 other_year: ReportingYear) -> None:
    before, other_before = current(year), current(other_year)
    WRITES[write](year)
    assert current(year) != before
    if write not in ("factor dataset imported", "stored factor changed"):  # those change every open year
        assert current(other_year) == other_before
    else:
        assert current(other_year) != other_before


def test_a_file_being_read_changes_nothing_until_its_import_is_confirmed(year: ReportingYear) -> None:
    """Only a confirmed import's lines and postings count: the worker writing 100,000 of them (a row
    trigger each on SQLite) touches no year; the confirmation does."""
    reading = LedgerImport.objects.create(reporting_year=year, filename="neste.xml", sha256="2" * 64,
                                          audit_file_version="1.30", status="processing")
    before = current(year)
    lines = SpendLine.objects.bulk_create([SpendLine(ledger_import=reading, account_id=f"6{i:03d}",
                                                     supplier_id="", net_nok=Decimal(10)) for i in range(3)])
    Posting.objects.bulk_create([Posting(spend_line=line, transaction_id="T9", record_id="1",
                                         date="2025-03-01", period=3, amount=Decimal(10)) for line in lines])
    SpendLine.objects.filter(ledger_import=reading).update(net_nok=Decimal(11))
    assert current(year) == before
    LedgerImport.objects.filter(pk=reading.pk).update(status="confirmed")
    confirmed = current(year)
    assert confirmed != before
    Posting.objects.filter(spend_line__ledger_import=reading).update(amount=Decimal(12))
    assert current(year) != confirmed


def test_a_dataset_archived_for_a_closed_year_changes_no_open_year(year: ReportingYear,
                                                                   other_year: ReportingYear) -> None:
    """An archive is written while the closing year's row is locked: were it to touch every open year,
    two years closing at once would each wait for the other's row (test_audit_events.py has the race)."""
    before, other_before = current(year), current(other_year)
    archived = _dataset(StoredDataset.Kind.ARCHIVE)
    StoredFactor.objects.filter(dataset=archived).update(kg_co2e=1)
    archived.delete()
    assert (current(year), current(other_year)) == (before, other_before)


def test_a_closed_year_keeps_its_revision_when_factors_are_imported(year: ReportingYear) -> None:
    from klimabok.account.services import close_year

    close_year(year, None)
    before = current(year)
    _dataset()
    assert current(year) == before


def test_a_stale_year_object_saved_cannot_bring_an_old_revision_back(year: ReportingYear, carl: User) -> None:
    stale = ReportingYear.objects.get(pk=year.pk)
    first = current(year)
    services.add_entry(year, services.EntryDraft("electricity.no", Decimal(10_000), "kWh"), carl)
    second = current(year)
    stale.notes = "saved from a form opened before the entry"
    stale.save()
    assert current(year) not in (first, second)
    assert stale.data_revision == first  # what Python wrote; the database did not keep it


def test_a_rolled_back_revision_never_comes_back(year: ReportingYear, carl: User) -> None:
    before = current(year)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_entry(year, services.EntryDraft("electricity.no", Decimal(10_000), "kWh"), carl)
        inside = current(year)
        assert inside != before
        raise RuntimeError("rolled back")
    assert current(year) == before
    services.add_entry(year, services.EntryDraft("electricity.no", Decimal(10_000), "kWh"), carl)
    assert current(year) not in (before, inside)


def test_an_open_years_account_is_computed_once_per_revision(year: ReportingYear, carl: User) -> None:
    cache.clear()
    first = load_year_account(year)
    assert load_year_account(ReportingYear.objects.get(pk=year.pk)) is first  # another request, same data
    # the same year object, as a view holds it while it saves: the revision is read from the database
    services.add_entry(year, services.EntryDraft("electricity.no", Decimal(10_000), "kWh"), carl)
    after = load_year_account(year)
    assert after is not first
    added = after.account.totals.total_location - first.account.totals.total_location
    assert added == pytest.approx(10_000 * NVE_LOCATION_KG_PER_KWH / 1000)  # 0.150 t


def test_the_account_page_of_an_open_year_shows_an_edit_at_once(year: ReportingYear, carl: User,
                                                                client_for: ClientFor) -> None:
    client = client_for(carl)
    page = "/o/nordlys/2025/account/"
    before = client.get(page).content.decode()
    entry = ActivityEntry.objects.get(reporting_year=year, activity="electricity.no")
    response = client.post(f"/o/nordlys/2025/entries/{entry.pk}/delete/")
    assert response.status_code == 302
    after = client.get(page).content.decode()
    assert "Hovedkontor" in before and "Hovedkontor" not in after


# -- the invariant: whatever is written, the cached account is the one computed afresh ---------------

def _add(y: ReportingYear, kwh: int) -> None:
    ActivityEntry.objects.create(reporting_year=y, activity="electricity.no", quantity=Decimal(kwh),
                                 unit="kWh")


def _add_covered(y: ReportingYear, kwh: int) -> None:
    """Electricity with guarantees of origin for part of it: its details are read (two engine lines)."""
    ActivityEntry.objects.create(reporting_year=y, activity="electricity.no", quantity=Decimal(kwh),
                                 unit="kWh", details={"goo_volume": str(kwh // 3), "goo_zone": "NO1",
                                          "goo_period_start": "2025-01-01", "goo_period_end": "2025-12-31"})


def _remove_one(y: ReportingYear, _n: int) -> None:
    first = ActivityEntry.objects.filter(reporting_year=y).order_by("pk").first()
    if first is not None:
        first.delete()


def _scale(y: ReportingYear, n: int) -> None:
    ActivityEntry.objects.filter(reporting_year=y).update(quantity=Decimal(n))


def _spend(y: ReportingYear, n: int) -> None:
    SpendLine.objects.filter(ledger_import__reporting_year=y, supplier_id="20001").update(
        net_nok=Decimal(n * 10))


def _override(y: ReportingYear, n: int) -> None:
    SpendOverride.objects.filter(reporting_year=y).delete()
    if n % 2:
        SpendOverride.objects.create(reporting_year=y, target="supplier", key="20009", category="it_telecom")


def _confirm(y: ReportingYear, n: int) -> None:
    LedgerImport.objects.filter(reporting_year=y).update(status="confirmed" if n % 2 else "failed")


Operation = Callable[[ReportingYear, int], None]
OPERATIONS: list[Operation] = [_add, _add_covered, _remove_one, _scale, _spend, _override, _confirm]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(OPERATIONS), st.integers(1, 50_000)), min_size=1,
                      max_size=6))
def test_the_cached_account_is_always_the_fresh_one(year: ReportingYear, steps: list[tuple[Operation, int]]
                                                    ) -> None:
    for operation, n in steps:
        load_account(year)  # keep what is there now
        operation(year, n)
        kept = load_account(year)
        # afresh, and from the entries' model instances (the cache's read makes none: load_entry_inputs)
        fresh = account_from_entries(year, load_entries(year))
        assert (kept.totals.total_location, kept.totals.total_market) == (fresh.totals.total_location,
                                                                          fresh.totals.total_market)
        assert [(line.ref, line.factor.key, line.site, line.kg_co2e) for line in kept.lines] == [
            (line.ref, line.factor.key, line.site, line.kg_co2e) for line in fresh.lines]
