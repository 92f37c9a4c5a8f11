"""The files the task worker makes do not pile up (issue 14): an export of every line is replaced by the
next one of the same year, kind and language; ``klimabok jobs clean`` deletes jobs ready for more than
``--days`` and jobs whose worker never finished; a job's file goes with the job however it is deleted
(its year's deletion included); a job that failed on the year's data says to fix the data."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from typer.testing import CliRunner

from klimabok.accounts.models import Organisation, User
from klimabok.cli import _register, app
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.reports import jobs
from klimabok.reports.models import ReportJob
from tests.web.conftest import ClientFor

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    year = ReportingYear.objects.create(organisation=nordlys, year=2025)
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=Decimal(100_000),
                                 unit="kWh")
    return year


def made(year: ReportingYear, kind: str, user: User, language: str = "nb") -> ReportJob:
    """A job started and run by the worker, its file stored."""
    job = jobs.run_job(jobs.start_job(year, kind, language, user))
    assert job.status == ReportJob.Status.DONE and default_storage.exists(job.file)
    return job


def test_a_newer_export_replaces_the_users_older_one_and_its_file(year_2025: ReportingYear, alice: User,
                                                                   carl: User) -> None:
    first = made(year_2025, ReportJob.Kind.LINES_CSV, alice)
    english = made(year_2025, ReportJob.Kind.LINES_CSV, alice, language="en")
    workbook = made(year_2025, ReportJob.Kind.ACCOUNT_XLSX, alice)
    carls = made(year_2025, ReportJob.Kind.LINES_CSV, carl)  # another user's page keeps its file
    second = made(year_2025, ReportJob.Kind.LINES_CSV, alice)
    assert not default_storage.exists(first.file) and default_storage.exists(carls.file)
    kept = {english.pk, workbook.pk, carls.pk, second.pk}
    assert set(ReportJob.objects.values_list("pk", flat=True)) == kept


def test_an_auditors_bundle_is_evidence_and_stays_until_it_is_old(year_2025: ReportingYear,
                                                                  alice: User) -> None:
    first = made(year_2025, ReportJob.Kind.AUDIT_BUNDLE, alice)
    made(year_2025, ReportJob.Kind.AUDIT_BUNDLE, alice)
    assert ReportJob.objects.count() == 2 and default_storage.exists(first.file)


def test_clean_deletes_old_and_abandoned_jobs_with_their_files(year_2025: ReportingYear, alice: User) -> None:
    now = timezone.now()
    old = made(year_2025, ReportJob.Kind.AUDIT_BUNDLE, alice)
    recent = made(year_2025, ReportJob.Kind.LINES_CSV, alice)
    abandoned = jobs.start_job(year_2025, ReportJob.Kind.ACCOUNT_XLSX, "nb", alice)  # no worker came
    waiting = jobs.start_job(year_2025, ReportJob.Kind.LINES_CSV, "en", alice)
    ReportJob.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=15))
    ReportJob.objects.filter(pk=recent.pk).update(finished_at=now - timedelta(days=13))
    ReportJob.objects.filter(pk=abandoned.pk).update(created_at=now - timedelta(days=15))

    cleaned = jobs.clean_jobs(now, keep_days=14)
    assert cleaned == jobs.Cleaned(jobs=2, bytes=old.size)
    assert not default_storage.exists(old.file) and default_storage.exists(recent.file)
    assert set(ReportJob.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert jobs.clean_jobs(now, keep_days=14) == jobs.Cleaned(0, 0)  # twice deletes nothing twice


def test_the_command_deletes_and_says_how_much(year_2025: ReportingYear, alice: User) -> None:
    job = made(year_2025, ReportJob.Kind.LINES_CSV, alice)
    ReportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=3))
    _register()
    kept = CliRunner().invoke(app, ["jobs", "clean"])  # the default: 14 days
    assert kept.exit_code == 0 and kept.output == "jobs clean: 0 report job(s) deleted, 0.0 MB freed\n"
    result = CliRunner().invoke(app, ["jobs", "clean", "--days", "2"])
    assert result.exit_code == 0, result.output
    assert result.output == f"jobs clean: 1 report job(s) deleted, {job.size / 1_000_000:.1f} MB freed\n"
    assert not ReportJob.objects.exists() and not default_storage.exists(job.file)
    refused = CliRunner().invoke(app, ["jobs", "clean", "--days", "0"])
    assert refused.exit_code == 2 and "greater than or equal to 1" in refused.output


def test_a_years_deletion_takes_its_jobs_files(year_2025: ReportingYear, alice: User) -> None:
    job = made(year_2025, ReportJob.Kind.ACCOUNT_XLSX, alice)
    year_2025.delete()
    assert not default_storage.exists(job.file)


def test_a_job_that_failed_on_the_data_says_to_fix_the_data(year_2025: ReportingYear, alice: User,
                                                            client_for: ClientFor) -> None:
    ActivityEntry.objects.create(reporting_year=year_2025, activity="electricity.no", quantity=Decimal(5),
                                 unit="litre")  # litres of electricity do not convert to kWh
    job = jobs.run_job(jobs.start_job(year_2025, ReportJob.Kind.LINES_CSV, "nb", alice))
    assert job.status == ReportJob.Status.FAILED and job.data_problem
    page = client_for(alice).get(f"/o/nordlys/reports/jobs/{job.pk}/").content.decode()
    assert "Rett disse linjene i årets data, og lag filen på nytt" in page
    assert "Prøv igjen" not in page


def test_the_pages_say_how_long_a_file_is_kept(year_2025: ReportingYear, alice: User, client_for: ClientFor,
                                              settings: Any) -> None:
    settings.KLIMABOK_REPORT_JOBS_KEEP_DAYS = 14
    job = made(year_2025, ReportJob.Kind.LINES_CSV, alice)
    ReportJob.objects.filter(pk=job.pk).update(finished_at=datetime(2026, 12, 6, 12, tzinfo=UTC))
    client = client_for(alice)
    assert "Filen tas vare på til 20.12.2026; lag den på nytt etter det." in text(
        client.get(f"/o/nordlys/reports/jobs/{job.pk}/"))
    assert "Hver fil tas vare på i 14 dager etter at den er klar." in text(client.get("/o/nordlys/reports/"))


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))
