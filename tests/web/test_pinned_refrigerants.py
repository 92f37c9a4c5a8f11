"""A closed account keeps the refrigerant compositions it was computed with (integrity rule).

The composition table (``refrigerant-blends.csv``) converts a refrigerant DESNZ gives as AR5 CO2e
only to the year's GWP set; it has a content-versioned ref ("refrigerant-blends@2025+<digest>") that
closing a year pins with the compositions it used, as factor datasets are pinned.

Known answers, 2 kg R-410A in an AR6 year (2025):

- without the table (a year closed before it existed): DESNZ 2025 row 3_201_2156_3_1, 1,924 kg CO2e/kg
  (AR5), flagged as not convertible: 2 × 1,924 = 3,848 kg;
- with it: R-410A = HFC-32 50 % + HFC-125 50 % (US EPA GHG Emission Factors Hub 2025, Table 12), AR6
  (IPCC AR6 WG1 Table 7.SM.7) HFC-32 771, HFC-125 3,740: 2 × (0.5 × 771 + 0.5 × 3,740) = 4,511 kg;
- recalculating the first explicitly: 4,511 − 3,848 = 663 kg, all of it factor change.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from klimabok.account import services as account_services
from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation, User
from klimabok.core.factors.catalogue import Catalogue, data_dir, default_catalogue, load_catalogue
from klimabok.core.factors.refrigerants import BLENDS_FILE
from klimabok.inventory.models import ActivityEntry, ReportingYear
from tests.web.conftest import ClientFor
from tests.web.test_pinned_factors import release

NOT_CONVERTED = "CO2e only, published under AR5: no gas split to convert to AR6"
FROM_COMPONENTS = "AR6, from components: HFC-32 50 %, HFC-125 50 %"


@pytest.fixture
def years(nordlys: Organisation) -> dict[int, ReportingYear]:
    """2025 (to be closed) and 2026 (open), AR6, each 2 kg R-410A leaked from a heat pump."""
    result = {}
    for year in (2025, 2026):
        result[year] = ReportingYear.objects.create(organisation=nordlys, year=year, gwp_set="AR6")
        ActivityEntry.objects.create(reporting_year=result[year], activity="refrigerant.r410a",
                                     quantity=Decimal(2), unit="kg")
    return result


@pytest.fixture
def alice_client(client_for: ClientFor, alice: User) -> Client:
    return client_for(alice)


def r410a(year: ReportingYear) -> tuple[float, list[str]]:
    """The R-410A line's kg CO2e and flags as the account (pinned, if closed) reads today; 2026 uses
    the 2025 factor, and its "factor from 2025" flag is left out."""
    year.refresh_from_db()
    (line,) = load_account(year).lines
    flags = [str(flag) for flag in line.flags]
    return round(line.kg_co2e, 6), [flag for flag in flags if not flag.startswith("factor from")]


def test_closing_pins_the_table_by_its_content_versioned_ref(alice: User,
                                                             years: dict[int, ReportingYear]) -> None:
    table = default_catalogue().refrigerants
    assert table is not None and table.ref.startswith("refrigerant-blends@2025+")
    account_services.close_year(years[2025], alice)
    year = ReportingYear.objects.get(pk=years[2025].pk)
    assert year.pinned_refrigerants["ref"] == table.ref
    assert year.pinned_refrigerants["refrigerants"] == {"refrigerant.r410a": {
        "designation": "R-410A", "source": table.blends["refrigerant.r410a"].source,
        "source_ref": "Table 12, R-410A",
        "components": [["HFC-32", "HFC32", 50.0], ["HFC-125", "HFC125", 50.0]]}}
    assert year.pinned_refs == [*year.pinned_datasets, table.ref]
    assert r410a(year) == (4511, [FROM_COMPONENTS])


def test_a_year_closed_before_the_table_keeps_its_figures_until_recalculated(
        alice: User, alice_client: Client, years: dict[int, ReportingYear]) -> None:
    y2025 = years[2025]
    account_services.close_year(y2025, alice)
    # As closed before the table existed: its pins do not name it.
    ReportingYear.objects.filter(pk=y2025.pk).update(pinned_refrigerants={})
    assert r410a(y2025) == (3848, [NOT_CONVERTED])  # 2 × 1,924, DESNZ 2025 3_201_2156_3_1
    assert r410a(years[2026]) == (4511, [FROM_COMPONENTS])  # an open year: the table

    alice_client.post(reverse("account:year_recalculate", args=["nordlys", 2025]))
    y2025.refresh_from_db()
    change = y2025.last_recalculation
    assert change is not None
    assert change["old"]["total_location"] == pytest.approx(3.848)
    assert change["new"]["total_location"] == pytest.approx(4.511)
    assert change["factor_change"]["total_location"] == pytest.approx(0.663)  # 4,511 − 3,848 kg
    assert change["data_change"]["total_location"] == 0
    table_ref = y2025.pinned_refrigerants["ref"]
    assert table_ref not in change["old_datasets"] and change["new_datasets"] == [*change["old_datasets"],
                                                                                 table_ref]
    assert r410a(y2025) == (4511, [FROM_COMPONENTS])
    page = alice_client.get(reverse("account:year", args=["nordlys", 2025])).content.decode()
    assert table_ref in page


def edited_table(tmp_path: Path) -> Catalogue:
    """A "release" whose table gives R-410A as HFC-32 60 % + HFC-125 40 %."""
    directory = tmp_path / "factors"
    shutil.copytree(data_dir(), directory)
    path = directory / BLENDS_FILE
    text = path.read_text(encoding="utf-8")
    for gas, share in (("HFC-32,HFC32", 60), ("HFC-125,HFC125", 40)):
        text = text.replace(f"R-410A,refrigerant.r410a,{gas},50,", f"R-410A,refrigerant.r410a,{gas},{share},")
    path.write_text(text, encoding="utf-8")
    return load_catalogue(directory)


def test_a_year_closed_with_the_table_keeps_its_compositions_after_a_release_edits_them(
        monkeypatch: pytest.MonkeyPatch, alice: User, years: dict[int, ReportingYear],
        tmp_path: Path) -> None:
    y2025 = years[2025]
    account_services.close_year(y2025, alice)
    y2025.refresh_from_db()
    pinned = y2025.pinned_refrigerants["ref"]
    new_release = edited_table(tmp_path)
    assert new_release.refrigerants is not None and new_release.refrigerants.ref != pinned
    assert [d.ref for d in new_release.datasets] == [d.ref for d in default_catalogue().datasets]
    release(monkeypatch, new_release)

    assert r410a(y2025) == (4511, [FROM_COMPONENTS])  # the pinned 50/50
    # The open year uses the edited table: 60/40 no longer gives DESNZ's AR5 1,924
    # (0.6 × 677 + 0.4 × 3,170 = 1,674.2), so the published figure stays, flagged.
    assert r410a(years[2026]) == (3848, [NOT_CONVERTED])
