"""The auditor's bundle (issue 13 §3): a closed year's ZIP, its manifest, ``klimabok export verify``, access.

The hand-made year: nordlys 2025 with the ledger import of ``spend_setup`` (five spend lines, two postings),
one uploaded activity file (``strom.csv``: 1 000 kWh of electricity.no), an override moving the unmapped
account 6790 to it_telecom, and a not-relevant scope 3 category 15; then closed by alice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from typer.testing import CliRunner

import klimabok
from klimabok.account.services import close_year
from klimabok.accounts.models import Organisation, User
from klimabok.cli import _register, app
from klimabok.core.bundle import EPOCH, check
from klimabok.core.spend import OverrideTarget
from klimabok.inventory.models import ReportingYear, Scope3Screening
from klimabok.inventory.services import delete_upload, import_activity_file
from klimabok.ledger.services.overrides import set_override
from klimabok.reports import jobs
from klimabok.reports.audit_bundle import build_bundle
from klimabok.reports.models import ReportJob
from tests.web.conftest import ClientFor
from tests.web.spend_setup import spend_year

ACTIVITY_FILE = b"activity,quantity,unit\nelectricity.no,1000,kWh\n"


@pytest.fixture
def closed_year(nordlys: Organisation, alice: User) -> ReportingYear:
    reporting_year = spend_year(nordlys, 2025)
    import_activity_file(reporting_year, SimpleUploadedFile("strom.csv", ACTIVITY_FILE), alice)
    set_override(reporting_year, OverrideTarget.ACCOUNT, "6790", category="it_telecom", note="konsulent-IT",
                 user=alice)
    Scope3Screening.objects.create(reporting_year=reporting_year, category=15, relevance="not_relevant",
                                   criterion="size", reason="Ingen investeringer")
    close_year(reporting_year, alice)
    reporting_year.refresh_from_db()
    return reporting_year


def _csv(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_bundle_of_a_closed_year(closed_year: ReportingYear) -> None:
    data = build_bundle(closed_year, "en")
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names == [
        "account/lines.csv", "account/summary.csv", "factors/datasets.csv", "factors/factors.csv",
        "imports/activity-uploads.csv", "imports/activity-entries.csv", "imports/ledger-imports.csv",
        "imports/spend-lines.csv", "imports/postings.csv",
        f"imports/files/activity-{closed_year.uploads.get().pk}-strom.csv", "adjustments/spend-overrides.csv",
        "adjustments/coverage-rules.csv", "adjustments/scope3-screening.csv", "audit/events.csv",
        "audit/verify.json", "reports/datapoints/vsme-nordlys-2025.json",
        "reports/datapoints/esrs-e1-nordlys-2025.json",
        "reports/ghg-inventory/ghg-inventory-nordlys-2025.pdf",
        "reports/ghg-inventory/board-summary-nordlys-2025.pdf", "manifest.json", "manifest.json.sha256"]
    # Every entry is dated the year's closing (to the two seconds a ZIP keeps).
    closed_at = closed_year.closed_at
    assert closed_at is not None
    assert {info.date_time[:5] for info in archive.infolist()} == {
        (closed_at.year, closed_at.month, closed_at.day, closed_at.hour, closed_at.minute)}

    lines = _csv(archive, "account/lines.csv")
    # The one entry is two result lines: scope 2 location-based and market-based, each with its factor.
    electricity = [row for row in lines if row["Activity"] == "electricity.no"]
    assert sorted(row["Scope 2 basis"] for row in electricity) == ["location", "market"]
    assert all(float(row["Quantity"]) == 1000.0 and row["Source reference"] and row["Licence"]
               for row in electricity)
    factors = {row["key"]: row for row in _csv(archive, "factors/factors.csv")}
    for row in electricity:
        used = factors[row["Factor key"]]
        assert used["lines_using"] == "1" and used["source_ref"] == row["Source reference"]
        assert used["dataset"] and f"{used['dataset']}@{used['version']}" == row["Dataset"]
    datasets = _csv(archive, "factors/datasets.csv")
    assert datasets and all(row["pinned"] == "True" for row in datasets)

    uploads = _csv(archive, "imports/activity-uploads.csv")
    assert [(u["filename"], u["sha256"], u["size"], u["lines"]) for u in uploads] == [
        ("strom.csv", hashlib.sha256(ACTIVITY_FILE).hexdigest(), str(len(ACTIVITY_FILE)), "1")]
    entries = _csv(archive, "imports/activity-entries.csv")
    assert [(e["activity"], e["upload_filename"]) for e in entries] == [("electricity.no", "strom.csv")]
    assert [row["filename"] for row in _csv(archive, "imports/ledger-imports.csv")] == ["nordlys-2025.xml"]
    assert len(_csv(archive, "imports/spend-lines.csv")) == 5
    assert [p["description"] for p in _csv(archive, "imports/postings.csv")] == [
        "Skylisens januar", "Skylisens februar"]
    overrides = _csv(archive, "adjustments/spend-overrides.csv")
    assert [(o["applies_to"], o["key"], o["category"], o["note"]) for o in overrides] == [
        ("account", "6790", "it_telecom", "konsulent-IT")]
    screening = _csv(archive, "adjustments/scope3-screening.csv")
    assert [(s["category"], s["relevance"], s["reason"]) for s in screening] == [
        ("15", "not_relevant", "Ingen investeringer")]

    events = _csv(archive, "audit/events.csv")
    assert {"spend.override_set", "year.closed"} <= {e["kind"] for e in events}
    assert all(len(e["hash"]) == 64 for e in events)
    verified = json.loads(archive.read("audit/verify.json"))
    assert verified["ok"] is True and verified["organisation_events_checked"] == len(events)

    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["organisation"]["slug"] == "nordlys" and manifest["year"] == 2025
    assert manifest["closed"] is True and manifest["closed_at"] == closed_at.isoformat()
    assert manifest["pinned_datasets"] == closed_year.pinned_refs and manifest["pinned_datasets"]
    assert manifest["klimabok_version"] == klimabok.__version__
    assert [f["name"] for f in manifest["files"]] == names[:-2]
    for item in manifest["files"]:
        content = archive.read(item["name"])
        assert item["size"] == len(content) and item["sha256"] == hashlib.sha256(content).hexdigest()
    assert any("imports/files/ holds the uploaded activity files" in note for note in manifest["not_kept"])
    assert archive.read("reports/ghg-inventory/ghg-inventory-nordlys-2025.pdf").startswith(b"%PDF")
    assert json.loads(archive.read("reports/datapoints/esrs-e1-nordlys-2025.json"))
    assert manifest["notes"] == []
    assert archive.read("manifest.json.sha256").decode().split()[0] == hashlib.sha256(
        archive.read("manifest.json")).hexdigest()


def test_the_uploaded_file_is_in_the_bundle_as_uploaded(closed_year: ReportingYear) -> None:
    upload = closed_year.uploads.get()
    assert upload.kept_file.startswith("kept-imports/nordlys/2025/activity-")
    archive = zipfile.ZipFile(io.BytesIO(build_bundle(closed_year, "en")))
    assert archive.read(f"imports/files/activity-{upload.pk}-strom.csv") == ACTIVITY_FILE
    manifest = json.loads(archive.read("manifest.json"))
    listed = {f["name"]: f["sha256"] for f in manifest["files"]}
    name = f"imports/files/activity-{upload.pk}-strom.csv"
    assert listed[name] == hashlib.sha256(ACTIVITY_FILE).hexdigest()


def test_a_kept_file_that_was_changed_is_left_out_and_named(closed_year: ReportingYear) -> None:
    upload = closed_year.uploads.get()
    with default_storage.open(upload.kept_file, "wb") as handle:
        handle.write(b"activity,quantity,unit\nelectricity.no,1,kWh\n")
    archive = zipfile.ZipFile(io.BytesIO(build_bundle(closed_year, "en")))
    assert not [n for n in archive.namelist() if n.startswith("imports/files/")]
    notes = json.loads(archive.read("manifest.json"))["notes"]
    assert any(f"activity {upload.pk} (strom.csv) left out" in note for note in notes)


def test_without_keeping_files_the_bundle_says_so(nordlys: Organisation, alice: User, settings: Any) -> None:
    settings.KLIMABOK_KEEP_IMPORT_FILES = False
    reporting_year = spend_year(nordlys, 2025)
    upload = import_activity_file(reporting_year, SimpleUploadedFile("strom.csv", ACTIVITY_FILE), alice)
    assert upload.kept_file == ""
    archive = zipfile.ZipFile(io.BytesIO(build_bundle(reporting_year, "en")))
    assert not [n for n in archive.namelist() if n.startswith("imports/files/")]
    assert any("KLIMABOK_KEEP_IMPORT_FILES" in line
               for line in json.loads(archive.read("manifest.json"))["not_kept"])


def test_deleting_the_upload_deletes_its_kept_file(nordlys: Organisation, alice: User,
                                                   django_capture_on_commit_callbacks: Any) -> None:
    reporting_year = spend_year(nordlys, 2025)
    upload = import_activity_file(reporting_year, SimpleUploadedFile("strom.csv", ACTIVITY_FILE), alice)
    kept = upload.kept_file
    assert default_storage.exists(kept)
    with django_capture_on_commit_callbacks(execute=True):
        delete_upload(upload)
    assert not default_storage.exists(kept)


def test_the_same_closed_year_gives_the_same_bytes(closed_year: ReportingYear) -> None:
    assert build_bundle(closed_year, "en") == build_bundle(closed_year, "en")


def test_an_open_year_is_dated_1980(nordlys: Organisation) -> None:
    reporting_year = ReportingYear.objects.create(organisation=nordlys, year=2026)
    archive = zipfile.ZipFile(io.BytesIO(build_bundle(reporting_year, "en")))
    assert {info.date_time for info in archive.infolist()} == {EPOCH.timetuple()[:6]}
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["closed"] is False and manifest["closed_at"] is None
    assert any(note.startswith("account/lines.csv: the year has no lines") for note in manifest["notes"])
    assert "reports/ghg-inventory: not made (the year has no lines: nothing to report)" in manifest["notes"]
    assert check(build_bundle(reporting_year, "en")).files == len(manifest["files"])


def _cli(*args: str) -> tuple[int, str]:
    _register()
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _rewrite(bundle: Path, name: str, change: bytes | None) -> Path:
    """A copy of ``bundle`` with ``name``'s content changed by one byte (the manifest left as it was)."""
    out = bundle.with_name("tampered.zip")
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == name:
                data = data[:-2] + (change or bytes([data[-2] ^ 1])) + data[-1:]
            target.writestr(info, data)
    return out


