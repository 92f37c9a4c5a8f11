"""Targets, pathways, progress in words and base-year recalculation (klimabok.core.plan.pathway, sbti)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klimabok.core.plan.pathway import (
    RATE_1_5C,
    Target,
    business_as_usual,
    implied_absolute,
    linear_contraction,
    progress,
    recalculation_needed,
    target_pathway,
    validate_target,
)
from klimabok.core.plan.sbti import InventoryFacts, RuleResult, Status, check_targets, propose


def test_sbti_linear_contraction_2024_base_at_4_2_percent_is_25_2_percent_less_by_2030() -> None:
    # E(2030) = 1000 × (1 − 0.042 × (2030 − 2024)) = 1000 × (1 − 0.252) = 748 t
    assert linear_contraction(1000.0, 2024, RATE_1_5C, 2030) == pytest.approx(748.0)
    target = Target.from_rate(base_year=2024, target_year=2030, rate=RATE_1_5C, base_t=1000.0)
    assert target.reduction == pytest.approx(0.252)
    assert target.value_in(2030) == pytest.approx(748.0)
    # 2026: 2 × 4.2 % = 8.4 % → 916 t; before the base year, and after the target year, held
    assert target_pathway(target, [2023, 2026, 2032]) == pytest.approx(
        {2023: 1000.0, 2026: 916.0, 2032: 748.0})


def test_a_total_reduction_by_the_target_year_is_linear_in_between() -> None:
    target = Target(base_year=2020, target_year=2030, reduction=0.5, base_t=200.0)
    # 50 % over 10 years = 5 % a year: 2024 → 4 × 5 % = 20 % less = 160 t
    assert target.annual_rate == pytest.approx(0.05)
    assert target.value_in(2024) == pytest.approx(160.0)


def test_an_intensity_target_implies_tonnes_through_its_denominator() -> None:
    # 2 t per FTE in 2024, 30 % less by 2030: 2026 is 2 × (1 − 0.1) = 1.8 t/FTE; with 120 FTE → 216 t
    target = Target(base_year=2024, target_year=2030, reduction=0.3, base_t=2.0, kind="intensity",
                    denominator="fte")
    assert implied_absolute(target, {2024: 100.0, 2026: 120.0}) == pytest.approx({2024: 200.0, 2026: 216.0})


def test_business_as_usual_flat_growing_or_following_a_driver() -> None:
    assert business_as_usual(100.0, 2024, [2024, 2026]) == {2024: 100.0, 2026: 100.0}
    # 3 % a year: 100 × 1.03² = 106.09
    assert business_as_usual(100.0, 2024, [2026], growth=0.03)[2026] == pytest.approx(106.09)
    # FTE 50 → 60: 100 × 60 / 50 = 120; 2027 has no figure, held at 2026's
    assert business_as_usual(100.0, 2024, [2026, 2027], driver={2024: 50.0, 2026: 60.0}) == \
        pytest.approx({2026: 120.0, 2027: 120.0})


def test_progress_in_words() -> None:
    target = Target.from_rate(base_year=2024, target_year=2030, rate=RATE_1_5C, base_t=500.0)
    # 2026: 440 t = 1 − 440/500 = 12 % below 2024; the pathway asks for 2 × 4.2 = 8.4 % by 2026 (458 t)
    result = progress({2024: 500.0, 2026: 440.0}, target)
    assert result is not None
    assert str(result.message) == "2026 is 12 % below 2024; the pathway asks for 8.4 % by now"
    assert result.on_track and result.pathway_t == pytest.approx(458.0)
    above = progress({2025: 510.0}, target)
    assert above is not None and not above.on_track
    assert str(above.message) == "2025 is 2 % above 2024; the pathway asks for 4.2 % below it by now"
    assert progress({2024: 500.0}, target) is None


def test_base_year_recalculation_from_5_percent() -> None:
    # 100 → 105 t: +5 %, at the threshold → recalculate; 100 → 104.9: 4.9 % → not
    moved = recalculation_needed(100.0, 105.0)
    assert moved.needed and moved.change == pytest.approx(0.05)
    assert str(moved.message) == ("the base year's total moves by 5 % (100.0 t → 105.0 t): "
                                  "a move of 5 % or more calls for recalculating the base year "
                                  "and its targets")
    assert not recalculation_needed(100.0, 104.9).needed
    assert recalculation_needed(100.0, 94.0).needed  # −6 %
    assert recalculation_needed(0.0, 3.0).needed


def test_bad_targets_are_named_by_field() -> None:
    target = Target(base_year=2024, target_year=2020, reduction=1.2, base_t=100.0,
                    covers=frozenset({"scope_9"}), kind="intensity")
    problems = dict(validate_target(target))
    assert str(problems["target_year"]) == "the target year (2020) must come after the base year (2024)"
    assert str(problems["reduction"]) == "the reduction must be more than 0 % and at most 100 %, got 120 %"
    assert str(problems["covers"]) == "unknown scope or category: scope_9"
    assert "denominator" in problems


@given(st.floats(0, 1), st.integers(2015, 2040), st.integers(1, 30), st.floats(0, 1e6))
def test_a_pathway_never_rises(reduction: float, base_year: int, years: int, base_t: float) -> None:
    target = Target(base_year=base_year, target_year=base_year + years, reduction=reduction, base_t=base_t)
    values = list(target_pathway(target, range(base_year - 2, base_year + years + 3)).values())
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(values))
    # floating point: a 100 % cut of 9,008 t ends at 2e-12 t, not 1e-12 t (both zero to the tonne)
    assert values[0] == base_t and values[-1] == pytest.approx(base_t * (1 - reduction),
                                                              abs=1e-9 * max(base_t, 1.0))


# --- SBTi rule sets -------------------------------------------------------------------------------

FACTS = InventoryFacts(base_year=2024, scope_1=100.0, scope_2_location=20.0, scope_2_market=300.0,
                       scope_3_by_category={1: 500.0, 6: 200.0, 7: 100.0}, submission_year=2025)


def statuses(results: list[RuleResult]) -> dict[str, Status]:
    return {r.rule: r.status for r in results}


def test_near_term_proposal_meets_its_own_rules() -> None:
    proposal = propose(FACTS, "sbti-near-term-v1")
    scope_12, scope_3 = proposal.targets
    # submission 2025 + 5 = 2030; 6 years × 4.2 % = 25.2 % of 100 + 300 (market) t
    assert (scope_12.target_year, scope_12.base_t) == (2030, 400.0)
    assert scope_12.reduction == pytest.approx(0.252)
    # scope 3 = 800 t of 1,220 (location) or 1,200 (market): ≥ 40 % → a target on the largest categories
    # until ≥ 67 %: cat. 1 (500 = 62.5 %) + cat. 6 (200) = 87.5 %; 6 × 2.5 % = 15 %
    assert scope_3.covers == frozenset({"scope_3.1", "scope_3.6"}) and scope_3.base_t == 700.0
    assert scope_3.reduction == pytest.approx(0.15)
    results = check_targets(FACTS, proposal.targets, "sbti-near-term-v1")
    assert set(statuses(results).values()) == {Status.MET}
    assert all(r.source.startswith("SBTi Corporate Near-Term Criteria (V1.x)") for r in results)


def test_near_term_rules_that_fail() -> None:
    weak = Target(base_year=2014, target_year=2040, reduction=0.2, base_t=100.0,
                  covers=frozenset({"scope_1"}))
    results = {r.rule: r for r in check_targets(FACTS, [weak], "sbti-near-term-v1")}
    assert results["base_year"].status is Status.NOT_MET
    assert results["timeframe"].status is Status.NOT_MET
    # scope 1 only: 100 / (100 + 300) = 25 % of scope 1+2
    assert str(results["scope_1_2_coverage"].message) == (
        "the scope 1+2 targets cover 25 % of scope 1+2 emissions; at least 95 % is asked for")
    # 20 % over 26 years = 0.8 % a year
    assert str(results["scope_1_2_ambition"].message) == (
        "20 % over 26 years is 0.8 % a year; at least 4.2 % a year is asked for (109.2 % by 2040)")
    assert results["scope_3_required"].status is Status.NOT_MET


def test_scope_3_share_on_either_side_of_40_percent_is_not_checked() -> None:
    # location: 300 / (100 + 20 + 300) = 71 %; market: 300 / (100 + 400 + 300) = 37.5 %
    facts = InventoryFacts(base_year=2024, scope_1=100.0, scope_2_location=20.0, scope_2_market=400.0,
                           scope_3_by_category={1: 300.0})
    result = {r.rule: r for r in check_targets(facts, [], "sbti-near-term-v1")}["scope_3_required"]
    assert result.status is Status.NOT_CHECKED


def test_sme_route_never_decides_the_size_tests() -> None:
    targets = propose(FACTS, "sbti-sme-v1").targets
    results = statuses(check_targets(FACTS, targets, "sbti-sme-v1"))
    assert results["sme_emissions"] is Status.MET  # 100 + 20 < 10,000 t
    assert results["sme_size"] is Status.NOT_CHECKED
    assert results["sme_sector"] is Status.NOT_CHECKED  # not recorded
    assert results["sme_target_2030"] is Status.MET and results["sme_ambition"] is Status.MET
    big = InventoryFacts(base_year=2024, scope_1=9_000.0, scope_2_location=1_000.0, scope_2_market=0.0,
                         oil_and_gas=True, financial_institution=False)
    results = statuses(check_targets(big, targets, "sbti-sme-v1"))
    assert results["sme_emissions"] is Status.NOT_MET and results["sme_sector"] is Status.NOT_MET


def test_net_zero_v2_separate_scope_targets_and_location_based_scope_2() -> None:
    combined = propose(FACTS, "sbti-near-term-v1").targets[:1]
    results = statuses(check_targets(FACTS, combined, "sbti-net-zero-v2"))
    assert results["v2_separate_scopes"] is Status.NOT_MET
    assert results["v2_location_scope_2"] is Status.NOT_MET
    assert results["v2_scope_3"] is Status.NOT_CHECKED and results["v2_ambition"] is Status.NOT_CHECKED
    proposal = propose(FACTS, "sbti-net-zero-v2")
    results = statuses(check_targets(FACTS, proposal.targets, "sbti-net-zero-v2"))
    assert results["v2_separate_scopes"] is Status.MET and results["v2_location_scope_2"] is Status.MET
    assert proposal.targets[1].base_t == 20.0 and proposal.targets[1].scope_2_method == "location"
