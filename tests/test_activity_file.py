"""Reading the activity-data template (CSV and XLSX) and writing the Excel template."""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest

from klimabok.core.activity_file import (
    TRAVEL_COLUMNS,
    read_activity_file,
    read_activity_sheet,
    write_template_xlsx,
)
from klimabok.core.engine import ActivityLine
from klimabok.core.errors import InputErrors
from klimabok.core.numbers import parse_number
from tests.test_engine_fixtures import tiny_catalogue

CATALOGUE = tiny_catalogue()


def read(tmp_path: Path, name: str, content: str | bytes, year: int = 2025) -> list[ActivityLine]:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return read_activity_file(path, catalogue=CATALOGUE, year=year)


def errors(tmp_path: Path, name: str, content: str | bytes, year: int = 2025) -> list[str]:
    # the count, then the first error names the file
    with pytest.raises(InputErrors, match=rf"^\d+ error\(s\):\n{re.escape(name)}[,:] ") as caught:
        read(tmp_path, name, content, year)
    return [str(e) for e in caught.value.errors]


def xlsx(rows: list[list[object]], sheet: str = "Activities", first: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    if first:
        ws.title = first
        ws = workbook.create_sheet(sheet)
    else:
        ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_comma_csv(tmp_path: Path) -> None:
    lines = read(tmp_path, "a.csv", "activity,quantity,unit,site,description,data_quality\n"
                                    "diesel,1000,litres,Oslo,Company cars,1\n"
                                    "electricity.no,12.5,MWh,,,\n")
    assert lines == [
        ActivityLine("diesel", 1000.0, "litres", "Oslo", "Company cars", 1, "a.csv:2"),
        ActivityLine("electricity.no", 12.5, "MWh", "", "", 3, "a.csv:3"),
    ]


def test_semicolon_csv_with_bom_bokmal_headers_and_decimal_comma(tmp_path: Path) -> None:
    content = "\ufeffAktivitet;Mengde;Enhet;Lokasjon;Beskrivelse;Datakvalitet\n" \
              "electricity.no;1 234,5;kWh;Bergen;Strøm;2\n\n" \
              "hotel.night;1.234,5;nights;;;\n"
    lines = read(tmp_path, "aktiviteter.csv", content.encode("utf-8"))
    assert [(ln.quantity, ln.site, ln.data_quality, ln.ref) for ln in lines] == [
        (1234.5, "Bergen", 2, "aktiviteter.csv:2"), (1234.5, "", 3, "aktiviteter.csv:4")]


def test_windows_1252_csv_from_older_excel(tmp_path: Path) -> None:
    lines = read(tmp_path, "a.csv", "activity;quantity;unit;site\ndiesel;10;l;Tromsø\n".encode("cp1252"))
    assert lines[0].site == "Tromsø"


def test_xlsx_reads_the_activities_sheet(tmp_path: Path) -> None:
    content = xlsx([["ACTIVITY", "Quantity", "Unit", "data quality"], ["diesel", 1000, "litres", 4],
                    [None, None, None], ["flight.short", "2 500", "pkm", None]], first="Notes")
    lines = read(tmp_path, "upload.xlsx", content)
    assert [(ln.activity, ln.quantity, ln.data_quality, ln.ref) for ln in lines] == [
        ("diesel", 1000.0, 4, "upload.xlsx:2"), ("flight.short", 2500.0, 3, "upload.xlsx:4")]


def test_stream_upload_takes_the_given_name() -> None:
    stream = io.BytesIO(b"activity,quantity,unit\ndiesel,1,l\n")
    lines = read_activity_file(stream, catalogue=CATALOGUE, year=2025, name="opplasting.csv")
    assert lines[0].ref == "opplasting.csv:2"


def test_every_bad_row_is_named_with_its_column(tmp_path: Path) -> None:
    content = ("activity;mengde;unit;data_quality\n"
               "diesel;ti;litres;\n"           # 2: not a number
               "diesel;-5;litres;\n"           # 3: negative
               "diesel;5;;\n"                  # 4: no unit
               "dieselx;5;litres;\n"           # 5: unknown activity
               "diesel;5;kWh;\n"               # 6: wrong dimension
               ";;;\n"                         # 7: empty, skipped
               "diesel;;litres;9\n"            # 8: no quantity, bad tier
               "diesel;5;litres;høy\n")        # 9: tier not a number
    assert errors(tmp_path, "bad.csv", content) == [
        "bad.csv, row 2, column mengde: 'ti' is not a number",
        "bad.csv, row 3, column mengde: quantity must not be negative (got -5)",
        "bad.csv, row 4, column unit: unit is missing",
        "bad.csv, row 5, column activity: unknown activity 'dieselx'",
        "bad.csv, row 6, column unit: 'kWh' cannot be converted to 'litre', the unit of 'diesel'",
        "bad.csv, row 8, column mengde: quantity is missing",
        "bad.csv, row 8, column data_quality: data quality must be 1 (measured) to 5 (rough estimate), got 9",
        "bad.csv, row 9, column data_quality: data quality must be a whole number 1–5, got 'høy'",
    ]


def test_a_year_without_factors(tmp_path: Path) -> None:
    assert errors(tmp_path, "a.csv", "activity,quantity,unit\ntaxi,5,km\n", year=2023) == [
        "a.csv, row 2, column activity: no emission factor for 'taxi' in 2023 or earlier"]


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    assert errors(tmp_path, "a.csv", "aktivitet;antall\ndiesel;5\n") == [
        "a.csv, row 1, column quantity: required column 'quantity' (bokmål: 'mengde') is missing",
        "a.csv, row 1, column unit: required column 'unit' (bokmål: 'enhet') is missing",
    ]


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.csv", b"", "empty.csv: the file is empty (no header in row 1)"),
    ("header.csv", b"activity,quantity,unit\n\n", "header.csv: no activity lines below the header"),
    ("broken.xlsx", b"this is not a spreadsheet",
     "broken.xlsx: not a readable XLSX file (corrupt, or another format)"),
    ("truncated.xlsx", b"PK\x03\x04 truncated zip",
     "truncated.xlsx: not a readable XLSX file (corrupt, or another format)"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "old.xls: the old .xls format is not supported: save as .xlsx or CSV"),
    ("image.csv", b"\x89PNG\x00\x00", "image.csv: not a text (CSV) file"),
])
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    assert errors(tmp_path, name, content) == [message]


