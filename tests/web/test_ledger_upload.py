"""SAF-T upload on the year page (issue 4 §3): read in the background, summary, confirm, remove.

The small file of these tests (:func:`small_saft`, written with klimabok.core.saft.writer) holds two
vouchers of Nordlys Kundesenter AS (org.nr 974760673) in 2025:

1. 10.03.2025, IT services from Skyhuset AS: 6350 IT-kostnader debit 1 000 000,00, 2710 input VAT
   debit 250 000,00, 2400 payables credit 1 250 000,00;
2. 30.06.2025, wages: 5000 Lønn debit 400 000,00, 1920 bank credit 400 000,00.

So 2 transactions, 5 lines, total debit = total credit = 1 650 000,00. Grouping code 6350 maps to
spend category it_telecom, whose 2025 factor is 0.012002989 kg CO2e/NOK (klimabok/data/spend/
factors.csv, row "it_telecom,2025"): 1 000 000 × 0.012002989 = 12 002.989 kg = 12.003 t, shown
"12,0". Cost spend = 1 000 000 (mapped) + 400 000 (payroll, excluded) = 1 400 000 NOK: mapped
1 000 000 / 1 400 000 = 71.4 %, excluded 400 000 / 1 400 000 = 28.6 %, unmapped 0 %. Input VAT
(250 000 on 2710) is never spend — a claim on the state, not a cost (issue 10) — so it is excluded
and left out of the cost spend, like the payables and bank balance-sheet accounts (no postings
kept for those); the IT, VAT and wage lines are kept (3 postings).
"""

from __future__ import annotations

import html
import itertools
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks, Settings

from klimabok.account.read_models import load_account
from klimabok.account.services import close_year
from klimabok.accounts.models import Organisation, User
from klimabok.core.errors import InputError
from klimabok.core.saft.writer import Account, Company, Party, Posting, Transaction, write_saft
from klimabok.inventory.models import ReportingYear
from klimabok.ledger import pipeline
from klimabok.ledger.models import LedgerImport, SpendLine
from klimabok.ledger.models import Posting as StoredPosting
from klimabok.ledger.services import import_saft
from tests.web.conftest import ClientFor

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from generate_saft import generate

LIST = "/o/nordlys/2025/ledger/"
IT_TONNES = 12.002989  # 1 000 000 NOK × 0.012002989 kg/NOK (factors.csv it_telecom,2025) / 1000


