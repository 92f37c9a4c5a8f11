"""The activity file read in columns: what ``klimabok calc FILE`` computes on.

:func:`read_activity_columns` gives the same lines as
:func:`~klimabok.core.activity_file.read_activity_file` — same values, same
row numbers in the refs, same order of labels, and for a bad file the same
:class:`InputErrors`, row by row — as :class:`ActivityColumns`, without a
Python object per row or per cell.

A CSV file is streamed through pyarrow's CSV reader in blocks of
:data:`BLOCK_SIZE` bytes: each block becomes integer codes and float64 arrays
and is dropped, so the file is never held whole, nor as Python rows. Every
field is read as text, exactly as :mod:`csv` splits it (quotes, doubled
quotes, newlines inside quotes; an empty line is a record of its own, so
record *k* is row *k + 1* as Excel numbers it). Then:

- activity, unit, site and data quality are dictionary-encoded per block,
  and each distinct text is read by the row reader's own functions (strip,
  tier) — a few hundred calls, not a million;
- quantities and amounts: texts that are plainly a number — "1234.5",
  "1234,5", "-3", "1,5E+06", or digits grouped by three with a space
  (also U+00A0, U+202F: "1 234 567,5") — are converted in C once a decimal
  comma is made a point (correctly rounded, as Python's ``float``); every
  other text ("1.234,5", "1,234.5", letters, blanks, infinity, negative
  numbers) is read by the row reader's own function, one by one, with its
  messages. The C path must read only what ``parse_number`` reads the
  same way: tests/test_activity_columns.py checks it on generated texts.

Where pyarrow cannot split a file as :mod:`csv` does — rows with more or
fewer fields than the header, text that is not UTF-8 (the row reader then
reads Windows-1252), a header cell over several lines — :mod:`csv` splits
it, 50,000 records at a time, and the same columns are made of them: slower
(Python per row), still without the whole file in memory.

Whatever neither takes on goes to the row reader, which then decides alone:
XLSX files, NUL bytes, a field longer than :mod:`csv`'s limit, a file with
no header, and a row with text but no activity (a flight or hotel row, or a
mistake). The result is the same, only slower.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
from collections.abc import Callable, Iterator
from functools import partial
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from klimabok.core.activity_file import (
    COLUMNS,
    REQUIRED,
    _cost,
    _header_columns,
    _is_xlsx,
    _nb,
    _quantity,
    _text,
    _tier,
    read_activity_file,
)
from klimabok.core.engine import ActivityColumns, line_problems
from klimabok.core.engine.inputs import CODE_DTYPE, TextsOnDemand
from klimabok.core.errors import InputError, InputErrors
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.messages import Message, message

#: Bytes per block of the streamed read: the memory a block costs, a few times over, while it is read.
BLOCK_SIZE = 1 << 20
#: Records per block when :mod:`csv` splits the file (rows with more or fewer fields than the header).
PYTHON_BLOCK_ROWS = 50_000
#: How much of the file's start is looked at for the header line and the delimiter.
HEAD_SIZE = 1 << 20
#: Numbers that C converts exactly as the row reader's ``parse_number`` reads them, once a decimal
#: comma is made a point: digits with one decimal separator at most, or an exponent ("1,5E+06") ...
_PLAIN_NUMBER = r"^-?[0-9]+([.,][0-9]+)?([eE][+-]?[0-9]+)?$"
#: ... and, with the spaces dropped too, digits grouped by three with a space ("1 234 567,5").
_GROUPED_NUMBER = "^-?[0-9]{1,3}([ \u00a0\u202f][0-9]{3})+([.,][0-9]+)?$"
_SPACES = "[ \u00a0\u202f]"


class _NotColumnar(Exception):
    """This file is left to the row reader (see the module docstring)."""


class _SplitInPython(Exception):
    """pyarrow cannot split this file as :mod:`csv` does: :mod:`csv` splits it, in blocks of rows."""


def read_activity_columns(file: str | Path | IO[bytes], *, catalogue: Catalogue, year: int,
                          name: str | None = None) -> ActivityColumns:
    """:func:`~klimabok.core.activity_file.read_activity_file` as columns; each ref is ``"name:row"``."""
    data = None
    if isinstance(file, str | Path):
        name = name or Path(file).name
        with open(file, "rb") as fh:
            head = fh.read(HEAD_SIZE)
    else:
        name = name or Path(str(getattr(file, "name", "upload"))).name
        data = file.read()
        head = data[:HEAD_SIZE]
    if not _is_xlsx(head, name):
        try:
            return _csv_columns(file if data is None else io.BytesIO(data), head, name=name,
                                catalogue=catalogue, year=year)
        except _NotColumnar:
            pass
    return ActivityColumns.from_lines(read_activity_file(file if data is None else io.BytesIO(data),
                                                         catalogue=catalogue, year=year, name=name))


class _Labels(dict[str, int]):
    """Text → code, numbering new texts as they are first seen."""

    def __missing__(self, label: str) -> int:
        self[label] = code = len(self)
        return code


class _Encoder:
    """One text column's codes across blocks: each distinct raw text is stripped (``_text``) once."""

    def __init__(self) -> None:
        self.labels = _Labels()
        self._raw: dict[str, int] = {}

    def codes(self, values: pa.Array) -> np.ndarray:
        encoded = pc.dictionary_encode(values)
        raw = encoded.dictionary.to_pylist()
        known = self._raw
        lookup = np.fromiter((known[v] if v in known else known.setdefault(v, self.labels[_text(v)])
                              for v in raw), dtype=CODE_DTYPE, count=len(raw))
        indices: np.ndarray = encoded.indices.to_numpy(zero_copy_only=False)
        return lookup.take(indices)


