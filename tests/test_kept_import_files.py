"""Ledger files kept as uploaded for the auditor's bundle (KLIMABOK_KEEP_IMPORT_FILES), both ways in: at
once (``import_saft``: the CLI, the demo) and through the task worker (an upload); deleted with the import."""

from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from klimabok.accounts.models import Organisation
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import LedgerImport
from klimabok.ledger.services import delete_import, import_saft
from klimabok.ledger.services.imports import start_import
from klimabok.reports.audit_bundle import build_bundle

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
    return generate(tmp_path / "nordlys-2025.xml", 50, seed=3, year=2025)


def test_a_saft_file_imported_at_once_is_kept_and_bundled(year: ReportingYear, saft_file: Path) -> None:
    imported = import_saft(year, saft_file, None)
    assert imported.kept_file.startswith("kept-imports/nordlys/2025/ledger-")
    with default_storage.open(imported.kept_file, "rb") as handle:
        assert handle.read() == saft_file.read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(build_bundle(year, "en")))
    name = f"imports/files/ledger-{imported.pk}-nordlys-2025.xml"
    assert archive.read(name) == saft_file.read_bytes()
    assert hashlib.sha256(archive.read(name)).hexdigest() == imported.sha256


def test_an_upload_read_by_the_worker_keeps_its_file_and_deleting_the_import_deletes_it(
    year: ReportingYear, saft_file: Path, django_capture_on_commit_callbacks: Any
) -> None:
    data = saft_file.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        imported = start_import(year, SimpleUploadedFile("hovedbok.xml", data), None)
    imported.refresh_from_db()
    assert (imported.status, imported.stored_file) == (LedgerImport.Status.READY, "")  # the upload is gone
    with default_storage.open(imported.kept_file, "rb") as handle:
        assert handle.read() == data
    kept = imported.kept_file
    with django_capture_on_commit_callbacks(execute=True):
        delete_import(imported)
    assert not default_storage.exists(kept)


def test_deleting_the_organisation_deletes_the_kept_files(
    year: ReportingYear, saft_file: Path, django_capture_on_commit_callbacks: Any
) -> None:
    kept = import_saft(year, saft_file, None).kept_file
    with django_capture_on_commit_callbacks(execute=True):
        year.organisation.delete()
    assert not default_storage.exists(kept)


def test_a_refused_file_is_not_kept(year: ReportingYear, saft_file: Path) -> None:
    import_saft(year, saft_file, None)
    kept = set(default_storage.listdir("kept-imports/nordlys/2025")[1])
    with pytest.raises(Exception, match="already imported"):
        import_saft(year, saft_file, None)
    assert set(default_storage.listdir("kept-imports/nordlys/2025")[1]) == kept
