"""A confirmed SAF-T import points to the forms that replace its estimates (issue 15 §2): "you have
84,000 NOK of electricity: enter the kWh".

The file: one voucher of 10.02.2025, 6340 Lys, varme debit 84 000,00 from Hafslund (supplier S1),
2400 payables credit 84 000,00. Grouping code 6340 is spend category electricity_heat, which the
activity groups electricity and district_heating measure (klimabok/data/spend/categories.csv).
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from klimabok.accounts.models import Organisation, User
from klimabok.core.saft.writer import Account, Company, Party, Posting, Transaction, write_saft
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.ledger.models import LedgerImport
from tests.web.conftest import ClientFor, messages_shown

LIST = "/o/nordlys/2025/ledger/"
POINTER = ("You have 84,000 NOK of electricity and heating in the ledger: enter the kWh instead, and that "
           "spend is no longer estimated from the amount.")


def electricity_saft(path: Path) -> Path:
    write_saft(
        path, company=Company("Nordlys Kundesenter AS", "974760673", "Oslo", "0150"), year=2025,
        accounts=[Account("2400", "Leverandørgjeld", "kortsiktigGjeld", "2400"),
                  Account("6340", "Lys, varme", "annenDriftskostnad", "6340")],
        suppliers=[Party("S1", "Hafslund Strøm AS", "987626844", None)],
        transactions=[Transaction(date(2025, 2, 10), "Strøm januar", [
            Posting("6340", 8_400_000, "Strøm januar", supplier_id="S1"),
            Posting("2400", -8_400_000, "Hafslund Strøm AS", supplier_id="S1")])])
    return path


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User) -> Client:
    client = client_for(carl)
    client.cookies["django_language"] = "en"
    return client


def upload_and_confirm(client: Client, path: Path,
                       capture: DjangoCaptureOnCommitCallbacks) -> tuple[LedgerImport, Any]:
    with capture(execute=True):
        client.post(LIST, {"file": SimpleUploadedFile(path.name, path.read_bytes())})
    imported = LedgerImport.objects.get()
    assert imported.status == "ready"
    return imported, client.post(f"{LIST}{imported.pk}/confirm/", follow=True)


def test_confirming_points_to_the_forms_for_the_kwh(
        carl_client: Client, year_2025: ReportingYear, tmp_path: Path,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    imported, response = upload_and_confirm(carl_client, electricity_saft(tmp_path / "strom.xml"),
                                             django_capture_on_commit_callbacks)
    assert POINTER in messages_shown(response)
    page = html.unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == f"{LIST}{imported.pk}/"
    section = page[page.index('data-testid="activity-pointers"'):]
    assert POINTER in section
    assert 'href="/o/nordlys/2025/entries/new/electricity/">Electricity</a>' in section
    assert 'href="/o/nordlys/2025/entries/new/district_heating/">District heating</a>' in section


def test_no_pointer_once_the_kwh_are_entered(
        carl_client: Client, year_2025: ReportingYear, tmp_path: Path,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    ActivityEntry.objects.create(reporting_year=year_2025, activity="electricity.no",
                                 quantity=Decimal(60_000), unit="kWh", details={"kind": "electricity"})
    _imported, response = upload_and_confirm(carl_client, electricity_saft(tmp_path / "strom.xml"),
                                             django_capture_on_commit_callbacks)
    assert not any("You have" in m for m in messages_shown(response))
    assert response.redirect_chain[-1][0] == "/o/nordlys/2025/account/"
