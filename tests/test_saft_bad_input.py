"""SAF-T bad input (issue 4 §5): each one's exact message, exit status 1 from the CLI, no traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from klimabok.cli import _register, app
from klimabok.core.errors import InputError, InputErrors, KlimabokError
from klimabok.core.saft import summarise
from klimabok.core.saft.schema import DEFAULT_SCHEMA_DIR

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from generate_saft import generate  # noqa: E402

NS = "urn:StandardAuditFile-Taxation-Financial:NO"
EXAMPLES = Path(__file__).resolve().parent / "data" / "saft" / "examples"
DOCTYPE_REFUSED = (
    "the file declares a DOCTYPE (a DTD or entities); SAF-T files have none, and klimabok refuses "
    "them for safety"
)


@pytest.fixture(scope="module", autouse=True)
def registered() -> None:
    if not any(group.name == "saft" for group in app.registered_groups):
        _register()


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` occurrence of ``needle``."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text[:index].count("\n") + 1


def edited(tmp_path: Path, edit: Callable[[str], str], *, ledger_only: bool = False) -> tuple[Path, str]:
    """A generated 5-line file (two transactions: a purchase and a payment) with ``edit`` applied."""
    path = generate(tmp_path / "bad.xml", 5)
    text = path.read_text(encoding="utf-8")
    if ledger_only:
        start = text.index("<Journal>")
        text = text[:start] + edit(text[start:])
    else:
        text = edit(text)
    path.write_text(text, encoding="utf-8")
    return path, text


def error_of(path: Path) -> str:
    with pytest.raises(KlimabokError, match=f"^{re.escape(path.name)}: ") as caught:  # names the file
        summarise(path)
    return str(caught.value)


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["saft", "summary", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def assert_cli_fails_with(path: Path, expected: str) -> None:
    code, output = cli(str(path), "--json")
    assert code == 1
    assert output == f"error: {expected}\n"


def test_not_xml(tmp_path: Path) -> None:
    path = tmp_path / "ledger.csv"
    path.write_text("konto;beløp\n6340;100\n", encoding="utf-8")
    expected = "ledger.csv: not well-formed XML at line 1, column 1: Start tag expected, '<' not found"
    assert error_of(path) == expected
    assert_cli_fails_with(path, expected)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.xml"
    path.write_bytes(b"")
    assert error_of(path).startswith("empty.xml: not well-formed XML at line ")


def test_xml_of_another_kind(tmp_path: Path) -> None:
    path = tmp_path / "invoice.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">'
        "<ID>1</ID></Invoice>\n",
        encoding="utf-8",
    )
    expected = "invoice.xml: not a SAF-T Financial file: the root element is Invoice, not AuditFile"
    assert error_of(path) == expected
    assert_cli_fails_with(path, expected)


def test_truncated(tmp_path: Path) -> None:
    path = generate(tmp_path / "cut.xml", 5)
    text = path.read_text(encoding="utf-8")
    cut = text.index("<AccountID>2710</AccountID>", text.index("<Transaction>"))
    path.write_text(text[:cut], encoding="utf-8")  # ends after a line's "          " indentation
    line = text[:cut].count("\n") + 1
    opened = line_of(text, "<Line>", 2)  # lxml names the unclosed tag and the line it opened on
    expected = (
        f"cut.xml: not well-formed XML at line {line}, column 11: Premature end of data in tag Line "
        f"line {opened}"
    )
    assert error_of(path) == expected
    assert_cli_fails_with(path, expected)


def test_wrong_namespace(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, lambda text: text.replace(NS, "urn:StandardAuditFile-Taxation-Financial:SE"))
    expected = (
        f"bad.xml: wrong namespace: AuditFile is in 'urn:StandardAuditFile-Taxation-Financial:SE', not '{NS}'"
    )
    assert error_of(path) == expected
    assert_cli_fails_with(path, expected)


def test_official_xmlspy_sample_has_no_namespace() -> None:
    # Its elements are unprefixed while only the n1: prefix is bound, so AuditFile is in no namespace.
    assert error_of(EXAMPLES / "Eksempelfil fra xmlSpy v1.30.xml") == (
        f"Eksempelfil fra xmlSpy v1.30.xml: wrong namespace: AuditFile is in '', not '{NS}'"
    )


def test_entity_expansion_bomb(tmp_path: Path) -> None:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10)
    )
    path = tmp_path / "bomb.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE AuditFile [{entities}]>\n<AuditFile xmlns="{NS}">'
        "<Header><AuditFileVersion>&lol9;</AuditFileVersion></Header></AuditFile>\n",
        encoding="utf-8",
    )
    assert error_of(path) == f"bomb.xml: {DOCTYPE_REFUSED}"
    assert_cli_fails_with(path, f"bomb.xml: {DOCTYPE_REFUSED}")


def test_external_entity(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    path = tmp_path / "xxe.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE AuditFile [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        f'<AuditFile xmlns="{NS}"><Header><AuditFileVersion>1.30</AuditFileVersion>'
        "<Company><Name>&xxe;</Name></Company></Header></AuditFile>\n",
        encoding="utf-8",
    )
    assert error_of(path) == f"xxe.xml: {DOCTYPE_REFUSED}"
    code, output = cli(str(path), "--json")
    assert code == 1 and "TOP SECRET" not in output


def test_a_1_20_file_that_says_1_30(tmp_path: Path) -> None:
    def to_1_20(text: str) -> str:  # the first account carries a 1.20 StandardAccountID instead of grouping
        return text.replace(
            "<GroupingCategory>balanseverdiForOmloepsmiddel</GroupingCategory>\n"
            "      <GroupingCode>1500</GroupingCode>",
            "<StandardAccountID>15</StandardAccountID>",
            1,
        )

    path, text = edited(tmp_path, to_1_20)
    expected = (
        f"bad.xml: line {line_of(text, '<Account>')}: Account 1500 carries StandardAccountID, which "
        "AuditFileVersion 1.30 does not have (1.30 accounts carry GroupingCategory and GroupingCode, 1.20 "
        "accounts StandardAccountID)"
    )
    assert error_of(path) == expected
    assert_cli_fails_with(path, expected)


def test_a_1_30_file_that_says_1_20(tmp_path: Path) -> None:
    path, text = edited(tmp_path, lambda t: t.replace("<AuditFileVersion>1.30<", "<AuditFileVersion>1.20<"))
    assert error_of(path).startswith(
        f"bad.xml: line {line_of(text, '<Account>')}: Account 1500 carries "
        "GroupingCode, which AuditFileVersion 1.20 does not have"
    )


def test_unknown_version(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, lambda t: t.replace("<AuditFileVersion>1.30<", "<AuditFileVersion>2.0<"))
    assert error_of(path) == "bad.xml: AuditFileVersion 2.0 is not one klimabok reads (1.30 or 1.20)"


def test_totals_that_do_not_add_up(tmp_path: Path) -> None:
    path, text = edited(tmp_path, lambda t: t.replace("<TotalDebit>55237.76<", "<TotalDebit>55237.67<"))
    expected = (
        f"bad.xml: line {line_of(text, '<TotalDebit>')}: GeneralLedgerEntries/TotalDebit says 55237.67, "
        "but the lines add up to 55237.76"
    )
    assert error_of(path) == expected
    assert_cli_fails_with(path, expected)


def test_number_of_entries_that_does_not_add_up(tmp_path: Path) -> None:
    path, text = edited(tmp_path, lambda t: t.replace("<NumberOfEntries>2<", "<NumberOfEntries>3<"))
    assert error_of(path) == (
        f"bad.xml: line {line_of(text, '<NumberOfEntries>')}: GeneralLedgerEntries/"
        "NumberOfEntries says 3, but the lines add up to 2"
    )


def test_amount_that_is_not_a_number(tmp_path: Path) -> None:
    path, text = edited(
        tmp_path, lambda t: t.replace("<Amount>2924.59</Amount>", "<Amount>2 924,59</Amount>")
    )
    expected = (
        f"bad.xml: line {line_of(text, '<DebitAmount>', 2)}: Transaction 1, Line 2: DebitAmount/Amount "
        "'2 924,59' is not a number"
    )
    assert error_of(path) == expected
    assert_cli_fails_with(path, expected)


def test_nan_is_not_a_number(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, lambda t: t.replace("<Amount>2924.59</Amount>", "<Amount>NaN</Amount>"))
    assert "DebitAmount/Amount 'NaN' is not a number" in error_of(path)


def test_an_amount_beyond_any_ledger_is_named_not_a_crash(tmp_path: Path) -> None:
    """1E+1000000 is a finite decimal, but adding it to the sums overflowed (decimal.Overflow, a traceback)
    on both read paths; amounts reach at most 10^30 (reader.MAX_ADJUSTED)."""
    path, _ = edited(tmp_path, lambda t: t.replace("<Amount>2924.59</Amount>", "<Amount>1E+1000000</Amount>"))
    assert "DebitAmount/Amount '1E+1000000' is not a number" in error_of(path)
    assert_cli_fails_with(path, error_of(path))


def test_unknown_account(tmp_path: Path) -> None:
    path, text = edited(
        tmp_path,
        lambda t: t.replace("<AccountID>2710</AccountID>", "<AccountID>2711</AccountID>"),
        ledger_only=True,
    )
    expected = (
        f"bad.xml: line {line_of(text, '<Line>', 2)}: Transaction 1, Line 2: account '2711' is not in "
        "MasterFiles/GeneralLedgerAccounts"
    )
    assert error_of(path) == expected
    assert_cli_fails_with(path, expected)


def test_several_errors_are_all_listed(tmp_path: Path) -> None:
    path, _ = edited(
        tmp_path,
        lambda t: t.replace("<AccountID>2710</AccountID>", "<AccountID>2711</AccountID>").replace(
            "<TotalDebit>55237.76<", "<TotalDebit>1<"
        ),
    )
    text = path.read_text(encoding="utf-8")  # the account list keeps 2710; only the ledger says 2711
    path.write_text(
        text.replace(
            "<AccountID>2711</AccountID>\n      <AccountDescription>",
            "<AccountID>2710</AccountID>\n      <AccountDescription>",
        ),
        encoding="utf-8",
    )
    first = r"^2 error\(s\):\nbad\.xml: line 340: Transaction 1, Line 2: "
    with pytest.raises(InputErrors, match=first) as caught:
        summarise(path)
    assert [type(e) for e in caught.value.errors] == [InputError, InputError]
    assert str(caught.value).splitlines()[0] == "2 error(s):"


def test_validate_without_the_schema_says_so(tmp_path: Path) -> None:
    path = generate(tmp_path / "g.xml", 5)
    code, output = cli(str(path), "--validate", "--schema", str(tmp_path))
    assert code == 1
    assert output == (
        f"error: cannot validate: the SAF-T 1.30 schema {tmp_path}/Norwegian_SAF-T_Financial_Schema_v_1.30"
        ".xsd is not there (give the folder holding Skatteetaten's XSD files with --schema DIR)\n"
    )


def test_validate_names_the_invalid_line(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, lambda t: t.replace("<Type>GL</Type>", "<Colour>GL</Colour>"))
    code, output = cli(str(path), "--validate", "--schema", str(DEFAULT_SCHEMA_DIR))
    assert code == 1
    # Streamed validation reports no line (libxml2 gives 0), so the message names the element.
    assert output == (
        "error: bad.xml: not valid against the SAF-T schema: Element 'Colour': This element is not "
        "expected. Expected is ( Type ).\n"
    )


def test_missing_file() -> None:
    assert cli("/nonexistent/saft.xml") == (1, "error: /nonexistent/saft.xml: no such file\n")


def test_cli_summary_json_and_text(tmp_path: Path) -> None:
    path = generate(tmp_path / "g.xml", 5)
    code, output = cli(str(path), "--json")
    assert code == 0
    data = json.loads(output)
    assert (data["transactions"], data["lines"], data["total_debit"]) == (2, 5, "55237.76")
    code, output = cli(str(path))
    assert code == 0
    assert "Nordlys Kundesenter AS (org.nr 928467139)" in output
    assert "2 transactions, 5 lines, 12 suppliers; debit 55237.76, credit 55237.76 NOK" in output
    assert "t CO2e (CEDA by Watershed)" in output


def test_real_process_exit_status_and_no_traceback(tmp_path: Path) -> None:
    path, _ = edited(tmp_path, lambda t: t.replace("<TotalCredit>55237.76<", "<TotalCredit>0<"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-m", "klimabok.cli", "saft", "summary", str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("error: bad.xml: line ")
    assert done.stderr.endswith("GeneralLedgerEntries/TotalCredit says 0, but the lines add up to 55237.76\n")


def test_a_truncated_file_after_an_invalid_one_is_still_truncated(tmp_path: Path) -> None:
    """The flaky test of issue 9 §6: test_truncated failed whenever test_validate_names_the_invalid_line had
    run before it in the same process (2 of 4 fresh runs with -n 2): libxml2's log of the earlier file's
    schema errors is per thread and outlives the file, and the reader read any schema entry in it as this
    file's. Here both in one test, in that order, with and without validation of the truncated file."""
    invalid, _ = edited(tmp_path, lambda t: t.replace("<Type>GL</Type>", "<Colour>GL</Colour>"))
    assert cli(str(invalid), "--validate", "--schema", str(DEFAULT_SCHEMA_DIR))[0] == 1
    path = generate(tmp_path / "cut.xml", 5)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[:text.index("<AccountID>2710</AccountID>", text.index("<Transaction>"))],
                    encoding="utf-8")
    assert error_of(path).startswith("cut.xml: not well-formed XML at line ")
    # validated while streamed, libxml2 ends the truncated file without an error: the reader sees that
    # the root element never closed
    code, output = cli(str(path), "--validate", "--schema", str(DEFAULT_SCHEMA_DIR))
    assert (code, output) == (1, "error: cut.xml: not well-formed XML: the file ends before </AuditFile> "
                                 "(is it cut off?)\n")
