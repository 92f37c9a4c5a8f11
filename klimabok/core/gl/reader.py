"""A general-ledger CSV/XLSX export read like a SAF-T file: :class:`GlReader` and :func:`preview`.

:class:`GlReader` has :class:`~klimabok.core.saft.SaftReader`'s shape (``lines()``, then
``header``, ``accounts``, ``suppliers``, ``transactions``, ``warnings``, ``source``), so the ledger
importer takes either. What a SAF-T file declares, the export does not, so:

- accounts are the distinct account numbers, named by the account-name column (or by the text after
  the number when the account cell reads "6300 Leie lokale"); they carry no grouping code, so the
  spend classification falls back to the account number range and the name;
- suppliers are keyed by the supplier-number column, else the org.nr, else the name;
- the header's company is the one the user imports for, its period the year given — or, with a date
  column, the first and last date, each of which must lie in that year;
- ``transactions`` is the number of distinct vouchers (0 without a voucher column).

Every row is checked (an amount that is not a number, a missing account, a date that is not a date or
not in the year); the errors are collected, at most :data:`MAX_ERRORS`, and raised after the last row
as :class:`~klimabok.core.errors.InputErrors` naming file, row and column, so an importer consuming
``lines()`` writes nothing. A mapping that cannot read the file is refused before the first row.

Total and subtotal rows, which exports and spreadsheets add ("Sum", "Totalt", "Sum konto 6300"),
are skipped with a warning naming the row (the first :data:`MAX_SKIPPED_WARNINGS`, then a count), so
their amounts are not counted twice. A row is one when

- its account cell starts with a total word (:data:`_TOTAL`: sum, delsum, subtotal, total, totalt,
  totals, totalsum, i alt), whatever its amount says; or
- its account cell is a word without a digit ("Overført") and an amount is given: no account of a
  chart of accounts is numberless, and the spend mapping classifies accounts by their number; or
- its account cell is empty and the first non-empty cell of the row outside the amount columns
  starts with a total word (";;Sum;125 000").

Everything else keeps the checks: an account with a digit in it is an account, so "6300" with the
amount "n/a" is refused; an empty account beside an amount and no total word (a posting whose
account was lost) is refused as a missing account — skipping it would drop real spend silently. A
numberless word with no amount at all (a heading) is refused too, as a row without an amount.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from klimabok.core.errors import InputError, InputErrors
from klimabok.core.gl.mapping import ColumnMapping, check_mapping, guess_mapping, mapping_problems
from klimabok.core.gl.table import Table, open_table
from klimabok.core.gl.values import amount_of, date_of
from klimabok.core.messages import Message, message
from klimabok.core.saft.model import Account, Header, LedgerLine, Supplier

#: Collected row errors after which reading stops (the file is rejected anyway).
MAX_ERRORS = 1000
#: Total rows named one by one in the warnings; the rest are counted.
MAX_SKIPPED_WARNINGS = 20
#: ``Header.mapping`` of a general-ledger export: accounts are classified by their number.
ACCOUNT_NUMBER_MAPPING = "account_number"
_NUMBER_AND_NAME = re.compile(r"(\d{3,})\s+(\S.*)")
#: A cell starting with one of these words marks a total row (see the module docstring).
_TOTAL = re.compile(r"(?:sum|delsum|sub-?total|totalt?|totals|totalsum|i\s+alt)(?![0-9a-zæøå])",
                    re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_ZERO = Decimal(0)


def _text(value: Any) -> str:
    """A cell as text (an XLSX whole number without ".0")."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()  # an XLSX date cell, not "2025-03-01 00:00:00"
    return str(value).strip()


@dataclass(frozen=True, slots=True)
class ParsedRow:
    """One row below the header: the line it makes (``None`` when it has problems or is skipped), the
    problems, and why it is skipped (a total row) if it is."""

    number: int
    cells: tuple[str, ...]
    line: LedgerLine | None
    account_name: str
    supplier: Supplier | None
    problems: tuple[InputError, ...]
    skipped: Message | None = None


