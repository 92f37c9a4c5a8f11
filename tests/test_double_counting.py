"""Double counting between activity data and ledger spend: only what the activity data covers is excluded
(issue 10, High 5). GHG Protocol Corporate Standard ch. 4 (no emission counted twice) and ch. 7
(completeness): one flight must not remove all air-travel spend, one site's kWh not all "Lys, varme".

Pure core tests; the account page and the rule form are in tests/web/test_double_counting_web.py.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimabok.core.errors import KlimabokError
from klimabok.core.spend.double_counting import (
    ActivityClaim,
    Cover,
    CoverageMode,
    CoverageRule,
    CoverBasis,
    SpendItem,
    allocate,
    split_suppliers,
    split_vouchers,
    supplier_key,
)

AGENCY = SpendItem("air-agency", "travel_air", Decimal("60000"), supplier_id="30020",
                   supplier_org_number="912345678", supplier_name="Reisefabrikken AS")
AIRLINE = SpendItem("air-airline", "travel_air", Decimal("40000"), supplier_id="30031",
                    supplier_org_number="998877665", supplier_name="Nordfly ASA")
HOTEL = SpendItem("hotel-agency", "travel_hotel", Decimal("25000"), supplier_id="30020",
                  supplier_org_number="912345678", supplier_name="Reisefabrikken AS")


def _covered(covers: list[Cover], key: str) -> Decimal:
    return sum((c.covered_nok for c in covers if c.key == key), Decimal(0))


def test_one_flight_without_a_match_no_longer_removes_all_air_travel_spend() -> None:
    """The audit's case: one flight entry, NOK 100,000 of air-travel spend from two suppliers."""
    flight = ActivityClaim("entry:1", "flight", "OSL–BGO")
    covers, (overlap,) = allocate([AGENCY, AIRLINE], [flight])
    assert covers == []
    assert overlap.category == "travel_air" and overlap.groups == ("flight",)
    assert (overlap.spend_nok, overlap.covered_nok, overlap.counted_nok) == (
        Decimal("100000"), Decimal(0), Decimal("100000"))
    # ... but the page says that this may be counted twice, naming the entry
    assert overlap.possible_double_count
    assert [c.label for c in overlap.unmatched_entries] == ["OSL–BGO"]


def test_the_supplier_named_on_the_entry_covers_only_its_own_spend() -> None:
    flight = ActivityClaim("entry:1", "flight", "OSL–BGO", suppliers=("Reisefabrikken AS",))
    covers, (overlap,) = allocate([AGENCY, AIRLINE, HOTEL], [flight])
    assert [(c.key, c.covered_nok, c.basis) for c in covers] == [("air-agency", Decimal("60000"),
                                                                   CoverBasis.SUPPLIER)]
    assert str(covers[0].reason) == ("covered by activity data: supplier Reisefabrikken AS is named on the "
                                     "entry OSL–BGO")
    # the airline's spend still counts, and the same agency's hotel spend: a flight is not a hotel night
    assert overlap.counted_nok == Decimal("40000")
    assert not overlap.possible_double_count


@pytest.mark.parametrize("typed", ["912345678", "NO 912 345 678 MVA", "912 345 678", "reisefabrikken as",
                                   "Reisefabrikken", "30020"])
def test_a_supplier_matches_by_org_number_id_or_name(typed: str) -> None:
    flight = ActivityClaim("entry:1", "flight", suppliers=(typed,))
    covers, _overlaps = allocate([AGENCY, AIRLINE], [flight])
    assert [c.key for c in covers] == ["air-agency"]


def test_supplier_keys() -> None:
    assert supplier_key("NO 912 345 678 MVA") == supplier_key("912345678") == "912345678"
    assert supplier_key("Hafslund Celsio AS") == supplier_key("hafslund celsio") == "hafslund celsio"
    assert supplier_key("") == ""
    assert split_suppliers("Ladenett Norge AS; Fjord Bilfinans AS;") == ("Ladenett Norge AS",
                                                                         "Fjord Bilfinans AS")
    assert split_vouchers("1001, 1002;1003  1004") == ("1001", "1002", "1003", "1004")