class _Texts(TextsOnDemand):
    """A column of texts read on demand, stripped as the row reader strips them (descriptions)."""

    def __init__(self, values: pa.Array) -> None:
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    def _item(self, index: int) -> str:
        return _text(self._values[index].as_py())

    def _items(self, index: slice) -> list[str]:
        return [_text(v) for v in self._values[index].to_pylist()]


class _Refs(TextsOnDemand):
    """``"name:row"`` of each line, made when read."""

    def __init__(self, name: str, rows: np.ndarray) -> None:
        self._name, self._rows = name, rows

    def __len__(self) -> int:
        return len(self._rows)

    def _item(self, index: int) -> str:
        return f"{self._name}:{int(self._rows[index])}"

    def _items(self, index: slice) -> list[str]:
        return [f"{self._name}:{row}" for row in self._rows[index].tolist()]


#: A problem found while reading: (row number, canonical column, message).
_Problem = tuple[int, str, Message]


def _csv_columns(file: str | Path | IO[bytes], head: bytes, *, name: str, catalogue: Catalogue,
                 year: int) -> ActivityColumns:
    """The columns of a CSV file: split by pyarrow, or where it cannot, by :mod:`csv` (see the module)."""
    delimiter = _delimiter(head, whole=len(head) < HEAD_SIZE)
    header = _first_record(head, delimiter)
    if header is not None:
        try:
            return _columns(header, partial(_arrow_batches, file, delimiter=delimiter, header=header),
                            name=name, catalogue=catalogue, year=year)
        except _SplitInPython:
            _rewind(file)
    header, batches = _python_batches(file, delimiter)
    return _columns(header, batches, name=name, catalogue=catalogue, year=year)


#: Where the blocks of records come from, given the columns' names and those read (the activity's first):
#: (block, row number of its first record). A block may leave out columns not read.
_Batches = Callable[[list[str], list[str]], Iterator[tuple[pa.RecordBatch, int]]]


