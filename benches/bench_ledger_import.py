"""Benchmark: the web ledger import (what the worker runs) beside a bare SAF-T reader loop, same file.

Generates a synthetic SAF-T 1.30 file of :data:`LINES` ledger lines (``scripts/generate_saft.py``)
into a temporary folder, deleted at the end.

- ``bare SaftReader loop`` (baseline): :class:`~klimabok.core.saft.SaftReader` ``lines()`` summing
  the amounts — the reading no import can avoid. Beside it, the same with ``entries()`` (no object per
  line), which the import itself uses since issue 14: a stricter measure of the import's own cost.
- ``process_import``: :func:`klimabok.ledger.services.process_import`, the function the worker task
  (:mod:`klimabok.ledger.tasks`) calls, on an upload stored by ``start_import`` (storing is not
  timed): read, classify, spend lines and postings written in one transaction, status ``ready``.
  Once on SQLite (a throwaway migrated file in the temporary folder) and once on PostgreSQL in a
  throwaway database ``klimabok_bench_ledger`` (created, dropped at the end) on the server
  ``DATABASE_URL`` names when it is a PostgreSQL URL, else 127.0.0.1:5432 (skipped with the reason when
  it is unreachable). PostgreSQL writes the postings with ``COPY``, SQLite with INSERT batches.
  Each database in its own subprocess (Django set up once per
  process), which prints its seconds, the postings written and its peak RSS.

Peak MB: the baseline's is that of a subprocess running only the bare loop; the import's is the peak
RSS of its subprocess (Django, migrations, uploads and both runs included). Each path is the fastest
of :data:`REPEATS` runs (the import into a new organisation's year each time, so the same file is
not refused as already imported).
"""

from __future__ import annotations

import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypedDict

from bench_engine import Measurement, Section
from bench_orders import HOST, PORT
from bench_saft import peak_rss_mb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from generate_saft import generate  # noqa: E402

from klimabok.core.saft import SaftReader  # noqa: E402

LINES = 200_000
BENCH_DB = "klimabok_bench_ledger"
REPEATS = 3  #: timed runs per path, the fastest counts (the machine is shared)


def bare_loop(path: Path) -> int:
    """Every ledger line read and its amount added up; returns the line count."""
    lines = 0
    total = Decimal(0)
    for line in SaftReader(path).lines():
        lines += 1
        total += line.amount
    return lines


def bare_entries(path: Path) -> int:
    """The same through ``entries()``, the transactions' lines by column; returns the line count."""
    lines = 0
    total = Decimal(0)
    for entry in SaftReader(path).entries():
        lines += len(entry.amounts)
        for amount in entry.amounts:
            total += amount
    return lines