def test_cli_writes_and_verifies_a_bundle(closed_year: ReportingYear, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    code, output = _cli("export", "audit", "nordlys", "2025", "--out", str(bundle), "--language", "en")
    assert code == 0, output
    assert f"wrote {bundle}" in output and "nordlys 2025, closed" in output
    assert bundle.read_bytes() == build_bundle(closed_year, "en")
    files = len(json.loads(zipfile.ZipFile(bundle).read("manifest.json"))["files"])
    assert _cli("export", "verify", str(bundle)) == (0, f"OK: {files} files\n")


def test_verify_names_a_tampered_file(closed_year: ReportingYear, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(build_bundle(closed_year, "en"))
    # One byte of the lines changed, the ZIP rewritten with valid checksums: the manifest's hash catches it.
    code, output = _cli("export", "verify", str(_rewrite(bundle, "account/lines.csv", None)))
    assert code == 1
    assert "account/lines.csv: its SHA-256 differs from the manifest's" in output
    # One byte flipped in the ZIP itself, inside the postings' compressed data: that entry cannot be read.
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = archive.getinfo("imports/postings.csv")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0xFF
    flipped = tmp_path / "flipped.zip"
    flipped.write_bytes(bytes(raw))
    code, output = _cli("export", "verify", str(flipped))
    assert code == 1 and "imports/postings.csv" in output and "Traceback" not in output


def test_verify_catches_an_edited_manifest(closed_year: ReportingYear, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(build_bundle(closed_year, "en"))
    code, output = _cli("export", "verify", str(_rewrite(bundle, "manifest.json", b"X")))
    assert code == 1 and "manifest.json: its SHA-256 differs from manifest.json.sha256" in output
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"hello")
    assert _cli("export", "verify", str(not_zip))[0] == 1


def test_cli_unknown_organisation_or_year(closed_year: ReportingYear, tmp_path: Path) -> None:
    code, output = _cli("export", "audit", "nope", "2025", "--out", str(tmp_path / "x.zip"))
    assert code == 1 and "error: no client organisation 'nope'" in output and "Traceback" not in output
    code, output = _cli("export", "audit", "nordlys", "2019", "--out", str(tmp_path / "x.zip"))
    assert code == 1
    assert "error: no reporting year 2019 for organisation 'nordlys' (its years: 2025)" in output
    assert not (tmp_path / "x.zip").exists()
    code, output = _cli("export", "verify", str(tmp_path / "missing.zip"))
    assert code == 1 and "missing.zip: no such file" in output


def test_download_by_role(closed_year: ReportingYear, everyone: None, client_for: ClientFor,
                          mallory: User) -> None:
    url = reverse("reports:audit_bundle", args=["nordlys", 2025])
    for email in ("aud@revisor.example", "alice@nordlys.example", "olga@nordlys.example",
                  "petra@klimapartner.example", "carl@nordlys.example"):
        response = client_for(User.objects.get(email=email)).get(url)
        assert response.status_code == 200, email
        assert response["Content-Disposition"] == 'attachment; filename="audit-nordlys-2025.zip"'
        assert check(response.content).ok
    assert client_for(User.objects.get(email="emma@nordlys.example")).get(url).status_code == 403
    assert client_for(mallory).get(url).status_code == 404
    assert client_for(User.objects.get(email="aud@revisor.example")).get(
        reverse("reports:audit_bundle", args=["nordlys", 2019])).status_code == 404


def test_reports_page_shows_the_button_to_readers(closed_year: ReportingYear, everyone: None,
                                                  client_for: ClientFor) -> None:
    url = reverse("reports:index", args=["nordlys"])
    start = reverse("reports:audit_bundle_start", args=["nordlys", 2025])
    page = client_for(User.objects.get(email="aud@revisor.example")).get(url).content.decode()
    assert f'action="{start}"' in page and "Lag revisorpakken for 2025" in page
    assert start not in client_for(User.objects.get(email="emma@nordlys.example")).get(url).content.decode()


def test_the_bundle_is_made_by_the_worker_with_progress_and_downloaded(
    closed_year: ReportingYear, everyone: None, client_for: ClientFor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The button queues a job; the worker (the immediate backend here) writes each step; the job's page
    offers the file, the same bytes as the direct download."""
    auditor = client_for(User.objects.get(email="aud@revisor.example"))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = auditor.post(reverse("reports:audit_bundle_start", args=["nordlys", 2025]))
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/o/nordlys/reports/jobs/{job.pk}/"
    assert (job.status, job.step, job.progress, job.progress_total) == ("queued", "queued", 0, 7)
    page = auditor.get(response["Location"]).content.decode()
    assert "Venter på arbeideren" in page and "klimabok/progress.js" in page
    assert auditor.get(f"/o/nordlys/reports/jobs/{job.pk}/status.json").json() == {
        "status": "queued", "done": False, "percent": 0, "label": "Venter på arbeideren"}

    seen: list[str] = []
    real_write = jobs.KINDS[ReportJob.Kind.AUDIT_BUNDLE].write

    def write(year: ReportingYear, language: str, progress: Any, out: BinaryIO) -> None:
        def told(step: str, done: int | None = None, total: int | None = None) -> None:
            progress(step, done, total)
            row = ReportJob.objects.get(pk=job.pk)
            seen.append(f"{row.status}:{row.step}:{row.percent}")
        real_write(year, language, told, out)

    with pytest.MonkeyPatch.context() as patch:
        kind = jobs.KINDS[ReportJob.Kind.AUDIT_BUNDLE]
        patch.setitem(jobs.KINDS, ReportJob.Kind.AUDIT_BUNDLE, replace(kind, write=write))
        for callback in callbacks:
            callback()  # the worker runs the task (immediate backend)
    # six steps of seven (the last is "ready"): 0, 14, 29, 43, 57, 71 %
    assert seen == ["running:account:0", "running:imports:14", "running:adjustments:29", "running:audit:43",
                    "running:reports:57", "running:packing:71"]
    job.refresh_from_db()
    assert (job.status, job.percent, job.filename) == ("done", 100, "audit-nordlys-2025.zip")
    page = auditor.get(f"/o/nordlys/reports/jobs/{job.pk}/").content.decode()
    assert "Last ned audit-nordlys-2025.zip" in page and job.sha256 in page
    download = auditor.get(f"/o/nordlys/reports/jobs/{job.pk}/download")
    data = b"".join(download.streaming_content)  # type: ignore[attr-defined]
    assert download["Content-Disposition"] == 'attachment; filename="audit-nordlys-2025.zip"'
    assert data == build_bundle(closed_year, "nb") and check(data).ok
    assert hashlib.sha256(data).hexdigest() == job.sha256
    # the job is the organisation's: an employee is refused, another organisation finds nothing
    assert client_for(User.objects.get(email="emma@nordlys.example")).get(
        f"/o/nordlys/reports/jobs/{job.pk}/").status_code == 403
    assert client_for(User.objects.get(email="mallory@fjordbakst.example")).get(
        f"/o/fjordbakst/reports/jobs/{job.pk}/download").status_code == 404


def test_a_failed_job_says_so_and_keeps_nothing(
    closed_year: ReportingYear, everyone: None, client_for: ClientFor
) -> None:
    def broken(year: ReportingYear, language: str, progress: Any, out: BinaryIO) -> None:
        progress("account")
        raise RuntimeError("disk full")

    alice = User.objects.get(email="alice@nordlys.example")
    with pytest.MonkeyPatch.context() as patch:
        kind = jobs.KINDS[ReportJob.Kind.AUDIT_BUNDLE]
        patch.setitem(jobs.KINDS, ReportJob.Kind.AUDIT_BUNDLE, replace(kind, write=broken))
        job = jobs.run_job(jobs.start_job(closed_year, ReportJob.Kind.AUDIT_BUNDLE, "nb", alice))
    assert (job.status, job.error, job.file) == ("failed", "RuntimeError: disk full", "")
    page = client_for(alice).get(f"/o/nordlys/reports/jobs/{job.pk}/").content.decode()
    assert "Filen kunne ikke lages" in page and "RuntimeError: disk full" in page
    assert client_for(alice).get(f"/o/nordlys/reports/jobs/{job.pk}/download").status_code == 404
