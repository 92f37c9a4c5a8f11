"""``make bench``: run every benchmark module and print its tables.

Each module in :data:`BENCHES` has ``run() -> list[Section]``; a section's
first row is its baseline and every row shows its throughput relative to
it. Timings are the best of several runs on this machine, in one process;
nothing here runs in the test suite. A module may name its ``HEADLINE`` row
and a ``GOAL`` ratio or a ``GOAL_SECONDS`` time; the verdict is printed under that row.
"""

from __future__ import annotations

import importlib
import os
import platform
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The operators' log says what each order, import and certificate did: thousands of lines in a bench.
os.environ.setdefault("KLIMABOK_LOG_LEVEL", "WARNING")

BENCHES = ("bench_engine", "bench_certificate", "bench_orders", "bench_saft", "bench_ledger_import",
           "bench_plan", "bench_plan_page", "bench_ghg_report", "bench_account_page", "bench_grid")


def main() -> None:
    """Every bench, each in a process of its own: Django is set up once per process, with the database
    its bench made (the orders bench drops its PostgreSQL database at the end; the next bench must not
    find Django still pointing there). ``run.py NAME…`` runs those."""
    import numpy as np

    names = sys.argv[1:] or list(BENCHES)
    if len(sys.argv) == 2:
        run_one(names[0])
        return
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
          f"{os.cpu_count()} cores (numpy's bincount and ufuncs here use one)", flush=True)
    failed = [name for name in names
              if subprocess.run([sys.executable, __file__, name], check=False).returncode != 0]
    if failed:
        sys.exit(f"bench(es) failed: {', '.join(failed)}")


def run_one(name: str) -> None:
    """Run bench module ``name`` and print its tables."""
    if name not in BENCHES:
        sys.exit(f"no bench {name!r}; the benches: {', '.join(BENCHES)}")
    module = importlib.import_module(name)
    for section in module.run():
            baseline = section.rows[0].lines_per_second
            print(f"\n{name}: {section.title}")
            print(f"  {'path':<62}{'seconds':>9}{'lines/s':>14}{'vs baseline':>13}{'peak MB':>10}")
            for row in section.rows:
                ratio = row.lines_per_second / baseline
                print(f"  {row.path:<62}{row.seconds:>9.4f}{row.lines_per_second:>14,.0f}"
                      f"{ratio:>12.2f}×{row.peak_mb:>10.1f}")
                headline = getattr(module, "HEADLINE", None)
                if headline and row.path.startswith(headline):
                    goal = getattr(module, "GOAL", None)
                    if goal is not None:
                        verdict = "met" if ratio >= goal else "NOT met"
                        print(f"  {'':<62}goal ≥ {goal:.2f}× of the baseline: {verdict}")
                    seconds = getattr(module, "GOAL_SECONDS", None)
                    if seconds is not None:
                        verdict = "met" if row.seconds < seconds else "NOT met"
                        print(f"  {'':<62}goal < {seconds:.3f} s: {verdict}")


if __name__ == "__main__":
    main()
