"""``klimabok jobs clean``: delete the files the task worker made once they are old, for cron or a systemd
timer once a day.

An auditor's bundle or an export of every line of a 100,000-line year is tens of megabytes, stored under
``reports/`` until its job is deleted (:func:`klimabok.reports.jobs.clean_jobs`): jobs ready for more
than ``--days`` (``KLIMABOK_REPORT_JOBS_KEEP_DAYS``, 14) and jobs whose worker never finished them go,
with their files. Running it twice deletes nothing twice.
"""

from __future__ import annotations

import typer

from klimabok.cli import django_setup, reports_errors

app = typer.Typer(no_args_is_help=True)


@app.command()
@reports_errors
def clean(
    days: int = typer.Option(
        None, "--days", min=1, help="Keep files this many days (default KLIMABOK_REPORT_JOBS_KEEP_DAYS, 14)."
    ),
) -> None:
    """Delete report jobs (bundles, exports) ready for more than --days, and their files."""
    django_setup()
    from klimabok.reports.jobs import clean_jobs

    cleaned = clean_jobs(keep_days=days)
    typer.echo(f"jobs clean: {cleaned.jobs} report job(s) deleted, {cleaned.bytes / 1_000_000:.1f} MB freed")
