"""``klimabok credits inspect`` and ``parse-serial``: what an operator sees, and clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klimabok.cli import _register, app

REGISTRIES = Path(__file__).resolve().parent / "data" / "registries"
BALE = "19385-941467007-941467431-VCS-VCU-1507-VER-ET-14-1340-01012020-31122020-1"


@pytest.fixture(scope="module", autouse=True)
def registered() -> None:
    if not any(group.name == "credits" for group in app.registered_groups):
        _register()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["credits", *args])
    return result.exit_code, result.output


def test_parse_serial_json() -> None:
    code, output = run("parse-serial", BALE, "--json")
    assert code == 0
    facts = json.loads(output)
    assert (facts["quantity"], facts["vintage_start"]) == (425, "2020-01-01")
    assert facts["identity"] == "verra:VCS-VCU"


def test_parse_serial_errors_are_one_clean_line() -> None:
    code, output = run("parse-serial", BALE, "--quantity", "400")
    assert code == 1
    assert output.strip() == ("error: column quantity: quantity 400 does not match serial range "
                              "941467007–941467431 (end − start + 1 = 425)")
    code, output = run("parse-serial", "ABC-1")
    assert code == 1 and "Traceback" not in output
    assert "column serial: 'ABC-1' is not a serial number" in output


def test_inspect_a_real_export() -> None:
    code, output = run("inspect", str(REGISTRIES / "verra" / "transactions.csv"), "--format", "verra")
    assert code == 0
    assert output.splitlines()[0].startswith(f"row 2: {BALE}  425 t  vintage 2020  1340 Bale Mountains")
    assert "    fail: unretired: the registry export records this range as retired on 2026-04-10" in output
    # the strict default policy: Verra's real rows carry almost no CCP label (and vintages age out)
    assert "    fail: ccp: no ICVCM CCP label, and the policy requires it" in output
    assert output.splitlines()[-1].startswith("200 blocks, 4029227 t; offerable: ")
    assert int(output.splitlines()[-1].split("offerable: ")[1].split()[0]) <= 1
    code, output = run("inspect", str(REGISTRIES / "gold-standard" / "issuances.csv"), "--format",
                       "gold-standard", "--json")
    rows = json.loads(output)
    assert len(rows) == 100 and rows[0]["checks"][0] == {
        "name": "serial", "status": "pass",
        "message": "serial GS1-1-UG-GS11236-16-2024-30307-1-19149: 19149 credits (end − start + 1)"}


def test_inspect_finds_overlaps_inside_a_file(tmp_path: Path) -> None:
    header = ("Vintage,Credit Status,Quantity,GSID,Project Name,Project Developer,Country,Project Type,"
              "Methodology,Product Type,Vintage,Label,Serial Number\n")
    rows = ("2025,Issued,100,11603,P,D,Kenya,Wind,ACM0002,VER,2025,\"ICVCM CCP, Emission Reduction\","
            "GS1-1-KE-GS11603-16-2025-30256-1-100\n"
            "2025,Issued,11,11603,P,D,Kenya,Wind,ACM0002,VER,2025,\"ICVCM CCP, Emission Reduction\","
            "GS1-1-KE-GS11603-16-2025-30256-90-100\n")
    path = tmp_path / "gs.csv"
    path.write_text(header + rows, encoding="utf-8")
    code, output = run("inspect", str(path), "--format", "gold-standard")
    assert code == 0
    assert ("    fail: overlap: overlaps 1 range(s) already on the platform, first "
            "GS1-1-KE-GS11603-16-2025-30256-1-100") in output
    assert output.splitlines()[-1] == "2 blocks, 111 t; offerable: 1 blocks, 100 t"


def test_inspect_a_file_of_the_wrong_format(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    code, output = run("inspect", str(path), "--format", "isometric")
    assert code == 1
    assert "x.csv, row 1, column id: required column 'id' is missing (is this a isometric export?)" in output
    code, output = run("inspect", str(tmp_path / "missing.csv"), "--format", "verra")
    assert code == 1 and "no such file" in output
