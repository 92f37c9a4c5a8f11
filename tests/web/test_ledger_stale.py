"""An upload whose worker died (deploy, OOM) or never ran ends failed, not "being read" forever.

``KLIMABOK_LEDGER_STALE_MINUTES`` is 15 (the default). The heartbeat ``progress_at`` is set by hand:
16 minutes ago is past the limit (16 > 15), 5 minutes ago is not (5 < 15). The file is the small
SAF-T file of tests/web/test_ledger_upload.py; its reading is not run (no on-commit callbacks), so
an upload stays queued until a test moves it on.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks
from typer.testing import CliRunner

from klimabok.accounts.models import Organisation, User
from klimabok.cli import _register, app
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import LedgerImport
from klimabok.ledger.services import fail_stale_imports, import_saft, process_import
from tests.web.conftest import ClientFor
from tests.web.test_ledger_upload import LIST, small_saft, text_of, upload

STOPPED = ("nordlys-2025.xml: lesingen stoppet: ingen fremdrift på 15 minutter (prosessen som leser filer i "
           "bakgrunnen, kan ha blitt stoppet). Last opp filen på nytt")
NEVER_STARTED = ("nordlys-2025.xml: lesingen startet aldri: filen ventet i 15 minutter på prosessen som "
                 "leser filer i bakgrunnen (den må kjøre: manage.py db_worker). Last opp filen på nytt")


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


@pytest.fixture
def saft(tmp_path: Path) -> Path:
    return small_saft(tmp_path / "nordlys-2025.xml")


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Callable[[], Any]:
    return lambda: django_capture_on_commit_callbacks(execute=True)


def queued(client: Client, saft: Path) -> LedgerImport:
    """Upload the file without reading it: the import waits, its file stored."""
    response = client.post(LIST, {"file": SimpleUploadedFile("nordlys-2025.xml", saft.read_bytes())})
    assert response.status_code == 302
    imported = LedgerImport.objects.latest("id")
    assert imported.status == "queued" and default_storage.exists(imported.stored_file)
    return imported


def minutes_ago(imported: LedgerImport, minutes: int, **fields: Any) -> LedgerImport:
    """Set the heartbeat (and e.g. status/progress) as a worker would have written it."""
    LedgerImport.objects.filter(pk=imported.pk).update(
        progress_at=timezone.now() - timedelta(minutes=minutes), **fields)
    imported.refresh_from_db()
    return imported


def test_running_import_without_progress_for_16_minutes_fails_on_the_next_view(
        client_for: ClientFor, carl: User, year_2025: ReportingYear, saft: Path,
        run_tasks: Callable[[], Any]) -> None:
    client = client_for(carl)
    # the worker read half the file, then died 16 minutes ago
    imported = minutes_ago(queued(client, saft), 16, status="running", progress=saft.stat().st_size // 2)
    stored = imported.stored_file
    page = text_of(client.get(f"{LIST}{imported.pk}/"))
    assert "Filen kunne ikke importeres" in page and STOPPED in page
    assert "Filen kan godt være i orden: last den opp på nytt." in page and "Rett filen" not in page
    imported.refresh_from_db()
    assert imported.status == "failed" and imported.stored_file == ""
    assert not default_storage.exists(stored)
    # the same file can be uploaded again, and this time it is read
    response = upload(client, saft.read_bytes(), run_tasks)
    assert response.status_code == 302
    again = LedgerImport.objects.latest("id")
    assert again.pk != imported.pk and again.status == "ready" and again.line_count == 5


def test_a_bad_file_still_asks_to_correct_it(client_for: ClientFor, carl: User, year_2025: ReportingYear,
                                             run_tasks: Callable[[], Any]) -> None:
    client = client_for(carl)
    upload(client, b"<x/>", run_tasks)
    page = text_of(client.get(f"{LIST}{LedgerImport.objects.get().pk}/"))
    assert "Rett filen og last den opp på nytt." in page and "Filen kan godt være i orden" not in page


def test_five_minutes_without_progress_is_left_alone(client_for: ClientFor, carl: User,
                                                     year_2025: ReportingYear, saft: Path) -> None:
    client = client_for(carl)
    imported = minutes_ago(queued(client, saft), 5, status="running", progress=100)
    state = client.get(f"{LIST}{imported.pk}/status.json").json()
    assert state["status"] == "running" and state["done"] is False
    assert "nordlys-2025.xml leses –" in text_of(client.get(LIST))
    assert fail_stale_imports() == 0
    imported.refresh_from_db()
    assert imported.status == "running" and default_storage.exists(imported.stored_file)


def test_queued_without_a_worker_fails_saying_a_worker_must_run(client_for: ClientFor, carl: User,
                                                                year_2025: ReportingYear, saft: Path) -> None:
    client = client_for(carl)
    imported = minutes_ago(queued(client, saft), 16)
    stored = imported.stored_file
    state = client.get(f"{LIST}{imported.pk}/status.json").json()
    assert state["status"] == "failed" and state["done"] is True and state["label"] == "feilet"
    assert NEVER_STARTED in text_of(client.get(f"{LIST}{imported.pk}/"))
    assert not default_storage.exists(stored)
    # a worker that comes later leaves it failed, with the message as it was
    process_import(imported)
    imported.refresh_from_db()
    assert imported.status == "failed" and imported.errors[0]["problem"]["template"].startswith(
        "the reading never started")


def test_the_imports_list_fails_its_year_stale_ones(client_for: ClientFor, carl: User,
                                                    year_2025: ReportingYear, saft: Path) -> None:
    client = client_for(carl)
    imported = minutes_ago(queued(client, saft), 16, status="running")
    page = text_of(client.get(LIST))
    assert "nordlys-2025.xml feilet –" in page and " leses " not in page
    assert LedgerImport.objects.get(pk=imported.pk).status == "failed"


def test_read_and_confirmed_imports_are_never_touched(client_for: ClientFor, carl: User,
                                                      year_2025: ReportingYear, saft: Path, tmp_path: Path,
                                                      run_tasks: Callable[[], Any]) -> None:
    client = client_for(carl)
    confirmed = minutes_ago(import_saft(year_2025, saft, None), 60 * 24)
    other = small_saft(tmp_path / "mai.xml", it_ore=50_000_000)
    upload(client, other.read_bytes(), run_tasks, name="mai.xml")
    ready = minutes_ago(LedgerImport.objects.get(filename="mai.xml"), 60 * 24)
    assert ready.status == "ready"
    client.get(LIST)
    for imported in (confirmed, ready):
        assert client.get(f"{LIST}{imported.pk}/status.json").json()["done"] is True
    assert fail_stale_imports() == 0
    assert {i.filename: i.status for i in LedgerImport.objects.all()} == {
        "nordlys-2025.xml": "confirmed", "mai.xml": "ready"}
    assert all(i.errors == [] for i in LedgerImport.objects.all())


def test_every_role_sees_it_failed_and_another_tenant_changes_nothing(
        client_for: ClientFor, everyone: dict[str, User], year_2025: ReportingYear, fjordbakst: Organisation,
        saft: Path) -> None:
    ReportingYear.objects.create(organisation=fjordbakst, year=2025)
    assert client_for(everyone["mallory"]).get("/o/fjordbakst/2025/ledger/").status_code == 200
    for name, code in (("mallory", 404), ("emma", 403)):
        imported = minutes_ago(queued(client_for(everyone["carl"]), saft), 16, status="running")
        client = client_for(everyone[name])
        for url in (LIST, f"{LIST}{imported.pk}/", f"{LIST}{imported.pk}/status.json"):
            assert client.get(url).status_code == code, (name, url)
        # neither mallory's own year's list (above) nor refused pages fail Nordlys' import
        assert LedgerImport.objects.get(pk=imported.pk).status == "running", name
        LedgerImport.objects.filter(pk=imported.pk).delete()
    for name in ("alice", "olga", "carl", "aud", "petra"):
        imported = minutes_ago(queued(client_for(everyone["carl"]), saft), 16, status="running")
        state = client_for(everyone[name]).get(f"{LIST}{imported.pk}/status.json").json()
        assert state["status"] == "failed" and state["done"] is True, name


def test_the_command_fails_stale_imports_of_every_year(client_for: ClientFor, carl: User,
                                                       year_2025: ReportingYear, saft: Path) -> None:
    stale = minutes_ago(queued(client_for(carl), saft), 16, status="running")
    _register()
    result = CliRunner().invoke(app, ["import", "fail-stale"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 import(s) failed: no progress for 15 minutes\n"
    assert LedgerImport.objects.get(pk=stale.pk).status == "failed"
    assert CliRunner().invoke(app, ["import", "fail-stale"]).stdout.startswith("0 import(s)")