def _columns(header: list[str], batches: _Batches, *, name: str, catalogue: Catalogue,
             year: int) -> ActivityColumns:
    if not any(_text(v) for v in header):
        raise _NotColumnar  # the row reader says "the file is empty"
    columns = _header_columns(tuple(header))
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputErrors([
            InputError(message("required column '%(column)s' (bokmål: '%(column_nb)s') is missing", column=c,
                               column_nb=_nb(c)), source=name, row=1, field=c)
            for c in missing])
    names = [f"c{i}" for i in range(len(header))]
    field = {key: names[i] for key, i in columns.items() if key in COLUMNS}
    encoders = {key: _Encoder() for key in ("activity", "unit", "site")}
    tiers: dict[str, tuple[int, Message | None]] = {}
    parts: dict[str, list[np.ndarray]] = {key: [] for key in ("activity", "unit", "site", "quantity",
                                                                "data_quality", "row")}
    descriptions: list[pa.Array] = []
    problems: list[_Problem] = []
    read = [field["activity"], *(c for key, c in field.items() if key != "activity")]
    for batch, first_row in batches(names, read):
        keep = _filled(batch, field["activity"])
        rows = np.arange(first_row, first_row + batch.num_rows, dtype=np.int32)
        if not keep.all():
            batch, rows = batch.filter(pa.array(keep)), rows[keep]
        if not batch.num_rows:
            continue
        parts["row"].append(rows)
        for key, encoder in encoders.items():
            if key in field:
                parts[key].append(encoder.codes(batch.column(field[key])))
        parts["quantity"].append(_numbers(batch.column(field["quantity"]), rows, "quantity", _quantity,
                                          problems))
        parts["data_quality"].append(_tiers(batch.column(field["data_quality"]), rows, tiers, problems)
                                     if "data_quality" in field
                                     else np.full(batch.num_rows, _tier(None)[0], dtype=CODE_DTYPE))
        if "cost_nok" in field:
            _numbers(batch.column(field["cost_nok"]), rows, "cost_nok", _cost, problems)
        if "description" in field:
            descriptions.append(batch.column(field["description"]))
    if not parts["row"]:
        raise InputErrors([InputError(message("no activity lines below the header"), source=name)])
    row = np.concatenate(parts["row"])
    codes = {key: _labels(parts[key], encoders[key] if key in field else None, len(row))
             for key in ("activity", "unit", "site")}
    result = ActivityColumns(
        activity_codes=codes["activity"][0], activity_keys=codes["activity"][1],
        quantities=np.concatenate(parts["quantity"]), unit_codes=codes["unit"][0], units=codes["unit"][1],
        site_codes=codes["site"][0], sites=codes["site"][1],
        data_quality=np.concatenate(parts["data_quality"]),
        descriptions=_Texts(pa.concat_arrays(descriptions)) if descriptions else (),
        refs=_Refs(name, row))
    problems += [(int(row[p.index]), p.field, p.message)
                 for p in line_problems(result, year=year, catalogue=catalogue)]
    if problems:
        heading = {key: _text(header[i]) for key, i in columns.items()}
        problems.sort(key=lambda p: (p[0], COLUMNS.index(p[1])))
        raise InputErrors([InputError(msg, source=name, row=number, field=heading.get(key, key))
                           for number, key, msg in problems])
    return result


def _delimiter(head: bytes, *, whole: bool) -> str:
    """The one of ";", "," and tab that the first line uses most, as the row reader chooses."""
    end = head.find(b"\n")
    if end < 0 and not whole:
        raise _NotColumnar  # a first line over HEAD_SIZE
    first_line = head if end < 0 else head[:end]
    return max((";", ",", "\t"), key=lambda d: first_line.count(d.encode()))


def _first_record(head: bytes, delimiter: str) -> list[str] | None:
    """Row 1 when it is the first line in UTF-8 (what pyarrow is given); else None."""
    first_line = head.split(b"\n", 1)[0]
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    header = next(csv.reader(io.StringIO(text + "\n", newline=""), delimiter=delimiter), [])
    if any("\n" in field or "\r" in field for field in header):
        return None  # a quoted header cell over several lines
    return header


def _rewind(file: str | Path | IO[bytes]) -> None:
    if not isinstance(file, str | Path):
        file.seek(0)


def _arrow_batches(file: str | Path | IO[bytes], names: list[str], read: list[str], *, delimiter: str,
                   header: list[str]) -> Iterator[tuple[pa.RecordBatch, int]]:
    """The records after the header in blocks, every field as text, each with its first record's row.

    Every column is kept, read or not: :func:`_filled` looks at all of a row without an activity.
    """
    source = pa.PythonFile(_NulCheck(file), mode="r")
    try:
        row = 1
        for batch in _read(source, names, delimiter):
            if row == 1:
                if [batch.column(i)[0].as_py() for i in range(len(names))] != header:
                    raise _SplitInPython
                batch, row = batch.slice(1), 2
            _check_field_sizes(batch)
            yield batch, row
            row += batch.num_rows
    finally:
        source.close()


