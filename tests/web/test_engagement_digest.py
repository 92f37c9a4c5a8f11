"""The monthly digest (issue 12 §4): news, progress and accepted suggestions to every member once a
month, from ``klimabok remind``; one click stops it without logging in. Locmem and a real SMTP server."""

from __future__ import annotations

import socket
from datetime import date
from email import message_from_bytes
from email.header import decode_header, make_header

from aiosmtpd.controller import Controller
from django.core import mail
from django.test import Client
from pytest_django import Settings
from typer.testing import CliRunner

from klimabok.accounts.models import Organisation, User
from klimabok.cli import _register, app
from klimabok.engagement import services
from klimabok.engagement.models import DigestOptOut, DigestSent
from tests.web.test_plan_reminders import Recorder

MARCH = date(2026, 3, 2)


def _news(nordlys: Organisation, olga: User, emma: User) -> None:
    post = services.save_post(nordlys, services.PostDraft("Ny sykkelbod", "Åpner **mandag**."), olga)
    services.publish_post(post, olga)
    accepted = services.submit_suggestion(nordlys, "Sykkelbod", "Med lader.", emma, anonymous=False)
    services.answer_suggestion(accepted, services.Answer("done", "Ferdig!"), olga)


def test_every_member_gets_the_digest_once_a_month_and_one_click_stops_it(
        settings: Settings, nordlys: Organisation, olga: User, emma: User, carl: User, alice: User,
        petra: User) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KLIMABOK_SITE_URL = "https://klimabok.example"
    assert services.send_digests(MARCH).sent == []  # nothing new: no digest
    _news(nordlys, olga, emma)
    services.set_digest(nordlys, carl, wanted=False)  # carl turned it off on his digest page
    run = services.send_digests(MARCH)
    # Nordlys's members but carl; petra is the partner's staff, not a member
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@nordlys.example", "emma@nordlys.example", "olga@nordlys.example"]
    emmas = next(m for m in mail.outbox if m.to == ["emma@nordlys.example"])
    assert emmas.subject == "Klimaarbeidet i Nordlys Kundesenter AS: mars 2026"
    assert "* Ny sykkelbod" in emmas.body and "Åpner mandag." in emmas.body
    assert "* #1 Sykkelbod" in emmas.body
    assert "https://klimabok.example/o/nordlys/" in emmas.body
    link = next(line for line in emmas.body.splitlines() if "/digest/stop/" in line).split()[-1]
    assert emmas.extra_headers["List-Unsubscribe"] == f"<{link}>"
    assert len(run.sent) == 3 and DigestSent.objects.count() == 3
    again = services.send_digests(date(2026, 3, 20))
    assert (again.sent, again.already_sent) == ([], 3)

    anonymous = Client()
    path = link.removeprefix("https://klimabok.example")
    assert "Stoppe det månedlige nyhetsbrevet?" in anonymous.get(path).content.decode()
    assert not DigestOptOut.objects.filter(user=emma).exists()  # a GET (a mail scanner) changes nothing
    assert anonymous.post(path).status_code == 200
    assert DigestOptOut.objects.filter(user=emma, organisation=nordlys).exists()
    assert anonymous.post(path[:-3] + "abc/").status_code == 404  # a forged token
    _news(nordlys, olga, emma)
    mail.outbox.clear()
    services.send_digests(date(2026, 4, 1))
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@nordlys.example", "olga@nordlys.example"]


def test_klimabok_remind_sends_the_digest_through_a_real_smtp_server(
        settings: Settings, nordlys: Organisation, olga: User, emma: User) -> None:
    _news(nordlys, olga, emma)
    handler = Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_TIMEOUT = 10
        _register()
        result = CliRunner().invoke(app, ["remind", "--date", "2026-03-02", "--no-weekly"])
        again = CliRunner().invoke(app, ["remind", "--date", "2026-03-03", "--no-weekly"])
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert "digest: 2 sent, 0 sent before" in result.output
    assert "digest: 0 sent, 2 sent before" in again.output
    assert sorted(r[0][0] for r in handler.received) == ["emma@nordlys.example", "olga@nordlys.example"]
    received = message_from_bytes(next(c for r, c in handler.received if r == ["emma@nordlys.example"]))
    assert str(make_header(decode_header(received["Subject"]))) == (
        "Klimaarbeidet i Nordlys Kundesenter AS: mars 2026")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
