"""Default account rules: grouping code → standard account → account range; exclusions shown with a reason."""

from __future__ import annotations

import pytest

from klimabok.core.spend import ExclusionReason, classify, exclusion_message
from klimabok.core.spend.tables import categories


def reason(**kw: str) -> str:
    excluded = classify(**{"account_id": "", **kw}).excluded
    assert excluded is not None
    return str(excluded)


@pytest.mark.parametrize(("code", "category", "scope", "ghg_category"), [
    ("6340", "electricity_heat", 2, None),    # Lys, varme
    ("6350", "it_telecom", 3, 1),             # IT kostnader
    ("6395", "waste_water_cleaning", 3, 5),   # Renovasjon, vann, avløp, renhold mv.
    ("6440", "car_leasing", 3, 1),            # Langtidsleie/leasing av bil: a purchased service
    ("7000", "vehicle_fuel", 3, 3),           # Drivstoff transportmiddel (upstream only)
    ("7155", "travel", 3, 6),                 # Reise-, diett- og bilgodtgjørelse, opplysningspliktig
    ("7165", "travel", 3, 6),                 # Reise- og diettkostnader, ikke opplysningspliktig
    ("4005", "goods_for_resale", 3, 1),       # Varekostnader inklusiv endring i beholdningen
    ("6700", "advisory_services", 3, 1),      # Regnskapstjenester, rådgivning med mer
])
def test_grouping_codes_of_domain_notes_map_as_stated(code: str, category: str, scope: int,
                                                      ghg_category: int | None) -> None:
    c = classify("9999", grouping_category="annenDriftskostnad" if code != "4005" else "varekostnad",
                 grouping_code=code)
    assert (c.category, c.scope, c.ghg_category, c.excluded) == (category, scope, ghg_category, None)
    assert c.status == "mapped"
    assert str(c.rule).startswith(f"grouping code {code} ")


def test_rule_names_the_official_text_of_the_code() -> None:
    c = classify("6340", grouping_category="annenDriftskostnad", grouping_code="6340")
    assert str(c.rule) == "grouping code 6340 Lys, varme"


@pytest.mark.parametrize(("kw", "expected"), [
    ({"grouping_category": "loennskostnad", "grouping_code": "5000"}, ExclusionReason.PAYROLL),
    ({"grouping_category": "annenDriftskostnad", "grouping_code": "6000"}, ExclusionReason.DEPRECIATION),
    ({"grouping_category": "annenDriftskostnad", "grouping_code": "6050"}, ExclusionReason.WRITE_DOWN),
    ({"grouping_category": "annenDriftskostnad", "grouping_code": "7830"}, ExclusionReason.WRITE_DOWN),
    ({"grouping_category": "finanskostnad", "grouping_code": "8150"}, ExclusionReason.FINANCIAL),
    ({"grouping_category": "finansinntekt", "grouping_code": "8050"}, ExclusionReason.FINANCIAL),
    ({"grouping_category": "skattekostnad", "grouping_code": "8300"}, ExclusionReason.TAX),
    ({"grouping_category": "annenDriftskostnad", "grouping_code": "7701"}, ExclusionReason.TAX),  # CO2-avgift
    ({"grouping_category": "kortsiktigGjeld", "grouping_code": "2740"}, ExclusionReason.VAT),
    ({"grouping_category": "balanseverdiForOmloepsmiddel", "grouping_code": "1920"},
     ExclusionReason.BALANCE_SHEET),
    ({"grouping_category": "kortsiktigGjeld", "grouping_code": "2400"}, ExclusionReason.BALANCE_SHEET),
    ({"grouping_category": "salgsinntekt", "grouping_code": "3000"}, ExclusionReason.REVENUE),
    ({"grouping_category": "varekostnad", "grouping_code": "4295"}, ExclusionReason.INTERNAL),
    ({"standard_account_id": "50"}, ExclusionReason.PAYROLL),
    ({"standard_account_id": "60"}, ExclusionReason.DEPRECIATION),
    ({"standard_account_id": "78"}, ExclusionReason.WRITE_DOWN),
    ({"standard_account_id": "81"}, ExclusionReason.FINANCIAL),
    ({"standard_account_id": "83"}, ExclusionReason.TAX),
    ({"standard_account_id": "16"}, ExclusionReason.VAT),
    ({"standard_account_id": "19"}, ExclusionReason.BALANCE_SHEET),
    ({"standard_account_id": "30"}, ExclusionReason.REVENUE),
])
def test_every_excluded_class_is_shown_with_its_reason(kw: dict[str, str], expected: ExclusionReason) -> None:
    c = classify("0", **kw)
    assert c.excluded == exclusion_message(expected)
    assert (c.category, c.status) == (None, "excluded")


