"""``klimabok calc`` as a real process, on the shipped catalogue and CSV template, without Django.

The process runs the ``klimabok`` typer app with only ``calc`` registered (and
an empty callback, which keeps typer's ``klimabok calc …`` command layout), so
it does not depend on the other command modules being importable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "klimabok/data/templates/activities-template.csv"
ENV = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}


RUN_CALC = """
import sys
from klimabok.cli import app
from klimabok.cli.calc import register
app.callback()(lambda: None)
register(app)
try:
    app(prog_name="klimabok")
finally:
    if "django" in sys.modules:
        sys.exit("django was imported")
"""

def klimabok(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", RUN_CALC, *args], capture_output=True, text=True,
                          cwd=ROOT, env=ENV, timeout=120, check=False)


def test_calc_the_csv_template_2025() -> None:
    done = klimabok("calc", str(TEMPLATE), "--year", "2025", "--json")
    assert done.returncode == 0, done.stderr
    totals = json.loads(done.stdout)["totals"]
    # electricity.no 120,000 kWh: location NVE 0.015 → 1,800 kg; market AIB residual NO 0.40491 → 48,589.2 kg
    # flight.domestic.average 2,500 pkm: DESNZ 2025 21_316_3160_11_1 0.22928 + 22_912_3160_11_1 0.0335
    #   = 0.26278 kg/pkm → 656.95 kg
    assert totals == {"scope_1": 0.0, "scope_2_location": 1.8, "scope_2_market": 48.589, "scope_3": 0.657,
                      "total_location": 2.457, "total_market": 49.246}


def test_bad_file_exits_1_with_the_row_and_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("aktivitet;mengde;enhet\nelectricity.no;-5;kWh\n", encoding="utf-8")
    done = klimabok("calc", str(bad), "--year", "2025")
    assert done.returncode == 1
    assert done.stderr == ("error: 1 error(s):\n"
                           "bad.csv, row 2, column mengde: quantity must not be negative (got -5)\n")



def test_calc_imports_no_django() -> None:
    done = klimabok("calc", str(TEMPLATE), "--year", "2024")
    assert (done.returncode, done.stderr) == (0, "")
    assert "Total, market-based" in done.stdout
