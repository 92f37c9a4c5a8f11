"""A retirement is what the climate partner reported until the registry's own export confirms it.

Klimapartner holds the Verra block 941467007…941467431 of the Bale Mountains
REDD+ project (Verra 1340); Nordlys's 138 credits for 2025 are retired as
941467007…941467144 (941467007 + 138 − 1) and petra records registry
reference "VCS retirement 58213". Until a Verra export holding a retirement
row that covers those serials *and* names Nordlys is imported, the
certificate (public page, PDF, the client's list) says "reported by the
climate partner, not yet matched against the registry". The export rows below
are Verra's transactions export with the Bale row's columns
(tests/data/registries/verra/transactions.csv), beneficiary filled in.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from klimabok.accounts.models import Organisation, User
from klimabok.audit.kinds import Kind
from klimabok.audit.models import Event
from klimabok.certificates.models import Certificate
from klimabok.certificates.services import issue_certificate
from klimabok.certificates.wording import EN, NB
from klimabok.core.credits.registries import Project
from klimabok.credits import verification
from klimabok.credits.models import CompensationOrder, CreditBlock, Retirement
from klimabok.credits.services import add_block, import_registry_file, reserve, retire, set_price
from tests.web.conftest import ClientFor

BLOCK = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
RETIRED = "19385-941467007-941467144-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"
HEADER = ("Issuance Date,Sustainable Development Goals,Vintage Start,Vintage End,ID,Name,Country/Area,"
          "Project Type,Methodology,Total Vintage Quantity,Quantity Issued,Serial Number,"
          "Additional Certifications,Retirement/Cancellation Date,Retirement Beneficiary,Retirement Reason,"
          "Retirement Details")
NOT_MATCHED_NB = "Sletting rapportert av klimapartneren, ennå ikke avstemt mot registeret"
NOT_MATCHED_EN = "Retirement reported by the climate partner, not yet matched against the registry"


def export_row(serial: str, quantity: int, beneficiary: str, reason: str = "") -> str:
    return (f"2026-04-03,,2020-01-01,2020-12-31,1340,Bale Mountains Eco-region REDD+ project,Ethiopia,"
            f"Agriculture Forestry and Other Land Use,VM0015,\"1,454,054\",{quantity},{serial},"
            f"CCB-No Distinction,2026-04-10,{beneficiary},{reason},")


def write_export(folder: Path, name: str, *rows: str) -> Path:
    path = folder / name
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def site_url(settings: object) -> None:
    settings.KLIMABOK_SITE_URL = "https://klimabok.example"  # type: ignore[attr-defined]


@pytest.fixture
def certificate(klimapartner: Organisation, nordlys: Organisation, petra: User) -> Certificate:
    project = Project(registry="verra", project_id="1340", name="Bale Mountains Eco-region REDD+ project",
                      country="Ethiopia", methodology="VM0015")
    block = add_block(klimapartner, BLOCK, 425, project, user=petra, kind="reduction")
    set_price(block, Decimal("180.00"), petra)
    order = CompensationOrder.objects.create(client=nordlys, partner=klimapartner, reporting_year=2025,
                                             tonnes=138, idempotency_key="order-1", created_by=petra)
    reserve(order, 138, user=petra)
    recorded = Retirement.objects.create(
        order=order, retired_on=date(2026, 4, 10), registry_reference="VCS retirement 58213",
        beneficiary="Nordlys Kundesenter AS", reason="Climate account 2025", recorded_by=petra)
    retire(order, recorded, user=petra)
    return issue_certificate(recorded, petra)


def page(certificate: Certificate, language: str) -> str:
    response = Client().get(f"/verify/{certificate.token}/?lang={language}")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def pdf(certificate: Certificate, language: str) -> str:
    response = Client().get(f"/verify/{certificate.token}/certificate.pdf?lang={language}")
    assert response.status_code == 200
    return " ".join(" ".join((p.extract_text() or "").split())
                    for p in PdfReader(io.BytesIO(response.content)).pages)


def test_an_unmatched_retirement_is_reported_by_the_partner_not_retired_in_the_registry(
        certificate: Certificate) -> None:
    for text in (page(certificate, "nb"), pdf(certificate, "nb")):
        assert NOT_MATCHED_NB in text and "Slettet i registeret" not in text
    for text in (page(certificate, "en"), pdf(certificate, "en")):
        assert NOT_MATCHED_EN in text and "Retired in the registry" not in text


def test_a_retirement_row_covering_the_serials_for_nordlys_matches(certificate: Certificate, petra: User,
                                                                   klimapartner: Organisation,
                                                                   tmp_path: Path,
                                                                   client_for: ClientFor) -> None:
    export = write_export(tmp_path, "verra-retirements-2026-04.csv",
                          export_row(RETIRED, 138, "Nordlys Kundesenter AS", "Climate account 2025"))
    frozen = Certificate.objects.get().facts
    result = import_registry_file(klimapartner, export, "verra", petra)
    assert result.retirement_rows == 1 and [r.pk for r in result.matched] == [certificate.retirement_id]
    assert not result.offered and not result.rejected  # the row is evidence, not a second block
    assert CreditBlock.objects.count() == 1
    retirement = Retirement.objects.get()
    assert retirement.matched_at is not None and retirement.matched_import == result.registry_import
    event = Event.objects.get(kind=Kind.RETIREMENT_MATCHED)
    assert event.payload["file_name"] == "verra-retirements-2026-04.csv"
    assert event.payload["file_sha256"] == result.registry_import.sha256
    assert event.payload["ranges"] == [[BLOCK, 941467007, 941467144]]
    assert verification.verify().ok
    # The frozen facts are unchanged; the match is shown beside them.
    assert Certificate.objects.get().facts == frozen
    matched_on = timezone.localdate(retirement.matched_at)
    for text in (page(certificate, "nb"), pdf(certificate, "nb")):
        assert NOT_MATCHED_NB not in text
        assert ("Slettet i registeret, avstemt mot eksport fra Verra (VCS), fil "
                f"verra-retirements-2026-04.csv, den {NB.date(matched_on)}") in text
    for text in (page(certificate, "en"), pdf(certificate, "en")):
        assert NOT_MATCHED_EN not in text
        assert ("Retired in the registry, matched against Verra (VCS) export verra-retirements-2026-04.csv "
                f"on {EN.date(matched_on)}") in text
    listed = client_for(petra).get("/o/nordlys/certificates/").content.decode()
    assert "verra-retirements-2026-04.csv" in listed


def test_the_org_number_names_the_client_too(certificate: Certificate, petra: User,
                                             klimapartner: Organisation, tmp_path: Path) -> None:
    export = write_export(tmp_path, "by-number.csv", export_row(BLOCK, 425, "Org. nr. 974 760 673"))
    assert len(import_registry_file(klimapartner, export, "verra", petra).matched) == 1


@pytest.mark.parametrize("row", [
    export_row(RETIRED, 138, "Fjordbakst AS", "Climate account 2025"),  # another beneficiary
    export_row(BLOCK, 425, ""),  # the real export's row: retired, beneficiary not given
    export_row("19385-941467007-941467100-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1", 94,
               "Nordlys Kundesenter AS"),  # covers only 94 of the 138 serials
])
def test_a_row_that_does_not_confirm_the_retirement_matches_nothing(
        certificate: Certificate, petra: User, klimapartner: Organisation, tmp_path: Path, row: str) -> None:
    result = import_registry_file(klimapartner, write_export(tmp_path, "other.csv", row), "verra", petra)
    assert result.retirement_rows == 1 and result.matched == []
    assert Retirement.objects.get().matched_at is None
    assert not Event.objects.filter(kind=Kind.RETIREMENT_MATCHED).exists()
    assert NOT_MATCHED_NB in page(certificate, "nb")
