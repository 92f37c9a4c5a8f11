"""The activity file read in columns (``klimabok calc FILE``) gives what the row reader gives.

Every file here is read twice: by the row reader (:func:`read_activity_file`,
turned into columns) and by the columnar path — called directly
(``_csv_columns``), so that a test fails if the path gave the file back to
the row reader instead of reading it. Both must agree on every line (values,
row numbers in the refs, the order labels are numbered in) or on every error
message, in order.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimabok.core import activity_columns
from klimabok.core.activity_columns import (
    HEAD_SIZE,
    _csv_columns,
    _NotColumnar,
    _numbers,
    read_activity_columns,
)
from klimabok.core.activity_file import _quantity, read_activity_file
from klimabok.core.engine import ActivityColumns, ActivityLine
from klimabok.core.errors import InputErrors
from tests.test_engine_fixtures import tiny_catalogue

CATALOGUE = tiny_catalogue()
NAME = "aktiviteter.csv"

Read = tuple[list[ActivityLine], tuple[tuple[str, ...], ...]] | list[str]


def described(columns: ActivityColumns) -> Read:
    """Every line, and the labels in the order they are numbered (it orders by_site and the like)."""
    return ([columns.line(i) for i in range(len(columns))],
            (columns.activity_keys, columns.units, columns.sites))


def by_rows(data: bytes, name: str = NAME) -> Read:
    try:
        return described(ActivityColumns.from_lines(
            read_activity_file(io.BytesIO(data), catalogue=CATALOGUE, year=2025, name=name)))
    except InputErrors as errors:
        return [str(e) for e in errors.errors]


def in_columns(data: bytes, name: str = NAME) -> Read:
    """The columnar path itself: ``_NotColumnar`` (a fall-back to the row reader) fails the test."""
    try:
        return described(_csv_columns(io.BytesIO(data), data[:HEAD_SIZE], name=name, catalogue=CATALOGUE,
                                      year=2025))
    except InputErrors as errors:
        return [str(e) for e in errors.errors]


def same(data: bytes) -> Read:
    read = in_columns(data)
    assert read == by_rows(data)
    return read


def good(data: bytes) -> tuple[list[ActivityLine], tuple[tuple[str, ...], ...]]:
    """:func:`same`, for a file without errors."""
    read = same(data)
    assert not isinstance(read, list), read
    return read


def test_norwegian_numbers_semicolons_and_bokmal_headers() -> None:
    data = ("aktivitet;mengde;enhet;lokasjon;beskrivelse;datakvalitet;beløp_nok\n"
            "diesel;1 234,5;litre;Oslo;Firmabiler;1;12 000,50\n"
            "electricity.no;12,5;MWh;Bergen;Kontor;2;\n"
            "electricity.no;1.234,5;kWh;Oslo;;;\n"          # thousands dot, decimal comma: read one by one
            "taxi;1\u00a0000;km;;Flytaxi; 3 ;1\u202f500\n"   # non-breaking and narrow no-break spaces
            "taxi;2,5E+03;km;Bergen;;;\n"
            "taxi;-0;km;;;;\n").encode()
    lines, labels = good(data)
    assert [line.quantity for line in lines] == [1234.5, 12.5, 1234.5, 1000.0, 2500.0, -0.0]
    assert [line.data_quality for line in lines] == [1, 2, 3, 3, 3, 3]
    assert [line.ref for line in lines] == [f"{NAME}:{n}" for n in range(2, 8)]
    assert labels == (("diesel", "electricity.no", "taxi"), ("litre", "MWh", "kWh", "km"),
                      ("Oslo", "Bergen", ""))


def test_blank_lines_keep_their_row_numbers() -> None:
    data = (b"activity,quantity,unit,site\r\n\r\n"
            b"diesel,10,litre,\r\n"
            b",,,\r\n"              # empty cells only: skipped like an empty line
            b"\r\n"
            b"  ,\t, ,\r\n"         # blanks only
            b"taxi,5,km,Oslo\r\n\r\n\r\n")
    lines, _labels = good(data)
    assert [(line.activity, line.ref) for line in lines] == [("diesel", f"{NAME}:3"), ("taxi", f"{NAME}:7")]


def test_quoted_fields_and_a_newline_inside_quotes() -> None:
    data = ('activity,quantity,unit,description,site\n'
            '"diesel","1,5",litre,"Firmabil, ""den røde""",Oslo\n'
            'taxi,2,km,"Linje én\nlinje to",\n'      # one record over two physical lines: row 3
            'taxi,3,km,"",Bergen\n'                 # row 4, though the file's 5th line
            'electricity.no,"1 000",kWh,ab"c,Oslo\n').encode()
    lines, _labels = good(data)
    assert [(line.quantity, line.description, line.ref) for line in lines] == [
        (1.5, 'Firmabil, "den røde"', f"{NAME}:2"), (2.0, "Linje én\nlinje to", f"{NAME}:3"),
        (3.0, "", f"{NAME}:4"), (1000.0, 'ab"c', f"{NAME}:5")]


