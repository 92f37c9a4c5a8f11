"""The SAF-T reader's two ways of reading a Transaction give the same result (issue 14).

:meth:`SaftReader._fast` reads a Transaction from libxml2's serialisation of it, and only when it has
the XSD's shape; everything else goes to the element path (:meth:`SaftReader._transaction`), which
also words the errors. Here every file is read both ways (``reader.fast`` on and off) and everything
the reader hands out must be equal: the lines (amounts compared with their exponent, ``repr``), the
transactions, totals, warnings and errors, and :func:`summarise`'s JSON. The variants are edits of
the official examples that each take one of the grammar's branches — or must fall back. A Hypothesis
test writes transactions of random shapes and amounts. :func:`summarise` reads through
:meth:`SaftReader.sums`, where the fast path adds the lines up as it reads them: the summaries compare
that too, and how many transactions each mode reads fast.
"""

from __future__ import annotations

import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimabok.core.errors import KlimabokError
from klimabok.core.saft import SaftReader, summarise
from klimabok.core.saft import reader as reader_module

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from generate_saft import generate  # noqa: E402

EXAMPLES = ROOT / "tests" / "data" / "saft" / "examples"
OFFICIAL = sorted(EXAMPLES.glob("*.xml"))
N1 = EXAMPLES / "ExampleFile SAF-T Financial_888888888_20180228235959.xml"  # prefix n1:, Analysis, tax
V130 = EXAMPLES / "generated_auditfile_formatted_v_1.30.xml"  # default namespace


def read(path: Path, *, fast: bool) -> dict[str, Any]:
    """Everything a reader hands out for ``path``, read one way."""
    reader = SaftReader(path)
    reader.fast = fast
    error = None
    lines: list[tuple[Any, ...]] = []
    try:
        lines = [(line.transaction_id, line.record_id, line.date, line.period, line.account_id,
                  line.supplier_id, line.description, repr(line.amount)) for line in reader.lines()]
    except KlimabokError as exc:
        error = str(exc)
    return {"lines": lines, "error": error, "totals": reader.totals, "transactions": reader.transactions,
            "warnings": [str(warning) for warning in reader.warnings]}


def sums(path: Path, *, fast: bool) -> dict[Any, Any] | str:
    """:meth:`SaftReader.sums` read one way (amounts with their exponent, ``repr``), or its error."""
    reader = SaftReader(path)
    reader.fast = fast
    try:
        added = reader.sums()
        return {key: (count, repr(debit), repr(credit)) for key, (count, debit, credit) in added.items()}
    except KlimabokError as exc:
        return str(exc)


def summary(path: Path, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any] | str:
    with monkeypatch.context() as patch:
        patch.setattr(SaftReader, "fast", fast, raising=False)
        original = SaftReader.__init__

        def init(self: SaftReader, *args: Any, **kwargs: Any) -> None:
            original(self, *args, **kwargs)
            self.fast = fast

        patch.setattr(SaftReader, "__init__", init)
        try:
            return summarise(path).as_json()
        except KlimabokError as exc:
            return str(exc)


def fast_reads(path: Path, *, sums: bool = False) -> tuple[int, int]:
    """(transactions read by the fast path, transactions in all), reading entries() or sums()."""
    reader = SaftReader(path)
    counted = [0]
    fast = reader._fast

    def counting(*args: Any) -> Any:
        result = fast(*args)
        counted[0] += result is not None
        return result

    reader._fast = counting  # type: ignore[method-assign, assignment]
    try:
        if sums:
            reader.sums()
        else:
            for _ in reader.entries():
                pass
    except KlimabokError:
        pass
    return counted[0], reader.transactions


@pytest.mark.parametrize("path", OFFICIAL, ids=[path.name for path in OFFICIAL])
def test_official_examples_read_the_same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert read(path, fast=True) == read(path, fast=False)
    assert sums(path, fast=True) == sums(path, fast=False)
    assert summary(path, fast=True, monkeypatch=monkeypatch) == summary(path, fast=False,
                                                                        monkeypatch=monkeypatch)


