"""General-ledger CSV/XLSX import on the web: upload, preview under a column mapping, import, roles.

The user sees the columns klimabok guessed (one <select> per role) and the first rows as read; a bad row
makes the import fail naming row and column with nothing imported; a good file becomes spend lines
per (account, supplier) with the NOK sums of its rows.
"""

from __future__ import annotations

import html
import os
import re
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import LedgerImport, SpendLine
from klimabok.ledger.services.general_ledger import STAGED_DIR
from tests.web.conftest import ClientFor

LEDGER = "/o/nordlys/2025/ledger/"
UPLOAD = "/o/nordlys/2025/ledger/gl/"
# A Norwegian export as Excel saves "CSV (semikolonseparert)": Windows-1252, decimal comma.
HOVEDBOK = (
    "Konto;Kontonavn;Dato;Bilagsnr;Tekst;Leverandørnr;Leverandør;Org.nr;Beløp\n"
    "6300;Leie lokaler;15.01.2025;1001;Husleie januar;20001;Gårdeier AS;912345678;25 000,00\n"
    "2400;Leverandørgjeld;15.01.2025;1001;Husleie januar;20001;Gårdeier AS;912345678;-25 000,00\n"
    "7140;Reisekostnad fly;03.02.2025;1002;Fly OSL-BGO;20002;Fjordfly AS;;1 200,50\n"
    "1920;Bank;03.02.2025;1002;Fly OSL-BGO;;;;(1 200,50)\n"
    "6300;Leie lokaler;15.12.2025;1003;Husleie desember;20001;Gårdeier AS;912345678;25 000,00\n"
    "2400;Leverandørgjeld;15.12.2025;1003;Husleie desember;20001;Gårdeier AS;912345678;-25 000,00\n"
).encode("cp1252")
GUESSED = {"account": "0", "account_name": "1", "date": "2", "voucher": "3", "description": "4",
           "supplier_id": "5", "supplier_name": "6", "supplier_org_number": "7", "amount": "8"}


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


@pytest.fixture
def carl_client(client_for: ClientFor, carl: User, year_2025: ReportingYear) -> Client:
    return client_for(carl)


def text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def staged_files() -> list[str]:
    try:
        return default_storage.listdir(STAGED_DIR)[1]
    except FileNotFoundError:
        return []


def stage(client: Client, content: bytes = HOVEDBOK, name: str = "hovedbok.csv") -> str:
    """Upload ``content``; the preview URL it redirects to."""
    response = client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, text(response)
    return str(response["Location"])


def selected(page: str, role: str) -> str:
    """The option chosen in the role's <select> (its label)."""
    select = re.search(rf'<select name="{role}"[^>]*>(.*?)</select>', page)
    assert select, role
    chosen = re.search(r'<option value="([^"]*)" selected>([^<]*)</option>', select.group(1))
    return chosen.group(2) if chosen and chosen.group(1) else ""


def preview_rows(page: str) -> list[str]:
    body = re.search(r'<table class="data compact gl-preview">.*?<tbody>(.*?)</tbody>', page)
    assert body
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split())
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1))]


def test_ledger_page_offers_the_general_ledger_form(carl_client: Client) -> None:
    page = text(carl_client.get(LEDGER))
    assert f'action="{UPLOAD}"' in page
    assert "Last opp og forhåndsvis" in page  # Upload and preview


def test_upload_shows_the_guessed_mapping_and_the_first_rows(carl_client: Client) -> None:
    preview_url = stage(carl_client)
    assert re.fullmatch(r"/o/nordlys/2025/ledger/gl/[0-9a-f]{32}/", preview_url)
    assert len(staged_files()) == 1
    page = text(carl_client.get(preview_url))
    assert "Forhåndsvisning av «hovedbok.csv»" in page or "Forhåndsvisning av “hovedbok.csv”" in page
    assert {role: selected(page, role) for role in (*GUESSED, "debit", "credit")} == {
        "account": "Konto", "account_name": "Kontonavn", "date": "Dato", "voucher": "Bilagsnr",
        "description": "Tekst", "supplier_id": "Leverandørnr", "supplier_name": "Leverandør",
        "supplier_org_number": "Org.nr", "amount": "Beløp", "debit": "", "credit": ""}
    rows = preview_rows(page)
    assert len(rows) == 6
    # Row 2 as read: the cells in role order, then the amount read (25 000,00 with a no-break space) and OK.
    assert rows[0].replace("\xa0", " ") == ("2 6300 Leie lokaler 15.01.2025 1001 Husleie januar 20001 "
                                            "Gårdeier AS 912345678 25 000,00 25 000,00 OK")
    assert rows[3].replace("\xa0", " ").endswith("(1 200,50) -1 200,50 OK")