def test_exclusion_texts_say_why() -> None:
    assert reason(grouping_category="loennskostnad", grouping_code="5400") == (
        "payroll: wages, pensions and employer's contributions are not purchases")
    assert reason(standard_account_id="27") == "balance-sheet account (classes 1–2): not a cost of the year"
    assert reason(standard_account_id="16") == "VAT: spend is counted without VAT"


def test_other_personnel_costs_are_purchases_not_payroll() -> None:
    c = classify("5900", grouping_category="loennskostnad", grouping_code="5900")
    assert (c.category, c.excluded) == ("personnel_other", None)


@pytest.mark.parametrize(("standard", "category"), [
    ("63", "premises_mixed"), ("67", "advisory_services"), ("71", "travel"), ("43", "goods_for_resale"),
    ("6340", "premises_mixed"),  # a 4-character standard account by its first two characters
])
def test_standard_accounts_of_1_20(standard: str, category: str) -> None:
    c = classify("1234", standard_account_id=standard)
    assert c.category == category
    assert str(c.rule).startswith(f"standard account {standard} ")


def test_grouping_code_wins_over_standard_account_and_range() -> None:
    c = classify("7140", grouping_category="annenDriftskostnad", grouping_code="6350",
                 standard_account_id="71")
    assert c.category == "it_telecom"


def test_account_range_is_the_fallback() -> None:
    c = classify("7140", description="Reisekostnad")
    assert c.category == "travel"
    assert str(c.rule) == "account range 7100–7199 (Kostnad og godtgjørelse for reise, diett, bil, o.l.)"
    assert str(classify("50001").rule).startswith("account range 50000–50999")
    assert classify("2400").excluded == exclusion_message(ExclusionReason.BALANCE_SHEET)


def test_unknown_code_falls_through_to_the_next_rule() -> None:
    c = classify("6340", grouping_category="annenDriftskostnad", grouping_code="6399")
    assert c.category == "premises_mixed" and str(c.rule).startswith("account range 6300–6399")


@pytest.mark.parametrize("account", ["ABC", "12", ""])
def test_no_rule_leaves_the_account_unmapped(account: str) -> None:
    c = classify(account)
    assert (c.category, c.excluded, c.rule, c.status) == (None, None, None, "unmapped")


def test_known_catch_all_code_is_left_for_the_user() -> None:
    c = classify("7700", grouping_category="annenDriftskostnad", grouping_code="7700")
    assert (c.category, c.excluded, c.status) == (None, None, "unmapped")
    assert str(c.rule) == "grouping code 7700 Annen kostnad"


@pytest.mark.parametrize(("description", "category"), [
    ("Flyreiser", "travel_air"), ("Hotell og overnatting", "travel_hotel"), ("Taxi", "travel_ground"),
    ("Flytoget", "travel_ground"), ("Reise og diett", "travel"),
])
def test_travel_is_split_by_the_account_description(description: str, category: str) -> None:
    c = classify("7140", grouping_category="annenDriftskostnad", grouping_code="7165",
                 description=description)
    assert c.category == category


def test_rent_and_leasing_are_purchased_services_not_upstream_leased_assets() -> None:
    """Issue 10: rent (6300), premises costs (standard account 63), equipment rental (6400) and car
    leasing (6440) buy the lessor's service: scope 3 category 1. Category 8 holds the operation of leased
    assets not already in scope 1 and 2 (GHG Protocol Scope 3 Technical Guidance, category 8), and an
    office tenant under operational control has the premises' energy in its own scope 1 and 2
    (categories.csv rows rent_premises, premises_mixed, equipment_rental, car_leasing)."""
    rent = classify("6300", grouping_category="annenDriftskostnad", grouping_code="6300")
    leasing = classify("6440", grouping_category="annenDriftskostnad", grouping_code="6440")
    assert (rent.category, rent.scope, rent.ghg_category) == ("rent_premises", 3, 1)
    assert (leasing.category, leasing.scope, leasing.ghg_category) == ("car_leasing", 3, 1)
    rentals = {c.key: c.ghg_category for c in categories() if c.key in {"premises_mixed", "equipment_rental"}}
    assert rentals == {"premises_mixed": 1, "equipment_rental": 1}
    assert not any(c.ghg_category == 8 for c in categories())