def test_bom_and_tabs() -> None:
    data = "\ufeffActivity\tQuantity\tUnit\tSite\ndiesel\t7.25\tlitre\tTromsø\n".encode()
    lines, _labels = good(data)
    assert lines == [ActivityLine("diesel", 7.25, "litre", "Tromsø", "", 3, f"{NAME}:2")]


def test_bad_values_deep_in_a_block(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(activity_columns, "BLOCK_SIZE", 4096)  # ~200 rows a block: row 2,500 is in block 12
    rows = [f"electricity.no;{n},5;kWh;Site {n % 7};{1 + n % 5};" for n in range(3000)]
    rows[2498] = "electricity.no;mye;kWh;Site 1;2;"
    rows[2598] = "electricity.no;1;kWh;Site 1;7,5;"
    rows[2698] = "electricity.no;-3,5;kWh;Site 1;2;"
    rows[2798] = "electricity.no;4;furlong;Site 1;2;"
    rows[2898] = "electricity.no;;kWh;Site 1;2;gratis"
    rows[2998] = "elektrisitet;4;kWh;Site 1;0;-100"
    data = ("aktivitet;mengde;enhet;lokasjon;datakvalitet;beløp_nok\n" + "\n".join(rows)).encode()
    assert same(data) == [
        f"{NAME}, row 2500, column mengde: 'mye' is not a number",
        f"{NAME}, row 2600, column datakvalitet: data quality must be a whole number 1–5, got '7,5'",
        f"{NAME}, row 2700, column mengde: quantity must not be negative (got -3.5)",
        f"{NAME}, row 2800, column enhet: 'furlong' cannot be converted to 'kWh', "
        "the unit of 'electricity.no'",
        f"{NAME}, row 2900, column mengde: quantity is missing",
        f"{NAME}, row 2900, column beløp_nok: 'gratis' is not an amount in NOK",
        f"{NAME}, row 3000, column aktivitet: unknown activity 'elektrisitet'",
        f"{NAME}, row 3000, column datakvalitet: "
        "data quality must be 1 (measured) to 5 (rough estimate), got 0",
        f"{NAME}, row 3000, column beløp_nok: the amount paid must be zero or more NOK, got '-100'",
    ]


def test_labels_are_numbered_as_first_seen_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(activity_columns, "BLOCK_SIZE", 1024)
    rows = [f"taxi,1,km,{site}" for site in ["B"] * 100 + [" A"] * 100 + ["A ", "C", "B", ""] * 30]
    _lines, labels = good(("activity,quantity,unit,site\n" + "\n".join(rows)).encode())
    assert labels[2] == ("B", "A", "C", "")


def test_file_level_errors_are_the_row_readers() -> None:
    assert same(b"aktivitet;enhet\ndiesel;litre\n") == [
        f"{NAME}, row 1, column quantity: required column 'quantity' (bokmål: 'mengde') is missing"]
    assert same(b"activity,quantity,unit\n\n,,\n") == [f"{NAME}: no activity lines below the header"]


@pytest.mark.parametrize("data", [
    "aktivitet;mengde;enhet;lokasjon\ndiesel;1,5;litre;Tromsø\n".encode("cp1252"),  # not UTF-8
    "\ufeffactivity,quantity,unit\ndiesel,1,litre\n".encode() + b"taxi,2,km\xe9\n",  # a BOM, then not UTF-8
    b"activity,quantity,unit,site\ndiesel,1\ntaxi,2,km,Oslo\n",                      # a short row
    b"activity,quantity,unit\ndiesel,1,litre,extra,\n\n,,,\n",                      # long rows
    b'"activ\nity",quantity,unit\ndiesel,1,litre\n',                                 # a header over two lines
    "activity;quantity;unit\ndiesel;1,5;m\u00b3\n".encode("cp1252"),
])
def test_what_pyarrow_cannot_split_csv_splits(data: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    split = activity_columns._python_batches

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return split(*args, **kwargs)

    monkeypatch.setattr(activity_columns, "_python_batches", spy)
    same(data)
    assert len(calls) == 1


def test_rows_split_by_csv_in_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(activity_columns, "PYTHON_BLOCK_ROWS", 64)
    rows = [f"electricity.no;{n},5;kWh;Bodø {n % 3};{1 + n % 5}" for n in range(1000)]
    rows[700] = "electricity.no;7;kWh"                 # short: site and tier blank
    rows[800] = "taxi;8;km;Bodø;2;;;"                  # long, the extra cells blank
    rows[900] = "taxi;ni;km;Bodø 1;2;ekstra"           # long, with text past the header
    rows[950] = ""
    data = ("aktivitet;mengde;enhet;lokasjon;datakvalitet\r\n" + "\r\n".join(rows)).encode("cp1252")
    assert same(data) == [f"{NAME}, row 902, column mengde: 'ni' is not a number"]
    rows[900] = "taxi;9;km;Bodø 1;2;ekstra"
    lines, labels = good(("aktivitet;mengde;enhet;lokasjon;datakvalitet\r\n" + "\r\n".join(rows))
                         .encode("cp1252"))
    assert len(lines) == 999
    assert lines[700] == ActivityLine("electricity.no", 7.0, "kWh", "", "", 3, f"{NAME}:702")
    assert lines[-1].ref == f"{NAME}:1001"
    assert labels[2] == ("Bodø 0", "Bodø 1", "Bodø 2", "", "Bodø")


@pytest.mark.parametrize("data", [
    b"activity,quantity,unit\ndiesel,1,litre\x00\n",                               # not text
    b"activity,quantity,unit\ndiesel,1,litre\n" + "é".encode("cp1252") + b"\x00",  # not text, not UTF-8
    b"\nactivity,quantity,unit\ndiesel,1,litre\n",                                 # no header in row 1
    b"activity,quantity,unit,site\n,,,Oslo\n",                                     # text but no activity
    b"activity,quantity,unit\n,,,Oslo\n",                                          # the same past the header
])
def test_what_the_columnar_path_leaves_to_the_row_reader(data: bytes) -> None:
    with pytest.raises(_NotColumnar):
        _csv_columns(io.BytesIO(data), data[:HEAD_SIZE], name=NAME, catalogue=CATALOGUE, year=2025)
    try:
        read: Read = described(read_activity_columns(io.BytesIO(data), catalogue=CATALOGUE, year=2025,
                                                     name=NAME))
    except InputErrors as errors:
        read = [str(e) for e in errors.errors]
    assert read == by_rows(data)


def test_a_path_and_an_xlsx_file(tmp_path: Path) -> None:
    csv_path = tmp_path / NAME
    csv_path.write_bytes(b"activity,quantity,unit\ndiesel,1000,litre\n")
    assert described(read_activity_columns(csv_path, catalogue=CATALOGUE, year=2025)) == \
        by_rows(csv_path.read_bytes())
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["aktivitet", "mengde", "enhet"])
    sheet.append(["taxi", 12.5, "km"])
    xlsx = tmp_path / "aktiviteter.xlsx"
    workbook.save(xlsx)
    lines, _labels = described(read_activity_columns(xlsx, catalogue=CATALOGUE, year=2025))
    assert lines == [ActivityLine("taxi", 12.5, "km", "", "", 3, "aktiviteter.xlsx:2")]


# Generated files: every cell a text people type, good or bad, in any of the accepted layouts.
st_space = "\u00a0"
_digits = st.integers(0, 10**9).map(str)
_number_texts = st.one_of(
    st.floats(0, 1e12, allow_nan=False).map(repr),                                     # 1234.5, 1e+20
    st.floats(-1e6, 1e9, allow_nan=False).map(lambda x: f"{x:.6f}".replace(".", ",")),  # 1234,500000
    st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", st_space)),               # 1 234 567
    st.tuples(st.integers(0, 10**7), _digits).map(lambda t: f"{t[0]:,}".replace(",", ".") + "," + t[1]),
    st.tuples(st.integers(0, 10**7), _digits).map(lambda t: f"{t[0]:,}.{t[1]}"),        # 1,234.5
    st.sampled_from(["", " ", "mye", "inf", "nan", "-1", "1e400", "1_000", "+5", ".5", "5.", "1,2,3",
                     "1.2.3", "١٢", "1'234,5", "\u22125", "0x10", "1e5", " 7 ", "1 234,5 ", "12,", "−3,5"]),
)
_activities = st.sampled_from(["diesel", "taxi", "electricity.no", " taxi ", "DIESEL", "flyreise",
                               "hotel.night"])
_units = st.sampled_from(["litre", "litres", "m3", "km", "kWh", "MWh", "room_night", "furlong", " km"])
_texts = st.text(st.sampled_from('ab ;,\t"\nøæ\u00a0'), max_size=8)
_tiers = st.sampled_from(["", "1", "2", " 3 ", "4,0", "5", "0", "6", "x", "2.5"])
_row = st.tuples(_activities, _number_texts, _units, _texts, _texts, _tiers, _number_texts)
_header = ("activity", "quantity", "unit", "site", "description", "data_quality", "cost_nok")


def _field(value: str, delimiter: str) -> str:
    if any(c in value for c in f'"\n\r{delimiter}') or value != value.strip(" "):
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def files(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    order = draw(st.permutations(range(len(_header))))
    rows = draw(st.lists(st.one_of(_row, st.just(None)), min_size=1, max_size=30))
    lines = [delimiter.join(_header[i] for i in order)]
    for row in rows:
        if row is None:
            lines.append(draw(st.sampled_from(["", delimiter * (len(_header) - 1)])))  # blank rows
        else:
            lines.append(delimiter.join(_field(row[i], delimiter) for i in order))
    bom = "\ufeff" if draw(st.booleans()) else ""
    return (bom + newline.join(lines) + draw(st.sampled_from(["", newline]))).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files())
def test_generated_files_read_the_same(data: bytes) -> None:
    same(data)


_good_number_texts = st.one_of(
    st.floats(0, 1e12, allow_nan=False).map(repr),
    st.floats(0, 1e9, allow_nan=False).map(lambda x: f"{x:.3f}".replace(".", ",")),
    st.integers(0, 10**9).map(lambda n: f"{n:,}".replace(",", " ")),
    st.tuples(st.integers(1000, 10**7), _digits).map(lambda t: f"{t[0]:,}".replace(",", ".") + "," + t[1]),
)
_good_row = st.tuples(st.sampled_from([("diesel", "litre"), ("diesel", "m3"), ("taxi", "km"),
                                       ("electricity.no", "kWh"), ("electricity.no", "MWh")]),
                      _good_number_texts, _texts, _texts, st.sampled_from(["", "1", "2", " 3", "4", "5"]))


@st.composite
def good_files(draw: st.DrawFn) -> tuple[bytes, int]:
    """A file without errors, and how many lines it has."""
    delimiter = draw(st.sampled_from([";", "\t"]))
    rows = draw(st.lists(_good_row, min_size=1, max_size=30))
    lines = [delimiter.join(("aktivitet", "mengde", "enhet", "lokasjon", "beskrivelse", "datakvalitet"))]
    for (activity, unit), quantity, site, description, tier in rows:
        lines.append(delimiter.join(_field(v, delimiter)
                                    for v in (activity, quantity, unit, site, description, tier)))
    return ("\n".join(lines) + "\n").encode(), len(rows)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(good_files())
def test_generated_good_files_give_the_same_lines(file: tuple[bytes, int]) -> None:
    data, n = file
    lines, _labels = good(data)
    assert len(lines) == n


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(st.sampled_from('ab1,;"\n\r '), max_size=6), min_size=1, max_size=5),
                max_size=8), st.sampled_from([",", ";"]))