class _RowParser:
    """Turns a row's cells into a :class:`LedgerLine` under a mapping, for one reporting year."""

    def __init__(self, mapping: ColumnMapping, headers: list[str], year: int, source: str) -> None:
        self.mapping, self.headers, self.year, self.source = mapping, headers, year, source
        self.amount_roles = [role for role in ("amount", "debit", "credit") if role in mapping]
        self.amount_columns = {mapping[role] for role in self.amount_roles}
        self.split_account = "account_name" not in mapping
        self._dates: dict[str, date] = {}

    def problem(self, number: int, role: str, problem: Message) -> InputError:
        return InputError(problem, source=self.source, row=number, field=self.headers[self.mapping[role]])

    def parse(self, number: int, cells: tuple[Any, ...]) -> ParsedRow | None:
        """The row as a line, or with its problems; ``None`` for a blank row."""
        texts = tuple(map(_text, cells))
        if not any(texts):
            return None
        mapping, width = self.mapping, len(texts)

        def text(role: str) -> str:
            column = mapping.get(role, width)
            return texts[column] if column < width else ""

        problems: list[InputError] = []
        account, account_name = text("account"), text("account_name")
        if (total := self._total(texts, account)) is not None:
            shown = total if len(total) <= 40 else f"{total[:39]}…"
            skipped = message("row %(row)s looks like a total row (“%(text)s”) and is skipped", row=number,
                              text=shown)
            return ParsedRow(number, texts, None, account_name, None, (), skipped)
        if not account:
            problems.append(self.problem(number, "account", message("the account number is missing")))
        elif self.split_account and (split := _NUMBER_AND_NAME.fullmatch(account)):
            account, account_name = split.groups()
        amount = self._amount(number, cells, texts, problems)
        when = self._date(number, cells, text("date"), problems) if "date" in mapping else None
        name = text("supplier_name")
        org_number = "".join(text("supplier_org_number").split())  # "912 345 678" is 912345678
        key = text("supplier_id") or org_number or name
        supplier = Supplier(key, name, org_number or None, None) if key else None
        line = None if problems else LedgerLine(
            transaction_id=text("voucher"), record_id=str(number), date=when,
            period=when.month if when else None, account_id=account, supplier_id=key or None,
            description=text("description"), amount=amount)
        return ParsedRow(number, texts, line, account_name, supplier, tuple(problems))

    def _total(self, texts: tuple[str, ...], account: str) -> str | None:
        """The text that makes the row a total row (see the module docstring), else ``None``."""
        if account:
            numberless = not _DIGIT.search(account)
            has_amount = any(texts[c] for c in self.amount_columns if c < len(texts))
            return account if _TOTAL.match(account) or (numberless and has_amount) else None
        first = next((t for i, t in enumerate(texts) if t and i not in self.amount_columns), "")
        return first if _TOTAL.match(first) else None

    def _amount(self, number: int, cells: tuple[Any, ...], texts: tuple[str, ...],
                problems: list[InputError]) -> Decimal:
        total, given = _ZERO, False
        for role in self.amount_roles:
            column = self.mapping[role]
            text = texts[column] if column < len(texts) else ""
            if not text:
                continue
            given = True
            try:
                value = amount_of(cells[column])
            except ValueError:
                problems.append(self.problem(number, role, message("'%(text)s' is not an amount", text=text)))
                continue
            total += -value if role == "credit" else value
        if not given and self.amount_roles:
            problems.append(self.problem(number, self.amount_roles[0], message("the amount is missing")))
        return total

    def _date(self, number: int, cells: tuple[Any, ...], text: str,
              problems: list[InputError]) -> date | None:
        if not text:
            problems.append(self.problem(number, "date", message("the date is missing")))
            return None
        when = self._dates.get(text)
        if when is None:
            try:
                when = date_of(cells[self.mapping["date"]])
            except ValueError:
                problems.append(self.problem(number, "date", message(
                    "'%(text)s' is not a date (write 2025-03-31 or 31.03.2025)", text=text)))
                return None
            if len(self._dates) < 1000:  # a year has 366 days: the same few texts again and again
                self._dates[text] = when
        if when.year != self.year:
            problems.append(self.problem(number, "date", message(
                "%(date)s is not in %(year)s, the year being imported", date=when.isoformat(),
                year=self.year)))
            return None
        return when


