"""Reading a general-ledger export (CSV/XLSX) as ledger lines, and previewing it under a mapping."""

from __future__ import annotations

import io
import re
import tracemalloc
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from klimabok.core.errors import InputError, InputErrors
from klimabok.core.gl import GlReader, preview
from klimabok.core.gl import reader as gl_reader
from klimabok.core.saft.model import Account, LedgerLine, Supplier
from klimabok.core.spend import classify

# A Norwegian export as Excel saves "CSV (semicolon separated)": Windows-1252, decimal comma.
NORWEGIAN = (
    "Konto;Kontonavn;Dato;Bilagsnr;Tekst;Leverandørnr;Leverandør;Org.nr;Beløp\n"
    '6300;Leie lokaler;15.01.2025;1001;Husleie januar;20001;Gårdeier AS;912345678;"25 000,00"\n'
    "2400;Leverandørgjeld;15.01.2025;1001;Husleie januar;20001;Gårdeier AS;912345678;-25 000,00\n"
    ";;;;;;;;\n"
    "7140;Reisekostnad, fly;03.02.2025;1002;Fly OSL-BGO;20002;Norwegian Air;;1 200,50\n"
    "1920;Bank;03.02.2025;1002;Fly OSL-BGO;;;;(1 200,50)\n"
    "6300;Leie lokaler;15.12.2025;1003;Husleie desember;20001;Gårdeier AS;912345678;25 000\n"
    "2400;Leverandørgjeld;15.12.2025;1003;Husleie desember;20001;Gårdeier AS;912345678;-25 000\n"
)


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
    return path


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(path: Path, mapping: dict[str, int], year: int = 2025) -> tuple[GlReader, list[LedgerLine]]:
    reader = GlReader(path, mapping, year=year, company_name="Nordlys AS", org_number="999888777")
    return reader, list(reader.lines())


def errors(path: Path, mapping: dict[str, int], year: int = 2025) -> list[str]:
    # one error, or the count and then each: every one names the file first
    with pytest.raises((InputErrors, InputError), match=f"(^|\n){re.escape(path.name)}[,:] ") as caught:
        list(GlReader(path, mapping, year=year).lines())
    found = caught.value
    return [str(e) for e in found.errors] if isinstance(found, InputErrors) else [str(found)]


FULL = {"account": 0, "account_name": 1, "date": 2, "voucher": 3, "description": 4, "supplier_id": 5,
        "supplier_name": 6, "supplier_org_number": 7, "amount": 8}


def test_norwegian_windows_1252_export(tmp_path: Path) -> None:
    reader, lines = read(write(tmp_path, "hovedbok.csv", NORWEGIAN, "cp1252"), FULL)
    # Rows 2, 3, 5, 6, 7, 8 (row 4 is blank): the spreadsheet's row numbers are the record ids.
    assert [(ln.record_id, ln.account_id, ln.amount) for ln in lines] == [
        ("2", "6300", Decimal("25000.00")), ("3", "2400", Decimal("-25000.00")),
        ("5", "7140", Decimal("1200.50")), ("6", "1920", Decimal("-1200.50")),
        ("7", "6300", Decimal("25000")), ("8", "2400", Decimal("-25000"))]
    first = lines[0]
    assert (first.transaction_id, first.date, first.period, first.supplier_id, first.description) == (
        "1001", date(2025, 1, 15), 1, "20001", "Husleie januar")
    assert lines[3].supplier_id is None
    # Rent 25 000 + 25 000 = 50 000 NOK on 6300; the flight 1 200.50 on 7140; the file balances.
    assert sum(ln.amount for ln in lines if ln.account_id == "6300") == Decimal("50000.00")
    assert sum(ln.amount for ln in lines) == 0
    assert reader.warnings == []
    assert reader.accounts["7140"] == Account("7140", "Reisekostnad, fly", "", None, None, None, Decimal(0),
                                              Decimal(0))
    assert list(reader.accounts) == ["6300", "2400", "7140", "1920"]
    assert reader.suppliers == {
        "20001": Supplier("20001", "Gårdeier AS", "912345678", None),
        "20002": Supplier("20002", "Norwegian Air", None, None)}
    assert reader.transactions == 3  # vouchers 1001, 1002, 1003
    header = reader.header
    assert header is not None
    assert (header.company_name, header.org_number, header.period_start, header.period_end, header.currency,
            header.mapping) == ("Nordlys AS", "999888777", date(2025, 1, 15), date(2025, 12, 15), "NOK",
                                "account_number")
    assert reader.source == "hovedbok.csv"