def test_the_preview_in_english(carl_client: Client) -> None:
    preview_url = stage(carl_client, HOVEDBOK.replace(b"1 200,50\n", b"tolv\n"))
    carl_client.cookies["django_language"] = "en"
    page = text(carl_client.get(preview_url))
    assert "Preview of “hovedbok.csv”" in page and "The first 6 rows as read" in page
    assert '<label for="id_supplier_org_number">Supplier org.nr</label>' in page
    assert "Beløp: 'tolv' is not an amount" in page


def test_preview_again_under_another_mapping_highlights_the_rows_it_cannot_read(carl_client: Client) -> None:
    preview_url = stage(carl_client)
    mapping = {**GUESSED, "amount": "4"}  # the text column as the amount
    del mapping["description"]
    response = carl_client.post(preview_url, {**mapping, "action": "preview"})
    assert response.status_code == 200
    page = text(response)
    assert selected(page, "amount") == "Tekst" and selected(page, "description") == ""
    rows = preview_rows(page)
    assert rows[0].endswith("– problem Tekst: 'Husleie januar' er ikke et beløp")
    assert 'class="has-problem"' in page
    # The mapping is remembered: opening the preview again shows it.
    assert selected(text(carl_client.get(preview_url)), "amount") == "Tekst"


def test_a_mapping_without_account_is_refused_and_nothing_is_queued(carl_client: Client) -> None:
    preview_url = stage(carl_client)
    mapping = {k: v for k, v in GUESSED.items() if k != "account"}
    response = carl_client.post(preview_url, {**mapping, "action": "import"})
    assert response.status_code == 400
    assert "hovedbok.csv: ingen kolonne er valgt som kontonummer" in text(response)
    assert not LedgerImport.objects.exists()
    assert len(staged_files()) == 1  # still there to fix the mapping