def test_vouchers_cover_exactly_their_transactions() -> None:
    """The ledger splits a supplier's spend by the vouchers an entry names; only those are covered."""
    first = SpendItem("line/V-1001", "travel_air", Decimal("4200"), supplier_id="30031",
                      transaction_id="V-1001")
    second = SpendItem("line/V-1002", "travel_air", Decimal("3800"), supplier_id="30031",
                       transaction_id="V-1002")
    rest = SpendItem("line", "travel_air", Decimal("32000"), supplier_id="30031")
    flight = ActivityClaim("entry:1", "flight", "London", vouchers=("v-1001", "V-1002"))
    covers, (overlap,) = allocate([first, second, rest], [flight])
    assert {c.key: c.covered_nok for c in covers} == {"line/V-1001": Decimal("4200"),
                                                      "line/V-1002": Decimal("3800")}
    assert {c.basis for c in covers} == {CoverBasis.VOUCHER}
    assert str(covers[0].reason) == "covered by activity data: voucher V-1001 is the entry London"
    assert overlap.covered[CoverBasis.VOUCHER] == Decimal("8000")
    assert overlap.counted_nok == Decimal("32000")


def test_the_stated_cost_covers_that_amount_spread_over_the_unmatched_spend() -> None:
    """NOK 30,000 stated on two entries against NOK 100,000 unmatched: 30 % of each supplier's spend."""
    claims = [ActivityClaim("entry:1", "flight", "Bergen", cost_nok=Decimal("18000")),
              ActivityClaim("entry:2", "flight", "Trondheim", cost_nok=Decimal("12000"))]
    covers, (overlap,) = allocate([AGENCY, AIRLINE], claims)
    assert {c.key: c.covered_nok for c in covers} == {"air-agency": Decimal("18000.00"),
                                                      "air-airline": Decimal("12000.00")}
    assert overlap.covered[CoverBasis.COST] == Decimal("30000")
    assert overlap.counted_nok == Decimal("70000")
    assert str(covers[0].reason) == ("covered by activity data: the stated cost of Bergen, Trondheim, "
                                     "NOK 30\u00a0000, spread over the unmatched spend")
    # never more than the spend there is
    big = [ActivityClaim("entry:3", "flight", cost_nok=Decimal("250000"))]
    covers, (overlap,) = allocate([AGENCY, AIRLINE], big)
    assert overlap.covered_nok == overlap.spend_nok == Decimal("100000")


def test_the_category_rule_covers_all_or_a_share_of_what_is_not_matched() -> None:
    electricity = SpendItem("power", "electricity_heat", Decimal("1200000"),
                            supplier_name="Akerselva Kraft AS")
    grid = SpendItem("grid", "electricity_heat", Decimal("300000"), supplier_name="Østnett AS")
    heat = SpendItem("heat", "electricity_heat", Decimal("400000"), supplier_name="Hafslund Celsio AS")
    site = ActivityClaim("entry:1", "electricity", "Hovedkontor")
    plant = ActivityClaim("entry:2", "district_heating", "Celsio", suppliers=("Hafslund Celsio",))
    items = [electricity, grid, heat]
    covers, (overlap,) = allocate(items, [site, plant])
    assert overlap.counted_nok == Decimal("1500000") and overlap.possible_double_count

    rules = {"electricity_heat": CoverageRule("electricity_heat", CoverageMode.ALL)}
    covers, (overlap,) = allocate(items, [site, plant], rules)
    assert {c.key: (c.covered_nok, c.basis) for c in covers} == {
        "heat": (Decimal("400000"), CoverBasis.SUPPLIER), "power": (Decimal("1200000"), CoverBasis.RULE),
        "grid": (Decimal("300000"), CoverBasis.RULE)}
    assert overlap.counted_nok == 0 and not overlap.possible_double_count

    rules = {"electricity_heat": CoverageRule("electricity_heat", CoverageMode.SHARE, Decimal("62.5"))}
    covers, (overlap,) = allocate(items, [site, plant], rules)
    assert _covered(covers, "power") == Decimal("750000.00")  # 1,200,000 × 62.5 %
    assert _covered(covers, "grid") == Decimal("187500.00")
    assert overlap.counted_nok == Decimal("562500.00")
    rule_text = next(c.reason for c in covers if c.key == "grid")
    assert str(rule_text) == ("covered by activity data: the rule for this category says the activity data "
                              "covers 62.5 % of it")


def test_a_rule_says_one_thing() -> None:
    with pytest.raises(KlimabokError, match="between 0 and 100"):
        CoverageRule("electricity_heat", CoverageMode.SHARE, Decimal("120"))
    with pytest.raises(KlimabokError, match="between 0 and 100"):
        CoverageRule("electricity_heat", CoverageMode.SHARE)
    with pytest.raises(KlimabokError, match="only the rule 'a share'"):
        CoverageRule("electricity_heat", CoverageMode.ALL, Decimal("50"))


