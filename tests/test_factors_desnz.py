"""The DESNZ reader on the official 2024 XLSX/CSV and 2025 CSV, and its errors on bad files.

Known answers are read straight from the publication rows (DESNZ ``ID`` cited).
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from klimabok.core.errors import InputError
from klimabok.core.factors.desnz import load_desnz_flat_file, read_desnz_file
from klimabok.core.factors.model import Factor

DESNZ = Path(__file__).resolve().parent / "data" / "desnz"
XLSX_2024 = DESNZ / "ghg-conversion-factors-2024-flat-format-v1.1.xlsx"
CSV_2024 = DESNZ / "ghg-conversion-factors-2024-flat-format-v1.1.csv"
CSV_2025 = DESNZ / "ghg-conversion-factors-2025-flat-format.csv"


@pytest.fixture(scope="module")
def desnz_2024() -> dict[str, Factor]:
    return {f.key: f for f in load_desnz_flat_file(CSV_2024).factors}


@pytest.fixture(scope="module")
def desnz_2025() -> dict[str, Factor]:
    return {f.key: f for f in load_desnz_flat_file(CSV_2025).factors}


def test_2024_csv_and_xlsx_give_the_same_dataset() -> None:
    from_csv, from_xlsx = load_desnz_flat_file(CSV_2024), load_desnz_flat_file(XLSX_2024)
    assert (from_csv.dataset_id, from_csv.version, from_csv.year) == ("desnz-2024", "1.1", 2024)
    # The XLSX carries its version on the front page ("Version: 1.1"); the CSV in its name.
    assert (from_xlsx.dataset_id, from_xlsx.version, from_xlsx.year) == ("desnz-2024", "1.1", 2024)
    # The excerpt (tests/data/README.md): 396 "kg CO2e" rows minus 2 left empty by DESNZ = 394 factors,
    # plus 507 under curated keys. (The whole publication: 3425 − 809 = 2616, + 507 = 3123.)
    assert len(from_csv.factors) == len(from_xlsx.factors) == 901
    assert {f.key: f.kg_co2e for f in from_csv.factors} == {f.key: f.kg_co2e for f in from_xlsx.factors}


def test_the_xlsx_is_read_from_its_factor_sheet_only() -> None:
    # "Sheet1" in the 2024 workbook holds a header and 67 rows with other values (e.g. Mini hybrid
    # 0.115, blank in the official table). Only "Factors by Category" counts.
    factors = {f.key: f for f in load_desnz_flat_file(XLSX_2024).factors}
    assert "desnz.passenger_vehicles.cars_by_market_segment.mini.hybrid.km" not in factors


def test_2025_counts_and_version(desnz_2025: dict[str, Factor]) -> None:
    dataset = load_desnz_flat_file(CSV_2025)
    assert (dataset.dataset_id, dataset.version, dataset.year) == ("desnz-2025", "1.0", 2025)
    assert len(dataset.factors) == 901  # excerpt: 396 − 2 empty rows = 394, + 507 curated keys


def test_diesel_2024_known_answer(desnz_2024: dict[str, Factor]) -> None:
    # IDs 1_101_1011_8_1..4: Diesel (average biofuel blend), litres: 2.51279 kg CO2e in total,
    # 2.4796 CO2, 0.00029 kg CO2e of CH4, 0.0329 kg CO2e of N2O (AR5: CH4 28, N2O 265).
    diesel = desnz_2024["fuel.diesel"]
    assert (diesel.unit, diesel.scope, diesel.category) == ("litres", 1, None)
    assert diesel.source_ref == "1_101_1011_8_1"
    assert diesel.kg_co2e == 2.51279
    assert diesel.kg_co2 == 2.4796
    assert diesel.kg_ch4 == pytest.approx(0.00029 / 28)
    assert diesel.kg_n2o == pytest.approx(0.0329 / 265)
    wtt = desnz_2024["fuel.diesel.wtt"]  # ID 11_101_1011_8_1, scope 3 category 3
    assert (wtt.kg_co2e, wtt.scope, wtt.category, wtt.source_ref) == (0.61101, 3, 3, "11_101_1011_8_1")


def test_flight_and_hotel_known_answers(desnz_2024: dict[str, Factor], desnz_2025: dict[str, Factor]) -> None:
    # 2024 ID 21_316_3164_11_1: short-haul economy with RF 0.18287 kg CO2e/passenger.km;
    # 2025, same ID: 0.12576 (DESNZ revised its flight factors down).
    assert desnz_2024["flight.short_haul.economy.rf"].kg_co2e == 0.18287
    assert desnz_2024["flight.short_haul.economy.rf"].source_ref == "21_316_3164_11_1"
    assert desnz_2025["flight.short_haul.economy.rf"].kg_co2e == 0.12576
    # 2024 ID 29_600_4000_13_1: hotel night UK 10.4 kg CO2e (CO2e only, no gas split).
    hotel = desnz_2024["hotel.gb"]
    assert (hotel.kg_co2e, hotel.unit, hotel.category, hotel.has_gas_split) == (10.4, "room_night", 6, False)


def test_waste_renamed_treatment_is_found_in_2025(desnz_2025: dict[str, Factor]) -> None:
    # DESNZ 2025 calls "Combustion" "Incineration with Energy Recovery" (ID 20_507_5311_15_1: 4.68568).
    mixed = desnz_2025["waste.mixed.incineration"]
    assert (mixed.kg_co2e, mixed.source_ref, mixed.category) == (4.68568, "20_507_5311_15_1", 5)


def test_refrigerants_are_kept_as_hfc_co2e(desnz_2024: dict[str, Factor]) -> None:
    # ID 3_201_2156_3_1: R410A, Kyoto products only, 1924 kg CO2e per kg (CO2e only in DESNZ).
    r410a = desnz_2024["refrigerant.r410a"]
    assert (r410a.kg_co2e, r410a.kg_other_co2e, r410a.unit, r410a.scope) == (1924, 1924, "kg", 1)


def test_gas_split_times_ar5_reproduces_the_published_total(desnz_2024: dict[str, Factor],
                                                          desnz_2025: dict[str, Factor]) -> None:
    ar5 = {"CH4": 28.0, "N2O": 265.0}
    for factors in (desnz_2024, desnz_2025):
        for f in factors.values():
            if f.has_gas_split:
                assert f.co2e(ar5) == pytest.approx(f.kg_co2e, rel=1e-6, abs=2e-5), f.key


def test_desnz_itself_says_it_uses_ar5() -> None:
    # IDs 3_200_2003_3_1 and 3_200_2006_3_1: methane 28 and nitrous oxide 265 kg CO2e per kg.
    with open(CSV_2024, encoding="utf-8-sig") as fh:
        rows = {r["ID"]: r for r in csv.DictReader(fh)}
    assert float(rows["3_200_2003_3_1"]["GHG Conversion Factor 2024"]) == 28
    assert float(rows["3_200_2006_3_1"]["GHG Conversion Factor 2024"]) == 265


def _write(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


HEADER = ["ID", "Scope", "Level 1", "Level 2", "Level 3", "Level 4", "Column Text", "UOM", "GHG/Unit",
          "GHG Conversion Factor 2024"]


def test_not_a_desnz_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "ledger.csv", [["date", "amount"], ["2024-01-01", "12"]])
    with pytest.raises(InputError, match=r"ledger.csv: not a DESNZ conversion-factor flat file"):
        read_desnz_file(path)


def test_missing_column_names_header_row(tmp_path: Path) -> None:
    path = _write(tmp_path / "f.csv", [["title"], [h for h in HEADER if h != "UOM"]])
    with pytest.raises(InputError, match=r"^f.csv, row 2: missing column 'UOM'$"):
        read_desnz_file(path)


def test_non_numeric_value_names_row_and_column(tmp_path: Path) -> None:
    row = ["1_1_1_1_1", "Scope 1", "Fuels", "Liquid fuels", "Diesel", "", "", "litres", "kg CO2e"]
    path = _write(tmp_path / "f.csv", [HEADER, [*row, "2.5"], [*row[:-1], "kg CO2e of CO2 per unit", "two"]])
    with pytest.raises(InputError, match="'two' is not a number") as caught:
        read_desnz_file(path)
    assert str(caught.value) == "f.csv, row 3, column GHG Conversion Factor 2024: 'two' is not a number"


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputError, match=r"^broken.xlsx: not a readable XLSX file"):
        read_desnz_file(path)


def test_xlsx_without_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.worksheets[0].append(["something else"])
    book.save(tmp_path / "empty.xlsx")
    with pytest.raises(InputError, match="not a DESNZ conversion-factor flat file"):
        read_desnz_file(tmp_path / "empty.xlsx")
