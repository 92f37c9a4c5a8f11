"""Overrides per account, supplier and transaction (double counting: tests/test_double_counting.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from klimabok.core.errors import FactorNotFound, KlimabokError
from klimabok.core.spend import (
    Override,
    OverrideTarget,
    apply_overrides,
    classify,
    covered_by_activity,
)

OTHER = classify("7700", grouping_category="annenDriftskostnad", grouping_code="7700")  # unmapped
ELECTRICITY = classify("6340", grouping_category="annenDriftskostnad", grouping_code="6340")
SUPPLIER = "912345678"


def test_supplier_is_our_electricity_company() -> None:
    overrides = [Override(OverrideTarget.SUPPLIER, SUPPLIER, category="electricity_heat")]
    c = apply_overrides(OTHER, overrides, account_id="7700", supplier_id=SUPPLIER)
    assert (c.category, c.scope, c.status) == ("electricity_heat", 2, "mapped")
    assert str(c.rule) == "override for supplier 912345678"
    assert apply_overrides(OTHER, overrides, account_id="7700", supplier_id="999999999") is OTHER


def test_supplier_reports_its_own_factor() -> None:
    overrides = [Override(OverrideTarget.SUPPLIER, SUPPLIER, kg_co2e_per_nok=Decimal("0.02"),
                          source="Supplier's climate report 2025")]
    c = apply_overrides(ELECTRICITY, overrides, account_id="6340", supplier_id=SUPPLIER)
    assert c.own_factor is not None and c.own_factor.kg_co2e_per_nok == Decimal("0.02")
    assert (c.category, c.status) == ("electricity_heat", "mapped")


def test_most_specific_override_wins() -> None:
    overrides = [
        Override(OverrideTarget.ACCOUNT, "7700", category="marketing"),
        Override(OverrideTarget.SUPPLIER, SUPPLIER, category="it_telecom"),
        Override(OverrideTarget.TRANSACTION, "V-17", excluded_reason="owner's private purchase"),
    ]
    assert apply_overrides(OTHER, overrides, account_id="7700").category == "marketing"
    assert apply_overrides(OTHER, overrides, account_id="7700", supplier_id=SUPPLIER).category == "it_telecom"
    voucher = apply_overrides(OTHER, overrides, account_id="7700", supplier_id=SUPPLIER,
                              transaction_id="V-17")
    assert str(voucher.excluded) == "excluded by hand: owner's private purchase"
    assert voucher.status == "excluded"


ONE_THING = "^an override gives exactly one of: a spend category, an own factor, an exclusion reason$"
OWN_FACTOR = "^an own factor must be zero or more kg CO2e per NOK and name its source$"


@pytest.mark.parametrize(("kw", "refusal"), [
    ({}, ONE_THING), ({"category": "it_telecom", "excluded_reason": "x"}, ONE_THING),
    ({"kg_co2e_per_nok": Decimal("0.02")}, OWN_FACTOR),  # no source
    ({"kg_co2e_per_nok": Decimal("-1"), "source": "s"}, OWN_FACTOR),
    ({"excluded_reason": "  "}, "^an exclusion needs a reason$"),
])
def test_an_override_says_exactly_one_valid_thing(kw: dict[str, object], refusal: str) -> None:
    with pytest.raises(KlimabokError, match=refusal):
        Override(OverrideTarget.ACCOUNT, "7700", **kw)  # type: ignore[arg-type]


def test_unknown_category_is_refused() -> None:
    with pytest.raises(FactorNotFound, match="unknown spend category 'fish'"):
        Override(OverrideTarget.ACCOUNT, "7700", category="fish")


def test_covered_by_activity_rule_data() -> None:
    assert covered_by_activity("electricity_heat") == ("electricity", "district_heating")
    assert "fuel" in covered_by_activity("vehicle_fuel")
    assert covered_by_activity("travel_air") == ("flight",)
    assert covered_by_activity("advisory_services") == ()