def test_the_official_examples_take_the_fast_path() -> None:
    # The 1.0 example with n1: prefixes, Analysis and TaxInformation, and the 1.30 one: every transaction.
    assert fast_reads(N1) == (53, 53)
    assert fast_reads(V130) == (3, 3)
    assert fast_reads(N1, sums=True) == (53, 53)
    assert fast_reads(V130, sums=True) == (3, 3)


def test_generated_file_reads_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "generated.xml"
    generate(path, 3000, seed=7)
    assert read(path, fast=True) == read(path, fast=False)
    assert sums(path, fast=True) == sums(path, fast=False)
    assert summary(path, fast=True, monkeypatch=monkeypatch) == summary(path, fast=False,
                                                                        monkeypatch=monkeypatch)
    transactions = read(path, fast=True)["transactions"]
    assert fast_reads(path) == (transactions, transactions)
    assert fast_reads(path, sums=True) == (transactions, transactions)


#: The first line's DebitAmount/Amount (the Analysis before it has an Amount of 10000 too).
DEBIT_10000 = r"(<n1:DebitAmount>\s*<n1:Amount>)10000"


def first(pattern: str, replacement: str) -> Callable[[str], str]:
    return lambda text: re.sub(pattern, replacement, text, count=1)


#: Edits of the n1: example: (name, edit, does the edited transaction still take the fast path).
VARIANTS: list[tuple[str, Callable[[str], str], bool]] = [
    ("entity in a description", first(r"(</n1:SourceDocumentID>\s*<n1:Description>)[^<]*",
                                      r"\1Stoff &amp; fyll &lt;kosebamser&gt;"), True),
    ("carriage return by reference", first(r"(</n1:SourceDocumentID>\s*<n1:Description>)", r"\1&#13;"), True),
    ("CDATA description", first(r"(</n1:SourceDocumentID>\s*<n1:Description>)[^<]*",
                                r"\1<![CDATA[Stoff <til> & kosebamser]]>"), True),
    ("empty description", first(r"<n1:Description>Faktura 1155 - Stoff til kosebamser</n1:Description>\s*"
                                r"(<n1:DebitAmount>)", r"<n1:Description/>\1"), False),
    ("no description", first(r"<n1:Description>Faktura 1155 - Stoff til kosebamser</n1:Description>\s*"
                             r"(<n1:DebitAmount>)", r"\1"), True),
    ("comment in a line", first(r"(<n1:RecordID>1</n1:RecordID>)", r"\1<!-- note -->"), False),
    ("processing instruction", first(r"(<n1:RecordID>1</n1:RecordID>)", r"\1<?pi x?>"), False),
    ("attribute on a line", first(r"<n1:Line>", '<n1:Line id="x">'), False),
    ("other prefix, same namespace", first(r"<n1:RecordID>1</n1:RecordID>",
                                           '<n2:RecordID xmlns:n2="urn:StandardAuditFile-Taxation-'
                                           'Financial:NO">1</n2:RecordID>'), False),
    ("unknown account", first(r"<n1:AccountID>4000</n1:AccountID>", "<n1:AccountID>9999</n1:AccountID>"),
     False),
    ("amount not a number", first(DEBIT_10000, r"\g<1>10 000"), False),
    ("amount NaN", first(DEBIT_10000, r"\1NaN"), False),
    ("amount Infinity", first(DEBIT_10000, r"\1Infinity"), False),
    ("amount sNaN", first(DEBIT_10000, r"\1sNaN"), False),
    ("amount with exponent", first(DEBIT_10000, r"\g<1>1E+4"), True),
    ("amount with spaces", first(DEBIT_10000, r"\1 10000.000 "), True),
    ("negative zero", first(r"<n1:Amount>2500</n1:Amount>\s*</n1:DebitAmount>",
                            "<n1:Amount>-0</n1:Amount></n1:DebitAmount>"), True),
    ("second amount element", first(r"(<n1:Amount>10000</n1:Amount>)\s*(</n1:DebitAmount>)",
                                    r"\1<n1:CurrencyCode>NOK</n1:CurrencyCode><n1:Amount>7</n1:Amount>\2"),
     True),
    ("amount not first in DebitAmount", first(r"<n1:DebitAmount>\s*<n1:Amount>10000</n1:Amount>",
                                              "<n1:DebitAmount><n1:CurrencyCode>NOK</n1:CurrencyCode>"
                                              "<n1:Amount>10000</n1:Amount>"), False),
    ("debit and credit on one line", first(r"(</n1:DebitAmount>)",
                                           r"\1<n1:CreditAmount><n1:Amount>1</n1:Amount></n1:CreditAmount>"),
     False),
    ("no amount", first(r"<n1:DebitAmount>\s*<n1:Amount>10000</n1:Amount>\s*</n1:DebitAmount>", ""), False),
    ("supplier after the amount", first(r"(<n1:ReferenceNumber>1155</n1:ReferenceNumber>)",
                                        r"<n1:SupplierID>9</n1:SupplierID>\1"), False),
    ("second account after the amount", first(r"(<n1:ReferenceNumber>1155</n1:ReferenceNumber>)",
                                              r"<n1:AccountID>2400</n1:AccountID>\1"), False),
    ("account nested in Analysis", first(r"(<n1:AnalysisType>A</n1:AnalysisType>)",
                                         r"\1<n1:AccountID>9999</n1:AccountID>"), True),
    ("Analysis nested too deep", first(r"(<n1:AnalysisAmount>\s*)(<n1:Amount>10000</n1:Amount>)",
                                       r"\1<n1:X><n1:Y><n1:Z>1</n1:Z></n1:Y></n1:X>\2"), False),
    ("Analysis in Analysis", first(r"(<n1:AnalysisType>A</n1:AnalysisType>)",
                                   r"<n1:Analysis><n1:AnalysisType>B</n1:AnalysisType></n1:Analysis>\1"),
     True),
    ("line nested in a line", first(r"(<n1:ReferenceNumber>1155</n1:ReferenceNumber>)",
                                    r"<n1:Line><n1:RecordID>9</n1:RecordID><n1:AccountID>4000</n1:AccountID>"
                                    r"<n1:DebitAmount><n1:Amount>1</n1:Amount></n1:DebitAmount></n1:Line>\1"),
     False),
    ("empty line element", first(r"(<n1:Line>)", r"<n1:Line/>\1"), False),
    ("line before the date", first(r"(<n1:TransactionDate>)",
                                   r"<n1:Line><n1:RecordID>9</n1:RecordID><n1:AccountID>4000</n1:AccountID>"
                                   r"<n1:DebitAmount><n1:Amount>1</n1:Amount></n1:DebitAmount></n1:Line>\1"),
     False),
    ("no transaction date", first(r"<n1:TransactionDate>2017-01-04</n1:TransactionDate>", ""), False),
    ("transaction id with an entity", first(r"<n1:TransactionID>1001</n1:TransactionID>",
                                            "<n1:TransactionID>10&amp;01</n1:TransactionID>"), True),
    ("date with a carriage return", first(r"<n1:TransactionDate>2017-01-04</n1:TransactionDate>",
                                          "<n1:TransactionDate>2017-01-04&#13;</n1:TransactionDate>"), True),
    ("text between lines", first(r"(</n1:Line>)", r"\1 stray text "), False),
    ("element after the lines", first(r"(</n1:Line>\s*)$", r"\1<n1:Foo>1</n1:Foo>"), False),
    ("unbalanced", first(r"<n1:Amount>10000</n1:Amount>", "<n1:Amount>10001</n1:Amount>"), True),
    ("supplier only on a later line", first(r"<n1:SupplierID>2002</n1:SupplierID>", ""), True),
    ("supplier on the first line", first(r"(<n1:SourceDocumentID>1234</n1:SourceDocumentID>)",
                                         r"\1<n1:SupplierID>7</n1:SupplierID>"), True),
    ("supplier before SourceDocumentID", first(r"(<n1:ValueDate>2017-01-04</n1:ValueDate>)",
                                               r"\1<n1:SupplierID>7</n1:SupplierID>"), False),
]