def test_accounts_classify_by_number_range_and_name(tmp_path: Path) -> None:
    reader, _lines = read(write(tmp_path, "hovedbok.csv", NORWEGIAN, "cp1252"), FULL)
    categories = {a.account_id: classify(a.account_id, description=a.description) for a in
                  reader.accounts.values()}
    assert categories["6300"].category == "premises_mixed"
    assert categories["7140"].category == "travel_air"  # the name says "fly"
    assert categories["2400"].excluded is not None  # balance sheet


def test_utf8_bom_comma_debit_credit_without_dates_or_vouchers(tmp_path: Path) -> None:
    content = "\ufeffAccount,Account name,Supplier,Debit,Credit\n" \
              "6800,Office supplies,Staples,\"1,250.00\",\n" \
              "6800,,Staples,,250.00\n" \
              "4300,Goods,Grossist AS,10000,\n"
    reader, lines = read(write(tmp_path, "gl.csv", content), {"account": 0, "account_name": 1,
                                                               "supplier_name": 2, "debit": 3, "credit": 4})
    # 6800: 1 250.00 − 250.00 = 1 000.00; 4300: 10 000; debit 11 250 ≠ credit 250: an extract.
    assert [(ln.account_id, ln.amount, ln.date, ln.period, ln.supplier_id) for ln in lines] == [
        ("6800", Decimal("1250.00"), None, None, "Staples"),
        ("6800", Decimal("-250.00"), None, None, "Staples"),
        ("4300", Decimal("10000"), None, None, "Grossist AS")]
    assert reader.suppliers["Staples"] == Supplier("Staples", "Staples", None, None)
    assert reader.accounts["6800"].description == "Office supplies"
    assert reader.transactions == 0
    header = reader.header
    assert header is not None
    assert (header.period_start, header.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
    assert [str(w) for w in reader.warnings] == [
        "the lines do not balance: debit 11250.00, credit 250.00 (fine for an extract of some accounts; "
        "a whole general ledger balances)"]


def test_account_name_filled_in_by_a_later_row_and_supplier_by_org_number(tmp_path: Path) -> None:
    content = "Konto;Kontonavn;Org.nr;Beløp\n6800;;912 345 678;100\n6800;Kontorrekvisita;912345678;50\n"
    reader, _lines = read(write(tmp_path, "gl.csv", content), {"account": 0, "account_name": 1,
                                                                "supplier_org_number": 2, "amount": 3})
    assert reader.accounts["6800"].description == "Kontorrekvisita"
    assert reader.suppliers == {"912345678": Supplier("912345678", "", "912345678", None)}


def test_account_cell_with_number_and_name_is_split_without_a_name_column(tmp_path: Path) -> None:
    content = "Konto;Beløp\n6300 Leie lokaler;100\n6300 Leie lokaler;200\nK-99;5\n"
    reader, lines = read(write(tmp_path, "gl.csv", content), {"account": 0, "amount": 1})
    assert {a.account_id: a.description for a in reader.accounts.values()} == {"6300": "Leie lokaler",
                                                                                "K-99": ""}
    assert sum(ln.amount for ln in lines if ln.account_id == "6300") == 300


def test_tab_separated_utf16_from_excel_unicode_text(tmp_path: Path) -> None:
    content = "Konto\tBeløp\tLeverandør\n6800\t1 234,50\tBokhandel Ø\n"
    _reader, lines = read(write(tmp_path, "gl.txt", content, "utf-16"), {"account": 0, "amount": 1,
                                                                          "supplier_name": 2})
    assert [(ln.account_id, ln.amount, ln.supplier_id) for ln in lines] == [
        ("6800", Decimal("1234.50"), "Bokhandel Ø")]


def test_xlsx_numbers_dates_and_blank_rows(tmp_path: Path) -> None:
    content = xlsx([["Konto", "Kontonavn", "Dato", "Bilag", "Debet", "Kredit"],
                    [6300, "Leie lokaler", datetime(2025, 3, 1), 7, 25000, None],
                    [None, None, None, None, None, None],
                    [2400, "Leverandørgjeld", "01.03.2025", 7, None, 25000.0],
                    [7140, "Reise", date(2025, 3, 2), 8, 0.1 + 0.2, None]])
    path = write(tmp_path, "hovedbok.xlsx", content)
    reader = GlReader(path, {"account": 0, "account_name": 1, "date": 2, "voucher": 3, "debit": 4,
                             "credit": 5}, year=2025)
    lines = list(reader.lines())
    assert [(ln.record_id, ln.account_id, ln.date, ln.transaction_id, ln.amount) for ln in lines] == [
        ("2", "6300", date(2025, 3, 1), "7", Decimal(25000)), ("4", "2400", date(2025, 3, 1), "7",
                                                                Decimal("-25000.00")),
        ("5", "7140", date(2025, 3, 2), "8", Decimal("0.30"))]
    assert reader.transactions == 2
    shown = preview(path, reader.mapping, year=2025)
    assert [row.cells[2] for row in shown.rows] == ["2025-03-01", "01.03.2025", "2025-03-02"]


def test_xlsx_reads_only_the_first_64_columns(tmp_path: Path) -> None:
    wide = ["Konto", "Beløp", *[f"c{i}" for i in range(100)]]
    content = xlsx([wide, ["6800", 10, *range(100)]])
    headers = preview(write(tmp_path, "wide.xlsx", content), year=2025).headers
    assert len(headers) == 64


def test_every_bad_row_is_named_with_row_and_column(tmp_path: Path) -> None:
    content = ("Konto;Dato;Beløp\n"
               "6300;15.01.2025;100\n"
               "6300;15.01.2025;hundre\n"       # row 3: not an amount
               ";15.01.2025;100\n"              # row 4: no account
               "6300;31.02.2025;100\n"          # row 5: no such date
               "6300;15.01.2024;100\n"          # row 6: another year
               "6300;;\n"                       # row 7: no date, no amount
               "6300;15.01.2025;1,23,4\n")      # row 8: badly grouped
    assert errors(write(tmp_path, "hovedbok.csv", content), {"account": 0, "date": 1, "amount": 2}) == [
        "hovedbok.csv, row 3, column Beløp: 'hundre' is not an amount",
        "hovedbok.csv, row 4, column Konto: the account number is missing",
        "hovedbok.csv, row 5, column Dato: '31.02.2025' is not a date (write 2025-03-31 or 31.03.2025)",
        "hovedbok.csv, row 6, column Dato: 2024-01-15 is not in 2025, the year being imported",
        "hovedbok.csv, row 7, column Beløp: the amount is missing",
        "hovedbok.csv, row 7, column Dato: the date is missing",
        "hovedbok.csv, row 8, column Beløp: '1,23,4' is not an amount",
    ]


def test_debit_and_credit_problems_name_their_column(tmp_path: Path) -> None:
    content = "Konto;Debet;Kredit\n6300;;x\n6300;;\n"
    assert errors(write(tmp_path, "gl.csv", content), {"account": 0, "debit": 1, "credit": 2}) == [
        "gl.csv, row 2, column Kredit: 'x' is not an amount",
        "gl.csv, row 3, column Debet: the amount is missing"]


def test_a_mapping_that_cannot_read_the_file_is_refused_before_any_line(tmp_path: Path) -> None:
    path = write(tmp_path, "gl.csv", "Konto;Beløp\n6300;100\n")
    assert errors(path, {"amount": 1}) == ["gl.csv: no column is mapped as the account number"]


def test_errors_stop_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gl_reader, "MAX_ERRORS", 3)
    path = write(tmp_path, "gl.csv", "Konto;Beløp\n" + "6300;x\n" * 10)
    assert [e.split(":")[0] for e in errors(path, {"account": 0, "amount": 1})] == [
        "gl.csv, row 2, column Beløp", "gl.csv, row 3, column Beløp", "gl.csv, row 4, column Beløp"]


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("gl.csv", b"", "gl.csv: the file is empty (no header in row 1)"),
    ("gl.csv", b";;\n\n", "gl.csv: the file is empty (no header in row 1)"),
    ("gl.csv", b";;\n6300;1\n", "gl.csv: no ledger lines below the header"),  # the first non-blank row heads
    ("gl.csv", b"Konto;Bel\xf8p\n\n", "gl.csv: no ledger lines below the header"),
    ("gl.xls", b"\xd0\xcf\x11\xe0rest", "gl.xls: the old .xls format is not supported: save as .xlsx or CSV"),
    ("gl.xlsx", b"PK\x03\x04broken", "gl.xlsx: not a readable XLSX file (corrupt, or another format)"),
    ("gl.xlsx", b"Konto;Bel\xf8p\n", "gl.xlsx: not a readable XLSX file (corrupt, or another format)"),
    ("gl.csv", b"Konto\x00;\x00", "gl.csv: not a text (CSV) file"),
    ("gl.csv", b'Konto;Bel\xf8p\n6300;"' + b"9" * 200_000 + b'"\n',
     "gl.csv: row 2 cannot be read as CSV: field larger than field limit (131072)"),
])
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    assert errors(write(tmp_path, name, content), {"account": 0, "amount": 1}) == [expected]


