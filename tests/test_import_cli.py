"""``klimabok import saft FILE --org SLUG --year Y``: imports, prints coverage; errors one line, exit 1."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klimabok.accounts.models import Organisation
from klimabok.cli import _register, app
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import LedgerImport

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from generate_saft import generate  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def year() -> ReportingYear:
    org = Organisation.objects.create(slug="nordlys", name="Nordlys Kundesenter AS")
    return ReportingYear.objects.create(organisation=org, year=2025)


@pytest.fixture
def saft_file(tmp_path: Path) -> Path:
    return generate(tmp_path / "nordlys-2025.xml", 200, seed=5, year=2025)


def test_cli_import_saft(year: ReportingYear, saft_file: Path) -> None:
    _register()
    result = CliRunner().invoke(app, ["import", "saft", str(saft_file), "--org", "nordlys", "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert "imported nordlys-2025.xml into nordlys 2025" in result.output
    assert "coverage of" in result.output
    again = CliRunner().invoke(app, ["import", "saft", str(saft_file), "--org", "nordlys", "--year", "2025"])
    assert again.exit_code == 1
    assert "already imported" in again.output and "Traceback" not in again.output
    missing = CliRunner().invoke(app, ["import", "saft", str(saft_file), "--org", "nope", "--year", "2025"])
    assert missing.exit_code == 1 and "no reporting year 2025 for organisation 'nope'" in missing.output
    assert LedgerImport.objects.filter(reporting_year=year).count() == 1
