"""Streaming, hardened reader of Norwegian SAF-T Financial files (1.30 and 1.20).

Memory stays constant whatever the file size: ``lxml.etree.iterparse`` hands over each
``Transaction`` (and header/master-file record) when it ends; a record and its preceding siblings
are cleared at once, transactions every :data:`RELEASE_EVERY` (and with their ``Journal``). The
parser resolves no entities, loads no DTD, opens no network connection and refuses huge text nodes;
a file that declares a DOCTYPE (entity bombs, external entities) is refused before its first element
is read.

Checks, and what they do (issue 4 §1):

- not XML / not well-formed / truncated, another root or namespace, a DOCTYPE, an
  ``AuditFileVersion`` klimabok does not read, accounts carrying the other version's mapping
  elements: **fatal at once** (:class:`InputError` naming the line lxml reports or the element).
- a non-numeric amount, a line whose account is not in ``MasterFiles``, ``NumberOfEntries`` /
  ``TotalDebit`` / ``TotalCredit`` that do not match the lines: **fatal** after the whole file is
  read, all of them listed (:class:`InputErrors`, at most :data:`MAX_ERRORS`), so one upload shows
  every problem. An importer consuming :meth:`SaftReader.lines` must therefore write in one
  transaction: the exception comes after the last line.
- a transaction whose debit ≠ credit: a **warning**. The file's own totals (checked above) still
  hold, and only that voucher's spend is uncertain, so the import goes on and the voucher is named.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NamedTuple, TypedDict

from lxml import etree

from klimabok.core.errors import InputError, InputErrors
from klimabok.core.messages import Message, message
from klimabok.core.saft.model import NAMESPACE, Account, Header, LedgerLine, Supplier, Totals

#: Collected errors after which reading stops (the file is rejected anyway).
MAX_ERRORS = 1000
#: How far into the file the root element and ``AuditFileVersion`` must appear (bytes).
SNIFF_LIMIT = 4 * 1024 * 1024
#: Transactions read before they are freed, in one slice deletion (:func:`release_before`): freeing
#: each one as it ends costs three lxml proxies and four calls a transaction. ~4 kB of tree each.
RELEASE_EVERY = 256

_N = "{" + NAMESPACE + "}"
AUDIT_FILE = _N + "AuditFile"
HEADER = _N + "Header"
ACCOUNT = _N + "Account"
SUPPLIER = _N + "Supplier"
CUSTOMER = _N + "Customer"
TRANSACTION = _N + "Transaction"
JOURNAL = _N + "Journal"
LINE = _N + "Line"
NUMBER_OF_ENTRIES = _N + "NumberOfEntries"
TOTAL_DEBIT = _N + "TotalDebit"
TOTAL_CREDIT = _N + "TotalCredit"
GENERAL_LEDGER_ENTRIES = _N + "GeneralLedgerEntries"
GENERAL_LEDGER_ACCOUNTS = _N + "GeneralLedgerAccounts"
AUDIT_FILE_VERSION = _N + "AuditFileVersion"
_TRANSACTION_ID = _N + "TransactionID"
_PERIOD = _N + "Period"
_TRANSACTION_DATE = _N + "TransactionDate"
_RECORD_ID = _N + "RecordID"
_ACCOUNT_ID = _N + "AccountID"
_SUPPLIER_ID = _N + "SupplierID"
_DESCRIPTION = _N + "Description"
_DEBIT_AMOUNT = _N + "DebitAmount"
_CREDIT_AMOUNT = _N + "CreditAmount"
_AMOUNT = _N + "Amount"



class _Hardening(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    huge_tree: bool


_HARDENED: _Hardening = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}
_ZERO = Decimal(0)

#: A ledger line as the element path reads it:
#: ``(record_id, account_id, supplier_id, description, amount)``, amount = debit − credit.
Row = tuple[str, str, str | None, str, Decimal]
#: Lines added up per ``(AccountID, SupplierID)``: ``[lines, debit, credit]``; a line's amount goes to
#: ``debit`` when ≥ 0, its negation to ``credit`` otherwise (:meth:`SaftReader.sums`).
Sums = dict[tuple[str, str | None], list[Any]]


class Entry(NamedTuple):
    """One ``Transaction`` read: its id, ``TransactionDate``, ``Period`` and its valid lines, by column
    (the i-th line is ``record_ids[i]``, ``account_ids[i]``…; ``amounts`` are debit − credit)."""

    transaction_id: str
    date: date | None
    period: int | None
    record_ids: list[str]
    account_ids: list[str]
    supplier_ids: list[str | None]
    descriptions: list[str]
    amounts: list[Decimal]


class _Read(NamedTuple):
    """A transaction read (fast or slow path) with its ``DebitAmount``/``CreditAmount`` sums; ``entry``
    is ``None`` when the fast path added its lines to :class:`Sums` instead."""

    transaction_id: str
    entry: Entry | None
    debit: Decimal
    credit: Decimal


# --- The fast path ------------------------------------------------------------------------------
# Reading a Transaction's fields through lxml's element API makes a Python proxy object for every
# child it touches (findtext, iteration, .text): ~8 per ledger line, most of the reader's time.
# Instead each Transaction (already parsed, checked well-formed and hardened by libxml2) is
# serialised back by libxml2 (``etree.tostring``: one C call) and matched whole against the
# grammar below. libxml2's own serialisation is regular: no DOCTYPE, comments and PIs as such,
# CDATA already turned into escaped text, ``<x/>`` for an empty element, ``&amp; &lt; &gt; &#13;``
# in text, and an end tag for every start tag. The grammar accepts only the XSD's shape (leaf
# children, Line children nested at most three deep, no attributes except on Transaction, one
# namespace prefix throughout), with the fields the reader needs captured at their XSD places
# (RecordID, AccountID, SupplierID, Description, then one DebitAmount or CreditAmount whose first
# child is Amount). A Transaction that does not match it exactly (an unusual shape, a comment, an
# amount that is not a number, an account not in MasterFiles…) is read by the element path
# (:meth:`SaftReader._transaction`), which also gives the error messages with their line numbers;
# tests check both paths give identical results.

_NAME = r"[A-Za-z_][\w.\-]*+"


class _Grammar(NamedTuple):
    head: re.Pattern[str]  # the start tag, the leaves before the first Line (TransactionID, Period, Date)
    line: re.Pattern[str]  # one Line: RecordID, AccountID, SupplierID, Description, Debit|Credit, Amount
    line_sums: re.Pattern[str]  # the same Line, capturing only AccountID, SupplierID, Debit|Credit, Amount
    end: str  # the end tag


#: Where a line's fields are in ``split()``'s parts (from the gap before it) and its stride, for
#: ``_Grammar.line``: (AccountID, SupplierID, Debit|Credit, Amount, stride); RecordID and Description
#: are at 1 and 4. ``_Grammar.line_sums`` leaves these two out: two strings a line fewer to make.
_LINE_FIELDS = (2, 3, 5, 6, 7)
_LINE_SUMS_FIELDS = (1, 2, 3, 4, 5)


@lru_cache(maxsize=8)
def _grammar(prefix: str) -> _Grammar:
    r"""The patterns for a file whose SAF-T elements carry ``prefix`` (``""`` or ``"n1:"``).

    Every end tag the patterns consume belongs to a start tag they consumed (leaves, and elements of
    leaves at most two deep under Analysis, TaxInformation and the amount): the match follows the tree.

    Every repetition is possessive (``*+``, ``?+``): whatever may follow a repeated or optional part
    starts with a character or tag that part cannot begin with (``<`` after text, ``</`` after
    leaves, another element name), so giving characters back could never lead to another match; not
    keeping the states to give them back makes the match about a third faster. ``re.ASCII``: ``\s``
    and names are ASCII (other blanks or names fall back to the element path), a cheaper test per
    character.
    """
    p = re.escape(prefix)
    blank = r"\s*+"

    def leaf(name: str, capture: bool = False) -> str:
        return rf"<{p}{name}>{'([^<]*+)' if capture else '[^<]*+'}</{p}{name}>{blank}"

    any_leaf = rf"(?:<{p}{_NAME}>[^<]*+</[^>]++>{blank}|<{p}{_NAME}/>{blank})"
    # after the amount, a leaf that is none of those the element path reads (a second one would count there)
    other = "|".join(("RecordID", "AccountID", "SupplierID", "Description", "DebitAmount", "CreditAmount"))
    tail_leaf = (rf"(?:<{p}(?!(?:{other})[>/]){_NAME}>[^<]*+</[^>]++>{blank}"
                 rf"|<{p}(?!(?:{other})[>/]){_NAME}/>{blank})")
    not_line = rf"(?!Line[>/]){_NAME}"
    inner = rf"<{p}{_NAME}>{blank}{any_leaf}*+</[^>]++>{blank}"

    def nested(name: str) -> str:
        return rf"<{p}{name}>{blank}(?:{any_leaf}|{inner})*+</{p}{name}>{blank}"

    def line(every: bool) -> str:  # every: capture RecordID and Description too
        return (
            rf"<{p}Line>{blank}{leaf('RecordID', every)}{leaf('AccountID', True)}(?:{nested('Analysis')})*+"
            rf"(?:{leaf('ValueDate')})?+(?:{leaf('SourceDocumentID')})?+(?:{leaf('CustomerID')})?+"
            rf"(?:{leaf('SupplierID', True)})?+(?:{leaf('Description', every)})?+"
            rf"<{p}(Debit|Credit)Amount>{blank}<{p}Amount>([^<]*+)</{p}Amount>{blank}{any_leaf}*+"
            rf"</{p}(?:Debit|Credit)Amount>{blank}(?:{nested('TaxInformation')})*+{tail_leaf}*+</{p}Line>{blank}"
        )

    head = (
        rf"<{p}Transaction(?:\s[^>]*+)?+>{blank}{leaf('TransactionID', True)}{leaf('Period', True)}"
        rf"(?:{leaf('PeriodYear')})?+{leaf('TransactionDate', True)}"
        rf"(?:<{p}{not_line}>[^<]*+</[^>]++>{blank}|<{p}{not_line}/>{blank})*+"
    )
    return _Grammar(re.compile(head, re.ASCII), re.compile(line(True), re.ASCII),
                    re.compile(line(False), re.ASCII), f"</{prefix}Transaction>")


def _unescape(text: str) -> str:
    """Text as libxml2 serialised it (``&amp;``, ``&lt;``, ``&gt;``, ``&#13;``) back to the characters."""
    return html.unescape(text) if "&" in text else text


def _n(path: str) -> str:
    """``"a/b"`` → the namespaced ElementPath ``"{ns}a/{ns}b"``."""
    return "/".join(_N + part for part in path.split("/"))


def hardened_iterparse(
    source: str | Path | IO[bytes],
    *,
    tags: tuple[str, ...],
    schema: etree.XMLSchema | None = None,
    remove_blank_text: bool = False,
) -> etree.iterparse[tuple[str, etree._Element]]:
    """lxml's iterparse over ``tags``' end events with entities, DTDs, network and huge nodes off.

    ``remove_blank_text``: drop the whitespace between elements (libxml2's "ignorable" blanks; the
    text of an element without children is kept whatever it is), nodes nobody reads.
    """
    file = source if hasattr(source, "read") else str(source)
    blanks = remove_blank_text
    if schema is None:
        return etree.iterparse(file, events=("end",), tag=tags, remove_blank_text=blanks, **_HARDENED)
    return etree.iterparse(file, events=("end",), tag=tags, schema=schema, remove_blank_text=blanks,
                           **_HARDENED)


def release(element: etree._Element) -> None:
    """Free a handled element and everything before it, so the tree never grows."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def release_before(element: etree._Element) -> None:
    """:func:`release` for many siblings at once: the element cleared, those before it deleted in one
    slice (their subtrees freed by libxml2) instead of one call and proxy each."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    if parent is not None:
        del parent[: parent.index(element)]


def _syntax_error(source: str, exc: etree.XMLSyntaxError) -> InputError:
    line, column = exc.position if exc.position else (exc.lineno or 0, 0)
    reason = (exc.msg or str(exc)).split(", line ")[0].strip()
    return InputError(
        message(
            "not well-formed XML at line %(line)s, column %(column)s: %(reason)s",
            line=line,
            column=column,
            reason=reason,
        ),
        source=source,
    )


def sniff_version(path: Path) -> str:
    """The declared ``AuditFileVersion``, after checking the file is XML, has no DOCTYPE and is SAF-T.

    Reads only the first bytes (up to the version element), with the same hardened parser.
    """
    source = path.name
    parser = etree.XMLPullParser(events=("start", "end"), **_HARDENED)
    root_checked = False
    read = 0
    head = b""
    with path.open("rb") as file:
        while read < SNIFF_LIMIT:
            chunk = file.read(64 * 1024)
            try:
                if not chunk:
                    parser.close()
                    break
                read += len(chunk)
                if len(head) < 64 * 1024:
                    head += chunk
                parser.feed(chunk)
                for event, element in parser.read_events():
                    if not root_checked:
                        _check_root(source, element)
                        root_checked = True
                    if event == "end" and element.tag == AUDIT_FILE_VERSION:
                        return (element.text or "").strip()
            except etree.XMLSyntaxError as exc:
                if not root_checked and b"<!DOCTYPE" in head:
                    raise _doctype_refused(source) from None  # libxml2 may stop on the DTD itself (a bomb)
                raise _syntax_error(source, exc) from None
    raise InputError(message("no Header/AuditFileVersion near the start of the file"), source=source)


def _doctype_refused(source: str) -> InputError:
    return InputError(
        message(
            "the file declares a DOCTYPE (a DTD or entities); SAF-T files have none, "
            "and klimabok refuses them for safety"
        ),
        source=source,
    )


def _check_root(source: str, root: etree._Element) -> None:
    if root.getroottree().docinfo.doctype:
        raise _doctype_refused(source)
    qname = etree.QName(root)
    if qname.localname != "AuditFile":
        raise InputError(
            message(
                "not a SAF-T Financial file: the root element is %(root)s, not AuditFile",
                root=qname.localname,
            ),
            source=source,
        )
    if qname.namespace != NAMESPACE:
        raise InputError(
            message(
                "wrong namespace: AuditFile is in '%(found)s', not '%(expected)s'",
                found=qname.namespace or "",
                expected=NAMESPACE,
            ),
            source=source,
        )


def mapping_of(version: str, source: str) -> str:
    """``"grouping"`` for 1.30, ``"standard_account"`` for 1.20 and older 1.x files."""
    if version.startswith("1.3"):
        return "grouping"
    if version in {"1.0", "1.00", "1.1", "1.10", "1.2", "1.20"}:
        return "standard_account"
    raise InputError(
        message("AuditFileVersion %(version)s is not one klimabok reads (1.30 or 1.20)", version=version),
        source=source,
    )


#: The largest power of ten an amount may reach: 10^30 NOK is no ledger's, and a number such as
#: "1E+1000000" would overflow the sums (``decimal.Overflow``) instead of being named as a bad amount.
MAX_ADJUSTED = 30


def _readable(value: Decimal) -> bool:
    return value.is_finite() and value.adjusted() <= MAX_ADJUSTED


def _decimal(text: str | None) -> Decimal | None:
    """The number in ``text`` (``None`` when it is not a finite number of at most 31 digits before the
    decimal point: :data:`MAX_ADJUSTED`)."""
    try:
        value = Decimal(text or "")
    except InvalidOperation:
        return None
    return value if _readable(value) else None


@lru_cache(maxsize=4096)
def _date(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None


@lru_cache(maxsize=256)
def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def _month_end(year: int, month: int) -> date:
    month = min(max(month, 1), 12)
    return date(year, month, calendar.monthrange(year, month)[1])


class SaftReader:
    """Reads one SAF-T Financial file in a single streaming pass.

    Iterate :meth:`lines` for the ledger lines; ``header``, ``accounts`` and ``suppliers`` are
    filled before the first line arrives (they precede ``GeneralLedgerEntries`` in the file),
    ``totals``, ``transactions`` and ``warnings`` once the iteration has ended without an error.
    """

    def __init__(self, path: str | Path, *, schema: etree.XMLSchema | None = None) -> None:
        self.path = Path(path)
        self.source = self.path.name
        self.schema = schema
        self.header: Header | None = None
        self.accounts: dict[str, Account] = {}
        self._known_account = self.accounts.__contains__
        self.suppliers: dict[str, Supplier] = {}
        self.totals = Totals(None, None, None)
        self.transactions = 0
        self.warnings: list[Message] = []
        self._errors: list[InputError] = []
        self._unreadable_amounts = False
        self._totals_lines: dict[str, int] = {}
        self._file: IO[bytes] | None = None
        #: Read transactions from libxml2's serialisation where they have the usual shape (tests compare).
        self.fast = True

    @property
    def bytes_read(self) -> int:
        """How far the parser has read the file (bytes): an importer's progress."""
        return self._file.tell() if self._file is not None and not self._file.closed else 0

    def _error(self, problem: Message) -> None:
        self._errors.append(InputError(problem, source=self.source))
        if len(self._errors) >= MAX_ERRORS:
            raise InputErrors(self._errors)

    def lines(self) -> Iterator[LedgerLine]:
        """Every ledger line in file order; raises at the end when the file has fatal errors."""
        for entry in self.entries():
            transaction_id, when, period = entry.transaction_id, entry.date, entry.period
            columns = (entry.record_ids, entry.account_ids, entry.supplier_ids, entry.descriptions,
                       entry.amounts)
            for record_id, account_id, supplier_id, description, amount in zip(*columns, strict=True):
                yield LedgerLine(transaction_id, record_id, when, period, account_id, supplier_id,
                                 description, amount)

    def entries(self) -> Iterator[Entry]:
        """Every transaction with its valid lines in file order (:class:`Entry`, lighter than
        :meth:`lines`' objects); raises at the end when the file has fatal errors."""
        return self._read(None)

    def sums(self) -> Sums:
        """Every valid line added up per ``(AccountID, SupplierID)`` (:data:`Sums`; a line without a
        SupplierID takes its transaction's first), read as :meth:`entries` reads them but without an
        object per transaction or a second loop over the lines: what a summary needs. Raises at the
        end when the file has fatal errors."""
        sums: Sums = {}
        for _ in self._read(sums):  # yields nothing: the lines go to sums
            pass
        return sums

    def _read(self, sums: Sums | None) -> Iterator[Entry]:
        """The file read once: header, accounts, suppliers and declared totals as they come, each
        Transaction by the fast path where it can and else the element path, yielded as an
        :class:`Entry` — or, given ``sums``, its lines added there and nothing yielded."""
        version = sniff_version(self.path)
        mapping = mapping_of(version, self.source)
        tags = (
            HEADER,
            ACCOUNT,
            SUPPLIER,
            CUSTOMER,
            TRANSACTION,
            JOURNAL,
            NUMBER_OF_ENTRIES,
            TOTAL_DEBIT,
            TOTAL_CREDIT,
            AUDIT_FILE,
        )
        ended = False  # the root's end: with a schema, libxml2 ends a truncated file without an error
        debit_sum = credit_sum = _ZERO
        declared: dict[str, str] = {}
        grammar: _Grammar | None = None
        unreleased = 0  # transactions read since the last release_before
        self._file = file = self.path.open("rb")  # sniff_version opened it already: it exists
        try:
            for _event, element in hardened_iterparse(file, tags=tags, schema=self.schema,
                                                       remove_blank_text=True):
                tag = element.tag
                if tag == TRANSACTION:
                    self.transactions += 1
                    if grammar is None:
                        grammar = _grammar(f"{element.prefix}:" if element.prefix else "")
                    fast = self._fast(element, grammar, debit_sum, credit_sum, sums) if self.fast else None
                    if fast is None:
                        read = self._transaction(element)
                        assert read.entry is not None  # the element path always has its entry
                        for amount in read.entry.amounts:
                            if amount > 0:
                                debit_sum += amount
                            else:
                                credit_sum -= amount
                        if sums is not None:
                            _add_lines(sums, read.entry)
                    else:
                        read, debit_sum, credit_sum = fast
                    if read.debit != read.credit:
                        self._unbalanced(element, read)
                    if sums is None:
                        assert read.entry is not None  # without sums, the fast path makes the entry
                        yield read.entry
                    unreleased += 1
                    if unreleased == RELEASE_EVERY:
                        release_before(element)
                        unreleased = 0
                    continue
                if tag == JOURNAL:
                    unreleased = 0  # the transactions not yet freed go with their journal
                elif tag == ACCOUNT:
                    parent = element.getparent()
                    if parent is not None and parent.tag == GENERAL_LEDGER_ACCOUNTS:
                        account = self._account(element, version, mapping)
                        self.accounts[account.account_id] = account
                elif tag == SUPPLIER:
                    supplier = self._supplier(element)
                    self.suppliers[supplier.supplier_id] = supplier
                elif tag == HEADER:
                    self.header = self._header(element, version, mapping)
                elif tag == AUDIT_FILE:
                    ended = True
                    continue
                elif tag != CUSTOMER:
                    parent = element.getparent()
                    if parent is not None and parent.tag == GENERAL_LEDGER_ENTRIES:
                        declared[etree.QName(element).localname] = (element.text or "").strip()
                        self._totals_lines[etree.QName(element).localname] = element.sourceline or 0
                    continue  # a small header figure: nothing to free
                release(element)
        except etree.XMLSyntaxError as exc:
            # The error itself says which it is. Not any entry of exc.error_log: that is a copy of the
            # thread's global libxml2 log, which still holds the schema errors of an earlier file read
            # with validation in this process — a truncated file then read as "not valid".
            last = exc.error_log.last_error
            if self.schema is not None and last is not None and last.domain_name == "SCHEMASV":
                raise self._schema_error(exc) from None
            raise _syntax_error(self.source, exc) from None
        finally:
            file.close()
        if not ended:
            raise InputError(
                message("not well-formed XML: the file ends before </AuditFile> (is it cut off?)"),
                source=self.source)
        if self.header is None:
            raise InputError(message("no Header element before the ledger"), source=self.source)
        self._check_totals(declared, debit_sum, credit_sum)
        if self._errors:
            raise self._errors[0] if len(self._errors) == 1 else InputErrors(self._errors)

    def _fast(
        self,
        transaction: etree._Element,
        grammar: _Grammar,
        debit_sum: Decimal,
        credit_sum: Decimal,
        sums: Sums | None,
    ) -> tuple[_Read, Decimal, Decimal] | None:
        """The transaction read from libxml2's serialisation of it, and the file's running sums of
        positive and negative line amounts with its lines added; ``None``: leave it to the element
        path (another shape, or something in it to report). See the grammar's comment above.

        Given ``sums``, the lines are added there as they are read and no :class:`Entry` is made
        (one loop over the lines instead of two: a summary's largest saving after the parse).
        Everything that sends the transaction to the element path is checked before the first line
        is added, so a transaction is added whole or not at all.
        """
        text = etree.tostring(transaction, encoding="unicode", with_tail=False)
        head = grammar.head.match(text)
        if head is None or not text.endswith(grammar.end):
            return None
        # split: [gap, *the line's groups, gap, …, gap]; a gap that is not empty is what the grammar
        # does not know (then the element path reads it), None a group that did not take part.
        line, (at_account, at_supplier, at_side, at_amount, stride) = (
            (grammar.line, _LINE_FIELDS) if sums is None else (grammar.line_sums, _LINE_SUMS_FIELDS))
        parts = line.split(text[head.end(): len(text) - len(grammar.end)])
        if any(parts[::stride]):
            return None
        transaction_id, period, when = head.groups()
        if "&" in text:
            transaction_id, period, when = map(_unescape, (transaction_id, period, when))
            parts = [None if value is None else _unescape(value) for value in parts]
        account_ids = parts[at_account::stride]
        if not all(map(self._known_account, account_ids)):
            return None
        try:
            values = list(map(Decimal, parts[at_amount::stride]))
        except ArithmeticError:  # not a number (InvalidOperation)
            return None
        if not all(map(_readable, values)):
            return None  # NaN, Infinity or an absurd exponent among the amounts: the element path names it
        supplier_ids = parts[at_supplier::stride]
        of_transaction = next(filter(None, supplier_ids), None)  # the first line's that has one
        zero = _ZERO
        debit = credit = zero
        amounts: list[Decimal] = []
        # The element path's arithmetic in its order: 0 + debit, 0 − credit, the transaction's and the
        # file's sums line by line. Finite numbers below 10^31 only (_readable), so nothing here raises.
        lines = zip(account_ids, supplier_ids, parts[at_side::stride], values, strict=True)
        for account_id, supplier_id, side, value in lines:
            if side == "Debit":
                amount = zero + value
                debit += value
            else:
                amount = zero - value
                credit += value
            if sums is None:
                if amount > zero:
                    debit_sum += amount
                else:
                    credit_sum -= amount
                amounts.append(amount)
                continue
            key = (account_id, supplier_id or of_transaction)  # as _add_lines adds an Entry's line
            found = sums.get(key)
            if found is None:
                found = sums[key] = [0, zero, zero]
            found[0] += 1
            # the file's sums as above; the line's sums as _add_lines (where 0 counts as debit)
            if amount > zero:
                debit_sum += amount
                found[1] += amount
            elif amount < zero:
                credit_sum -= amount
                found[2] -= amount
            else:
                credit_sum -= amount
                found[1] += amount
        if sums is not None:
            return _Read(transaction_id, None, debit, credit), debit_sum, credit_sum
        if of_transaction is not None:
            supplier_ids = [supplier_id or of_transaction for supplier_id in supplier_ids]
        descriptions = parts[4::stride]
        if None in descriptions:
            descriptions = [description or "" for description in descriptions]
        entry = Entry(transaction_id, _date(when), _int(period), parts[1::stride], account_ids,
                      supplier_ids, descriptions, amounts)
        return _Read(transaction_id, entry, debit, credit), debit_sum, credit_sum

    def _unbalanced(self, transaction: etree._Element, read: _Read) -> None:
        self.warnings.append(
            message(
                "line %(line)s: Transaction %(transaction)s does not balance: "
                "debit %(debit)s, credit %(credit)s",
                line=transaction.sourceline or 0,
                transaction=read.transaction_id,
                debit=f"{read.debit:.2f}",
                credit=f"{read.credit:.2f}",
            )
        )

    def _schema_error(self, exc: etree.XMLSyntaxError) -> InputError:
        """libxml2 gives no line for errors of streamed validation (raised at the end): name the element."""
        reason = (exc.msg or str(exc)).replace("{" + NAMESPACE + "}", "").strip()
        return InputError(
            message("not valid against the SAF-T schema: %(reason)s", reason=reason), source=self.source
        )

    def _transaction(self, transaction: etree._Element) -> _Read:
        """The transaction read through lxml's elements (every shape; the errors with their lines)."""
        transaction_id = transaction.findtext(_TRANSACTION_ID) or ""
        when = _date(transaction.findtext(_TRANSACTION_DATE))
        period = _int(transaction.findtext(_PERIOD))
        supplier_of_transaction = transaction.findtext(_n("Line/SupplierID"))
        debit = credit = _ZERO
        accounts = self.accounts
        rows: list[Row] = []
        for line in transaction.iterchildren(LINE):
            record_id = account_id = description = ""
            supplier_id = None
            amount = _ZERO
            valid = True
            for child in line:
                tag = child.tag
                if tag == _ACCOUNT_ID:
                    account_id = child.text or ""
                elif tag in (_DEBIT_AMOUNT, _CREDIT_AMOUNT):
                    text = child.findtext(_AMOUNT)
                    value = _decimal(text)
                    if value is None:
                        valid = False
                        self._unreadable_amounts = True
                        self._error(
                            message(
                                "line %(line)s: Transaction %(transaction)s, Line %(record)s: "
                                "%(element)s/Amount '%(value)s' is not a number",
                                line=child.sourceline or 0,
                                transaction=transaction_id,
                                record=line.findtext(_RECORD_ID) or "?",
                                element=etree.QName(child).localname,
                                value=text or "",
                            )
                        )
                    elif tag == _DEBIT_AMOUNT:
                        amount += value
                        debit += value
                    else:
                        amount -= value
                        credit += value
                elif tag == _RECORD_ID:
                    record_id = child.text or ""
                elif tag == _SUPPLIER_ID:
                    supplier_id = child.text
                elif tag == _DESCRIPTION:
                    description = child.text or ""
            if account_id not in accounts:
                self._error(
                    message(
                        "line %(line)s: Transaction %(transaction)s, Line %(record)s: "
                        "account '%(account)s' is not in MasterFiles/GeneralLedgerAccounts",
                        line=line.sourceline or 0,
                        transaction=transaction_id,
                        record=record_id or "?",
                        account=account_id,
                    )
                )
            if valid:
                rows.append((record_id, account_id, supplier_id or supplier_of_transaction, description,
                             amount))
        columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[], [], [], [], []]
        return _Read(transaction_id, Entry(transaction_id, when, period, *columns), debit, credit)

    def _check_totals(self, declared: dict[str, str], debit: Decimal, credit: Decimal) -> None:
        actual: dict[str, Decimal | int] = {
            "NumberOfEntries": self.transactions,
            "TotalDebit": debit,
            "TotalCredit": credit,
        }
        figures: dict[str, Decimal | None] = {}
        for name, found in actual.items():
            if name not in declared:
                figures[name] = None
                continue
            if self._unreadable_amounts and name != "NumberOfEntries":
                figures[name] = _decimal(declared[name])
                continue  # the sums lack the amounts already reported as not numbers
            value = _decimal(declared[name])
            figures[name] = value
            if value is None:
                self._error(
                    message(
                        "line %(line)s: GeneralLedgerEntries/%(element)s '%(value)s' is not a number",
                        line=self._totals_lines[name],
                        element=name,
                        value=declared[name],
                    )
                )
            elif value != found:
                shown = f"{found:.2f}" if isinstance(found, Decimal) else str(found)
                self._error(
                    message(
                        "line %(line)s: GeneralLedgerEntries/%(element)s says %(declared)s, "
                        "but the lines add up to %(actual)s",
                        line=self._totals_lines[name],
                        element=name,
                        declared=declared[name],
                        actual=shown,
                    )
                )
        entries = figures["NumberOfEntries"]
        self.totals = Totals(
            int(entries) if entries is not None else None, figures["TotalDebit"], figures["TotalCredit"]
        )

    def _header(self, header: etree._Element, version: str, mapping: str) -> Header:
        text = header.findtext
        start = _date(text(_n("SelectionCriteria/SelectionStartDate")))
        end = _date(text(_n("SelectionCriteria/SelectionEndDate")))
        start_year = _int(text(_n("SelectionCriteria/PeriodStartYear")))
        end_year = _int(text(_n("SelectionCriteria/PeriodEndYear")))
        if start is None and start_year:
            start = date(start_year, min(max(_int(text(_n("SelectionCriteria/PeriodStart"))) or 1, 1), 12), 1)
        if end is None and end_year:
            end = _month_end(end_year, _int(text(_n("SelectionCriteria/PeriodEnd"))) or 12)
        software = " ".join(
            filter(
                None, (text(_n("SoftwareCompanyName")), text(_n("SoftwareID")), text(_n("SoftwareVersion")))
            )
        )
        return Header(
            version,
            mapping,
            (text(_n("Company/Name")) or "").strip(),
            (text(_n("Company/RegistrationNumber")) or "").strip(),
            start,
            end,
            (text(_n("DefaultCurrencyCode")) or "").strip(),
            software,
        )

    def _balance(self, account: etree._Element, when: str) -> Decimal:
        """``{when}DebitBalance`` − ``{when}CreditBalance`` (``when`` is ``Opening`` or ``Closing``)."""
        balance = _ZERO
        for side, sign in (("Debit", 1), ("Credit", -1)):
            element = f"{when}{side}Balance"
            text = account.findtext(_n(element))
            value = _decimal(text or "0")
            if value is None:
                self._error(
                    message(
                        "line %(line)s: Account %(account)s: %(element)s '%(value)s' is not a number",
                        line=account.sourceline or 0,
                        account=account.findtext(_ACCOUNT_ID) or "?",
                        element=element,
                        value=text or "",
                    )
                )
                return _ZERO
            balance += sign * value
        return balance

    def _account(self, account: etree._Element, version: str, mapping: str) -> Account:
        text = account.findtext
        account_id = (text(_ACCOUNT_ID) or "").strip()
        grouping_category, grouping_code = text(_n("GroupingCategory")), text(_n("GroupingCode"))
        standard = text(_n("StandardAccountID"))
        wrong = None
        if mapping == "grouping" and grouping_code is None and standard is not None:
            wrong = "StandardAccountID"
        elif mapping == "standard_account" and (grouping_code is not None or grouping_category is not None):
            wrong = "GroupingCode" if grouping_code is not None else "GroupingCategory"
        if wrong:
            raise InputError(
                message(
                    "line %(line)s: Account %(account)s carries %(element)s, "
                    "which AuditFileVersion %(version)s does not have (1.30 accounts carry "
                    "GroupingCategory and GroupingCode, 1.20 accounts StandardAccountID)",
                    line=account.sourceline or 0,
                    account=account_id,
                    element=wrong,
                    version=version,
                ),
                source=self.source,
            )
        return Account(
            account_id,
            (text(_n("AccountDescription")) or "").strip(),
            (text(_n("AccountType")) or "").strip(),
            grouping_category,
            grouping_code,
            standard,
            self._balance(account, "Opening"),
            self._balance(account, "Closing"),
        )

    def _supplier(self, supplier: etree._Element) -> Supplier:
        text = supplier.findtext
        return Supplier(
            (text(_n("SupplierID")) or "").strip(),
            (text(_n("Name")) or "").strip(),
            text(_n("RegistrationNumber")),
            text(_n("PartyInfo/NaceCode")),
        )


def _add_lines(sums: Sums, entry: Entry) -> None:
    """``entry``'s lines added to ``sums`` (the element path's; the fast path adds its own as it reads)."""
    keys = zip(entry.account_ids, entry.supplier_ids, strict=True)
    for key, amount in zip(keys, entry.amounts, strict=True):
        found = sums.get(key)
        if found is None:
            found = sums[key] = [0, _ZERO, _ZERO]
        found[0] += 1
        if amount >= _ZERO:
            found[1] += amount
        else:
            found[2] -= amount


def read_lines(path: str | Path) -> Iterator[LedgerLine]:
    """Every ledger line of a SAF-T file, streamed (see :class:`SaftReader` for header and accounts)."""
    return SaftReader(path).lines()