def test_spend_no_activity_data_measures_is_untouched() -> None:
    it = SpendItem("it", "it_telecom", Decimal("900000"), supplier_name="Reisefabrikken AS")
    flight = ActivityClaim("entry:1", "flight", suppliers=("Reisefabrikken AS",))
    assert allocate([it], [flight]) == ([], [])
    # and with no activity data in the covering group, air travel is untouched too
    hotel = ActivityClaim("entry:2", "hotel", suppliers=("Reisefabrikken AS",))
    covers, overlaps = allocate([AGENCY], [hotel])
    assert covers == [] and overlaps == []


# ---- invariants ---------------------------------------------------------------------------------------

SUPPLIERS = ["Reisefabrikken AS", "Nordfly ASA", "912345678", "Akerselva Kraft AS"]
CATEGORIES = ["travel_air", "travel", "travel_hotel", "electricity_heat", "it_telecom"]
GROUPS = ["flight", "hotel", "electricity", "travel"]
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000000"), places=2)
items_strategy = st.lists(st.builds(
    lambda i, category, nok, supplier, voucher: SpendItem(f"k{i}", category, nok, supplier_name=supplier,
                                                           transaction_id=voucher),
    st.integers(), st.sampled_from(CATEGORIES), amounts, st.sampled_from(["", *SUPPLIERS]),
    st.sampled_from(["", "V1", "V2"])), max_size=8, unique_by=lambda item: item.key)
claims_strategy = st.lists(st.builds(
    lambda i, group, suppliers, vouchers, cost: ActivityClaim(f"entry:{i}", group, suppliers=suppliers,
                                                              vouchers=vouchers, cost_nok=cost),
    st.integers(), st.sampled_from(GROUPS), st.lists(st.sampled_from(SUPPLIERS), max_size=2).map(tuple),
    st.lists(st.sampled_from(["V1", "V2"]), max_size=2).map(tuple), st.none() | amounts),
    max_size=6, unique_by=lambda claim: claim.ref)
rules_strategy = st.dictionaries(st.sampled_from(CATEGORIES[:4]), st.one_of(
    st.builds(lambda: None), st.decimals(min_value=0, max_value=100, places=1)), max_size=3).map(
    lambda rules: {c: CoverageRule(c, CoverageMode.ALL) if v is None
                   else CoverageRule(c, CoverageMode.SHARE, v) for c, v in rules.items()})


@settings(max_examples=150, deadline=None)
@given(items_strategy, claims_strategy, rules_strategy)
def test_never_more_than_the_spend_and_the_rows_add_up(items: list[SpendItem], claims: list[ActivityClaim],
                                                        rules: dict[str, CoverageRule]) -> None:
    covers, overlaps = allocate(items, claims, rules)
    by_key = {item.key: item for item in items}
    assert len({c.key for c in covers}) == len(covers)  # one cover a piece of spend
    for cover in covers:
        assert Decimal(0) < cover.covered_nok <= by_key[cover.key].net_nok
    for overlap in overlaps:
        in_category = [i for i in items if i.category == overlap.category]
        assert overlap.spend_nok == sum((i.net_nok for i in in_category), Decimal(0))
        covered = sum((c.covered_nok for c in covers if by_key[c.key].category == overlap.category),
                      Decimal(0))
        assert overlap.covered_nok == covered
        assert Decimal(0) <= overlap.counted_nok <= overlap.spend_nok
    # spend that no activity group measures is never covered
    assert all(by_key[c.key].category != "it_telecom" for c in covers)


@settings(max_examples=100, deadline=None)
@given(amounts, amounts, st.sampled_from(SUPPLIERS), st.booleans())
def test_splitting_a_suppliers_spend_changes_nothing_covered(first: Decimal, second: Decimal, supplier: str,
                                                             named: bool) -> None:
    """The same spend as one piece or two (two accounts, two imports) is covered the same."""
    claim = ActivityClaim("entry:1", "flight", suppliers=(supplier,) if named else ())
    rules = {"travel_air": CoverageRule("travel_air", CoverageMode.ALL)} if not named else {}
    one = SpendItem("one", "travel_air", first + second, supplier_name=supplier)
    two = [SpendItem("a", "travel_air", first, supplier_name=supplier),
           SpendItem("b", "travel_air", second, supplier_name=supplier)]
    as_one, as_two = allocate([one], [claim], rules)[1], allocate(two, [claim], rules)[1]
    assert as_one[0].covered_nok == as_two[0].covered_nok
