"""The import summary's tonnes use the climate partner's CEDA sectors, as the account does (issue 4).

A client's spend factors follow its partner's mapping table (``spend_factor_dataset(year,
sector_choice(partner))`` in the account); the import's stored tonnes (``LedgerImport.t_co2e``,
``SpendLine.t_co2e``, shown on the import summary) must use the same factor, or the two disagree.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation
from klimabok.core.gl import guess_mapping
from klimabok.core.spend import spend_factor
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import LedgerImport, SpendLine
from klimabok.ledger.services import choose_sectors, confirm_import, process_import, start_import

pytestmark = pytest.mark.django_db

# 48 000 NOK of phone and IT (account 6900: range 6900–6999 → it_telecom), paid from the bank.
HEADERS = "Konto;Kontonavn;Dato;Bilagsnr;Leverandør;Beløp"
EXPORT = (f"{HEADERS}\n"
          "6900;Telefon og IT;15.03.2025;1;Telia Norge AS;48 000,00\n"
          "1920;Bank;15.03.2025;1;;-48 000,00\n").encode()
NOK = Decimal(48000)


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def partner() -> Organisation:
    return Organisation.objects.create(slug="klimapartner", name="Klimapartner AS",
                                       kind=Organisation.Kind.PARTNER)


def _import(year: ReportingYear) -> LedgerImport:
    queued = start_import(year, SimpleUploadedFile("hovedbok.csv", EXPORT), None, kind=LedgerImport.Kind.GL,
                          options={"mapping": guess_mapping(HEADERS.split(";"))})
    imported = process_import(queued)
    assert imported.status == LedgerImport.Status.READY, imported.errors
    return confirm_import(imported, None)


def _account_spend_tonnes(year: ReportingYear) -> float:
    return sum(line.t_co2e for line in load_account(year).lines if line.ref.startswith("spend:"))


def test_the_summary_uses_the_partners_sectors_and_agrees_with_the_account(partner: Organisation) -> None:
    client = Organisation.objects.create(slug="nordlys", name="Nordlys AS", partner=partner)
    year = ReportingYear.objects.create(organisation=client, year=2025)
    choose_sectors(partner, "it_telecom", ("541511",), "mostly IT consultants", None)

    imported = _import(year)

    chosen = spend_factor("it_telecom", 2025, sectors=("541511",)).kg_co2e_per_nok
    shipped = spend_factor("it_telecom", 2025).kg_co2e_per_nok
    assert chosen != shipped
    # 48 000 NOK × 0.009872205 kg/NOK (CEDA 541511 alone) = 473.86584 kg → 474 kg (whole kg) = 0.474 t
    # (the shipped four-sector mean, 0.012002989 kg/NOK, would give 576.14 kg → 0.576 t)
    kg = NOK * chosen
    assert kg == Decimal("473.86584")
    expected = Decimal("0.474")
    it_line = SpendLine.objects.get(ledger_import=imported, account_id="6900")
    assert it_line.category == "it_telecom"
    assert it_line.t_co2e == expected
    assert imported.t_co2e == expected
    # the account computes 473.86584 kg unrounded: the same within half a kilogram
    assert _account_spend_tonnes(year) == pytest.approx(float(kg / 1000), abs=1e-6)
    assert _account_spend_tonnes(year) == pytest.approx(float(expected), abs=0.0005)


def test_without_a_partner_the_summary_uses_the_shipped_sectors(partner: Organisation) -> None:
    choose_sectors(partner, "it_telecom", ("541511",), "mostly IT consultants", None)  # not this client's
    client = Organisation.objects.create(slug="fjordbakst", name="Fjordbakst AS")
    year = ReportingYear.objects.create(organisation=client, year=2025)

    imported = _import(year)

    # 48 000 NOK × 0.012002989 kg/NOK = 576.143472 kg → 576 kg (whole kg) = 0.576 t
    assert imported.t_co2e == Decimal("0.576")
    assert _account_spend_tonnes(year) == pytest.approx(0.576143472, abs=1e-6)