def test_a_good_file_is_imported_as_spend_lines_with_the_nok_sums(
        carl_client: Client, carl: User,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    preview_url = stage(carl_client)
    with django_capture_on_commit_callbacks(execute=True):  # the queued reading runs at once
        response = carl_client.post(preview_url, {**GUESSED, "action": "import"})
    imported = LedgerImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{LEDGER}{imported.pk}/"
    assert (imported.kind, imported.status, imported.filename, imported.created_by) == (
        "gl", "ready", "hovedbok.csv", carl)
    assert imported.options == {"mapping": {role: int(column) for role, column in GUESSED.items()}}
    assert (imported.company_name, imported.org_number) == ("Nordlys Kundesenter AS", "974760673")
    assert (str(imported.period_start), str(imported.period_end)) == ("2025-01-15", "2025-12-15")
    # 6 rows in 3 vouchers; debit 25 000 + 1 200.50 + 25 000 = 51 200.50 = credit.
    assert (imported.line_count, imported.transactions) == (6, 3)
    assert (imported.total_debit, imported.total_credit) == (Decimal("51200.50"), Decimal("51200.50"))
    lines = {(s.account_id, s.supplier_id): s for s in SpendLine.objects.filter(ledger_import=imported)}
    assert {key: (s.lines, s.net_nok) for key, s in lines.items()} == {
        ("6300", "20001"): (2, Decimal("50000.00")),   # rent 25 000,00 + 25 000,00
        ("2400", "20001"): (2, Decimal("-50000.00")),
        ("7140", "20002"): (1, Decimal("1200.50")),
        ("1920", ""): (1, Decimal("-1200.50")),
    }
    rent, flight = lines[("6300", "20001")], lines[("7140", "20002")]
    assert (rent.category, rent.account_description, rent.supplier_name, rent.supplier_org_number) == (
        "premises_mixed", "Leie lokaler", "Gårdeier AS", "912345678")
    assert (flight.category, flight.supplier_name) == ("travel_air", "Fjordfly AS")  # "fly" in the name
    assert lines[("2400", "20001")].excluded  # payables: balance sheet
    assert staged_files() == []  # the staged copy is gone, and so is the pipeline's once read
    summary = text(carl_client.get(response["Location"]))
    assert "Nordlys Kundesenter AS" in summary and "SAF-T-versjon" not in summary
    assert carl_client.get(preview_url).status_code == 404
    # A's confirm step makes it count.
    assert carl_client.post(f"{LEDGER}{imported.pk}/confirm/").status_code == 302
    imported.refresh_from_db()
    assert imported.status == "confirmed"


def test_a_bad_row_fails_the_import_naming_row_and_column_and_nothing_is_imported(
        carl_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    bad = HOVEDBOK.replace(b"1 200,50\n", b"tolv hundre\n").replace(b"15.12.2025", b"15.12.2024", 1)
    preview_url = stage(carl_client, bad)
    with django_capture_on_commit_callbacks(execute=True):
        response = carl_client.post(preview_url, {**GUESSED, "action": "import"})
    imported = LedgerImport.objects.get()
    assert response.status_code == 302 and imported.status == "failed"
    assert not SpendLine.objects.exists()
    page = text(carl_client.get(response["Location"]))
    assert "hovedbok.csv, rad 4, kolonne Beløp: 'tolv hundre' er ikke et beløp" in page
    assert "hovedbok.csv, rad 6, kolonne Dato: 2024-12-15 er ikke i 2025, året det importeres til" in page


def test_the_same_file_again_is_refused_naming_the_earlier_import(
        carl_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        carl_client.post(stage(carl_client), {**GUESSED, "action": "import"})
    again = stage(carl_client)
    response = carl_client.post(again, {**GUESSED, "action": "import"})
    assert response.status_code == 400
    assert "hovedbok.csv: denne filen er allerede importert som «hovedbok.csv»" in text(response)
    assert "(6 linjer)" in text(response)
    assert LedgerImport.objects.count() == 1 and len(staged_files()) == 1


def test_xlsx_with_debit_and_credit(
        carl_client: Client, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["Konto", "Kontonavn", "Leverandør", "Debet", "Kredit"], [6800, "Kontorrekvisita", "Papir AS",
                                                                          1250.0, None],
                [6800, "Kontorrekvisita", "Papir AS", None, 250], [2400, "Leverandørgjeld", "Papir AS", None,
                                                                   1000]):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview_url = stage(carl_client, buffer.getvalue(), "hovedbok.xlsx")
    page = text(carl_client.get(preview_url))
    chosen = (selected(page, "debit"), selected(page, "credit"), selected(page, "amount"))
    assert chosen == ("Debet", "Kredit", "")
    with django_capture_on_commit_callbacks(execute=True):
        carl_client.post(preview_url, {"account": "0", "account_name": "1", "supplier_name": "2",
                                       "debit": "3", "credit": "4", "action": "import"})
    office = SpendLine.objects.get(account_id="6800")
    assert (office.supplier_id, office.net_nok, office.category) == ("Papir AS", Decimal("1000.00"),
                                                                      "office_supplies")  # 1 250 − 250


def test_cancel_deletes_the_staged_file(carl_client: Client) -> None:
    preview_url = stage(carl_client)
    response = carl_client.post(preview_url, {"action": "cancel"})
    assert response.status_code == 302 and response["Location"] == LEDGER
    assert staged_files() == [] and not LedgerImport.objects.exists()
    assert carl_client.get(preview_url).status_code == 404


def test_a_second_upload_replaces_the_first_staged_one(carl_client: Client) -> None:
    first = stage(carl_client)
    second = stage(carl_client, HOVEDBOK + b"6800;Kontor;01.03.2025;9;Papir;;;;10\n")
    assert len(staged_files()) == 1
    assert carl_client.get(first).status_code == 404 and carl_client.get(second).status_code == 200


def test_a_file_staged_and_abandoned_is_deleted_by_any_upload_a_day_later(
        client_for: ClientFor, everyone: dict[str, User], year_2025: ReportingYear, media: Path) -> None:
    stage(client_for(everyone["carl"]))
    carls = media / STAGED_DIR / staged_files()[0]
    stage(client_for(everyone["alice"]))
    assert carls.exists() and len(staged_files()) == 2  # fresh: kept
    old = time.time() - 25 * 3600
    os.utime(carls, (old, old))
    stage(client_for(everyone["olga"]))
    assert not carls.exists() and len(staged_files()) == 2


def test_a_file_over_the_limit_is_refused(carl_client: Client, settings: Settings) -> None:
    settings.KLIMABOK_LEDGER_MAX_UPLOAD_BYTES = 1_000_000
    big = HOVEDBOK + b"6800;Kontor;01.03.2025;9;Papir;;;;10\n" * 35_000  # 563 + 35 000 × 37 = 1 295 563 bytes
    response = carl_client.post(UPLOAD, {"file": SimpleUploadedFile("hovedbok.csv", big)})
    assert response.status_code == 400
    assert "hovedbok.csv: filen er 1.3 MB; høyst 1 MB kan importeres" in text(response)
    assert staged_files() == []


def test_a_year_closed_after_the_preview_refuses_the_import_and_keeps_the_file(
        carl_client: Client, year_2025: ReportingYear) -> None:
    preview_url = stage(carl_client)
    year_2025.status = ReportingYear.Status.CLOSED
    year_2025.save()
    response = carl_client.post(preview_url, {**GUESSED, "action": "import"})
    assert response.status_code == 400 and "2025 er" in text(response)
    assert not LedgerImport.objects.exists() and len(staged_files()) == 1


@pytest.mark.parametrize(("name", "content", "message"), [
    ("hovedbok.xls", b"\xd0\xcf\x11\xe0old", "hovedbok.xls: det gamle .xls-formatet"),
    ("tom.csv", b"", "Filen er tom."),
    ("bilde.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "bilde.csv: ikke en tekstfil (CSV)"),
])
def test_unreadable_files_are_refused_at_upload(carl_client: Client, name: str, content: bytes,
                                                message: str) -> None:
    response = carl_client.post(UPLOAD, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in text(response)
    assert staged_files() == []


def test_closed_year_refuses_the_upload(carl_client: Client, year_2025: ReportingYear) -> None:
    year_2025.status = ReportingYear.Status.CLOSED
    year_2025.save()
    response = carl_client.post(UPLOAD, {"file": SimpleUploadedFile("hovedbok.csv", HOVEDBOK)})
    assert response.status_code == 400
    assert "2025 er lukket" in text(response) or "2025 er stengt" in text(response)
    assert staged_files() == []


@pytest.mark.parametrize(("user", "status"), [
    ("alice", 200), ("olga", 200), ("carl", 200), ("petra", 200),  # may edit data
    ("emma", 403), ("aud", 403),                                    # read only
    ("mallory", 404),                                               # another organisation
])
def test_roles(client_for: ClientFor, everyone: dict[str, User], year_2025: ReportingYear, user: str,
               status: int) -> None:
    client = client_for(everyone[user])
    assert client.get(UPLOAD).status_code == status
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("hovedbok.csv", HOVEDBOK)})
    assert response.status_code == (302 if status == 200 else status)
    assert len(staged_files()) == (1 if status == 200 else 0)


def test_a_staged_file_is_only_its_uploaders(client_for: ClientFor, everyone: dict[str, User],
                                             year_2025: ReportingYear) -> None:
    preview_url = stage(client_for(everyone["carl"]))
    for other, status in (("alice", 404), ("mallory", 404), ("emma", 403)):
        client = client_for(everyone[other])
        assert client.get(preview_url).status_code == status
        assert client.post(preview_url, {**GUESSED, "action": "import"}).status_code == status
    assert not LedgerImport.objects.exists() and len(staged_files()) == 1


def test_anonymous_is_sent_to_log_in(year_2025: ReportingYear) -> None:
    response = Client().get(UPLOAD)
    assert response.status_code == 302 and "/login/" in response["Location"]