def postgres_server() -> tuple[str, int, str]:
    """(host, port, user) of ``DATABASE_URL`` when it names PostgreSQL, else 127.0.0.1:5432 as postgres."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return HOST, PORT, "postgres"
    import dj_database_url

    parsed = dj_database_url.parse(url)
    host, port, user = parsed.get("HOST"), parsed.get("PORT"), parsed.get("USER")
    return str(host or HOST), int(port or PORT), str(user or "postgres")


def _unreachable(host: str, port: int) -> str | None:
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        return f"PostgreSQL at {host}:{port} is unreachable ({exc})"
    return None


def _best(work: Callable[[], int]) -> tuple[float, int]:
    """The fastest of :data:`REPEATS` runs of ``work`` (seconds) and what it returned."""
    runs = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = work()
        runs.append((time.perf_counter() - started, result))
    return min(runs)


def _admin_sql(statement: str) -> None:
    import psycopg

    host, port, user = postgres_server()
    with psycopg.connect(host=host, port=port, user=user, dbname="postgres", autocommit=True) as conn:
        conn.execute(statement)


class ImportResult(TypedDict):
    """The fastest of the import runs, as the subprocess prints it (JSON)."""

    seconds: float
    status: str
    lines: int
    postings: int
    spend_lines: int
    errors: object
    peak_mb: float


def import_once(path: Path) -> ImportResult:
    """In a process whose environment names a throwaway database: migrate, then :data:`REPEATS` times
    store the file for a new organisation's 2025 and time its import; the fastest run."""
    import django

    django.setup()
    from django.core.files import File
    from django.core.management import call_command

    from klimabok.accounts.models import Organisation
    from klimabok.inventory.models import ReportingYear
    from klimabok.ledger.models import Posting
    from klimabok.ledger.services import process_import, start_import

    call_command("migrate", verbosity=0)
    best: ImportResult | None = None
    for run in range(REPEATS):
        organisation = Organisation.objects.create(slug=f"bench-ledger-{run}", name="Bench Ledger AS")
        year = ReportingYear.objects.create(organisation=organisation, year=2025)
        with path.open("rb") as handle:
            imported = start_import(year, File(handle, name=path.name), None)
        started = time.perf_counter()
        imported = process_import(imported)
        seconds = time.perf_counter() - started
        if best is None or seconds < best["seconds"]:
            best = ImportResult(
                seconds=seconds, status=imported.status, lines=imported.line_count,
                postings=Posting.objects.filter(spend_line__ledger_import=imported).count(),
                spend_lines=imported.spend_lines.count(), errors=imported.errors, peak_mb=0.0,
            )
    assert best is not None  # REPEATS runs, at least one
    best["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return best


def _import_in_subprocess(path: Path, database_url: str, data_dir: Path) -> ImportResult:
    env = {**os.environ, "DATABASE_URL": database_url, "KLIMABOK_DATA_DIR": str(data_dir),
           "KLIMABOK_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "klimabok.settings"}
    output = subprocess.run([sys.executable, __file__, "--import", str(path)], env=env, check=True,
                            capture_output=True, text=True)
    result: ImportResult = json.loads(output.stdout.strip().splitlines()[-1])
    if result["status"] != "ready":
        raise RuntimeError(f"the import ended {result['status']}: {result['errors']}")
    return result


def _row(name: str, result: ImportResult) -> Measurement:
    return Measurement(f"{name} ({result['postings']:,} postings, {result['spend_lines']} spend lines)",
                       result["lines"], result["seconds"], result["peak_mb"])


def run() -> list[Section]:
    with tempfile.TemporaryDirectory(prefix="klimabok-bench-ledger-") as folder:
        path = Path(folder) / "saft-200k.xml"
        generate(path, LINES, seed=1)
        megabytes = path.stat().st_size / 1e6
        bare_rss = peak_rss_mb([sys.executable, __file__, "--bare", str(path)])
        bare, counted = _best(lambda: bare_loop(path))
        by_entries, _ = _best(lambda: bare_entries(path))
        rows = [Measurement("bare SaftReader loop (lines(), amounts summed)", counted, bare, bare_rss),
                Measurement("bare SaftReader loop (entries(), amounts summed)", counted, by_entries,
                            bare_rss)]
        sqlite_dir = Path(folder) / "sqlite"
        sqlite = _import_in_subprocess(path, f"sqlite:///{sqlite_dir / 'bench.sqlite3'}", sqlite_dir)
        rows.append(_row("process_import, SQLite", sqlite))
        host, port, user = postgres_server()
        reason = _unreachable(host, port)
        if reason:
            print(f"\nbench_ledger_import: PostgreSQL skipped — {reason}")
        else:
            _admin_sql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            _admin_sql(f"CREATE DATABASE {BENCH_DB}")
            try:
                postgres = _import_in_subprocess(path, f"postgres://{user}@{host}:{port}/{BENCH_DB}",
                                                 Path(folder) / "postgres")
            finally:
                _admin_sql(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            rows.append(_row("process_import, PostgreSQL (COPY)", postgres))
        title = f"web ledger import, SAF-T 1.30, {LINES:,} lines, {megabytes:.0f} MB, stored upload → ready"
        return [Section(title, rows)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare_loop(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--import"]:
        print(json.dumps(import_once(Path(sys.argv[2]))))
    else:
        for section in run():
            print(section.title)
            for row in section.rows:
                print(f"  {row.path:<72}{row.seconds:>8.2f} s{row.lines_per_second:>10,.0f} lines/s"
                      f"{row.peak_mb:>7.0f} MB")