def small_saft(path: Path, *, org_number: str = "974760673", year: int = 2025,
               it_ore: int = 100_000_000, vouchers: int = 1) -> Path:
    """The two vouchers of the module docstring (``it_ore``: the IT purchase in øre, before VAT).

    ``vouchers`` > 1 splits the IT purchase into that many equal vouchers (a bigger file, the same
    sums): 3 lines each.
    """
    each = it_ore // vouchers
    purchases = (
        Transaction(date(year, 3, 10), "Skytjenester", [
            Posting("6350", each, "Skytjenester mars", supplier_id="S1"),
            Posting("2710", each // 4, "Inngående mva", supplier_id="S1"),
            Posting("2400", -(each + each // 4), "Skyhuset AS", supplier_id="S1")])
        for _ in range(vouchers))
    write_saft(
        path, company=Company("Nordlys Kundesenter AS", org_number, "Oslo", "0150"), year=year,
        accounts=[Account("1920", "Bankinnskudd", "balanseverdiForOmloepsmiddel", "1920"),
                  Account("2400", "Leverandørgjeld", "kortsiktigGjeld", "2400"),
                  Account("2710", "Inngående merverdiavgift, høy sats", "kortsiktigGjeld", "2740"),
                  Account("5000", "Lønn til ansatte", "loennskostnad", "5000"),
                  Account("6350", "IT-kostnader", "annenDriftskostnad", "6350")],
        suppliers=[Party("S1", "Skyhuset AS", "923609016", None)],
        transactions=itertools.chain(purchases, [
            Transaction(date(year, 6, 30), "Lønn juni", [
                Posting("5000", 40_000_000, "Lønn juni"),
                Posting("1920", -40_000_000, "Utbetaling lønn")])]))
    return path


@pytest.fixture
def year_2025(nordlys: Organisation) -> ReportingYear:
    return ReportingYear.objects.create(organisation=nordlys, year=2025)


@pytest.fixture
def saft(tmp_path: Path) -> Path:
    return small_saft(tmp_path / "nordlys-2025.xml")


@pytest.fixture
def run_tasks(django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Callable[[], Any]:
    """Run what a request queued on commit (the task backend is the immediate one in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def upload(client: Client, content: bytes, run_tasks: Callable[[], Any],
           name: str = "nordlys-2025.xml") -> Any:
    with run_tasks():
        return client.post(LIST, {"file": SimpleUploadedFile(name, content)})


def text_of(response: Any) -> str:
    """The page's visible text, tags dropped and whitespace squeezed (non-breaking spaces as spaces)."""
    body = re.sub(r"<script.*?</script>|<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body).replace("\u00a0", " "))


def total_market(year: ReportingYear) -> float:
    return load_account(year).totals.total_market


def only_import() -> LedgerImport:
    return LedgerImport.objects.get()


# --- Who may ---------------------------------------------------------------------------------------

def test_who_sees_and_who_may_upload(client_for: ClientFor, everyone: dict[str, User],
                                     year_2025: ReportingYear, saft: Path,
                                     run_tasks: Callable[[], Any]) -> None:
    imported = import_saft(year_2025, saft, None)
    detail = f"{LIST}{imported.pk}/"
    for name in ("alice", "olga", "carl", "aud", "petra"):
        client = client_for(everyone[name])
        assert client.get(LIST).status_code == 200, name
        assert client.get(detail).status_code == 200, name
        assert client.get(f"{detail}status.json").json()["status"] == "confirmed", name
    # the employee sees the year's summary only; another tenant does not learn the import exists
    for name, code in (("emma", 403), ("mallory", 404)):
        client = client_for(everyone[name])
        for url in (LIST, detail, f"{detail}status.json"):
            assert client.get(url).status_code == code, (name, url)
        assert upload(client, saft.read_bytes(), run_tasks).status_code == code
        assert client.post(f"{detail}delete/").status_code == code
        assert client.post(f"{detail}confirm/").status_code == code
    # the auditor reads but may not change anything
    auditor = client_for(everyone["aud"])
    assert "Last opp og les" not in auditor.get(LIST).content.decode()
    assert auditor.post(f"{detail}delete/").status_code == 403
    assert upload(auditor, b"<x/>", run_tasks).status_code == 403
    # anonymous: to the login page, nothing shown
    anonymous = Client()
    for url in (LIST, detail, f"{detail}status.json"):
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert LedgerImport.objects.count() == 1 and SpendLine.objects.filter(ledger_import=imported).exists()


def test_partner_staff_upload_for_their_client(client_for: ClientFor, petra: User, year_2025: ReportingYear,
                                               saft: Path, run_tasks: Callable[[], Any]) -> None:
    response = upload(client_for(petra), saft.read_bytes(), run_tasks)
    assert response.status_code == 302
    assert only_import().status == LedgerImport.Status.READY


# --- Upload → ready → summary → confirm ------------------------------------------------------------

def test_upload_summary_and_confirm_change_the_account(client_for: ClientFor, carl: User,
                                                       year_2025: ReportingYear, saft: Path,
                                                       run_tasks: Callable[[], Any]) -> None:
    client = client_for(carl)
    before = total_market(year_2025)
    response = upload(client, saft.read_bytes(), run_tasks)
    imported = only_import()
    assert response.status_code == 302 and response["Location"] == f"{LIST}{imported.pk}/"
    assert imported.status == "ready" and imported.progress == imported.progress_total == saft.stat().st_size
    assert imported.stored_file == "" and imported.created_by == carl

    page = text_of(client.get(response["Location"]))
    assert "Nordlys Kundesenter AS" in page and "974760673" in page
    assert "01.01.2025 – 31.12.2025" in page
    assert "Transaksjoner 2" in page and "Posteringer 5" in page
    assert "Sum debet (NOK) 1 650 000" in page and "Sum kredit (NOK) 1 650 000" in page
    assert "12,0 t CO₂e" in page  # 1 000 000 NOK × 0,012002989 kg/NOK
    assert "Kostnader fordelt på kategori 71,4 %" in page  # 1 000 000 / 1 400 000
    assert "Utelatt (lønn, avskrivninger, skatter …) 28,6 %" in page and "Ikke fordelt 0,0 %" in page
    assert "Kostnader (NOK) 1 400 000" in page and "5 · 1 fordelt, 4 utelatt" in page
    assert "IT-tjenester, programvare og telekom 1 000 000 12,0" in page
    assert "CEDA by Watershed" in page
    assert "Bekreft: legg til i regnskapet" in page and "Filen gjelder organisasjonsnummer" not in page
    status = client.get(f"{LIST}{imported.pk}/status.json").json()
    assert status == {"status": "ready", "label": "lest, venter på bekreftelse", "progress": imported.size,
                      "progress_total": imported.size, "percent": 100, "done": True}

    # read, not yet counted
    assert total_market(year_2025) == pytest.approx(before)
    lines = {(s.account_id, s.supplier_id): s for s in SpendLine.objects.filter(ledger_import=imported)}
    assert set(lines) == {("6350", "S1"), ("2710", "S1"), ("2400", "S1"), ("5000", ""), ("1920", "")}
    postings = StoredPosting.objects.order_by("spend_line__account_id")
    assert [(p.spend_line.account_id, p.transaction_id, p.date, p.period, p.description, p.amount)
            for p in postings] == [
        ("2710", "1", date(2025, 3, 10), 3, "Inngående mva", Decimal(250000)),
        ("5000", "2", date(2025, 6, 30), 6, "Lønn juni", Decimal(400000)),
        ("6350", "1", date(2025, 3, 10), 3, "Skytjenester mars", Decimal(1000000))]

    response = client.post(f"{LIST}{imported.pk}/confirm/")
    assert response.status_code == 302 and response["Location"] == "/o/nordlys/2025/account/"
    imported.refresh_from_db()
    assert imported.status == "confirmed" and imported.confirmed_by == carl and imported.confirmed_at
    assert total_market(year_2025) - before == pytest.approx(IT_TONNES, abs=0.001)
    # confirmed twice: refused, nothing counted twice
    client.post(f"{LIST}{imported.pk}/confirm/")
    assert total_market(year_2025) - before == pytest.approx(IT_TONNES, abs=0.001)


def test_a_second_ledger_of_the_same_months_is_not_counted_twice(
        client_for: ClientFor, carl: User, year_2025: ReportingYear, saft: Path, tmp_path: Path,
        run_tasks: Callable[[], Any]) -> None:
    """A SAF-T file and another export of the same books (here: the same purchases in one voucher
    more, so a different file) cover the same months: the second is read, but not confirmed."""
    client = client_for(carl)
    import_saft(year_2025, saft, carl)
    counted = total_market(year_2025)
    other = small_saft(tmp_path / "export-2025.xml", vouchers=2)
    response = upload(client, other.read_bytes(), run_tasks, name="export-2025.xml")
    page = text_of(client.get(response["Location"]))
    assert ("«nordlys-2025.xml» teller allerede for 01.01.2025 – 31.12.2025, de samme månedene som "
            "denne filen: bekrefter du begge, blir de samme kostnadene telt to ganger. "
            "Slett en av dem først.") in page
    assert "Bekreft: legg til i regnskapet" not in page
    second = LedgerImport.objects.get(filename="export-2025.xml")
    refused = client.post(f"{LIST}{second.pk}/confirm/", follow=True)
    assert "«nordlys-2025.xml» teller allerede for 01.01.2025 – 31.12.2025" in text_of(refused)
    second.refresh_from_db()
    assert second.status == "ready" and total_market(year_2025) == pytest.approx(counted)
    # the command line refuses a third export of those months too, naming the counted file
    with pytest.raises(InputError, match=re.escape("“nordlys-2025.xml” already counts for")):
        import_saft(year_2025, small_saft(tmp_path / "third.xml", vouchers=3), carl)


def test_org_number_of_another_company_is_pointed_out(client_for: ClientFor, alice: User,
                                                      year_2025: ReportingYear, tmp_path: Path,
                                                      run_tasks: Callable[[], Any]) -> None:
    other = small_saft(tmp_path / "other.xml", org_number="923609016")
    upload(client_for(alice), other.read_bytes(), run_tasks)
    page = text_of(client_for(alice).get(f"{LIST}{only_import().pk}/"))
    assert ("Filen gjelder organisasjonsnummer 923609016, men denne organisasjonens nummer er 974760673."
            in page)


# --- Bad files -------------------------------------------------------------------------------------

def test_not_xml_is_refused_at_once(client_for: ClientFor, carl: User, year_2025: ReportingYear,
                                    run_tasks: Callable[[], Any]) -> None:
    response = upload(client_for(carl), b"Konto;Bel\xf8p\n6350;1000\n", run_tasks, name="hovedbok.csv")
    assert response.status_code == 400
    assert ("hovedbok.csv: dette er ikke en XML-fil; en SAF-T Financial-fil er XML (.xml)"
            in text_of(response))
    assert not LedgerImport.objects.exists()


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("truncated.xml", None, "truncated.xml: ikke gyldig XML på linje"),
    ("bomb.xml",
     b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
     b'<AuditFile xmlns="urn:StandardAuditFile-Taxation-Financial:NO"><Header>&lol2;</Header></AuditFile>',
     "bomb.xml: filen deklarerer en DOCTYPE (en DTD eller entiteter)"),
])
def test_bad_file_fails_with_the_message_and_nothing_counts(
        client_for: ClientFor, carl: User, year_2025: ReportingYear, saft: Path, tmp_path: Path,
        run_tasks: Callable[[], Any], name: str, content: bytes | None, expected: str) -> None:
    earlier = import_saft(year_2025, small_saft(tmp_path / "earlier.xml", it_ore=50_000_000), None)
    before = total_market(year_2025)
    if content is None:
        content = saft.read_bytes()[: saft.stat().st_size * 2 // 3]
    client = client_for(carl)
    response = upload(client, content, run_tasks, name=name)
    failed = LedgerImport.objects.get(filename=name)
    assert response.status_code == 302 and failed.status == "failed" and failed.stored_file == ""
    page = text_of(client.get(response["Location"]))
    assert "Filen kunne ikke importeres" in page and expected in page
    assert not SpendLine.objects.filter(ledger_import=failed).exists()
    assert total_market(year_2025) == pytest.approx(before)
    assert SpendLine.objects.filter(ledger_import=earlier).count() == 5
    # dismissed: gone, the earlier import stays
    response = client.post(f"{LIST}{failed.pk}/delete/")
    assert response.status_code == 302
    assert list(LedgerImport.objects.all()) == [earlier]


def test_period_outside_the_year_fails_naming_both(client_for: ClientFor, carl: User,
                                                   year_2025: ReportingYear, tmp_path: Path,
                                                   run_tasks: Callable[[], Any]) -> None:
    content = small_saft(tmp_path / "2024.xml", year=2024).read_bytes()
    upload(client_for(carl), content, run_tasks, name="2024.xml")
    page = text_of(client_for(carl).get(f"{LIST}{only_import().pk}/"))
    assert "2024.xml: filen gjelder 2024-01-01 – 2024-12-31, som ikke er innenfor regnskapsåret 2025" in page


def test_unexpected_error_fails_generically_and_does_not_block_the_same_file(
        client_for: ClientFor, carl: User, year_2025: ReportingYear, saft: Path,
        run_tasks: Callable[[], Any], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    def broken(path: Path, imported: LedgerImport) -> Any:
        raise RuntimeError("disk on fire")

    client = client_for(carl)
    with monkeypatch.context() as patch:
        patch.setitem(pipeline.READERS, "saft", broken)
        upload(client, saft.read_bytes(), run_tasks)
    failed = only_import()
    assert failed.status == "failed"
    assert "disk on fire" in caplog.text  # logged, not shown
    page = text_of(client.get(f"{LIST}{failed.pk}/"))
    assert "uventet feil" in page and "disk on fire" not in page
    # the same file again is read (a failed import does not count as imported)
    response = upload(client, saft.read_bytes(), run_tasks)
    again = LedgerImport.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == f"{LIST}{again.pk}/" and again.status == "ready"


# --- The same file twice, delete, closed year ------------------------------------------------------

def test_same_file_twice_names_the_earlier_import(client_for: ClientFor, carl: User, year_2025: ReportingYear,
                                                  saft: Path, run_tasks: Callable[[], Any]) -> None:
    client = client_for(carl)
    upload(client, saft.read_bytes(), run_tasks)
    response = upload(client, saft.read_bytes(), run_tasks, name="kopi.xml")
    assert response.status_code == 400
    when = only_import().created_at.astimezone().strftime("%d.%m.%Y")
    assert (f"kopi.xml: denne filen er allerede importert som «nordlys-2025.xml» {when} (5 linjer)"
            in text_of(response))
    assert LedgerImport.objects.count() == 1


def test_delete_removes_the_lines_and_the_spend(client_for: ClientFor, alice: User, year_2025: ReportingYear,
                                                saft: Path) -> None:
    before = total_market(year_2025)
    imported = import_saft(year_2025, saft, None)
    assert total_market(year_2025) - before == pytest.approx(IT_TONNES, abs=0.001)
    response = client_for(alice).post(f"{LIST}{imported.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == LIST
    assert not LedgerImport.objects.exists() and not SpendLine.objects.exists()
    assert not StoredPosting.objects.exists()
    assert total_market(year_2025) == pytest.approx(before)


def test_closed_year_takes_no_upload(client_for: ClientFor, alice: User, year_2025: ReportingYear, saft: Path,
                                     run_tasks: Callable[[], Any]) -> None:
    imported = import_saft(year_2025, saft, None)
    close_year(year_2025, alice)
    client = client_for(alice)
    page = text_of(client.get(LIST))
    assert "2025 er lukket: åpne året igjen for å endre dataene." in page and 'type="file"' not in page
    response = upload(client, small_saft(saft.with_name("b.xml"), it_ore=1).read_bytes(), run_tasks)
    assert response.status_code == 400 and "2025 er lukket" in text_of(response)
    # a confirmed import of a closed year stays
    client.post(f"{LIST}{imported.pk}/delete/")
    assert LedgerImport.objects.filter(pk=imported.pk).exists()


def test_year_page_links_to_the_ledger_imports(client_for: ClientFor, carl: User, emma: User,
                                               year_2025: ReportingYear, saft: Path) -> None:
    assert f'href="{LIST}"' in client_for(carl).get("/o/nordlys/2025/").content.decode()
    assert f'href="{LIST}"' not in client_for(emma).get("/o/nordlys/2025/").content.decode()
    imported = import_saft(year_2025, saft, carl)
    page = client_for(carl).get("/o/nordlys/2025/")
    assert f'href="{LIST}{imported.pk}/"' in page.content.decode()
    assert "nordlys-2025.xml bekreftet" in text_of(page)


def test_progress_page_while_queued(client_for: ClientFor, carl: User, year_2025: ReportingYear,
                                    saft: Path, run_tasks: Callable[[], Any]) -> None:
    """Without running the task (no on-commit callbacks): the page shows the bar and a refresh link."""
    client = client_for(carl)
    response = client.post(LIST, {"file": SimpleUploadedFile("nordlys-2025.xml", saft.read_bytes())})
    imported = only_import()
    assert imported.status == "queued" and imported.stored_file
    body = client.get(response["Location"]).content.decode()
    assert '<progress max="100" value="0"' in body and "klimabok/progress.js" in body
    assert "venter på å bli lest" in body and f'href="{LIST}{imported.pk}/">Oppdater' in body
    # a worker that never comes (or died reading it) does not leave it stuck: it can be cancelled
    assert "Avbryt og slett" in body
    # deleted before it was read: the stored upload goes too
    stored = imported.stored_file
    assert default_storage.exists(stored)
    with run_tasks():
        client.post(f"{LIST}{imported.pk}/delete/")
    assert not default_storage.exists(stored) and not LedgerImport.objects.exists()


# --- A real worker: the database backend, progress seen from outside ------------------------------

def _watch(read: Callable[[], tuple[str, int, int] | None], done: Callable[[], bool],
           timeout: float = 120) -> list[tuple[str, int]]:
    """(status, percent) each time it changes, read every 10 ms until the import is ready or failed."""
    seen: list[tuple[str, int]] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = read()
        if row is not None:
            status, progress, total = row
            state = (status, 100 * progress // max(total, 1))
            if not seen or seen[-1] != state:
                seen.append(state)
            if status in ("ready", "failed"):
                return seen
        if done():
            break
        time.sleep(0.01)
    return seen


def _assert_progressed(seen: list[tuple[str, int]]) -> None:
    statuses = [status for status, _percent in seen]
    assert statuses[0] == "queued" and statuses[-1] == "ready", seen
    assert statuses == sorted(statuses, key=["queued", "running", "ready"].index), seen
    running = [percent for status, percent in seen if status == "running"]
    assert any(0 < percent < 100 for percent in running), seen  # progress seen while it was read
    assert running == sorted(running), seen


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_thread_reads_the_upload_on_postgresql(client_for: ClientFor, carl: User,
                                                      nordlys: Organisation, tmp_path: Path,
                                                      settings: Settings) -> None:
    """The upload waits in the database queue; a db_worker (in a thread) reads it while we watch."""
    if connection.vendor != "postgresql":
        pytest.skip("a second connection to the in-memory SQLite test database is not isolated; "
                    "see the SQLite file test below")
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ReportingYear.objects.create(organisation=nordlys, year=2025)
    big = generate(tmp_path / "stor.xml", 20_000, seed=5, year=2025)
    response = client_for(carl).post(LIST, {"file": SimpleUploadedFile("stor.xml", big.read_bytes())})
    imported = only_import()
    assert response["Location"] == f"{LIST}{imported.pk}/" and imported.status == "queued"

    def work() -> None:
        try:
            Worker(queue_names=["default"], interval=0.01, batch=True, backend_name="default",
                   startup_delay=False, max_tasks=1, worker_id="test-worker", excluded_queue_names=[]).run()
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    seen = _watch(lambda: LedgerImport.objects.filter(pk=imported.pk)
                  .values_list("status", "progress", "progress_total").first(), lambda: not worker.is_alive())
    worker.join(60)
    _assert_progressed(seen)
    imported.refresh_from_db()
    assert imported.line_count == 20_000 and imported.stored_file == ""


WORKER_SETUP = """
import sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from klimabok.accounts.models import Organisation
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.services import start_import

org = Organisation.objects.create(slug="nordlys", name="Nordlys Kundesenter AS")
year = ReportingYear.objects.create(organisation=org, year=2025)
with open(sys.argv[1], "rb") as f:
    print(start_import(year, SimpleUploadedFile("stor.xml", f.read()), None).pk)
"""


def test_worker_process_reads_the_upload_on_a_sqlite_file(tmp_path: Path) -> None:
    """`make run` on SQLite: web and worker are two processes on one file (WAL); we read while it writes."""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the SQLite file set-up; PostgreSQL has the thread test above")
    root = Path(__file__).resolve().parents[2]
    env = {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, "KLIMABOK_DATA_DIR": str(tmp_path),
           "KLIMABOK_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "klimabok.settings"}
    manage = [sys.executable, str(root / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=root, env=env, check=True, timeout=300)
    big = generate(tmp_path / "stor.xml", 20_000, seed=5, year=2025)
    done = subprocess.run([sys.executable, "-c", WORKER_SETUP, str(big)], cwd=root, env=env, check=True,
                          capture_output=True, text=True, timeout=120)
    pk = int(done.stdout.strip())
    database = sqlite3.connect(f"file:{tmp_path / 'klimabok.sqlite3'}?mode=ro", uri=True, timeout=20)
    worker = subprocess.Popen([*manage, "db_worker", "--batch", "--no-reload", "--no-startup-delay",
                               "--interval", "0.01"], cwd=root, env=env, stdout=subprocess.DEVNULL)
    try:
        query = "SELECT status, progress, progress_total FROM ledger_ledgerimport WHERE id = ?"
        seen = _watch(lambda: database.execute(query, (pk,)).fetchone(), lambda: worker.poll() is not None)
        assert worker.wait(60) == 0
    finally:
        worker.kill()
        database.close()
    _assert_progressed(seen)
    assert not any((tmp_path / "media" / "ledger-uploads").iterdir())  # the upload is deleted once read


def test_the_pages_in_english(client_for: ClientFor, alice: User, year_2025: ReportingYear, saft: Path,
                              tmp_path: Path, run_tasks: Callable[[], Any]) -> None:
    client = client_for(alice)
    client.cookies["django_language"] = "en"
    upload(client, saft.read_bytes(), run_tasks)
    page = text_of(client.get(f"{LIST}{only_import().pk}/"))
    assert "read, waiting for confirmation" in page
    assert "Spend-based, before double counting is removed 12.0 t CO₂e" in page
    assert "Cost spend mapped 71.4 %" in page and "Total debit (NOK) 1,650,000" in page
    assert "IT services, software and telecom 1,000,000 12.0" in page
    assert "Confirm: add to the account" in page
    response = upload(client, saft.read_bytes(), run_tasks, name="again.xml")
    assert "again.xml: this file was already imported as “nordlys-2025.xml”" in text_of(response)
    upload(client, small_saft(tmp_path / "2024.xml", year=2024).read_bytes(), run_tasks, name="2024.xml")
    failed = LedgerImport.objects.get(filename="2024.xml")
    page = text_of(client.get(f"{LIST}{failed.pk}/"))
    assert "The file could not be imported" in page
    assert ("2024.xml: the file covers 2024-01-01 – 2024-12-31, which is not within the reporting year 2025"
            in page)
