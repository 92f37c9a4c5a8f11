"""Stored datasets: the import service, the catalogue with imports, the CLI and the library page."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation
from typer.testing import CliRunner

from klimabok.accounts.models import User
from klimabok.cli.factors import app
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.core.factors.model import FactorDataset
from klimabok.factors.models import StoredDataset, StoredFactor
from klimabok.factors.services import DatasetAlreadyStored, catalogue_with_imports, import_dataset

DESNZ = Path(__file__).resolve().parent / "data" / "desnz"
CSV_2025 = DESNZ / "ghg-conversion-factors-2025-flat-format.csv"
runner = CliRunner()


def plant_dataset(value: float, version: str = "2024") -> FactorDataset:
    base = default_catalogue().factor("district_heating.waste_heat", 2024)
    factor = replace(base, key="district_heating.plant.demo", name="Demo plant", kg_co2e=value, kg_co2=value,
                     source="Supplier declaration", source_ref="p. 1")
    return FactorDataset("plant-demo", version, 2024, "Demo plant", "Supplier declaration", "supplier",
                         (factor,))


@pytest.mark.django_db
def test_import_is_stored_and_layered_on_the_shipped_catalogue() -> None:
    record = import_dataset(plant_dataset(0.05))
    assert (str(record), record.factors.count()) == ("plant-demo@2024", 1)
    assert StoredFactor.objects.get().kg_co2e == Decimal("0.05")
    catalogue = catalogue_with_imports()
    assert catalogue.factor("district_heating.plant.demo", 2025).kg_co2e == 0.05
    assert catalogue.factor("fuel.diesel", 2024).kg_co2e == 2.51279  # shipped factors still there
    import_dataset(plant_dataset(0.04, version="2025.1"))
    assert catalogue_with_imports().factor("district_heating.plant.demo", 2024).kg_co2e == 0.04


@pytest.mark.django_db
def test_the_same_data_twice_is_refused_and_nothing_is_saved() -> None:
    import_dataset(plant_dataset(0.05))
    same_data = "already stored as plant-demo@2024"
    with translation.override("en"), pytest.raises(DatasetAlreadyStored, match=same_data):
        import_dataset(plant_dataset(0.05, version="other"))
    same_version = "plant-demo@2024 er allerede lagret med andre verdier"  # the user's language: bokmål
    with translation.override("nb"), pytest.raises(DatasetAlreadyStored, match=same_version):
        import_dataset(plant_dataset(0.07))
    assert StoredDataset.objects.count() == 1 and StoredFactor.objects.count() == 1


@pytest.mark.django_db
def test_cli_list_json_has_the_documented_fields() -> None:
    result = runner.invoke(app, ["list", "--year", "2025", "--json"])
    assert result.exit_code == 0, result.output
    entries = {e["key"]: e for e in json.loads(result.stdout)}
    diesel = entries["fuel.diesel"]
    # DESNZ 2025 ID 1_101_1011_8_1: diesel (average biofuel blend) 2.57082 kg CO2e per litre.
    assert (diesel["unit"], diesel["year"], diesel["kg_co2e_per_unit"]) == ("litres", 2025, 2.57082)
    assert diesel["source_ref"] == "1_101_1011_8_1"
    assert diesel["dataset"].startswith("desnz-2025@1.0+")  # the shipped version carries its file's digest
    assert entries["electricity.no.location"]["published_year"] == 2023
    assert {"name", "source", "scope", "category", "basis", "licence"} <= diesel.keys()


@pytest.mark.django_db
def test_cli_list_table_and_unknown_year() -> None:
    result = runner.invoke(app, ["list", "--year", "2024"])
    assert result.exit_code == 0
    assert "Scope3_Business-travel_Hotel-stay_NO_Room-per-night_2022" in result.stdout
    result = runner.invoke(app, ["list", "--year", "1990"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: no factors for 1990 (catalogue years: 2024, 2025)"


@pytest.mark.django_db
def test_cli_import_desnz_then_refuses_the_same_file() -> None:
    result = runner.invoke(app, ["import-desnz", str(CSV_2025)])
    assert result.exit_code == 0, result.output
    # The excerpt in tests/data: 396 "kg CO2e" rows − 2 empty = 394 factors, + 507 under curated keys.
    assert result.stdout.strip() == (
        "stored desnz-2025@1.0: year 2025, 901 factors from ghg-conversion-factors-2025-flat-format.csv")
    again = runner.invoke(app, ["import-desnz", str(CSV_2025), "--version", "1.1"])
    assert again.exit_code == 1
    assert again.stderr.startswith("error: this data is already stored as desnz-2025@1.0")
    assert "Traceback" not in again.output


def test_cli_import_desnz_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["import-desnz", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: notes.csv: not a DESNZ conversion-factor flat file")


@pytest.mark.django_db
def test_library_page_shows_factors_with_their_source(client: Client, django_user_model: type[User]) -> None:
    user = django_user_model.objects.create_user(email="emma@nordlys.example", password="a-long-password-1")
    client.force_login(user)
    response = client.get("/factors/", {"q": "hotel.no", "year": "2025"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "hotel.no" in page and "Hotel Footprinting Tool" in page
    assert "Scope3_Business-travel_Hotel-stay_NO_Room-per-night_2022" in page and "CC BY-SA 4.0" in page
    response = client.get("/factors/", {"q": "1_101_1011_8_1", "year": "2024", "scope": "1"})
    assert "fuel.diesel" in response.content.decode() and "2,51279" in response.content.decode()  # nb locale


@pytest.mark.django_db
def test_library_page_needs_login(client: Client) -> None:
    response = client.get("/factors/")
    assert response.status_code == 302 and "/login" in response["Location"]
