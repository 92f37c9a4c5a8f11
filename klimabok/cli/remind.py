"""``klimabok remind``: the plan's reminder e-mails, for cron or a systemd timer once a day.

Sends, through Django's e-mail (SMTP from ``KLIMABOK_EMAIL_*``), every reminder due today that was not
sent before (:func:`klimabok.plans.services.send_reminders`): to owners before a measure's, goal's or
wheel task's date, and on Mondays the ombudsman's weekly summary; and each month, on its first run, the
members' digest of news and suggestions (:func:`klimabok.engagement.services.send_digests`). Running it
twice sends nothing twice.
"""

from __future__ import annotations

from datetime import date

import typer

from klimabok.cli import django_setup, fail, reports_errors


def register(app: typer.Typer) -> None:
    app.command(name="remind")(remind)


@reports_errors
def remind(
    days: int = typer.Option(
        None,
        "--days",
        min=0,
        help="Remind this many days before a date (default KLIMABOK_REMIND_DAYS_AHEAD, 7).",
    ),
    weekly: bool = typer.Option(
        None, "--weekly/--no-weekly", help="Send the ombudsman's weekly summary (default: on Mondays)."
    ),
    on: str = typer.Option("", "--date", help="Act as if today were this date (YYYY-MM-DD)."),
    digest: bool = typer.Option(
        True, "--digest/--no-digest", help="Send this month's digest to the members who have not had it."
    ),
) -> None:
    """E-mail reminders before due dates, and the ombudsman's weekly summary; never the same one twice."""
    django_setup()
    from django.utils import timezone

    from klimabok.engagement.services import send_digests
    from klimabok.plans.services import send_reminders

    try:
        today = date.fromisoformat(on) if on else timezone.localdate()
    except ValueError:
        fail(f"--date {on!r} is not a date (YYYY-MM-DD)")
    if digest:
        digests = send_digests(today)
        for line in digests.sent:
            typer.echo(f"sent: {line}")
        typer.echo(f"digest: {len(digests.sent)} sent, {digests.already_sent} sent before")
    run = send_reminders(today, days_ahead=days, weekly=weekly)
    for line in run.sent:
        typer.echo(f"sent: {line}")
    typer.echo(f"remind: {len(run.sent)} sent, {run.already_sent} sent before")