def test_preview_guesses_the_mapping_and_parses_the_first_rows(tmp_path: Path) -> None:
    content = NORWEGIAN.replace("1 200,50\n", "tolv\n")  # row 5: not an amount
    shown = preview(write(tmp_path, "hovedbok.csv", content, "cp1252"), year=2025, n=3)
    assert shown.mapping == FULL
    assert shown.headers[0] == "Konto" and shown.problems == []
    assert [row.number for row in shown.rows] == [2, 3, 5]  # the blank row 4 is skipped
    assert shown.rows[0].line is not None and shown.rows[0].line.amount == Decimal("25000.00")
    assert shown.rows[0].cells[6] == "Gårdeier AS"
    bad = shown.rows[2]
    assert bad.line is None
    assert [str(p) for p in bad.problems] == ["hovedbok.csv, row 5, column Beløp: 'tolv' is not an amount"]


def test_preview_with_a_mapping_that_cannot_read_shows_its_problems_and_no_rows(tmp_path: Path) -> None:
    shown = preview(write(tmp_path, "gl.csv", "A;B\n1;2\n"), {}, year=2025, source="opplasting.csv")
    assert shown.rows == []
    assert [str(p) for p in shown.problems] == [
        "opplasting.csv: no column is mapped as the account number",
        "opplasting.csv: no column is mapped as the amount (or as debit and credit)"]


