"""A closed account keeps its factors when a klimabok release changes the shipped datasets.

Shipped datasets are versioned by their content ("1.1+<digest of the CSV>"), and closing a year
archives the versions it pinned in the database. Here a "new release" is the shipped data directory
copied and edited, loaded with the real loader, so its refs change the way a release's would:

- NVE location-based electricity 0.015 → 0.019 kg CO2e/kWh (a factor the accounts use);
- DESNZ 2024 petrol (ID 1_101_1013_8_1 row, not used by the accounts) edited, so the DESNZ file, whose
  car factor with its per-gas split the accounts do use, gets a new version too.

Accounts: 2024 (closed) and 2025 (open), each 120 000 kWh electricity.no (location NVE + market
residual) and 10 000 km average diesel car (DESNZ, CO2 + CH4 + N2O).
"""

from __future__ import annotations

import csv
import importlib
import re
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.test import Client
from django.urls import reverse

from klimabok.account import cache as account_cache
from klimabok.account import services as account_services
from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.core.factors.catalogue import Catalogue, data_dir, default_catalogue, load_catalogue
from klimabok.factors import services as factor_services
from klimabok.factors.models import StoredDataset
from klimabok.factors.services import archive_datasets, catalogue_with_imports, stored_datasets_by_ref
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from tests.web.conftest import ClientFor

OLD_NVE, NEW_NVE = 0.015, 0.019
KWH = 120_000


def edited_release(tmp_path: Path, changes: dict[str, dict[str, dict[str, str]]]) -> Catalogue:
    """The shipped data directory with ``{file: {key: {column: value}}}`` changed, loaded as shipped."""
    directory = tmp_path / "factors"
    shutil.copytree(data_dir(), directory)
    for file, rows in changes.items():
        path = directory / file
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            fields, data = list(reader.fieldnames or ()), list(reader)
        for row in data:
            row.update(rows.get(row["key"], {}))
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fields)
            writer.writeheader()
            writer.writerows(data)
    return load_catalogue(directory)


@pytest.fixture
def new_release(tmp_path: Path) -> Catalogue:
    petrol = default_catalogue().factor("fuel.petrol", 2024)
    return edited_release(tmp_path, {
        "nve-electricity.csv": {"electricity.no.location": {"kg_co2e": str(NEW_NVE)}},
        "desnz-2024.csv": {"fuel.petrol": {"kg_co2e": str(petrol.kg_co2e + 0.001)}},
    })


@pytest.fixture
def years(nordlys: Organisation) -> dict[int, ReportingYear]:
    oslo = Site.objects.create(organisation=nordlys, name="Oslo", floor_area_m2=Decimal(2000))
    result = {}
    for year in (2024, 2025):
        result[year] = ReportingYear.objects.create(organisation=nordlys, year=year, fte=Decimal(380))
        ActivityEntry.objects.create(reporting_year=result[year], activity="electricity.no",
                                     quantity=Decimal(KWH), unit="kWh", site=oslo)
        ActivityEntry.objects.create(reporting_year=result[year], activity="car.average.diesel.km",
                                     quantity=Decimal(10_000), unit="km", site=oslo)
    return result


@pytest.fixture
def alice_client(client_for: ClientFor, alice: User) -> Client:
    return client_for(alice)


def release(monkeypatch: pytest.MonkeyPatch, catalogue: Catalogue) -> None:
    """Install ``catalogue`` as the shipped one (what upgrading klimabok does: the processes restart, and
    nothing they kept survives — the accounts kept per data revision included)."""
    monkeypatch.setattr(factor_services, "default_catalogue", lambda: catalogue)
    account_cache.clear()


def totals_text(client: Client, year: int) -> str:
    """The account page's visible text (tags, scripts and whitespace runs removed)."""
    html = client.get(reverse("account:account", args=["nordlys", year])).content.decode()
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_release_changes_the_refs_of_the_files_it_changes(new_release: Catalogue) -> None:
    old = {d.dataset_id: d for d in default_catalogue().datasets}
    new = {d.dataset_id: d for d in new_release.datasets}
    changed = {i for i in old if old[i].ref != new[i].ref}
    assert changed == {"nve-electricity", "desnz-2024"}
    assert new["nve-electricity"].publisher_version == old["nve-electricity"].publisher_version == "2023"