@pytest.mark.parametrize(("name", "edit", "fast"), VARIANTS, ids=[variant[0] for variant in VARIANTS])
def test_variant_reads_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                          edit: Callable[[str], str], fast: bool) -> None:
    text = N1.read_text(encoding="utf-8-sig")
    start = text.index("<n1:Transaction>")  # the edit is made in the first transaction only
    end = text.index("</n1:Transaction>", start)
    changed = text[:start] + edit(text[start:end]) + text[end:]
    assert changed != text, f"the edit '{name}' changed nothing"
    path = tmp_path / "variant.xml"
    path.write_text(changed, encoding="utf-8")
    assert read(path, fast=True) == read(path, fast=False)
    assert sums(path, fast=True) == sums(path, fast=False)
    assert summary(path, fast=True, monkeypatch=monkeypatch) == summary(path, fast=False,
                                                                        monkeypatch=monkeypatch)
    taken, transactions = fast_reads(path)
    assert transactions == 53
    assert taken == (53 if fast else 52), f"{name}: {taken} of {transactions} by the fast path"
    assert fast_reads(path, sums=True) == (taken, transactions)


def test_unknown_account_message_is_the_element_paths(tmp_path: Path) -> None:
    text = N1.read_text(encoding="utf-8-sig")
    start = text.index("<n1:Transaction>")
    text = text[:start] + text[start:].replace("<n1:AccountID>4000</n1:AccountID>",
                                               "<n1:AccountID>9999</n1:AccountID>", 1)
    path = tmp_path / "unknown.xml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.rindex("<n1:Line>", 0, text.index("<n1:AccountID>9999"))].count("\n") + 1  # Line's
    error = read(path, fast=True)["error"]
    assert error == (f"unknown.xml: line {line}: Transaction 1001, Line 1: account '9999' is not in "
                     "MasterFiles/GeneralLedgerAccounts")