def _read(source: pa.PythonFile, names: list[str], delimiter: str) -> Iterator[pa.RecordBatch]:
    """pyarrow's streaming CSV reader: every field as text, exactly as :mod:`csv` splits it."""
    try:
        reader = pcsv.open_csv(
            source,
            read_options=pcsv.ReadOptions(column_names=names, block_size=BLOCK_SIZE),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                            ignore_empty_lines=False),
            convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                strings_can_be_null=False, quoted_strings_can_be_null=False))
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                return
            yield batch
    except _NulError:
        raise _NotColumnar from None
    except pa.ArrowInvalid:  # rows with more or fewer fields than the header, text that is not UTF-8
        raise _SplitInPython from None


def _python_batches(file: str | Path | IO[bytes], delimiter: str) -> tuple[list[str], _Batches]:
    """Row 1, and the records after it in blocks, split by :mod:`csv` as the row reader splits them.

    The encoding is the row reader's: UTF-8 (a BOM dropped) when the whole
    file is UTF-8, else Windows-1252. A short row is padded with blanks (the
    row reader reads a missing cell as a blank one). Only the columns read
    become arrays, and one more for :func:`_filled`: each row without an
    activity, all its cells joined (the cells past the header's too).
    """
    encoding = _encoding(file)
    _rewind(file)
    binary: IO[bytes] = open(file, "rb") if isinstance(file, str | Path) else file  # noqa: SIM115
    text = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = next(reader, [])
    except BaseException:
        _release(text, file)
        raise

    def batches(names: list[str], read: list[str]) -> Iterator[tuple[pa.RecordBatch, int]]:
        row = 2
        try:
            while block := _block(reader, names, read):
                yield block, row
                row += block.num_rows
        finally:
            _release(text, file)

    return header, batches


def _block(reader: Iterator[list[str]], names: list[str], read: list[str]) -> pa.RecordBatch | None:
    """The next :data:`PYTHON_BLOCK_ROWS` records as the columns ``read`` and "rest" (see above)."""
    n, activity = len(names), names.index(read[0])
    collecting = gc.isenabled()
    gc.disable()  # 50,000 new lists: the collector would walk them again and again
    try:
        records = list(islice(reader, PYTHON_BLOCK_ROWS))
        if not records:
            return None
        for record in records:
            if len(record) < n:
                record.extend([""] * (n - len(record)))
        arrays = [pa.array(list(map(itemgetter(names.index(c)), records)), type=pa.string()) for c in read]
        encoded = pc.dictionary_encode(arrays[0])
        blank = [i for i, text in enumerate(encoded.dictionary.to_pylist()) if not _text(text)]
        rest = [""] * len(records)
        if blank:
            indices = encoded.indices.to_numpy(zero_copy_only=False)
            for i in np.flatnonzero(np.isin(indices, blank)).tolist():
                rest[i] = "".join(records[i][:activity] + records[i][activity + 1:])
        arrays.append(pa.array(rest, type=pa.string()))
        return pa.RecordBatch.from_arrays(arrays, names=[*read, "rest"])
    finally:
        if collecting:
            gc.enable()


def _release(text: io.TextIOWrapper, file: str | Path | IO[bytes]) -> None:
    """Close a file this module opened; leave a caller's stream open (for the row reader)."""
    if isinstance(file, str | Path):
        text.close()
    else:
        text.detach()


def _encoding(file: str | Path | IO[bytes]) -> str:
    """The row reader's choice: "utf-8-sig" when the whole file decodes, else "cp1252" (a NUL: not text)."""
    decoder, utf8 = codecs.getincrementaldecoder("utf-8")(), True
    binary: IO[bytes] = open(file, "rb") if isinstance(file, str | Path) else file  # noqa: SIM115
    try:
        while chunk := binary.read(BLOCK_SIZE):
            if b"\x00" in chunk:
                raise _NotColumnar  # the row reader says "not a text (CSV) file"
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                utf8 = False
    finally:
        if isinstance(file, str | Path):
            binary.close()
    return "utf-8-sig" if utf8 else "cp1252"


