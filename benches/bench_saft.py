"""Benchmark: ``klimabok saft summary`` beside a bare hardened lxml iterparse loop, same file, same run.

Generates a synthetic SAF-T 1.30 file of :data:`LINES` ledger lines (~200 MB, ``scripts/generate_saft.py``)
into a temporary folder, deleted at the end.

- ``bare hardened iterparse loop`` (baseline): the same hardened parser over ``Transaction`` end
  events, reading the fields the reader reads (transaction id/date/period; per line record id,
  account, supplier, description, debit/credit amount text), clearing as it goes — no ``Decimal``,
  no checks, no aggregation.
- ``summarise()``: :func:`klimabok.core.saft.summarise`, the function the CLI calls, in this process.
- ``klimabok saft summary FILE --json``: the real command in a subprocess (start-up included).

Peak MB is the peak RSS of a subprocess doing the same work (``getrusage(RUSAGE_CHILDREN)`` in a
fresh intermediate process, so earlier children do not count). Goal: ≥ 0.5× the bare loop's
throughput, peak memory < 300 MB whatever the size. MB/s is in each row's name.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_engine import Measurement, Section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from generate_saft import generate  # noqa: E402

from klimabok.core.saft import summarise  # noqa: E402
from klimabok.core.saft.reader import TRANSACTION, hardened_iterparse, release  # noqa: E402

LINES = 1_000_000
HEADLINE = "summarise()"
GOAL = 0.5
_N = TRANSACTION[: -len("Transaction")]


def bare_loop(path: Path) -> int:
    """The fastest honest read of the same fields with the same hardened parser; returns the line count."""
    lines = 0
    line_tag, account_tag, record_tag, supplier_tag = (
        _N + "Line",
        _N + "AccountID",
        _N + "RecordID",
        _N + "SupplierID",
    )
    description_tag, debit_tag, credit_tag, amount_tag = (
        _N + "Description",
        _N + "DebitAmount",
        _N + "CreditAmount",
        _N + "Amount",
    )
    for _event, transaction in hardened_iterparse(path, tags=(TRANSACTION,)):
        fields = [
            transaction.findtext(_N + "TransactionID"),
            transaction.findtext(_N + "TransactionDate"),
            transaction.findtext(_N + "Period"),
        ]
        for line in transaction.iterchildren(line_tag):
            lines += 1
            for child in line:
                tag = child.tag
                if tag in (debit_tag, credit_tag):
                    fields.append(child.findtext(amount_tag))
                elif tag in (account_tag, record_tag, supplier_tag, description_tag):
                    fields.append(child.text)
        release(transaction)
    return lines


def peak_rss_mb(command: list[str]) -> float:
    """Peak RSS (MB) of ``command``, run as the only child of a fresh intermediate Python process."""
    probe = (
        "import resource, subprocess, sys;"
        " subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe, *command], check=True, capture_output=True, text=True
    )
    return int(output.stdout.strip()) / 1024  # ru_maxrss is in KiB on Linux


def timed(work: object) -> float:
    start = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - start


def run() -> list[Section]:
    with tempfile.TemporaryDirectory(prefix="klimabok-bench-saft-") as folder:
        path = Path(folder) / "saft-1m.xml"
        started = time.perf_counter()
        generate(path, LINES, seed=1)
        generated = time.perf_counter() - started
        megabytes = path.stat().st_size / 1e6
        cli = [sys.executable, "-m", "klimabok.cli", "saft", "summary", str(path), "--json"]
        bare_rss = peak_rss_mb([sys.executable, __file__, "--bare", str(path)])
        cli_rss = peak_rss_mb(cli)
        bare = timed(lambda: bare_loop(path))
        ours = timed(lambda: summarise(path))
        command = timed(lambda: subprocess.run(cli, check=True, stdout=subprocess.DEVNULL))
        rows = [
            Measurement(f"bare hardened iterparse loop ({megabytes / bare:.0f} MB/s)", LINES, bare, bare_rss),
            Measurement(f"summarise() ({megabytes / ours:.0f} MB/s)", LINES, ours, cli_rss),
            Measurement(
                f"klimabok saft summary --json, subprocess ({megabytes / command:.0f} MB/s)",
                LINES,
                command,
                cli_rss,
            ),
        ]
        title = (
            f"SAF-T 1.30, {LINES:,} lines, {megabytes:.0f} MB (generated in {generated:.1f} s); "
            f"goal peak < 300 MB"
        )
        return [Section(title, rows)]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        bare_loop(Path(sys.argv[2]))
    else:
        for section in run():
            print(section.title)
            for row in section.rows:
                print(
                    f"  {row.path:<62}{row.seconds:>9.2f} s{row.lines_per_second:>12,.0f} lines/s"
                    f"{row.peak_mb:>8.0f} MB"
                )