def test_grammar_is_built_once_per_prefix() -> None:
    assert reader_module._grammar("n1:") is reader_module._grammar("n1:")
    assert reader_module._grammar("").end == "</Transaction>"


def test_transactions_are_freed_in_batches_and_with_their_journal(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # 3000 lines (over 1,000 transactions) in two journals, freed every 16: while a transaction is read, at
    # most 16 read ones (and the journal's 3 leading elements) are still before it, and the first
    # journal is empty once the second is read. The lines are those of the file in one journal.
    whole = tmp_path / "one-journal.xml"
    generate(whole, 3000, seed=3)
    text = whole.read_text(encoding="utf-8")
    middle = text.index("<Transaction>", len(text) // 2)
    split = tmp_path / "two-journals.xml"
    split.write_text(text[:middle] + "</Journal>\n<Journal><JournalID>X</JournalID>" + text[middle:],
                     encoding="utf-8")
    monkeypatch.setattr(reader_module, "RELEASE_EVERY", 16)
    reader = SaftReader(split)
    before: list[int] = []
    previous_journal: list[int] = []
    fast = reader._fast

    def watching(transaction: Any, *args: Any) -> Any:
        before.append(transaction.getparent().index(transaction))
        journal = transaction.getparent().getprevious()
        if journal is not None and journal.tag == reader_module.JOURNAL:
            previous_journal.append(len(journal))
        return fast(transaction, *args)

    reader._fast = watching  # type: ignore[method-assign, assignment]
    entries = list(reader.entries())
    assert len(entries) == reader.transactions == read(whole, fast=True)["transactions"] > 1000
    assert max(before) <= 16 + 3
    assert previous_journal and set(previous_journal) == {0}
    assert read(split, fast=True)["lines"] == read(whole, fast=True)["lines"]
    monkeypatch.setattr(reader_module, "RELEASE_EVERY", 1)
    assert read(split, fast=True) == read(split, fast=False)


# --- Transactions of random shapes, both ways ------------------------------------------------------

#: The generated file's accounts (rarely one that is not in MasterFiles), suppliers and an empty one;
#: the usual shapes more often than the unusual, so that many files are summarised rather than refused.
ACCOUNTS = ["1920", "2400", "2710", "6340", "7000"] * 4 + ["9999"]
NUMBERS = st.decimals(min_value=-10**9, max_value=10**9, places=2).map(str)
UNUSUAL_NUMBERS = ["1E+3", " 7.50 ", "-0", "0.000", "1_000", "12.345678901234567890123456789"]
AMOUNTS = st.one_of(NUMBERS, NUMBERS, NUMBERS, NUMBERS, NUMBERS, NUMBERS, st.sampled_from(UNUSUAL_NUMBERS),
                    st.sampled_from(["NaN", "-Infinity", "sNaN", "12,50", ""]))
LINE = st.fixed_dictionaries({
    "account": st.sampled_from(ACCOUNTS),
    "supplier": st.sampled_from([None, "20001", "20002", ""]),
    "description": st.sampled_from([None, "Faktura", "Stoff &amp; fyll &lt;3&gt;", "<![CDATA[a <b> & c]]>",
                                    "", "&#13;x"]),
    "side": st.sampled_from(["Debit", "Credit"] * 4 + ["Debit+Credit"]),
    "amount": AMOUNTS,
    "extra": st.sampled_from([""] * 6 + ["<!-- note -->", "<ValueDate>2025-01-02</ValueDate>", "<Foo/>"]),
    "attribute": st.sampled_from([False] * 9 + [True]),
})
TRANSACTION = st.fixed_dictionaries({
    "id": st.sampled_from(["1", "2", "10&amp;1"]),
    "lines": st.lists(LINE, min_size=1, max_size=4),
})


def line_xml(line: dict[str, Any]) -> str:
    def leaf(name: str, value: str | None) -> str:
        return "" if value is None else f"<{name}>{value}</{name}>"

    sides = line["side"].split("+")
    amounts = "".join(f"<{side}Amount><Amount>{line['amount']}</Amount></{side}Amount>" for side in sides)
    start = '<Line kind="x">' if line["attribute"] else "<Line>"
    return (f"{start}<RecordID>1</RecordID><AccountID>{line['account']}</AccountID>{line['extra']}"
            f"{leaf('SupplierID', line['supplier'])}{leaf('Description', line['description'])}{amounts}"
            "</Line>")


def ledger_file(folder: Path, transactions: list[dict[str, Any]]) -> Path:
    """The generated file's header and accounts with ``transactions`` as its ledger, without the declared
    totals (so that a file without errors is summarised, not refused)."""
    template = folder / "template.xml"
    generate(template, 4, seed=1)
    text = template.read_text(encoding="utf-8")
    text = re.sub(r"<(NumberOfEntries|TotalDebit|TotalCredit)>[^<]*</\1>", "", text)
    start, end = text.index("<Transaction>"), text.rindex("</Transaction>") + len("</Transaction>")
    ledger = "\n".join(
        f"<Transaction><TransactionID>{transaction['id']}</TransactionID><Period>1</Period>"
        f"<TransactionDate>2025-01-04</TransactionDate>{''.join(map(line_xml, transaction['lines']))}"
        "</Transaction>"
        for transaction in transactions
    )
    path = folder / "random.xml"
    path.write_text(text[:start] + ledger + text[end:], encoding="utf-8")
    return path


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(transactions=st.lists(TRANSACTION, min_size=1, max_size=5))
def test_random_transactions_read_the_same_both_ways(transactions: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = ledger_file(Path(folder), transactions)
        assert read(path, fast=True) == read(path, fast=False)
        assert sums(path, fast=True) == sums(path, fast=False)
        monkeypatch = pytest.MonkeyPatch()
        try:
            assert summary(path, fast=True, monkeypatch=monkeypatch) == summary(path, fast=False,
                                                                                monkeypatch=monkeypatch)
        finally:
            monkeypatch.undo()