def test_any_quoting_reads_the_same(rows: list[list[str]], delimiter: str) -> None:
    """Unquoted cells with quotes, delimiters and line breaks in them, split as :mod:`csv` splits them
    (by pyarrow, or by :mod:`csv` where rows come out longer or shorter than the header)."""
    data = "\n".join([delimiter.join(("activity", "quantity", "unit", "site")),
                      *(delimiter.join(["taxi", *cells]) for cells in rows)]).encode()
    try:  # a lone line break in a cell may start a row without an activity: the row reader's then
        read: Read = described(read_activity_columns(io.BytesIO(data), catalogue=CATALOGUE, year=2025,
                                                     name=NAME))
    except InputErrors as errors:
        read = [str(e) for e in errors.errors]
    assert read == by_rows(data)


def test_a_field_longer_than_csvs_limit_is_refused_as_the_row_reader_refuses_it() -> None:
    data = b"activity,quantity,unit,description\ndiesel,1,litre," + b"x" * 200 + b"\n"
    limit = csv.field_size_limit(100)
    try:
        with pytest.raises(_NotColumnar):
            _csv_columns(io.BytesIO(data), data[:HEAD_SIZE], name=NAME, catalogue=CATALOGUE, year=2025)
        with pytest.raises(csv.Error, match="field larger than field limit"):
            read_activity_columns(io.BytesIO(data), catalogue=CATALOGUE, year=2025, name=NAME)
        with pytest.raises(csv.Error, match="field larger than field limit"):
            by_rows(data)
    finally:
        csv.field_size_limit(limit)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.from_regex(r"\A-?[0-9]{1,40}(\.[0-9]{1,40})?([eE][+-]?[0-9]{1,3})?\Z"),
                          st.from_regex(r"\A-?[0-9]{1,3}([ \u00a0\u202f][0-9]{3}){0,3}(,[0-9]{1,20})?\Z"),
                          st.text("0123456789 ,.-+eE\u00a0\u202f'\u2212x", max_size=12)),
                min_size=1, max_size=40))
def test_numbers_in_c_are_the_row_readers(texts: list[str]) -> None:
    """Converted in C or one by one, a quantity is what the row reader reads, with its message."""
    problems: list[tuple[int, str, Any]] = []
    got = _numbers(pa.array(texts, type=pa.string()), np.arange(2, len(texts) + 2), "quantity", _quantity,
                   problems)
    expected = [_quantity(text) for text in texts]
    assert got.tolist() == [value for value, _ in expected]
    assert np.signbit(got).tolist() == [math.copysign(1, value) < 0 for value, _ in expected]
    assert [(row, str(problem)) for row, _, problem in problems] == [
        (i + 2, str(problem)) for i, (_, problem) in enumerate(expected) if problem]
