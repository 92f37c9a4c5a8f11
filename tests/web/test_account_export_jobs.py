"""The account's exports of every line, made by the task worker (issue 14): the account page's "Download
Excel" and "Lines (CSV)" queue a report job; its page shows the rows written of all, then the file.

Nordlys 2025 holds three entries, each two result lines (test_account_views.py has the arithmetic):

- electricity.no 100,000 kWh at Oslo: location 1,500 kg and market 40,491 kg (scope 2, two bases);
- flight.domestic.average 50,000 pkm: 11,464 kg with RF + 1,675 kg WTT (scope 3.6), its description a
  formula that must reach the file as text;
- car.average.diesel.km 10,000 km at Oslo: 1,730.4 kg tailpipe (scope 1) + 414.6 kg WTT (scope 3.3).

Six rows; the market-based total is 1.7304 + 40.491 + 11.464 + 1.675 + 0.4146 = 55.775 t → 55.8.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from klimabok.account import exports
from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry, ReportingYear, Site
from klimabok.reports import jobs
from klimabok.reports.models import ReportJob
from tests.test_exports import number
from tests.web.conftest import ClientFor, streamed_text

MALICIOUS = '=HYPERLINK("http://evil.example","Click")'
XLSX_NAME = "klimaregnskap-nordlys-2025.xlsx"
CSV_NAME = "klimaregnskap-nordlys-2025-lines.csv"


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    oslo = Site.objects.create(organisation=nordlys, name="Oslo")
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    for activity, quantity, unit, site, description in [
        ("electricity.no", 100_000, "kWh", oslo, "Strøm hovedkontor"),
        ("flight.domestic.average", 50_000, "passenger.km", None, MALICIOUS),
        ("car.average.diesel.km", 10_000, "km", oslo, "Firmabiler"),
    ]:
        ActivityEntry.objects.create(reporting_year=year, activity=activity, quantity=Decimal(quantity),
                                     unit=unit, site=site, description=description)
    return year


def start_url(fmt: str, slug: str = "nordlys") -> str:
    return reverse("reports:account_export_start", args=[slug, 2025, fmt])


def job_url(job: ReportJob, slug: str = "nordlys", page: str = "") -> str:
    return f"/o/{slug}/reports/jobs/{job.pk}/{page}"


@pytest.fixture
def worker(django_capture_on_commit_callbacks: Any) -> Any:
    """Posts with the task worker running what they queue, once the request commits (the immediate
    backend)."""

    def post(client: Client, url: str, **headers: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, **headers)

    return post


def in_english(client: Client) -> Client:
    client.cookies["django_language"] = "en"  # a user's choice (klimabok.web.middleware)
    return client


def downloaded(client: Client, job: ReportJob) -> tuple[str, bytes]:
    response = client.get(job_url(job, page="download"))
    assert response.status_code == 200
    return response["Content-Disposition"], b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_excel_is_made_by_the_worker_with_rows_written_and_downloaded(
    year_2025: ReportingYear, aud: User, client_for: ClientFor, django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The auditor (read-only, VIEW_DATA) clicks "Download Excel": a queued job, its page polling; the
    worker (the immediate backend here) tells the rows written every PROGRESS_ROWS (2 here) rows."""
    auditor = client_for(aud)
    account_page = auditor.get(reverse("account:account", args=["nordlys", 2025])).content.decode()
    assert f'action="{start_url("xlsx")}"' in account_page
    assert f'action="{start_url("lines.csv")}"' in account_page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = auditor.post(start_url("xlsx"))
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.kind, job.status, job.language, job.requested_by) == ("account_xlsx", "queued", "nb", aud)
    page = auditor.get(job_url(job)).content.decode()
    assert "Venter på arbeideren" in page and "klimabok/progress.js" in page

    seen: list[tuple[str, int, int, int]] = []
    labels: list[str] = []
    real_write = jobs.KINDS[ReportJob.Kind.ACCOUNT_XLSX].write

    def write(year: ReportingYear, language: str, progress: Any, out: Any) -> None:
        def told(step: str, done: int | None = None, total: int | None = None) -> None:
            progress(step, done, total)
            row = ReportJob.objects.get(pk=job.pk)
            seen.append((row.step, row.progress, row.progress_total, row.percent))
            with translation.override("en"):  # what status.json says to an English user meanwhile
                labels.append(jobs.step_label(row))
        real_write(year, language, told, out)

    monkeypatch.setattr(exports, "PROGRESS_ROWS", 2)
    monkeypatch.setitem(jobs.KINDS, ReportJob.Kind.ACCOUNT_XLSX,
                        replace(jobs.KINDS[ReportJob.Kind.ACCOUNT_XLSX], write=write))
    for callback in callbacks:
        callback()  # the worker runs the task
    # three steps: computing (0 of the 3 steps + "ready"), the six rows two at a time, saving
    assert seen == [("computing", 0, 4, 0), ("lines", 0, 6, 0), ("lines", 2, 6, 33), ("lines", 4, 6, 67),
                    ("lines", 6, 6, 100), ("saving", 6, 6, 100)]
    assert labels[1:5] == ["Writing the lines: 0 of 6 rows", "Writing the lines: 2 of 6 rows",
                           "Writing the lines: 4 of 6 rows", "Writing the lines: 6 of 6 rows"]

    job.refresh_from_db()
    assert (job.status, job.percent, job.filename, job.error) == ("done", 100, XLSX_NAME, "")
    disposition, data = downloaded(auditor, job)
    assert disposition == f'attachment; filename="{XLSX_NAME}"'
    assert (len(data), hashlib.sha256(data).hexdigest()) == (job.size, job.sha256)
    page = auditor.get(job_url(job)).content.decode()
    assert f"Last ned {XLSX_NAME}" in page and job.sha256 in page and "progress.js" not in page

    book = load_workbook(io.BytesIO(data))
    summary = {row[0]: row[1:] for row in book["Sammendrag"].iter_rows(values_only=True) if row and row[0]}
    assert round(number(summary["Totalt, markedsbasert"][0]), 1) == 55.8
    rows = list(book["Linjer"].iter_rows())
    header = [cell.value for cell in rows[0]]
    lines = [dict(zip(header, (cell.value for cell in row), strict=True)) for row in rows[1:]]
    assert len(lines) == 6 and all(cell.font.bold for cell in rows[0])
    assert header[:3] == ["Linje", "Registrering", "Aktivitet"] and "Kildereferanse" in header
    flight = next(line for line in lines if line["Faktornøkkel"] == "flight.domestic.average.rf")
    assert (flight["Beskrivelse"], flight["Kildereferanse"]) == ("'" + MALICIOUS, "21_316_3160_11_1")
    market = [line for line in lines if line["Scope 2-grunnlag"] != "location"]
    assert round(sum(number(line["t CO2e"]) for line in market), 3) == 55.775
    tonnes = header.index("t CO2e")
    assert {row[tonnes].number_format for row in rows[1:]} == {"#,##0.0"}  # one decimal, as on the page