def test_a_closed_account_survives_a_release_that_changes_its_factors(
        monkeypatch: pytest.MonkeyPatch, alice: User, alice_client: Client, years: dict[int, ReportingYear],
        new_release: Catalogue) -> None:
    y2024, y2025 = years[2024], years[2025]
    account_services.close_year(y2024, alice)
    y2024.refresh_from_db()
    pinned = list(y2024.pinned_datasets)
    before, before_page = load_account(y2024), totals_text(alice_client, 2024)
    # 120 000 kWh × 0.015 kg/kWh (NVE klimadeklarasjon 2023) = 1.8 t location-based electricity
    assert before.totals.scope_2_location == pytest.approx(KWH * OLD_NVE / 1000)
    assert StoredDataset.objects.filter(kind=StoredDataset.Kind.ARCHIVE).count() == len(pinned)

    release(monkeypatch, new_release)
    gone = {r for r in pinned if r.split("@")[0] in {"nve-electricity", "desnz-2024"}}
    assert len(gone) == 2 and not gone & {d.ref for d in catalogue_with_imports().datasets}

    # (a) the closed account: the same numbers, to the last bit, and the same page
    y2024.refresh_from_db()
    after = load_account(y2024)
    assert after.totals == before.totals
    assert [line.kg_co2e for line in after.lines] == [line.kg_co2e for line in before.lines]
    assert totals_text(alice_client, 2024) == before_page
    assert "Totalt, lokasjonsbasert" in before_page

    # (b) an open year computes with the new release: 120 000 kWh × 0.019 = 2.28 t
    assert load_account(y2025).totals.scope_2_location == pytest.approx(KWH * NEW_NVE / 1000)
    assert "2,3 t" in totals_text(alice_client, 2025) or "2,28 t" in totals_text(alice_client, 2025)

    # (c) recalculating explicitly: the change is all factors (120 000 × 0.004 = 0.48 t), re-pinned
    alice_client.post(reverse("account:year_recalculate", args=["nordlys", 2024]))
    y2024.refresh_from_db()
    change = y2024.last_recalculation
    assert change is not None
    assert change["factor_change"]["total_location"] == pytest.approx(KWH * (NEW_NVE - OLD_NVE) / 1000)
    assert change["data_change"]["total_location"] == 0
    new_refs = {d.ref for d in new_release.datasets}
    assert y2024.is_closed and set(y2024.pinned_datasets) <= new_refs
    assert {r.split("@")[0] for r in y2024.pinned_datasets} == {r.split("@")[0] for r in pinned}
    assert not set(y2024.pinned_datasets) & gone
    assert load_account(y2024).totals.scope_2_location == pytest.approx(KWH * NEW_NVE / 1000)


def test_archives_are_not_layered_on_the_current_catalogue(
        monkeypatch: pytest.MonkeyPatch, alice: User, years: dict[int, ReportingYear],
        new_release: Catalogue) -> None:
    account_services.close_year(years[2024], alice)
    release(monkeypatch, new_release)
    current = catalogue_with_imports()
    assert current.factor("electricity.no.location", 2024).kg_co2e == NEW_NVE
    assert [d.ref for d in current.datasets] == [d.ref for d in new_release.datasets]


def test_archived_values_are_exact(alice: User) -> None:
    """Every shipped figure (per-gas masses down to 1e-7 kg with ten digits) comes back unchanged."""
    shipped = default_catalogue().datasets
    archive_datasets(shipped, user=alice)
    stored = stored_datasets_by_ref([d.ref for d in shipped])
    for dataset in shipped:
        assert stored[dataset.ref].factors == dataset.factors, dataset.ref


def test_the_same_content_under_a_new_ref_is_stored_once(alice: User) -> None:
    """A release that only re-quotes a file (same figures, new bytes) gives a new ref: pin the stored copy."""
    nve = next(d for d in default_catalogue().datasets if d.dataset_id == "nve-electricity")
    archive_datasets([nve], user=alice)
    requoted = replace(nve, version="2023+00000000")
    assert archive_datasets([requoted], user=alice) == {"nve-electricity@2023+00000000": nve.ref}
    assert StoredDataset.objects.count() == 1


