"""The general-ledger preview shows a total row as skipped, with the reason, in the user's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pytest_django import Settings

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ReportingYear
from tests.web.conftest import ClientFor
from tests.web.test_gl_import import preview_rows, stage, text

EXPORT = ("Konto;Kontonavn;Dato;Bilagsnr;Beløp\n"
          "6300;Leie lokaler;15.01.2025;1;25 000,00\n"
          "Sum konto 6300;;;;25 000,00\n"
          "1920;Bank;15.01.2025;1;-25 000,00\n").encode()


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User, nordlys: Organisation) -> Client:
    ReportingYear.objects.create(organisation=nordlys, year=2025)
    return client_for(carl)


def test_a_total_row_is_shown_as_skipped_in_bokmal_and_english(carl_client: Client) -> None:
    preview_url = stage(carl_client, EXPORT)
    rows = preview_rows(text(carl_client.get(preview_url)))
    assert rows[0].endswith("OK")
    # row 3: no amount read ("–"), the reason instead of OK
    assert rows[1] == ("3 Sum konto 6300 25 000,00 – "
                       "rad 3 ser ut som en sumrad («Sum konto 6300») og hoppes over")
    carl_client.cookies["django_language"] = "en"
    rows = preview_rows(text(carl_client.get(preview_url)))
    assert rows[1].endswith("– row 3 looks like a total row (“Sum konto 6300”) and is skipped")
