"""SAF-T upload in Chromium (issue 4 §7): upload on the year page, watch progress, confirm, see the account.

A real task worker reads the file: tasks go to the database backend (as in production), and once the
upload is queued the test thread runs ``db_worker``'s loop (``--batch``: every queued task, then
return) while the browser keeps polling the live server, which runs in its own thread with its own
connection. That works on PostgreSQL as it is; on the in-memory SQLite test database (one shared
cache, table locks) the live server's connections read uncommitted, as a file database in WAL lets
readers read past the writer (fixture ``readers_do_not_wait``). A script records what the progress
box shows every 50 ms into sessionStorage, so the test can check the bar moved while it was read.

Figures (see tests/web/test_ledger_upload.py): 100 000 kWh of Norwegian grid electricity, market-based
40,5 t (AIB residual mix 0.40491 kg/kWh), then the file's IT purchases of 1 000 000 NOK in 40 000
vouchers of 25 NOK: × 0.012002989 kg CO2e/NOK (klimabok/data/spend/factors.csv, row it_telecom,2025) =
12 002.989 kg = 12,0 t. Market-based total after confirming: 40,491 + 12,003 = 52,494 → "52,5".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db.backends.signals import connection_created
from pytest_django import Settings

from klimabok.accounts.models import Organisation, User
from klimabok.inventory.models import ActivityEntry
from klimabok.inventory.services import create_year
from klimabok.ledger.models import LedgerImport
from tests.web.browser.test_enter_data_flow import log_in, stat_values
from tests.web.test_ledger_upload import small_saft

pytestmark = pytest.mark.django_db(transaction=True)
# docs/screenshots/saft-import.png (README) is a copy of it; the run does not touch the tracked file.
SCREENSHOT = Path(__file__).resolve().parents[3] / "var" / "screenshots" / "saft-import.png"

# What the progress box shows, every 50 ms, into sessionStorage (which outlives the page's reload).
RECORD = """() => {
  const box = document.getElementById("ledger-import-progress");
  window.setInterval(() => {
    const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
    seen.push([box.querySelector("[data-progress-label]").textContent, box.querySelector("progress").value]);
    sessionStorage.setItem("seen", JSON.stringify(seen));
  }, 50);
}"""


@pytest.fixture
def readers_do_not_wait(live_server: Any) -> Iterator[None]:
    """SQLite's in-memory test database is one shared cache, where a reader waits on a table lock of the
    worker's write ("database table is locked") instead of reading the last commit as a file database
    in WAL does; read_uncommitted lets the live server's requests read as they would in production.

    On every connection the live server reads with: the ones its threads open from now on, and the one
    it may share — pytest-django hands the (session-wide) server the in-memory connection it found when a
    test first started it, not this test's; without the pragma its reads may hold a table lock that the
    worker's progress write runs into (seen as the import failing in 2 of 3 looped random-order runs).
    """
    def read_uncommitted(sender: Any, connection: Any, **kwargs: Any) -> None:
        if connection.vendor == "sqlite":
            connection.cursor().execute("PRAGMA read_uncommitted = 1")

    for shared in live_server.thread.connections_override.values():
        read_uncommitted(None, shared)
    connection_created.connect(read_uncommitted)
    yield
    connection_created.disconnect(read_uncommitted)


def run_worker() -> None:
    """``manage.py db_worker --batch``'s loop: every queued task, then return."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(queue_names=["default"], interval=0.01, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="browser-test", excluded_queue_names=[]).run()


def test_alice_uploads_saft_watches_progress_confirms_and_sees_the_account_change(
        live_server: Any, page: Any, alice: User, nordlys: Organisation, tmp_path: Path, settings: Settings,
        readers_do_not_wait: None) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    year = create_year(nordlys, 2025)
    ActivityEntry.objects.create(reporting_year=year, activity="electricity.no", quantity=100_000, unit="kWh")
    saft = small_saft(tmp_path / "nordlys-2025.xml", vouchers=40_000)  # 120 002 lines, ~10 MB
    base = live_server.url
    log_in(page, base, alice)
    page.goto(f"{base}/o/nordlys/2025/account/")
    assert stat_values(page) == ["40,5", "1,5"]

    page.goto(f"{base}/o/nordlys/2025/")
    page.get_by_role("link", name="Last opp SAF-T").click()
    page.get_by_label("SAF-T Financial-fil (XML)").set_input_files(str(saft))
    page.get_by_role("button", name="Last opp og les").click()

    # queued: the bar is there, nothing read yet
    box = page.locator("#ledger-import-progress")
    assert box.get_by_role("status").inner_text().startswith("venter på å bli lest")
    assert page.locator("progress").get_attribute("value") == "0"
    page.evaluate(RECORD)
    assert LedgerImport.objects.get().status == "queued"

    run_worker()

    # the page polls status.json and shows the summary when the file is read
    page.get_by_role("button", name="Bekreft: legg til i regnskapet").wait_for()
    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('seen') || '[]')")
    assert any(label == "leses" and 0 < value < 100 for label, value in seen), seen[-5:]
    assert page.get_by_test_id("import-tonnes").inner_text() == "12,0"
    summary = page.locator("main").inner_text().replace("\u00a0", " ")
    assert "Transaksjoner\n40 001" in summary and "Posteringer\n120 002" in summary
    assert "IT-tjenester, programvare og telekom\t1 000 000\t12,0" in summary
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    page.get_by_role("button", name="Bekreft: legg til i regnskapet").click()
    page.wait_for_url(f"{base}/o/nordlys/2025/account/")
    assert stat_values(page) == ["52,5", "13,5"]  # 40,5 + 12,0 market; 1,5 + 12,0 location
    assert LedgerImport.objects.get().status == "confirmed"