def test_a_pinned_version_that_is_nowhere_is_a_clear_message(alice: User, alice_client: Client,
                                                             years: dict[int, ReportingYear]) -> None:
    account_services.close_year(years[2024], alice)
    ReportingYear.objects.filter(pk=years[2024].pk).update(pinned_datasets=["nve-electricity@1999+deadbeef"])
    response = alice_client.get(reverse("account:account", args=["nordlys", 2024]))
    assert response.status_code == 200
    assert ("det lukkede regnskapet bruker faktordatasett nve-electricity@1999+deadbeef, som ikke lenger "
            "finnes") in response.content.decode()
    year_page = alice_client.get(reverse("account:year", args=["nordlys", 2024]))
    assert year_page.status_code == 200


def test_years_closed_before_digests_are_archived_on_upgrade(alice: User, alice_client: Client,
                                                             years: dict[int, ReportingYear]) -> None:
    """Migration inventory 0003: a pin "nve-electricity@2023" (no digest) is archived as shipped today."""
    account_services.close_year(years[2024], alice)
    before = load_account(ReportingYear.objects.get(pk=years[2024].pk)).totals
    legacy = {"nve-electricity@2023", "desnz-2024@1.1", "aib-electricity@2021"}
    ReportingYear.objects.filter(pk=years[2024].pk).update(pinned_datasets=sorted(legacy))
    StoredDataset.objects.all().delete()  # as before this release: nothing archived
    migration = importlib.import_module("klimabok.inventory.migrations.0003_archive_legacy_pins")
    migration.archive_legacy_pins(django_apps, None)
    migration.archive_legacy_pins(django_apps, None)  # idempotent
    year = ReportingYear.objects.get(pk=years[2024].pk)
    assert set(year.pinned_datasets) == legacy
    assert set(StoredDataset.objects.values_list("kind", flat=True)) == {StoredDataset.Kind.ARCHIVE}
    assert StoredDataset.objects.count() == 3
    assert load_account(year).totals == before


def test_the_library_lists_current_datasets_and_counts_older_archived_ones(
        monkeypatch: pytest.MonkeyPatch, alice: User, alice_client: Client, years: dict[int, ReportingYear],
        new_release: Catalogue) -> None:
    account_services.close_year(years[2024], alice)
    page = alice_client.get(reverse("factors:library")).content.decode()
    assert "arkivert" not in page  # the archived versions are the current ones
    nve = next(d for d in default_catalogue().datasets if d.dataset_id == "nve-electricity")
    assert f"nve-electricity versjon 2023 ({nve.content_digest})" in page
    release(monkeypatch, new_release)
    page = alice_client.get(reverse("factors:library")).content.decode()
    assert "2 eldre datasettversjoner er arkivert for lukkede regnskap" in page
    assert nve.content_digest not in page
    new_nve = next(d for d in new_release.datasets if d.dataset_id == "nve-electricity")
    assert f"nve-electricity versjon 2023 ({new_nve.content_digest})" in page


def test_a_release_that_changes_what_an_activity_expands_into_leaves_closed_accounts_alone(
        monkeypatch: pytest.MonkeyPatch, alice: User, years: dict[int, ReportingYear],
        tmp_path: Path) -> None:
    """The car's well-to-tank component (scope 3.3) disappears from activities.csv in a "release"."""
    y2024, y2025 = years[2024], years[2025]
    account_services.close_year(y2024, alice)
    y2024.refresh_from_db()
    assert y2024.pinned_activities["car.average.diesel.km"]["components"] == [
        "car.average.diesel.km", "car.average.diesel.km.wtt"]
    before_closed, before_open = load_account(y2024), load_account(y2025)
    assert "scope_3.3" in before_closed.by_category()

    release(monkeypatch, edited_release(tmp_path, {
        "activities.csv": {"car.average.diesel.km": {"components": "car.average.diesel.km"}}}))

    y2024.refresh_from_db()
    assert load_account(y2024).totals == before_closed.totals
    after_open = load_account(y2025)
    assert "scope_3.3" not in after_open.by_category()
    assert after_open.totals.scope_3 < before_open.totals.scope_3
