"""SAF-T Financial reader: the official examples' figures, generated files, and every field it hands out."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from klimabok.core.saft import SaftReader, read_lines, schema_for, summarise
from klimabok.core.saft.schema import DEFAULT_SCHEMA_DIR

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from generate_saft import ACCOUNTS, SUPPLIERS, generate  # noqa: E402

from klimabok.core.saft.writer import org_number  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent / "data" / "saft" / "examples"


@pytest.mark.parametrize(
    ("name", "version", "company", "period", "transactions", "lines", "total"),
    [
        # Figures read by hand from each file: GeneralLedgerEntries' NumberOfEntries/TotalDebit, the count
        # of <Transaction> and <Line> elements (grep -c), and SelectionCriteria (months → first/last day).
        (
            "generated_auditfile_formatted_v_1.30.xml",
            "1.30",
            ("Company INC", "999999999"),
            ("2025-01-01", "2025-12-31"),
            3,
            8,
            "37500.00",
        ),
        (
            "ExampleFile SAF-T Financial_999999999_20161125213512.xml",
            "1.0",
            ("Selskapet AS", "999999999"),
            ("2015-01-01", "2015-12-31"),
            2,
            5,
            "25000.00",
        ),
        (
            "ExampleFile SAF-T Financial_888888888_20180228235959.xml",
            "1.0",
            ("Tøyen Lekefabrikk AS", "888888888"),
            ("2017-01-01", "2017-04-30"),
            53,
            170,
            "9487049.35",
        ),
    ],
)
def test_official_examples(
    name: str,
    version: str,
    company: tuple[str, str],
    period: tuple[str, str],
    transactions: int,
    lines: int,
    total: str,
) -> None:
    data = summarise(EXAMPLES / name).as_json()
    assert data["audit_file_version"] == version
    assert (data["company"]["name"], data["company"]["org_number"]) == company
    assert (data["period"]["start"], data["period"]["end"]) == period
    assert (data["transactions"], data["lines"]) == (transactions, lines)
    assert data["total_debit"] == data["total_credit"] == total
    assert data["warnings"] == []


def test_official_1_30_example_accounts_and_supplier() -> None:
    reader = SaftReader(EXAMPLES / "generated_auditfile_formatted_v_1.30.xml")
    lines = list(reader.lines())
    # Transaction A1001: goods 10 000 + input VAT 2 500 = payable 12 500, supplier 24000 on the payable line.
    assert [(line.account_id, line.amount) for line in lines[:3]] == [
        ("4000", Decimal("10000.00")),
        ("2710", Decimal("2500.00")),
        ("2400", Decimal("-12500.00")),
    ]
    assert {line.supplier_id for line in lines[:3]} == {"24000"}  # the cost line gets the voucher's supplier
    assert lines[0].date == date(2025, 9, 27) and lines[0].period == 9
    assert reader.accounts["4000"].grouping_code == "4005"
    assert reader.accounts["4000"].closing_balance == Decimal("10000.00")
    assert reader.accounts["1920"].closing_balance == Decimal("-12500.00")  # ClosingCreditBalance
    supplier = reader.suppliers["24000"]
    assert (supplier.name, supplier.org_number, supplier.nace_code) == (
        "1001 Supplies Inc",
        "987656789",
        "46.500",
    )
    assert reader.header is not None and reader.header.currency == "NOK"


def test_official_1_20_example_net_per_account() -> None:
    summary = summarise(EXAMPLES / "ExampleFile SAF-T Financial_999999999_20161125213512.xml")
    accounts = {item.account.account_id: item for item in summary.accounts}
    assert summary.header.mapping == "standard_account"
    assert all(item.account.standard_account_id for item in summary.accounts)
    assert sum((item.net_amount for item in summary.accounts), Decimal(0)) == 0  # debit = credit overall
    assert sum(item.lines for item in accounts.values()) == 5


def test_generated_file_adds_up(tmp_path: Path) -> None:
    path = generate(tmp_path / "g.xml", 1000, seed=7)
    reader = SaftReader(path)
    lines = list(reader.lines())
    assert len(lines) == 1000
    assert reader.totals.number_of_entries == reader.transactions
    assert reader.totals.total_debit == sum((line.amount for line in lines if line.amount > 0), Decimal(0))
    assert reader.warnings == []
    # Closing balances written by the generator = the lines' net per account (opening balances are 0).
    for account_id, account in reader.accounts.items():
        assert account.closing_balance == sum(
            (x.amount for x in lines if x.account_id == account_id), Decimal(0)
        )
    assert {a.grouping_code for a in reader.accounts.values()} >= {
        "6340",
        "6350",
        "6395",
        "6440",
        "7000",
        "7155",
        "7165",
        "4005",
        "6700",
        "5000",
        "3000",
        "1920",
    }
    header = reader.header
    assert header is not None
    assert (header.company_name, header.org_number) == ("Nordlys Kundesenter AS", "928467139")
    assert (header.period_start, header.period_end) == (date(2025, 1, 1), date(2025, 12, 31))
    purchase = next(line for line in lines if line.account_id == "6340")
    assert purchase.supplier_id in {s.supplier_id for s in SUPPLIERS[:2]}  # electricity or district heat


def test_generator_is_deterministic_and_exact(tmp_path: Path) -> None:
    first = generate(tmp_path / "a.xml", 7, seed=3).read_bytes()
    assert first == generate(tmp_path / "b.xml", 7, seed=3).read_bytes()
    assert first != generate(tmp_path / "c.xml", 7, seed=4).read_bytes()
    for count in (2, 3, 4, 5, 11):
        assert summarise(generate(tmp_path / f"n{count}.xml", count)).lines == count
    with pytest.raises(ValueError, match=r"needs at least 2 lines \(one balanced transaction\)"):
        generate(tmp_path / "one.xml", 1)


def test_generator_org_numbers_are_valid_mod_11() -> None:
    # 928467139 (Nordlys): 3·9+2·2+7·8+6·4+5·6+4·7+3·1+2·3 = 178; 178 mod 11 = 2; 11 − 2 = 9 ✓
    assert org_number(92846713) == "928467139"
    for supplier in SUPPLIERS:
        digits = [int(d) for d in supplier.org_number]
        remainder = sum(w * d for w, d in zip((3, 2, 7, 6, 5, 4, 3, 2), digits[:8], strict=True)) % 11
        assert digits[8] == (11 - remainder) % 11
    assert len(ACCOUNTS) == 16


def test_read_lines_streams_and_summary_json(tmp_path: Path) -> None:
    path = generate(tmp_path / "g.xml", 20)
    assert sum(1 for _ in read_lines(path)) == 20
    data = summarise(path).as_json()
    accounts = {a["account_id"]: a for a in data["accounts"]}
    assert set(accounts["6340"]) >= {"account_id", "description", "grouping_code", "net_amount", "category",
                                     "excluded", "t_co2e"}
    net = accounts["6340"]["net_amount"]
    assert isinstance(net, str) and len(net.split(".")[1]) == 2  # NOK as a string with 2 decimals
    # The spend mapping (klimabok.core.spend) fills category/excluded/t CO2e for the file's year (2025).
    assert (accounts["3000"]["category"], accounts["3000"]["t_co2e"]) == (None, None)
    assert accounts["3000"]["excluded"] == "revenue (class 3): not a cost"
    assert accounts["5000"]["excluded"].startswith("payroll")
    mapped = [a for a in data["accounts"] if a["t_co2e"] is not None]
    assert mapped and all(a["category"] and a["excluded"] is None for a in mapped)
    assert Decimal(data["t_co2e"]) == sum((Decimal(a["t_co2e"]) for a in mapped), Decimal(0))
    assert data["attribution"] == "CEDA by Watershed"
    assert data["coverage"]["mapped_share"] + data["coverage"]["excluded_share"] == pytest.approx(1)


def test_a_year_without_spend_factors_is_noted_not_failed() -> None:
    data = summarise(EXAMPLES / "ExampleFile SAF-T Financial_999999999_20161125213512.xml").as_json()
    goods = next(a for a in data["accounts"] if a["account_id"] == "4000")
    assert (goods["category"], goods["t_co2e"], data["t_co2e"]) == ("goods_for_resale", None, None)
    assert data["notes"] == ["no spend factor for 'goods_for_resale' in 2015 or earlier"]


def test_unbalanced_transaction_is_a_warning(tmp_path: Path) -> None:
    path = generate(tmp_path / "g.xml", 5)
    text = path.read_text(encoding="utf-8")
    # The first transaction's VAT line 2924.59 → 2924.60, and the header's TotalDebit +0.01 to match.
    text = text.replace("<Amount>2924.59</Amount>", "<Amount>2924.60</Amount>", 1)
    text = text.replace("<TotalDebit>55237.76</TotalDebit>", "<TotalDebit>55237.77</TotalDebit>")
    path.write_text(text, encoding="utf-8")
    summary = summarise(path)
    line = text[: text.index("<Transaction>")].count("\n") + 1
    assert [str(w) for w in summary.warnings] == [
        f"line {line}: Transaction 1 does not balance: debit 14622.97, credit 14622.96"
    ]


def test_validate_against_the_official_xsd(tmp_path: Path) -> None:
    path = generate(tmp_path / "g.xml", 10)
    assert summarise(path, schema=schema_for(path, DEFAULT_SCHEMA_DIR)).lines == 10
