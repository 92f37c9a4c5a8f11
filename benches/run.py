"""``make bench``: run every benchmark module and print one table.

Each module in :data:`BENCHES` has ``run() -> list[Measurement]`` (path,
lines, seconds, peak MB); the first row of a module is its baseline, and
every row shows its throughput relative to it. Timings are the best of a
few runs on this machine; nothing here runs in the test suite.
"""

from __future__ import annotations

import importlib
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHES = ("bench_engine",)


def main() -> None:
    import numpy as np

    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}, "
          f"{platform.processor() or platform.system()}")
    for name in BENCHES:
        rows = importlib.import_module(name).run()
        baseline = rows[0].lines_per_second
        print(f"\n{name}: {rows[0].lines:,} lines")
        print(f"  {'path':<56}{'seconds':>9}{'lines/s':>14}{'vs baseline':>13}{'peak MB':>10}")
        for row in rows:
            print(f"  {row.path:<56}{row.seconds:>9.4f}{row.lines_per_second:>14,.0f}"
                  f"{row.lines_per_second / baseline:>12.2f}×{row.peak_mb:>10.1f}")


if __name__ == "__main__":
    main()