def test_lines_csv_job_in_english_gives_the_direct_downloads_bytes(
    year_2025: ReportingYear, alice: User, client_for: ClientFor, worker: Any
) -> None:
    """Asked for in English, the job writes English headers; the file is the direct download's, byte for
    byte (its SHA-256 on the job's page)."""
    client = in_english(client_for(alice))
    response = worker(client, start_url("lines.csv"))
    job = ReportJob.objects.get()
    assert response["Location"] == job_url(job)
    assert (job.kind, job.status, job.language, job.filename) == ("lines_csv", "done", "en", CSV_NAME)
    page = client.get(job_url(job)).content.decode()
    assert f"Download {CSV_NAME}" in page and job.sha256 in page and "Back to the climate account" in page
    disposition, data = downloaded(client, job)
    assert disposition == f'attachment; filename="{CSV_NAME}"'
    direct = client.get(reverse("account:account_export", args=["nordlys", 2025, "lines.csv"]))
    assert data == "".join(streamed_text(direct, "utf-8")).encode()
    assert data.startswith("\ufeff".encode()) and hashlib.sha256(data).hexdigest() == job.sha256
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 6 and list(rows[0])[:4] == ["Line", "Entry", "Activity", "Activity name"]
    car = next(row for row in rows if row["Factor key"] == "car.average.diesel.km")
    assert car["Source reference"] == "4_301_3069_4_1"
    assert float(car["kg CO2e"]) == pytest.approx(10_000 * 0.17304)


def test_the_reports_page_lists_the_export_jobs(year_2025: ReportingYear, alice: User,
                                                 client_for: ClientFor, worker: Any) -> None:
    client = in_english(client_for(alice))
    worker(client, start_url("xlsx"))
    job = ReportJob.objects.get()
    page = client.get(reverse("reports:index", args=["nordlys"])).content.decode()
    assert "Climate account in Excel" in page and f'href="{job_url(job)}"' in page


def test_an_account_that_cannot_be_computed_fails_with_its_problem_in_words(
    year_2025: ReportingYear, alice: User, client_for: ClientFor, worker: Any
) -> None:
    """A line whose unit does not fit its activity stops the account: the job fails, says which line and
    why, and offers nothing to download."""
    ActivityEntry.objects.create(reporting_year=year_2025, activity="electricity.no", quantity=Decimal(5),
                                 unit="kg", description="Feil enhet")
    client = in_english(client_for(alice))
    worker(client, start_url("lines.csv"))
    job = ReportJob.objects.get()
    assert (job.status, job.file, job.size) == ("failed", "", 0)
    assert job.error.startswith("The account cannot be computed until these lines are fixed:\n")
    assert "kg" in job.error and "Error" not in job.error  # words, not an exception's name
    page = client.get(job_url(job)).content.decode()
    assert "The file could not be made" in page and "The account cannot be computed" in page
    assert client.get(job_url(job, page="download")).status_code == 404
    assert client.get(job_url(job, page="status.json")).json()["done"] is True


def test_who_may_export_may_start_and_download_the_job(
    year_2025: ReportingYear, everyone: dict[str, User], mallory: User, client_for: ClientFor, worker: Any
) -> None:
    """As the direct download: VIEW_DATA (administrator, contributors, auditor, climate partner) starts and
    downloads; an employee gets 403; another organisation's user 404, for the start and for the job."""
    for name in ("alice", "olga", "carl", "aud", "petra"):
        response = worker(client_for(everyone[name]), start_url("lines.csv"))
        job = ReportJob.objects.get(requested_by=everyone[name])
        assert response.status_code == 302 and job.status == "done"
        assert client_for(everyone[name]).get(job_url(job, page="download")).status_code == 200
    emma = client_for(everyone["emma"])
    assert emma.post(start_url("xlsx")).status_code == 403
    assert emma.get(job_url(job)).status_code == 403
    assert emma.get(job_url(job, page="download")).status_code == 403
    outsider = client_for(mallory)
    assert outsider.post(start_url("xlsx")).status_code == 404
    for page in ("", "status.json", "download"):
        assert outsider.get(job_url(job, "fjordbakst", page)).status_code == 404
        assert outsider.get(job_url(job, "nordlys", page)).status_code == 404
    assert client_for(everyone["alice"]).post(start_url("summary.csv")).status_code == 404  # stays direct
    assert client_for(everyone["alice"]).get(start_url("xlsx")).status_code == 405  # a POST starts it
    assert ReportJob.objects.count() == 5
