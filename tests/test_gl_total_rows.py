"""Total and subtotal rows in a general-ledger export are skipped with a warning, not imported.

Exports and spreadsheets add "Sum konto 6300" or "Totalt" rows; read as accounts, their amounts would
count the spend twice (as an unmapped account "Sum konto 6300" of 50 000 NOK, say). A row with a
real account number keeps every check; an empty account beside an amount, with no total word, is
still a missing account (see the module docstring of ``klimabok.core.gl.reader``).
"""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import Settings

from klimabok.accounts.models import Organisation
from klimabok.core.errors import InputErrors
from klimabok.core.gl import GlReader, guess_mapping, preview
from klimabok.core.gl import reader as gl_reader
from klimabok.core.saft.model import LedgerLine
from klimabok.inventory.models import ReportingYear
from klimabok.ledger.models import LedgerImport, SpendLine
from klimabok.ledger.services import process_import, start_import

MAPPING = {"account": 0, "account_name": 1, "date": 2, "voucher": 3, "amount": 4}
# Rows 4, 6 and 8 are totals: in the account cell, in the first cell beside an empty account, and the
# grand total at the end.
WITH_TOTALS = (
    "Konto;Kontonavn;Dato;Bilagsnr;Beløp\n"
    "6300;Leie lokaler;15.01.2025;1;25 000,00\n"
    "6300;Leie lokaler;15.02.2025;2;25 000,00\n"
    "Sum konto 6300;;;;50 000,00\n"
    "7140;Reisekostnad fly;03.02.2025;3;1 200,50\n"
    ";Sum;;;1 200,50\n"
    "1920;Bank;31.12.2025;4;-51 200,50\n"
    "Totalt;;;;0,00\n"
)


