"""``klimabok remind``: an e-mail before a due date and the ombudsman's weekly summary, each sent once."""

from __future__ import annotations

import socket
from datetime import date, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.core import mail
from pytest_django import Settings
from typer.testing import CliRunner

from klimabok.accounts.models import Organisation, User
from klimabok.cli import _register, app
from klimabok.inventory.models import ReportingYear
from klimabok.plans import services
from klimabok.plans.models import Measure, ReminderSent
from tests.web.plans_setup import closed_2024

__all__ = ["closed_2024"]

MONDAY = date(2026, 3, 9)


@pytest.fixture
def measure_due_friday(nordlys: Organisation, olga: User, carl: User, closed_2024: ReportingYear) -> Measure:
    """Carl's measure, due Friday 13 March 2026: 4 days after Monday 9 March."""
    return services.save_measure(
        nordlys,
        services.MeasureDraft(
            title="Elbiler i firmaflåten",
            kind="electric_cars",
            start_year=2026,
            owner=carl,
            deadline=date(2026, 3, 13),
        ),
        olga,
    )


def test_the_owner_is_reminded_once_and_the_ombudsman_gets_the_weekly_summary(
    settings: Settings, measure_due_friday: Measure, nordlys: Organisation, alice: User
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.add_default_tasks(nordlys, alice)  # "Lås klimaregnskapet" is due 15 March: 6 days ahead
    run = services.send_reminders(MONDAY, days_ahead=7)
    by_recipient = {(m.to[0], m.subject) for m in mail.outbox}
    assert by_recipient == {
        ("carl@nordlys.example", "Påminnelse: «Elbiler i firmaflåten» har frist 13.03.2026"),
        # the wheel task has no owner: the ombudsman hears of it
        ("olga@nordlys.example", "Påminnelse: «Lås klimaregnskapet» har frist 15.03.2026"),
        ("olga@nordlys.example", "Planen denne uken (uke 11): Nordlys Kundesenter AS"),
    }
    carls = next(m for m in mail.outbox if m.to == ["carl@nordlys.example"])
    assert "Frist 13. mars 2026 (om 4 dager) i Nordlys Kundesenter AS." in carls.body
    weekly = next(m for m in mail.outbox if "uke 11" in m.subject)
    # 31 January (collect the data) has passed: 37 days late on 9 March (28 + 9)
    assert "- Samle inn fjorårets data (årshjul): frist 31.01.2026, 37 dager forsinket" in weekly.body
    assert "«Elbiler i firmaflåten» opprettet" in weekly.body
    assert len(run.sent) == 3 and ReminderSent.objects.count() == 3
    again = services.send_reminders(MONDAY, days_ahead=7)
    tuesday = services.send_reminders(MONDAY + timedelta(days=1), days_ahead=7)
    assert (again.sent, again.already_sent, tuesday.sent) == ([], 3, [])  # Tuesday: no weekly, no repeat
    assert len(mail.outbox) == 3


def test_a_failed_send_is_not_recorded_so_the_next_run_tries_again(
    settings: Settings, measure_due_friday: Measure
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_HOST, settings.EMAIL_PORT = probe.getsockname()
    settings.EMAIL_TIMEOUT = 2
    with pytest.raises(OSError):
        services.send_reminders(MONDAY, days_ahead=7, weekly=False)
    assert not ReminderSent.objects.exists()


class Recorder(Sink):
    """An SMTP handler that keeps what it was sent."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else str(envelope.content).encode()
        self.received.append((list(envelope.rcpt_tos), content))
        return "250 OK"


def test_klimabok_remind_sends_through_a_real_smtp_server(
    settings: Settings, measure_due_friday: Measure
) -> None:
    handler = Recorder()
    with socket.socket() as probe:  # a free port (the controller checks its server by connecting to it)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_TIMEOUT = 10
        _register()
        result = CliRunner().invoke(app, ["remind", "--date", "2026-03-09", "--days", "7", "--no-weekly"])
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "remind: 1 sent, 0 sent before"
    [(recipients, content)] = handler.received
    assert recipients == ["carl@nordlys.example"]
    received = message_from_bytes(content)
    assert str(make_header(decode_header(received["Subject"]))) == (
        "Påminnelse: «Elbiler i firmaflåten» har frist 13.03.2026"
    )