class GlReader:
    """Reads one general-ledger export in a single streaming pass (see the module docstring).

    ``mapping`` is role → column position (:func:`~klimabok.core.gl.guess_mapping` proposes one);
    ``year`` the reporting year the rows must fall in; ``company_name``/``org_number`` fill the header.
    """

    def __init__(self, path: str | Path, mapping: ColumnMapping, *, year: int, company_name: str = "",
                 org_number: str = "") -> None:
        self.path = Path(path)
        self.source = self.path.name
        self.mapping = dict(mapping)
        self.year = year
        self.company_name, self.org_number = company_name, org_number
        self.header: Header | None = None
        self.accounts: dict[str, Account] = {}
        self.suppliers: dict[str, Supplier] = {}
        self.transactions = 0
        self.warnings: list[Message] = []
        self._table: Table | None = None
        self._bytes_read = 0

    @property
    def bytes_read(self) -> int:
        """How far into the file reading has come (bytes; for progress)."""
        return self._table.bytes_read if self._table is not None else self._bytes_read

    def lines(self) -> Iterator[LedgerLine]:
        """Every line in file order; raises at the end when any row has a problem."""
        errors: list[InputError] = []
        vouchers: set[str] = set()
        first: date | None = None
        last: date | None = None
        debit = credit = _ZERO
        skipped = 0
        with open_table(self.path, self.source) as table:
            self._table = table
            check_mapping(self.mapping, table.headers, self.source, table.header_row)
            parser = _RowParser(self.mapping, table.headers, self.year, self.source)
            for number, cells in table.rows:
                parsed = parser.parse(number, cells)
                if parsed is None:
                    continue
                if parsed.skipped is not None:
                    skipped += 1
                    if skipped <= MAX_SKIPPED_WARNINGS:
                        self.warnings.append(parsed.skipped)
                    continue
                if parsed.line is None:
                    errors.extend(parsed.problems)
                    if len(errors) >= MAX_ERRORS:
                        raise InputErrors(errors)
                    continue
                line = parsed.line
                self._remember(line.account_id, parsed.account_name, parsed.supplier)
                if line.transaction_id:
                    vouchers.add(line.transaction_id)
                if line.date is not None:
                    first = min(first or line.date, line.date)
                    last = max(last or line.date, line.date)
                if line.amount > 0:
                    debit += line.amount
                else:
                    credit -= line.amount
                yield line
            self._bytes_read = table.bytes_read
        self._table = None
        if errors:
            raise InputErrors(errors)
        if not self.accounts:
            raise InputError(message("no ledger lines below the header"), source=self.source)
        self.transactions = len(vouchers)
        if skipped > MAX_SKIPPED_WARNINGS:
            self.warnings.append(message("%(count)s more total rows are skipped",
                                         count=skipped - MAX_SKIPPED_WARNINGS))
        if debit != credit:
            self.warnings.append(message(
                "the lines do not balance: debit %(debit)s, credit %(credit)s (fine for an extract of some "
                "accounts; a whole general ledger balances)", debit=f"{debit:.2f}", credit=f"{credit:.2f}"))
        self.header = Header("", ACCOUNT_NUMBER_MAPPING, self.company_name, self.org_number,
                             first or date(self.year, 1, 1), last or date(self.year, 12, 31), "NOK", "")

    def _remember(self, account_id: str, name: str, supplier: Supplier | None) -> None:
        known = self.accounts.get(account_id)
        if known is None or (name and not known.description):
            self.accounts[account_id] = Account(account_id, name, "", None, None, None, _ZERO, _ZERO)
        if supplier is not None:
            known_supplier = self.suppliers.get(supplier.supplier_id)
            if known_supplier is None or (supplier.name and not known_supplier.name):
                self.suppliers[supplier.supplier_id] = supplier


@dataclass(frozen=True, slots=True)
class Preview:
    """The first rows of an export as a mapping reads them, for the user to check before importing.

    ``mapping`` is the one used (the given one, or the guess); ``problems`` are the mapping's own
    (nothing below can be read while there are any); each row carries its own problems.
    """

    headers: list[str]
    mapping: ColumnMapping
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)


def preview(path: str | Path, mapping: ColumnMapping | None = None, *, year: int, n: int = 10,
            source: str | None = None) -> Preview:
    """The header and the first ``n`` non-blank rows of the export under ``mapping`` (default: the guess).

    Raises :class:`InputError` only when the file cannot be read at all (not CSV/XLSX, no header).
    """
    path = Path(path)
    source = source or path.name
    with open_table(path, source) as table:
        headers = table.headers
        chosen = guess_mapping(headers) if mapping is None else dict(mapping)
        problems = mapping_problems(chosen, headers, source, table.header_row)
        if problems:
            return Preview(headers, chosen, problems=problems)
        parser = _RowParser(chosen, headers, year, source)
        parsed: list[ParsedRow] = []
        for number, cells in table.rows:
            if len(parsed) >= n:
                break
            if (row := parser.parse(number, cells)) is not None:
                parsed.append(row)
    return Preview(headers, chosen, parsed)