def test_blank_header_cells_are_named_by_their_column_letter(tmp_path: Path) -> None:
    shown = preview(write(tmp_path, "gl.csv", "Konto;;Beløp;\n6300;x;1;\n"), year=2025)
    assert shown.headers == ["Konto", "B", "Beløp"]


def test_csv_is_streamed_in_constant_memory(tmp_path: Path) -> None:
    """30 000 rows (≈ 1.4 MB): reading them holds a row at a time, not the file (peak under a fifth of it)."""
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as file:
        file.write("Konto;Bilag;Tekst;Beløp\n")
        for i in range(30_000):
            file.write(f"{6300 + i % 50};{i % 10};Husleie for lokale nummer {i};1 000,00\n")
    reader = GlReader(path, {"account": 0, "voucher": 1, "description": 2, "amount": 3}, year=2025)
    tracemalloc.start()
    total = sum(line.amount for line in reader.lines())
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert total == Decimal("30000000.00")  # 30 000 rows × 1 000.00
    assert reader.transactions == 10
    assert peak < path.stat().st_size / 5, (peak, path.stat().st_size)


def test_bytes_read_reports_progress_through_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "gl.csv", "Konto;Beløp\n" + "6300;1\n" * 20_000)
    reader = GlReader(path, {"account": 0, "amount": 1}, year=2025)
    seen = [reader.bytes_read for i, _line in enumerate(reader.lines()) if i % 5000 == 0]
    assert seen == sorted(seen) and 0 < seen[1] < path.stat().st_size
    assert reader.bytes_read == path.stat().st_size  # 12 + 20 000 × 7 = 140 012 bytes
    book = write(tmp_path, "gl.xlsx", xlsx([["Konto", "Beløp"], *([6300, 1] for _ in range(99))]))
    reader = GlReader(book, {"account": 0, "amount": 1}, year=2025)
    halfway = [reader.bytes_read for i, _line in enumerate(reader.lines()) if i == 49]  # row 51 of 100
    assert halfway == [book.stat().st_size * 51 // 100]
    assert reader.bytes_read == book.stat().st_size


def test_xlsx_is_recognised_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    """The pipeline stores uploads under a random name without suffix."""
    path = write(tmp_path, "0f3a9c", xlsx([["Konto", "Beløp"], [6300, 100]]))
    assert [line.amount for line in GlReader(path, {"account": 0, "amount": 1}, year=2025).lines()] == [100]


def test_title_lines_above_the_table_are_skipped_and_rows_keep_their_numbers(tmp_path: Path) -> None:
    content = ("Hovedbok 2025, Nordlys AS\n"
               "Utskrevet 06.01.2026\n"
               "\n"
               "Konto;Tekst;Beløp\n"
               "6300;Husleie;100\n"
               "6300;Husleie;hundre\n")
    path = write(tmp_path, "rapport.csv", content)
    shown = preview(path, year=2025)
    assert (shown.headers, shown.mapping) == (["Konto", "Tekst", "Beløp"], {"account": 0, "description": 1,
                                                                          "amount": 2})
    assert [row.number for row in shown.rows] == [5, 6]
    assert errors(path, shown.mapping) == ["rapport.csv, row 6, column Beløp: 'hundre' is not an amount"]
    assert [str(p) for p in preview(path, {"account": 0, "amount": 0}, year=2025).problems] == [
        "rapport.csv, row 4, column Konto: the column is mapped to more than one role"]


def test_xlsx_title_rows_are_skipped(tmp_path: Path) -> None:
    content = xlsx([["Hovedbok"], [], ["Konto", "Debet", "Kredit"], [6300, 100, None], [2400, None, 100]])
    reader = GlReader(write(tmp_path, "rapport.xlsx", content), {"account": 0, "debit": 1, "credit": 2},
                      year=2025)
    assert [(line.record_id, line.amount) for line in reader.lines()] == [
        ("4", Decimal(100)), ("5", Decimal(-100))]


def test_without_a_recognisable_header_the_first_non_blank_row_is_the_header(tmp_path: Path) -> None:
    content = "\nA;B\n6300;100\n"
    shown = preview(write(tmp_path, "gl.csv", content), {"account": 0, "amount": 1}, year=2025)
    assert shown.headers == ["A", "B"] and [row.number for row in shown.rows] == [3]
