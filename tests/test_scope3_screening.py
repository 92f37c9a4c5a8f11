"""The scope 3 relevance screening (klimabok.core.scope3_screening) and the ISO 14068-1 conditions it
feeds (klimabok.core.claims.iso_14068).

The boundary: all 15 categories screened (GHG Protocol Scope 3 Standard, chapter 6, table 6.1 criteria),
every category screened relevant quantified in the account. Reduction targets and a management plan
come with the plans module: until then they are absent and the claim is never offered.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from klimabok.core.claims import (
    AccountTotals,
    Audience,
    ClaimsInput,
    CreditKind,
    Prerequisites,
    ReductionPlans,
    RetiredCredit,
    advise,
    iso_14068,
)
from klimabok.core.scope3_screening import (
    CATEGORIES,
    CategoryScreening,
    Criterion,
    Relevance,
    boundary_gaps,
    category_list,
    screening_problems,
)

R, N = Relevance.RELEVANT, Relevance.NOT_RELEVANT
#: The demo call centre's answer: relevant 1, 3, 5, 6, 7; the rest not relevant, with reasons.
CALL_CENTRE = tuple(CategoryScreening(c, R, Criterion.SIZE) if c in {1, 3, 5, 6, 7}
                    else CategoryScreening(c, N, Criterion.SIZE, "no such activity") for c in CATEGORIES)
TOTALS = AccountTotals(scope_1=20.0, scope_2_location=10.0, scope_2_market=160.0, scope_3=220.0,
                       total_location=250.0, total_market=400.0,
                       scope_3_categories=frozenset({1, 2, 3, 5, 6, 7}))
CREDITS = (RetiredCredit(tonnes=Decimal(400), for_year=2025, retired_on=date(2026, 2, 10),
                         standard="Verra VCS", kind=CreditKind.REMOVAL, ccp_label=True),)
PLANS = ReductionPlans(targets=("scope 1+2 −42 % 2030 vs 2024",), management_plan="plan 2025-2030.pdf")
EVERYTHING = ClaimsInput(
    organisation="Nordlys Kundesenter AS", year=2025, totals=TOTALS, credits=CREDITS,
    prerequisites=Prerequisites(claim_verified=True), audience=Audience.BUSINESS, today=date(2026, 11, 28),
    screening=CALL_CENTRE, plans=PLANS)


def condition(data: ClaimsInput, key: str) -> tuple[bool, str]:
    found = next(c for c in iso_14068(data).conditions if c.key == key)
    return found.met, str(found.missing) if found.missing else ""


# ---- The screening's own rules -------------------------------------------------------------------

def test_not_relevant_needs_a_reason_and_every_decision_a_criterion() -> None:
    assert screening_problems(CategoryScreening(4, N, Criterion.SIZE, "")) == (
        ("reason", screening_problems(CategoryScreening(4, N, Criterion.SIZE, "  "))[0][1]),)
    assert str(screening_problems(CategoryScreening(4, N, Criterion.SIZE))[0][1]) == (
        "A category marked not relevant needs a reason: every exclusion from the boundary is justified.")
    assert [field for field, _ in screening_problems(CategoryScreening(6, R))] == ["criterion"]
    assert [field for field, _ in screening_problems(CategoryScreening(6, R, Criterion.OTHER))] == ["reason"]
    assert screening_problems(CategoryScreening(6, R, Criterion.INFLUENCE)) == ()  # relevant: reason optional
    assert screening_problems(CategoryScreening(9)) == ()  # not screened needs nothing
    assert str(screening_problems(CategoryScreening(16, R, Criterion.SIZE))[0][1]) == (
        "Scope 3 has categories 1 to 15, not 16.")


def test_the_criteria_are_table_6_1s_seven() -> None:
    assert [c.value for c in Criterion] == ["size", "influence", "risk", "stakeholders", "outsourcing",
                                            "sector_guidance", "other"]


def test_gaps_name_the_unscreened_and_the_relevant_without_data() -> None:
    # 2 of 15 screened (3.1 relevant with data, 3.4 relevant without): 13 unscreened, 3.4 unquantified.
    gaps = boundary_gaps([CategoryScreening(1, R, Criterion.SIZE), CategoryScreening(4, R, Criterion.RISK)],
                         with_data={1, 6})
    assert gaps.unscreened == (2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
    assert gaps.relevant_without_data == (4,)
    assert not gaps.complete
    # The call centre: 3.2 has ledger data but was screened not relevant — counted, flagged, no gap.
    call_centre = boundary_gaps(CALL_CENTRE, with_data={1, 2, 3, 5, 6, 7})
    assert call_centre.complete and call_centre.not_relevant_with_data == (2,)
    assert category_list([10, 2, 3]) == "3.2, 3.3, 3.10"


# ---- ISO 14068-1 --------------------------------------------------------------------------------

def test_iso_with_2_of_15_screened_names_the_13_unscreened() -> None:
    data = replace(EVERYTHING, screening=(CALL_CENTRE[0], CALL_CENTRE[3]))
    assert condition(data, "scope3_screened") == (
        False, "13 of 15 scope 3 categories not screened: 3.2, 3.3, 3.5, 3.6, 3.7, 3.8, 3.9, 3.10, 3.11, "
               "3.12, 3.13, 3.14, 3.15.")
    assert not iso_14068(data).met


def test_iso_names_a_relevant_category_without_data() -> None:
    # 3.4 upstream transport screened relevant, but the account has no line in it
    screening = tuple(replace(s, relevance=R, reason="") if s.category == 4 else s for s in CALL_CENTRE)
    data = replace(EVERYTHING, screening=screening)
    assert condition(data, "scope3_screened") == (True, "")
    assert condition(data, "scope3_quantified") == (False, "Screened relevant but without data in the "
                                                           "account: 3.4.")
    assert not iso_14068(data).met


def test_unscreened_is_the_default_and_blocks_the_claim() -> None:
    data = replace(EVERYTHING, screening=())
    assert condition(data, "scope3_screened") == (
        False, "15 of 15 scope 3 categories not screened: 3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9, "
               "3.10, 3.11, 3.12, 3.13, 3.14, 3.15.")
    # relevant without data cannot be judged before screening: nothing is relevant yet
    assert condition(data, "scope3_quantified") == (True, "")


def test_one_scope_3_line_no_longer_covers_scope_3() -> None:
    """The old rule: any scope 3 line counted as "scope 3 covered". Now a single 3.6 line with nothing
    screened leaves the boundary open."""
    one_line = replace(TOTALS, scopes_covered=frozenset({1, 2, 3}), scope_3_categories=frozenset({6}))
    data = replace(EVERYTHING, totals=one_line, screening=())
    assert not iso_14068(data).met
    assert condition(data, "boundary") == (True, "")  # scope 1 and 2 have lines


def test_scope_1_and_2_need_lines() -> None:
    data = replace(EVERYTHING, totals=replace(TOTALS, scopes_covered=frozenset({2, 3})))
    assert condition(data, "boundary") == (False, "The account has no lines in scope(s) 1.")
    assert condition(replace(EVERYTHING, totals=None), "boundary") == (
        False, "The account has no lines in scope(s) 1, 2.")


def test_targets_and_plan_are_absent_until_the_plans_module() -> None:
    data = replace(EVERYTHING, plans=None, prerequisites=Prerequisites(management_plan=True,
                                                                      claim_verified=True))
    # the ticked "reduction plan" box is not a recorded plan
    assert condition(data, "reduction_target") == (
        False, "No reduction target recorded (coming with the plans module).")
    assert condition(data, "management_plan") == (
        False, "No carbon-neutrality management plan recorded (coming with the plans module).")
    assert not iso_14068(data).met
    empty = replace(EVERYTHING, plans=ReductionPlans())
    assert condition(empty, "reduction_target") == (False, "No reduction target recorded.")
    assert condition(empty, "management_plan") == (False, "No carbon-neutrality management plan recorded.")


def test_every_condition_cites_its_source() -> None:
    conditions = iso_14068(EVERYTHING).conditions
    assert [c.key for c in conditions] == ["boundary", "scope3_screened", "scope3_quantified",
                                           "reduction_target", "management_plan", "offset",
                                           "retired_in_time", "verified"]
    sources = {c.key: str(c.source) for c in conditions}
    assert sources["scope3_screened"].startswith("GHG Protocol Scope 3 Standard, chapter 6 and table 6.1")
    assert sources["management_plan"] == "ISO 14068-1:2023, carbon neutrality management plan"
    assert sources["offset"] == "ISO 14068-1:2023, offsetting"


def test_all_conditions_met_with_screening_plans_credits_and_verification() -> None:
    # 400 t retired ≥ the larger total (market-based 400 t), on 10 Feb 2026 ≤ 31 Dec 2026
    iso = iso_14068(EVERYTHING)
    assert iso.met, [(c.key, str(c.missing)) for c in iso.conditions if not c.met]
    # and still no "carbon neutral" sentence for any audience: the annual report reaches consumers, and
    # Directive 2024/825 bans neutrality claims based on offsetting toward consumers
    for audience in Audience:
        advice = advise(replace(EVERYTHING, audience=audience))
        assert advice.iso_14068.met
        assert "klimanøytral" in {p.nb for rule in advice.not_allowed for p in rule.phrases}
        assert not any("neutral" in str(w).lower() for w in advice.wording_for(audience))


# ---- The invariant: the claim only when every condition holds ------------------------------------

screenings = st.lists(
    st.tuples(st.sampled_from(CATEGORIES), st.sampled_from([R, N])), unique_by=lambda t: t[0]
).map(lambda pairs: tuple(CategoryScreening(c, r, Criterion.SIZE, "reason") for c, r in pairs))


@given(screening=screenings, with_data=st.frozensets(st.sampled_from(CATEGORIES)),
       scopes=st.frozensets(st.sampled_from([1, 2, 3])),
       plans=st.sampled_from([None, ReductionPlans(), PLANS]),
       credits=st.sampled_from([(), CREDITS, (replace(CREDITS[0], tonnes=Decimal(399)),)]),
       verified=st.booleans(), audience=st.sampled_from(list(Audience)))
def test_the_claim_is_open_only_when_every_condition_holds(
        screening: tuple[CategoryScreening, ...], with_data: frozenset[int], scopes: frozenset[int],
        plans: ReductionPlans | None, credits: tuple[RetiredCredit, ...], verified: bool,
        audience: Audience) -> None:
    data = replace(EVERYTHING, screening=screening, plans=plans, credits=credits, audience=audience,
                   totals=replace(TOTALS, scopes_covered=scopes, scope_3_categories=with_data),
                   prerequisites=Prerequisites(claim_verified=verified))
    advice = advise(data)
    decided = {s.category: s.relevance for s in screening}
    expected = (len(decided) == 15 and {c for c, r in decided.items() if r is R} <= with_data
                and {1, 2} <= scopes and plans is PLANS and credits == CREDITS and verified)
    assert advice.iso_14068.met is expected
    assert advice.iso_14068.met is all(c.met for c in advice.iso_14068.conditions)
    # a condition not met always says why
    assert all(c.missing is not None for c in advice.iso_14068.conditions if not c.met)
    # the business audience is told a carbon-neutrality claim needs ISO whenever ISO is not met
    iso_rule = any("ISO 14068-1 condition" in str(r.reason) for r in advice.not_allowed)
    assert iso_rule is (audience is Audience.BUSINESS and not expected)
    # no audience ever gets a carbon-neutral sentence (Directive 2024/825)
    assert not any("neutral" in str(w).lower() for w in advice.wording_for(audience))