def test_empty_xlsx(tmp_path: Path) -> None:
    assert errors(tmp_path, "empty.xlsx", xlsx([])) == ["empty.xlsx: the file is empty (no header in row 1)"]


@pytest.mark.parametrize(("text", "number"), [
    ("1234.5", 1234.5), ("1 234,5", 1234.5), ("1\u00a0234,5", 1234.5), ("1.234,5", 1234.5),
    ("1,234.5", 1234.5), ("1.234.567", 1234567), ("12,5", 12.5), ("0", 0), ("-3", -3),
])
def test_numbers_as_people_type_them(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["ten", "nan", "inf", "1,2,3.4.5", ""])
def test_not_numbers(text: str) -> None:
    # the text it could not read: on its own, or quoted by float()
    text_re = re.escape(text)
    with pytest.raises(ValueError, match=f"^({text_re}|could not convert string to float: '{text_re}')$"):
        parse_number(text)


def test_template_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template_xlsx(path, CATALOGUE, 2025)
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["Activities", "Catalogue", "Data quality"]
    listing = list(workbook["Catalogue"].iter_rows(values_only=True))
    assert listing[0] == ("activity", "unit", "name", "name (nb)", "group", "counts in")
    assert ("electricity.no", "kWh", "Electricity, Norway", "Strøm, Norge", None,
            "scope_2_location, scope_2_market") in listing
    assert "taxi" in [row[0] for row in listing]  # 2024 factor, still usable in 2025
    assert len(list(workbook["Data quality"].iter_rows())) == 6
    workbook.close()
    sheet = read_activity_sheet(path, catalogue=CATALOGUE, year=2025)
    assert sheet.problems == []
    assert [(r.line.activity, r.line.quantity, r.line.unit, r.line.data_quality) for r in sheet.rows] == [
        ("electricity.no", 1000, "kWh", 2), ("diesel", 1000, "litre", 2)]
    # The example flight and hotel nights come back unread, for the web app's flight and hotel forms.
    given = [(t.number, {k: v for k, v in t.cells.items() if k in TRAVEL_COLUMNS and v})
             for t in sheet.travel]
    assert given == [
        (4, {"from": "OSL", "to": "BGO", "class": "economy", "return": "yes", "passengers": "2"}),
        (5, {"country": "NO", "nights": "2"})]


def test_trips_are_refused_by_the_reader_without_the_web_app(tmp_path: Path) -> None:
    path = tmp_path / "trips.csv"
    path.write_text("activity;quantity;unit;from;to;country;nights\n"
                    "electricity.no;10;kWh;;;;\n;;;OSL;BGO;;\n;;;;;SE;3\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        read_activity_file(path, catalogue=CATALOGUE, year=2025)
    assert [(e.row, e.field) for e in caught.value.errors] == [(3, "from"), (4, "country")]
    assert "read only by an upload to klimabok's web pages" in str(caught.value.errors[0].problem)


def test_template_in_bokmal_reads_back(tmp_path: Path) -> None:
    stream = io.BytesIO()
    write_template_xlsx(stream, CATALOGUE, 2025, language="nb")
    sheet = openpyxl.load_workbook(io.BytesIO(stream.getvalue()))["Activities"]
    assert [c.value for c in sheet[1]] == ["aktivitet", "mengde", "enhet", "lokasjon", "beskrivelse",
                                            "datakvalitet", "leverandør", "bilag", "beløp_nok", "fra", "til",
                                            "klasse", "tur_retur", "passasjerer", "land", "netter"]
    read = read_activity_sheet(io.BytesIO(stream.getvalue()), catalogue=CATALOGUE, year=2025, name="mal.xlsx")
    assert (len(read.rows), [t.cells["return"] for t in read.travel]) == (2, ["ja", ""])


@pytest.mark.parametrize("year", [2024, 2025])
def test_shipped_csv_template_reads_with_the_shipped_catalogue(year: int) -> None:
    from klimabok.core.factors.catalogue import default_catalogue

    path = Path(__file__).resolve().parent.parent / "klimabok/data/templates/activities-template.csv"
    lines = read_activity_file(path, catalogue=default_catalogue(), year=year)
    assert [(ln.activity, ln.quantity, ln.unit, ln.data_quality) for ln in lines] == [
        ("electricity.no", 120000, "kWh", 1), ("flight.domestic.average", 2500, "passenger.km", 2)]


def test_shipped_catalogue_template_xlsx(tmp_path: Path) -> None:
    from klimabok.core.factors.catalogue import default_catalogue

    path = tmp_path / "mal.xlsx"
    write_template_xlsx(path, default_catalogue(), 2025)
    sheet = read_activity_sheet(path, catalogue=default_catalogue(), year=2025)
    assert [r.line.activity for r in sheet.rows] == ["electricity.no", "flight.domestic.average"]
    assert (sheet.problems, len(sheet.travel)) == ([], 2)
