"""Benchmark: the GHG inventory report of a 100,000-line closed year beside the bare account (issue 13 §7).

- ``account computation`` (baseline): :func:`compute_account_columns` and the figures every report
  prints (totals, categories, uncertainty) — what the account page does for the same year.
- ``report content``: :func:`klimabok.core.report.ghg_inventory.assemble` (every result line into the
  appendix's columns, factors, scope 3 rows, the change from the previous year with its bridge).
- ``report PDF``: the content and :func:`klimabok.reports.ghg_pdf.render_inventory_pdf` in bokmål, every
  line in the appendix (about 1,700 pages).
- ``board summary PDF``: the content and the one-page summary.

The lines are :func:`bench_engine.make_input`'s (the shipped catalogue, skewed like a real year). No
database: the report is pure assembly over the account; Django is set up for the translations only.
Goal: the report PDF in < 5 s. Best of ``REPEATS`` runs (one for the PDF: it takes seconds).
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from typing import Any

from bench_engine import YEAR, Measurement, Section, make_input

from klimabok.core.engine import compute_account_columns
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.core.report.ghg_inventory import ReportInput, assemble

N_LINES = 100_000
REPEATS = 3
HEADLINE = "report PDF"
GOAL_SECONDS = 5.0


def _setup_django() -> None:
    os.environ.setdefault("KLIMABOK_DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klimabok.settings")
    import django

    django.setup()


def _measure(path: str, work: Callable[[], Any], n: int, repeats: int) -> Measurement:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return Measurement(path, n, best, peak / 1e6)


def run(n: int = N_LINES) -> list[Section]:
    _setup_django()
    from django.utils import translation

    from klimabok.reports.ghg_pdf import render_board_summary_pdf, render_inventory_pdf

    catalogue = default_catalogue()
    columns, _baseline = make_input(catalogue, n)
    previous_columns, _ = make_input(catalogue, n, seed=2024)
    previous = compute_account_columns(previous_columns, year=YEAR, catalogue=catalogue)

    def account() -> Any:
        result = compute_account_columns(columns, year=YEAR, catalogue=catalogue)
        return result.totals, result.by_category(), result.uncertainty

    def content() -> Any:
        result = compute_account_columns(columns, year=YEAR, catalogue=catalogue)
        return assemble(ReportInput("Nordlys Kundesenter AS", "974760673", YEAR, True, date(YEAR + 1, 2, 1),
                                    result, catalogue, previous=previous, fte=40.0))

    def pdf() -> bytes:
        with translation.override("nb"):
            return render_inventory_pdf(content(), {})

    def board() -> bytes:
        with translation.override("nb"):
            return render_board_summary_pdf(content(), {})

    return [Section(f"GHG inventory report of a closed year, {n:,} lines", [
        _measure("account computation (totals, categories, uncertainty)", account, n, REPEATS),
        _measure("report content (assemble, every line)", content, n, REPEATS),
        _measure("report PDF (content + render, every line in the appendix)", pdf, n, 1),
        _measure("board summary PDF (content + render, one page)", board, n, REPEATS),
    ])]


if __name__ == "__main__":
    for section in run():
        for row in section.rows:
            print(f"{row.path:<62}{row.seconds:>9.3f} s{row.peak_mb:>9.1f} MB")
