"""Benchmark: ``klimabok saft summary`` beside two bare hardened lxml iterparse loops, same file, same run.

Generates a synthetic SAF-T 1.30 file of :data:`LINES` ledger lines (~440 MB, ``scripts/generate_saft.py``)
into a temporary folder, deleted at the end.

- ``plain hardened walk`` (baseline, the verdict's): the same hardened parser (no entities, DTD or
  network) over ``Transaction`` end events that only clears each element and the siblings before it
  (:func:`~klimabok.core.saft.reader.release`) — what no reader of the file can do without.
- ``bare field loop``: the same walk also reading the fields the reader reads through lxml's element
  API (transaction id/date/period; per line record id, account, supplier, description, debit/credit
  amount text) — no ``Decimal``, no checks, no aggregation.
- ``summarise()``: :func:`klimabok.core.saft.summarise`, the function the CLI calls, in this process.
- ``klimabok saft summary FILE --json``: the real command in a subprocess (start-up included).

Seconds are CPU seconds (user + system; for the subprocess, its own through ``RUSAGE_CHILDREN``): the
machine is shared, and wall-clock time there measures the other processes as much as this work (the
file is in the page cache, every path is CPU-bound). Each path is the fastest of :data:`REPEATS` runs,
interleaved. Peak MB is the
peak RSS of a subprocess doing the same work (``getrusage(RUSAGE_CHILDREN)`` in a fresh intermediate
process, so earlier children do not count). Goal: ``summarise()`` ≥ 0.5× the plain walk's throughput,
peak memory < 300 MB whatever the size. MB/s is in each row's name, and ``summarise()``'s row names its
throughput as a multiple of the plain walk's (the goal's figure) and of the bare field loop's.
"""

from __future__ import annotations

import os
import resource
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

#: ~440 MB; ``KLIMABOK_BENCH_SAFT_LINES`` sets another size (a quicker run).
LINES = int(os.environ.get("KLIMABOK_BENCH_SAFT_LINES", "1000000"))
HEADLINE = "summarise()"
GOAL = 0.5
REPEATS = 3  #: timed runs per path, the fastest counts


def plain_walk(path: Path) -> int:
    """The hardened parser walking the file, each Transaction cleared and nothing else; the count."""
    transactions = 0
    for _event, transaction in hardened_iterparse(path, tags=(TRANSACTION,)):
        transactions += 1
        release(transaction)
    return transactions
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


def timed_once(work: object) -> float:
    """CPU seconds of ``work`` in this process."""
    start = time.process_time()
    work()  # type: ignore[operator]
    return time.process_time() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_child(command: list[str]) -> float:
    """The fastest of :data:`REPEATS` runs of ``command`` in a subprocess (its CPU seconds)."""
    runs = []
    for _ in range(REPEATS):
        start = _children_cpu()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        runs.append(_children_cpu() - start)
    return min(runs)


def run() -> list[Section]:
    with tempfile.TemporaryDirectory(prefix="klimabok-bench-saft-") as folder:
        path = Path(folder) / "saft-1m.xml"
        started = time.perf_counter()
        generate(path, LINES, seed=1)
        generated = time.perf_counter() - started
        megabytes = path.stat().st_size / 1e6
        cli = [sys.executable, "-m", "klimabok.cli", "saft", "summary", str(path), "--json"]
        walk_rss = peak_rss_mb([sys.executable, __file__, "--walk", str(path)])
        bare_rss = peak_rss_mb([sys.executable, __file__, "--bare", str(path)])
        cli_rss = peak_rss_mb(cli)
        walk = bare = ours = float("inf")
        for _ in range(REPEATS):  # interleaved, so a busy moment of the machine hits every path alike
            walk = min(walk, timed_once(lambda: plain_walk(path)))
            bare = min(bare, timed_once(lambda: bare_loop(path)))
            ours = min(ours, timed_once(lambda: summarise(path)))
        command = timed_child(cli)
        rows = [
            Measurement(f"plain hardened walk, clear only ({megabytes / walk:.0f} MB/s)", LINES, walk,
                        walk_rss),
            Measurement(f"bare field loop ({megabytes / bare:.0f} MB/s)", LINES, bare, bare_rss),
            Measurement(f"summarise() ({megabytes / ours:.0f} MB/s, {walk / ours:.2f}× the walk, "
                        f"{bare / ours:.2f}× the field loop)", LINES, ours, cli_rss),
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
    elif sys.argv[1:2] == ["--walk"]:
        plain_walk(Path(sys.argv[2]))
    else:
        for section in run():
            print(section.title)
            for row in section.rows:
                print(
                    f"  {row.path:<62}{row.seconds:>9.2f} s{row.lines_per_second:>12,.0f} lines/s"
                    f"{row.peak_mb:>8.0f} MB"
                )