def _check_field_sizes(batch: pa.RecordBatch) -> None:
    """:mod:`csv` refuses a field longer than its limit: such a file goes to the row reader."""
    limit = csv.field_size_limit()
    for column in batch.columns:
        longest = pc.max(pc.binary_length(column)).as_py()  # bytes ≥ characters: usually settles it
        if longest is not None and longest > limit and pc.max(pc.utf8_length(column)).as_py() > limit:
            raise _NotColumnar


class _NulError(Exception):
    pass


class _NulCheck(io.RawIOBase):
    """The file's bytes for pyarrow; a NUL byte (not a text file: the row reader says so) stops the read."""

    def __init__(self, file: str | Path | IO[bytes]) -> None:
        self._file: IO[bytes] = open(file, "rb") if isinstance(file, str | Path) else file  # noqa: SIM115
        self._owned = isinstance(file, str | Path)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        if b"\x00" in data:
            raise _NulError
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if self._owned:
            self._file.close()
        super().close()


def _filled(batch: pa.RecordBatch, activity: str) -> np.ndarray:
    """The rows with an activity; a row with no text at all is skipped, as the row reader skips it.

    A row with text but no activity (a flight or hotel row, or a mistake) gives the file to the row reader.
    """
    encoded = pc.dictionary_encode(batch.column(activity))
    has_text = np.array([bool(_text(v)) for v in encoded.dictionary.to_pylist()], dtype=bool)
    keep: np.ndarray = has_text.take(encoded.indices.to_numpy(zero_copy_only=False))
    for i in np.flatnonzero(~keep).tolist():
        if any(_text(column[i].as_py()) for column in batch.columns):
            raise _NotColumnar
    return keep


def _numbers(values: pa.Array, rows: np.ndarray, field: str,
             read_one: Callable[[Any], tuple[float | None, Message | None]],
             problems: list[_Problem]) -> np.ndarray:
    """Numbers of a column, read as ``read_one`` reads them; its problems go to ``problems``.

    Texts that are plainly numbers are converted in C; ``read_one`` reads the
    rest, and every negative or non-finite one too, so that its value and message are the ones given.
    """
    texts = values
    plain = pc.match_substring_regex(values, _PLAIN_NUMBER)
    if not pc.all(plain).as_py():
        plain = pc.or_(plain, pc.match_substring_regex(values, _GROUPED_NUMBER))
        texts = pc.replace_substring_regex(values, _SPACES, "")
    texts = pc.replace_substring(texts, ",", ".")
    number = np.array(pc.cast(pc.if_else(plain, texts, "0"), pa.float64()).to_numpy(zero_copy_only=False),
                      dtype=np.float64)
    one_by_one = ~plain.to_numpy(zero_copy_only=False) | ~np.isfinite(number) | (number < 0)
    for i in np.flatnonzero(one_by_one).tolist():
        value, problem = read_one(values[i].as_py())
        number[i] = 0.0 if value is None else value
        if problem:
            problems.append((int(rows[i]), field, problem))
    return number


def _tiers(values: pa.Array, rows: np.ndarray, known: dict[str, tuple[int, Message | None]],
           problems: list[_Problem]) -> np.ndarray:
    """Data-quality tiers, each distinct text read once by the row reader's function."""
    encoded = pc.dictionary_encode(values)
    raw = encoded.dictionary.to_pylist()
    read = [known[v] if v in known else known.setdefault(v, _tier(v)) for v in raw]
    indices: np.ndarray = encoded.indices.to_numpy(zero_copy_only=False)
    bad = [j for j, (_, problem) in enumerate(read) if problem]
    if bad:
        for i in np.flatnonzero(np.isin(indices, bad)).tolist():
            problem = read[indices[i]][1]
            assert problem is not None
            problems.append((int(rows[i]), "data_quality", problem))
    return np.array([tier for tier, _ in read], dtype=CODE_DTYPE).take(indices)


def _labels(codes: list[np.ndarray], encoder: _Encoder | None, n: int) -> tuple[np.ndarray, tuple[str, ...]]:
    """A text column's codes and labels (first seen first, as ``ActivityColumns.from_lines`` numbers them)."""
    if encoder is None:
        return np.zeros(n, dtype=CODE_DTYPE), ("",)
    return np.concatenate(codes), tuple(encoder.labels)