def write(tmp_path: Path, content: str, name: str = "hovedbok.csv") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def sums(lines: list[LedgerLine]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        out[line.account_id] += line.amount
    return dict(out)


def test_total_rows_are_skipped_with_a_warning_and_the_sums_are_the_rows_above(tmp_path: Path) -> None:
    reader = GlReader(write(tmp_path, WITH_TOTALS), MAPPING, year=2025)
    lines = list(reader.lines())

    # 6300: 25 000 + 25 000 = 50 000 (not 100 000 with "Sum konto 6300"); 7140: 1 200,50 (not 2 401);
    # 1920: −51 200,50. Debit 50 000 + 1 200,50 = 51 200,50 = credit, so no balance warning.
    assert sums(lines) == {"6300": Decimal("50000.00"), "7140": Decimal("1200.50"),
                           "1920": Decimal("-51200.50")}
    assert [line.record_id for line in lines] == ["2", "3", "5", "7"]
    assert set(reader.accounts) == {"6300", "7140", "1920"}
    assert reader.transactions == 4
    assert [str(w) for w in reader.warnings] == [
        "row 4 looks like a total row (“Sum konto 6300”) and is skipped",
        "row 6 looks like a total row (“Sum”) and is skipped",
        "row 8 looks like a total row (“Totalt”) and is skipped",
    ]


def test_english_xlsx_totals_with_debit_and_credit_and_a_numberless_account(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (["Account", "Description", "Debit", "Credit"],
                [6540, "Laptops", 30000, None],
                [6540, "Laptops, returned", None, 5000.5],
                ["Subtotal", None, 30000, 5000.5],   # row 4
                ["Carried forward", None, 1000, None],  # row 5: a word, no account number
                [2400, "Payables", None, 24999.5],
                ["TOTAL:", None, "#REF!", None]):      # row 7: a total, whatever its amount says
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(out.getvalue())

    reader = GlReader(path, {"account": 0, "description": 1, "debit": 2, "credit": 3}, year=2025)
    lines = list(reader.lines())

    # 6540: 30 000 − 5 000,50 = 24 999,50; 2400: −24 999,50
    assert sums(lines) == {"6540": Decimal("24999.50"), "2400": Decimal("-24999.50")}
    assert [str(w) for w in reader.warnings] == [
        "row 4 looks like a total row (“Subtotal”) and is skipped",
        "row 5 looks like a total row (“Carried forward”) and is skipped",
        "row 7 looks like a total row (“TOTAL:”) and is skipped",
    ]


def test_real_accounts_and_lost_accounts_are_still_refused(tmp_path: Path) -> None:
    content = ("Konto;Tekst;Beløp\n"
               "6300;Husleie;n/a\n"         # row 2: an account number with a bad amount
               ";Husleie mars;25 000\n"     # row 3: an amount without account and no total word
               "Driftskostnader;;\n"        # row 4: a heading: a word with no amount
               "6300 Sum;Husleie;100\n"     # row 5: account 6300 named "Sum": a real account, read
               "Summer party;;100\n"        # row 6: "Summer" is no total word, but numberless: skipped
               ";Sum;tusen\n")              # row 7: a total row: its amount is not checked
    mapping = {"account": 0, "description": 1, "amount": 2}
    with pytest.raises(InputErrors, match=r"^3 error\(s\):\nhovedbok\.csv, row 2, column Beløp: ") as caught:
        list(GlReader(write(tmp_path, content), mapping, year=2025).lines())
    assert [str(e) for e in caught.value.errors] == [
        "hovedbok.csv, row 2, column Beløp: 'n/a' is not an amount",
        "hovedbok.csv, row 3, column Konto: the account number is missing",
        "hovedbok.csv, row 4, column Beløp: the amount is missing",
    ]


def test_many_total_rows_are_named_up_to_the_cap_then_counted(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gl_reader, "MAX_SKIPPED_WARNINGS", 2)
    content = "Konto;Beløp\n" + "".join("6300;100\nSum;100\n" for _ in range(5))  # totals: rows 3, 5…11
    reader = GlReader(write(tmp_path, content), {"account": 0, "amount": 1}, year=2025)
    assert sum(line.amount for line in reader.lines()) == Decimal(500)  # 5 × 100, the totals not counted
    assert [str(w) for w in reader.warnings][:3] == [
        "row 3 looks like a total row (“Sum”) and is skipped",
        "row 5 looks like a total row (“Sum”) and is skipped",
        "3 more total rows are skipped",
    ]


def test_the_preview_marks_a_total_row_as_skipped(tmp_path: Path) -> None:
    shown = preview(write(tmp_path, WITH_TOTALS), MAPPING, year=2025, n=4)
    assert [row.number for row in shown.rows] == [2, 3, 4, 5]
    total = shown.rows[2]
    assert total.line is None and total.problems == ()
    assert str(total.skipped) == "row 4 looks like a total row (“Sum konto 6300”) and is skipped"
    assert shown.rows[0].skipped is None


@pytest.mark.django_db
def test_an_import_stores_the_sums_without_the_totals_and_the_warnings(tmp_path: Path,
                                                                        settings: Settings) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    organisation = Organisation.objects.create(slug="nordlys", name="Nordlys")
    year = ReportingYear.objects.create(organisation=organisation, year=2025)
    headers = WITH_TOTALS.split("\n", 1)[0].split(";")
    queued = start_import(year, SimpleUploadedFile("hovedbok.csv", WITH_TOTALS.encode()), None,
                          kind=LedgerImport.Kind.GL, options={"mapping": guess_mapping(headers)})
    imported = process_import(queued)
    assert imported.status == LedgerImport.Status.READY, imported.errors
    net = dict(SpendLine.objects.filter(ledger_import=imported).values_list("account_id", "net_nok"))
    assert net == {"6300": Decimal("50000.00"), "7140": Decimal("1200.50"), "1920": Decimal("-51200.50")}
    # 4 lines; debit 51 200,50 = credit
    assert (imported.line_count, imported.total_debit, imported.total_credit) == (
        4, Decimal("51200.50"), Decimal("51200.50"))
    assert len(imported.warnings) == 3
