"""Coverage of cost spend: mapped + excluded + unmapped = 100 %, largest unmapped first."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from klimabok.core.spend import CoverageEntry, classify, coverage

MAPPED = classify("6340", grouping_category="annenDriftskostnad", grouping_code="6340")
EXCLUDED = classify("5000", grouping_category="loennskostnad", grouping_code="5000")
UNMAPPED = classify("7700", grouping_category="annenDriftskostnad", grouping_code="7700")
BALANCE = classify("1920", grouping_category="balanseverdiForOmloepsmiddel", grouping_code="1920")
REVENUE = classify("3000", grouping_category="salgsinntekt", grouping_code="3000")
#: 2710 Inngående merverdiavgift under grouping code 2740 (account_rules.csv row 21: "vat")
INPUT_VAT = classify("2710", grouping_category="kortsiktigGjeld", grouping_code="2740")


def test_shares_by_hand() -> None:
    entries = [
        CoverageEntry("6340", Decimal("60000"), MAPPED),
        CoverageEntry("5000", Decimal("30000"), EXCLUDED),
        CoverageEntry("7700", Decimal("10000"), UNMAPPED, supplier_id="912345678",
                      description="Annen kostnad"),
        CoverageEntry("1920", Decimal("5000000"), BALANCE),  # not spend
        CoverageEntry("2710", Decimal("25000"), INPUT_VAT),  # not spend: a claim on the state (issue 10)
        CoverageEntry("3000", Decimal("-900000"), REVENUE),  # not spend
        CoverageEntry("6340", Decimal("-2000"), MAPPED),     # a credit note: left out of the shares
    ]
    c = coverage(entries)
    # 60 000 + 30 000 + 10 000 = 100 000 NOK of cost spend: 60 %, 30 %, 10 %
    assert (c.total_nok, c.mapped_share, c.excluded_share, c.unmapped_share) == (
        Decimal("100000"), Decimal("0.6"), Decimal("0.3"), Decimal("0.1"))
    assert c.credits_nok == Decimal("-2000")
    assert [(r.key, r.description, r.amount_nok) for r in c.unmapped_accounts] == [
        ("7700", "Annen kostnad", Decimal("10000"))]
    assert [r.key for r in c.unmapped_suppliers] == ["912345678"]
    assert c.to_dict()["mapped_share"] == 0.6


def test_largest_unmapped_accounts_and_suppliers_first() -> None:
    entries = [CoverageEntry(str(7700 + i), Decimal(amount), UNMAPPED, supplier_id=f"S{i % 2}")
               for i, amount in enumerate([500, 9000, 300, 12000])]
    c = coverage(entries, top=3)
    assert [r.key for r in c.unmapped_accounts] == ["7703", "7701", "7700"]
    assert [(r.key, r.amount_nok) for r in c.unmapped_suppliers] == [
        ("S1", Decimal(21000)), ("S0", Decimal(800))]


def test_no_cost_spend_gives_zero_shares() -> None:
    c = coverage([CoverageEntry("1920", Decimal(5), BALANCE)])
    assert (c.total_nok, c.mapped_share, c.excluded_share, c.unmapped_share) == (Decimal(0),) * 4


amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False)
kinds = st.sampled_from([MAPPED, EXCLUDED, UNMAPPED, BALANCE, REVENUE])


@given(st.lists(st.tuples(amounts, kinds), max_size=40))
def test_shares_sum_to_100_percent(rows: list[tuple[Decimal, object]]) -> None:
    c = coverage([CoverageEntry(f"{i:04d}", amount, kind) for i, (amount, kind) in enumerate(rows)])  # type: ignore[arg-type]
    assert c.mapped_nok + c.excluded_nok + c.unmapped_nok == c.total_nok
    if c.total_nok:
        assert abs(c.mapped_share + c.excluded_share + c.unmapped_share - 1) < Decimal("1e-20")
        assert all(0 <= s <= 1 for s in (c.mapped_share, c.excluded_share))
        assert c.unmapped_share >= -Decimal("1e-20")
    else:
        assert c.mapped_share + c.excluded_share + c.unmapped_share == 0
