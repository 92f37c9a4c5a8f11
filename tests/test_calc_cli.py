"""``klimabok calc``: summary, JSON in tonnes, row-level errors with exit status 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from klimabok.cli import calc as calc_module
from klimabok.core.activity_file import read_activity_file
from klimabok.core.engine import compute_account
from tests.test_engine_fixtures import tiny_catalogue

ACTIVITIES = """activity;quantity;unit;site;description;data_quality
diesel;1 000;litres;Oslo;Company cars;1
electricity.no;20;MWh;Oslo;Office;1
taxi;100;km;;Airport taxi;3
"""


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setattr(calc_module, "default_catalogue", tiny_catalogue)
    app = typer.Typer()
    app.callback()(lambda: None)
    calc_module.register(app)
    return app


@pytest.fixture
def activities(tmp_path: Path) -> Path:
    path = tmp_path / "aktiviteter.csv"
    path.write_text(ACTIVITIES, encoding="utf-8")
    return path


def test_json_totals_categories_and_lines_in_tonnes(app: typer.Typer, activities: Path) -> None:
    result = CliRunner().invoke(app, ["calc", str(activities), "--year", "2025", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # diesel 1,000 l: scope 1 2.562 t + WTT 0.6 t; electricity 20,000 kWh: 0.3 t location, 8 t market;
    # taxi 100 km × 0.2 kg = 0.02 t (2024 factor)
    assert data["totals"] == {"scope_1": 2.562, "scope_2_location": 0.3, "scope_2_market": 8.0,
                              "scope_3": 0.62, "total_location": 3.482, "total_market": 11.182}
    assert data["by_category"] == {"scope_1": 2.562, "scope_2_location": 0.3, "scope_2_market": 8.0,
                                   "scope_3.3": 0.6, "scope_3.6": 0.02}
    assert data["datasets"] == ["test-2024@1", "test-2025@1"]
    # activity data: diesel (tier 1) 5 % × 3.162, electricity (1) 5 % × 8.0 (market), taxi (3) 20 % × 0.02;
    # factors (fixture: ±20 %): diesel combustion × 2.562, WTT × 0.6, residual mix × 8.0, taxi × 0.02 —
    # all independent, in quadrature: √(0.1581² + 0.4² + 0.004² + 0.5124² + 0.12² + 1.6² + 0.004²)
    # = √3.0219814 = 1.7384 t (before: tiers only, √(0.1581² + 0.4² + 0.004²) = 0.4301 t)
    half_width = ((0.05 * 3.162) ** 2 + (0.05 * 8.0) ** 2 + (0.2 * 0.02) ** 2
                  + (0.2 * 2.562) ** 2 + (0.2 * 0.6) ** 2 + (0.2 * 8.0) ** 2 + (0.2 * 0.02) ** 2) ** 0.5
    assert data["uncertainty"]["total_market"]["high"] == pytest.approx(11.182 + half_width, abs=1e-3)
    taxi = data["lines"][-1]
    assert {k: taxi[k] for k in ("activity", "quantity", "unit", "site", "scope", "category", "basis",
                                 "t_co2e", "flags")} == {
        "activity": "taxi", "quantity": 100.0, "unit": "km", "site": "", "scope": 3, "category": 6,
        "basis": "both", "t_co2e": 0.02, "flags": ["factor from 2024: no 2025 figure published"]}
    assert taxi["factor"] == {"key": "taxi", "name": "taxi", "unit": "km", "source": "Test fixture",
                              "source_ref": "T-taxi", "year": 2024, "published_year": 2024,
                              "kg_co2e_per_unit": 0.2, "dataset": "test-2024@1"}
    assert len(data["lines"]) == 5  # diesel and electricity give two lines each


def test_gwp_ar6(app: typer.Typer, activities: Path) -> None:
    result = CliRunner().invoke(app, ["calc", str(activities), "--year", "2025", "--json", "--gwp", "AR6"])
    # 1,000 l × (2.4 + 0.002 × 27.9 + 0.0004 × 273) = 2,565 kg
    assert json.loads(result.stdout)["totals"]["scope_1"] == 2.565


def test_summary_table(app: typer.Typer, activities: Path) -> None:
    result = CliRunner().invoke(app, ["calc", str(activities), "--year", "2025"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Climate account 2025 — aktiviteter.csv — 3 lines, GWP AR5" in out
    assert "  Total, market-based" in out and "11.182" in out
    assert "  3.6 Business travel" in out
    assert out.index("electricity.no") < out.index("diesel", out.index("Largest sources"))
    assert "1 line(s): factor from 2024: no 2025 figure published" in out


def test_bad_rows_exit_1_with_row_and_column(app: typer.Typer, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("activity,quantity,unit\ndiesel,mye,litres\nflyreise,3,km\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["calc", str(path), "--year", "2025"])
    assert result.exit_code == 1
    assert result.stderr == ("error: 2 error(s):\n"
                             "bad.csv, row 2, column quantity: 'mye' is not a number\n"
                             "bad.csv, row 3, column activity: unknown activity 'flyreise'\n")
    assert "Traceback" not in result.output


def test_missing_file_and_year_without_factors(app: typer.Typer, activities: Path, tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, ["calc", str(tmp_path / "nope.csv"), "--year", "2025"])
    assert (missing.exit_code, missing.stderr) == (1, f"error: {tmp_path / 'nope.csv'}: no such file\n")
    early = CliRunner().invoke(app, ["calc", str(activities), "--year", "2019"])
    assert early.exit_code == 1
    assert "aktiviteter.csv, row 2, column activity: no emission factor for 'diesel' in 2019 or earlier" \
        in early.stderr


def test_json_is_what_the_row_reader_gives(app: typer.Typer, tmp_path: Path) -> None:
    """The command reads the file in columns; the account, its lines and refs are the row reader's."""
    path = tmp_path / "aktiviteter.csv"
    path.write_bytes("\ufeffaktivitet;mengde;enhet;lokasjon;beskrivelse;datakvalitet\r\n"
                     "diesel;1 000,5;litres;Oslo;\"Firmabiler; \"\"den røde\"\"\";1\r\n\r\n"
                     "electricity.no;20;MWh;Bergen;\"Kontor,\r\nandre etasje\";\r\n"
                     "taxi;1.234,5;km;Oslo;;4\r\n".encode())
    result = CliRunner().invoke(app, ["calc", str(path), "--year", "2025", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    catalogue = tiny_catalogue()
    expected = compute_account(read_activity_file(path, catalogue=catalogue, year=2025), year=2025,
                               catalogue=catalogue, source=path.name).to_dict()
    assert data == {"file": "aktiviteter.csv", **expected}
    assert [(line["ref"], line["description"]) for line in data["lines"]] == [
        ("aktiviteter.csv:2", 'Firmabiler; "den røde"'), ("aktiviteter.csv:2", 'Firmabiler; "den røde"'),
        ("aktiviteter.csv:4", "Kontor,\r\nandre etasje"), ("aktiviteter.csv:4", "Kontor,\r\nandre etasje"),
        ("aktiviteter.csv:5", "")]  # records, as Excel numbers rows: the 4th spans two lines of text
