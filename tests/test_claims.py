"""Claim rules: what a client may say about its credits, to whom, from when (klimabok.core.claims).

The fixture is the docs/domain.md example: Nordlys Kundesenter AS, 2025, 138 credits
from one afforestation project in Verra VCS, against an account of 400 t
(market-based) / 250 t (location-based).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from klimabok.core.claims import (
    DIRECTIVE_2024_825_APPLIES,
    AccountTotals,
    Audience,
    Cancellations,
    ClaimsInput,
    CreditKind,
    PlannedCredit,
    PlannedForYear,
    Prerequisites,
    RetiredCredit,
    Rule,
    advise,
    esrs_e1_7,
    is_eu_country,
    iso_14068,
    long_date,
    vcmi,
)
from klimabok.core.messages import message

TOTALS = AccountTotals(scope_1=20.0, scope_2_location=10.0, scope_2_market=160.0, scope_3=220.0,
                       total_location=250.0, total_market=400.0)
AFFORESTATION = RetiredCredit(
    tonnes=Decimal(138), for_year=2025, retired_on=date(2026, 2, 10), standard="Verra VCS",
    registry="verra", project="Kasigau ARR", project_type="afforestation", kind=CreditKind.REMOVAL,
    ccp_label=True, vintage=2023,
    serials="19385-941467007-941467144-VCS-VCU-1507-VER-ET-14-1340-01012023-31122023-1")
ALL_DONE = Prerequisites(public_inventory=True, sbt_validated=True, on_track=True, management_plan=True,
                         claim_verified=True)
NORDLYS = ClaimsInput(organisation="Nordlys Kundesenter AS", year=2025, totals=TOTALS,
                      credits=(AFFORESTATION,), prerequisites=Prerequisites(), audience=Audience.CONSUMERS,
                      today=date(2026, 11, 28))


def phrases(advice_rules: tuple[Rule, ...]) -> set[str]:
    return {word for rule in advice_rules for p in rule.phrases for word in (p.nb, p.en)}


# ---- (a) Directive 2024/825 -------------------------------------------------------------------

def test_from_27_september_2026_offset_based_neutral_claims_to_consumers_are_banned() -> None:
    advice = advise(replace(NORDLYS, today=date(2026, 9, 27)))
    banned = advice.not_allowed[0]
    assert banned.in_force and banned.applies_from == DIRECTIVE_2024_825_APPLIES
    assert {"klimanøytral", "CO2-nøytral", "klimakompensert", "karbonpositiv", "climate neutral"} \
        <= {p.nb for p in banned.phrases} | {p.en for p in banned.phrases}
    assert str(banned.reason).startswith("Since 2026-09-27 it is banned to claim toward consumers")
    assert "2024/825" in str(banned.source)


def test_the_day_before_the_ban_says_it_applies_from_the_date() -> None:
    banned = advise(replace(NORDLYS, today=date(2026, 9, 26))).not_allowed[0]
    assert not banned.in_force
    assert str(banned.reason).startswith("From 2026-09-27 it is banned")
    assert "klimanøytral" in {p.nb for p in banned.phrases}


def test_advertising_the_investment_stays_allowed_for_consumers() -> None:
    advice = advise(NORDLYS)
    assert "finance climate projects with carbon credits" in str(advice.allowed_note)
    safe = str(advice.wording_for(Audience.CONSUMERS)[-1])
    # retired on 2026-02-10 for the 2025 emissions: "For its 2025 emissions", never "In 2025 … retired"
    assert safe == ("For its 2025 emissions, Nordlys Kundesenter AS retired 138 verified carbon credits "
                    "(138 t CO2e, afforestation, Verra VCS, serials " + AFFORESTATION.serials + "; "
                    "retired on 10 February 2026) to finance climate action beyond its own value chain. "
                    "They are not deducted from our reported emissions.")


def test_the_directive_rule_says_how_it_applies_in_norway() -> None:
    """Norway is EEA, not EU: the directive applies through the EEA Agreement once incorporated and in
    force (no Norwegian date is invented), and Forbrukertilsynet already applies markedsføringsloven."""
    for audience in Audience:
        for today in (date(2026, 9, 26), date(2026, 10, 1)):
            ban = advise(replace(NORDLYS, audience=audience, today=today)).not_allowed[0]
            assert ban.norway is not None
            norway = str(ban.norway)
            assert "EEA Agreement" in norway and "incorporated" in norway
            assert "Forbrukertilsynet" in norway and "markedsføringsloven" in norway
            assert "guidance on climate claims in marketing" in norway
            assert "2026" not in norway  # the EU date is not assumed to be Norway's
    never = advise(NORDLYS).not_allowed[-1]
    assert never.norway is None


def test_annual_reports_are_public_so_the_business_audience_gets_the_consumer_ban() -> None:
    """The annual report is a public document that reaches consumers: the Directive 2024/825 ban
    applies to the business audience from the same date, beside the ISO 14068-1 rule."""
    advice = advise(replace(NORDLYS, audience=Audience.BUSINESS))
    ban = advice.not_allowed[0]
    assert ban.applies_from == date(2026, 9, 27) and ban.in_force
    assert "klimanøytral" in phrases((ban,)) and "CO2-kompensert" in phrases((ban,))
    assert "annual report is a public document that reaches consumers" in str(ban.reason)
    assert "Directive (EU) 2024/825" in str(ban.source)
    assert "ISO 14068-1" in str(advice.not_allowed[1].reason)
    before = advise(replace(NORDLYS, audience=Audience.BUSINESS, today=date(2026, 9, 26))).not_allowed[0]
    assert before.applies_from == date(2026, 9, 27) and not before.in_force


def test_net_zero_is_never_allowed_with_credits_for_any_audience() -> None:
    for audience in Audience:
        data = replace(NORDLYS, audience=audience, prerequisites=ALL_DONE,
                       credits=(replace(AFFORESTATION, tonnes=Decimal(400)),))
        assert {"netto null", "net zero"} <= phrases(advise(data).not_allowed)


# ---- (b) ISO 14068-1 --------------------------------------------------------------------------

def conditions(data: ClaimsInput) -> dict[str, bool]:
    return {c.key: c.met for c in iso_14068(data).conditions}


def test_iso_conditions_each_say_what_is_missing() -> None:
    iso = iso_14068(NORDLYS)
    assert not iso.met
    by_key = {c.key: c for c in iso.conditions}
    assert str(by_key["management_plan"].missing) == (
        "No carbon-neutrality management plan recorded (coming with the plans module).")
    # 138 t < the larger total, 400 t (market-based)
    assert str(by_key["offset"].missing) == "138 t retired for 2025; the residual emissions are 400 t."
    assert by_key["retired_in_time"].met and by_key["boundary"].met
    assert str(by_key["verified"].missing) == "No third-party verification of the claim is recorded."


def test_iso_credits_must_be_retired_within_12_months_after_the_period() -> None:
    in_time = replace(AFFORESTATION, retired_on=date(2026, 12, 31))
    late = replace(AFFORESTATION, retired_on=date(2027, 1, 1))
    assert conditions(replace(NORDLYS, credits=(in_time,)))["retired_in_time"]
    iso = iso_14068(replace(NORDLYS, credits=(in_time, late)))
    check = next(c for c in iso.conditions if c.key == "retired_in_time")
    assert not check.met and str(check.missing) == "1 retirement(s) after 2026-12-31."
    assert not conditions(replace(NORDLYS, credits=()))["retired_in_time"]


def test_iso_boundary_needs_scope_1_and_2_and_the_scope_3_screening() -> None:
    """Scope 3 is the screening's (tests/test_scope3_screening.py: met only with all 15 categories
    screened and every relevant one quantified); here nothing is screened."""
    data = replace(NORDLYS, totals=replace(TOTALS, scopes_covered=frozenset({1, 3})))
    check = next(c for c in iso_14068(data).conditions if c.key == "boundary")
    assert not check.met and str(check.missing) == "The account has no lines in scope(s) 2."
    assert not conditions(NORDLYS)["scope3_screened"]


def test_iso_offset_covers_the_larger_scope_2_view() -> None:
    # location 250 t, market 400 t: 399 credits are not enough, 400 are
    assert not conditions(replace(NORDLYS, credits=(replace(AFFORESTATION, tonnes=Decimal(399)),)))["offset"]
    assert conditions(replace(NORDLYS, credits=(replace(AFFORESTATION, tonnes=Decimal(400)),)))["offset"]


# ---- (c) VCMI ---------------------------------------------------------------------------------

def test_no_vcmi_claim_without_prerequisites_says_which_are_missing() -> None:
    advice = vcmi(replace(NORDLYS, prerequisites=Prerequisites(public_inventory=True)))
    assert advice.tier is None
    assert str(advice.reason) == "No VCMI claim: its prerequisites are not recorded."
    assert advice.missing == (message("a validated science-based target"),
                              message("being on track toward that target"))


def test_vcmi_tier_from_ccp_credits_against_remaining_market_based_emissions() -> None:
    # 138 CCP t of 400 t market-based = 34.5 % → Silver (the 250 t location total is not the base)
    advice = vcmi(replace(NORDLYS, prerequisites=ALL_DONE))
    assert advice.tier == "silver"
    assert advice.base_t == Decimal("400.000") and advice.ccp_t == Decimal(138)
    assert advice.share_percent == Decimal("34.5")
    assert str(advice.reason) == ("CCP-labelled credits retired for 2025: 138 t, 34 % of the remaining "
                                  "emissions (400 t, market-based total).")


def test_only_ccp_labelled_credits_count_for_vcmi() -> None:
    plain = replace(AFFORESTATION, ccp_label=False, tonnes=Decimal(300))
    ccp = replace(AFFORESTATION, tonnes=Decimal(40))
    advice = vcmi(replace(NORDLYS, prerequisites=ALL_DONE, credits=(plain, ccp)))
    assert advice.ccp_t == Decimal(40) and advice.tier is None  # 40 / 400 = 10 %
    assert str(advice.reason) == ("No VCMI claim: CCP-labelled credits retired for 2025 are 10 % of the "
                                  "remaining emissions; Silver needs at least 20 %.")


def test_vcmi_needs_the_whole_inventory() -> None:
    data = replace(NORDLYS, prerequisites=ALL_DONE, totals=replace(TOTALS, scopes_covered=frozenset({1, 2})))
    assert str(vcmi(data).reason) == "No VCMI claim: the account does not cover scope 1, 2 and 3."
    assert vcmi(replace(NORDLYS, prerequisites=ALL_DONE, totals=None)).tier is None


def test_vcmi_counts_only_credits_retired_for_the_year() -> None:
    other_year = replace(AFFORESTATION, for_year=2024, tonnes=Decimal(400))
    assert vcmi(replace(NORDLYS, prerequisites=ALL_DONE, credits=(other_year,))).ccp_t == 0


# ---- (d) ESRS E1-7 ----------------------------------------------------------------------------

def test_esrs_e1_7_shares_of_credits_cancelled_in_the_year() -> None:
    cookstoves = RetiredCredit(tonnes=Decimal(60), for_year=2024, retired_on=date(2025, 3, 1),
                               standard="Gold Standard", kind=CreditKind.REDUCTION,
                               corresponding_adjustment=True)
    biochar = RetiredCredit(tonnes=Decimal(40), for_year=2025, retired_on=date(2025, 11, 1),
                            standard="Puro.earth", kind=CreditKind.REMOVAL, eu_project=True)
    # for 2025 but cancelled in 2026: not in 2025's E1-7 figures
    later = replace(AFFORESTATION, retired_on=date(2026, 2, 10))
    esrs = esrs_e1_7(replace(NORDLYS, credits=(cookstoves, biochar, later)))
    assert esrs.cancelled_t == 100
    assert (esrs.removals_percent, esrs.reductions_percent, esrs.unknown_percent) == (
        Decimal(40), Decimal(60), Decimal(0))
    assert [(s.label, s.tonnes, s.percent) for s in esrs.by_standard] == [
        ("Gold Standard", Decimal(60), Decimal(60)), ("Puro.earth", Decimal(40), Decimal(40))]
    assert esrs.eu_percent == 40 and esrs.corresponding_adjustment_percent == 60


def test_esrs_without_credits_is_zero_not_an_error() -> None:
    esrs = esrs_e1_7(replace(NORDLYS, credits=()))
    assert esrs.cancelled_t == 0 and esrs.removals_percent == 0 and esrs.by_standard == ()
    assert esrs.cancelled_by_year == () and esrs.for_year == Cancellations(2025, Decimal(0), ())


def test_esrs_e1_7_cancelled_in_the_period_is_not_the_year_compensation() -> None:
    """Issue 10's known answer: the 2024 compensation (138 t) retired on 2025-03-14 and the 2025
    compensation (837 t) retired on 2026-12-04. 2025's E1-7 counts what was cancelled in 2025."""
    for_2024 = replace(AFFORESTATION, tonnes=Decimal(138), for_year=2024, retired_on=date(2025, 3, 14))
    for_2025 = replace(AFFORESTATION, tonnes=Decimal(837), retired_on=date(2026, 12, 4))
    esrs = esrs_e1_7(replace(NORDLYS, credits=(for_2024, for_2025)))
    # cancelled in 2025 = 138 (retired 2025-03-14, for 2024) + 0 (837 retired 2026-12-04)
    assert esrs.cancelled_t == 138
    assert esrs.cancelled_by_year == (Cancellations(2024, Decimal(138), (date(2025, 3, 14),)),)
    # cancelled for the 2025 emissions = 837, retired 2026-12-04: the other figure, apart
    assert esrs.for_year == Cancellations(2025, Decimal(837), (date(2026, 12, 4),))
    # 2026: the 837 t are cancelled in 2026, for the 2025 emissions
    in_2026 = esrs_e1_7(replace(NORDLYS, year=2026, credits=(for_2025,)))
    assert in_2026.cancelled_t == 837
    assert in_2026.cancelled_by_year == (Cancellations(2025, Decimal(837), (date(2026, 12, 4),)),)
    assert in_2026.for_year == Cancellations(2026, Decimal(0), ())
    # the 2025 wording names the 837 credits for 2025 and their date, not the 138 retired in 2025
    sentence = str(advise(replace(NORDLYS, credits=(for_2024, for_2025))).wording_for(Audience.CONSUMERS)[-1])
    assert sentence.startswith("For its 2025 emissions, Nordlys Kundesenter AS retired 837 verified carbon")
    assert "retired on 4 December 2026)" in sentence and "138" not in sentence


def test_esrs_e1_7_planned_cancellations_are_the_credits_reserved_and_not_yet_retired() -> None:
    """ESRS E1 §59(b): "the total amount of carbon credits … planned to be cancelled in the future and
    whether they are based on existing contractual agreements or not". Reserved under orders: 300 t
    Gold Standard cookstoves (reduction, corresponding adjustment) for 2025, ordered 2026-10-01, and
    100 t Puro.earth biochar (removal, in the EU) for 2026, ordered 2026-11-20 and 2026-11-24."""
    stoves = PlannedCredit(tonnes=Decimal(300), for_year=2025, ordered_on=date(2026, 10, 1),
                           standard="Gold Standard", kind=CreditKind.REDUCTION,
                           corresponding_adjustment=True)
    biochar = PlannedCredit(tonnes=Decimal(60), for_year=2026, ordered_on=date(2026, 11, 24),
                            standard="Puro.earth", kind=CreditKind.REMOVAL, eu_project=True)
    more_biochar = replace(biochar, tonnes=Decimal(40), ordered_on=date(2026, 11, 20))
    esrs = esrs_e1_7(replace(NORDLYS, planned=(stoves, biochar, more_biochar)))
    # cancelled in 2025: the 138 t are retired 2026-02-10, so 0; planned apart: 300 + 60 + 40 = 400 t
    assert esrs.cancelled_t == 0
    planned = esrs.planned
    assert planned is not None and planned.as_of == date(2026, 11, 28)  # NORDLYS.today
    assert planned.tonnes == 400
    # removals 100 / 400 = 25 %, reductions 300 / 400 = 75 %
    assert (planned.removals_percent, planned.reductions_percent, planned.unknown_percent) == (
        Decimal(25), Decimal(75), Decimal(0))
    assert [(s.label, s.tonnes, s.percent) for s in planned.by_standard] == [
        ("Gold Standard", Decimal(300), Decimal(75)), ("Puro.earth", Decimal(100), Decimal(25))]
    # EU: the biochar, 100 / 400 = 25 %; corresponding adjustment: the cookstoves, 300 / 400 = 75 %
    assert planned.eu_percent == 25 and planned.corresponding_adjustment_percent == 75
    # when: for which year's emissions, and the days the orders were placed (earliest first)
    assert planned.by_year == (
        PlannedForYear(2025, Decimal(300), (date(2026, 10, 1),)),
        PlannedForYear(2026, Decimal(100), (date(2026, 11, 20), date(2026, 11, 24))))
    # planned credits are never counted as cancelled, nor as retired for the year (ISO, VCMI, wording)
    advice = advise(replace(NORDLYS, credits=(), planned=(stoves,), prerequisites=ALL_DONE))
    assert advice.esrs.cancelled_t == 0 and advice.esrs.for_year == Cancellations(2025, Decimal(0), ())
    assert advice.vcmi.ccp_t == 0 and not advice.iso_14068.met
    assert not any("retired" in str(w.text) for w in advice.wording)


def test_esrs_e1_7_without_reservations_plans_nothing() -> None:
    planned = esrs_e1_7(NORDLYS).planned
    assert planned is not None and planned.tonnes == 0 and planned.by_year == ()
    assert planned.removals_percent == 0 and planned.by_standard == ()


def test_eu_countries_by_alpha_2_and_alpha_3() -> None:
    assert is_eu_country("SE") and is_eu_country("fin")
    assert not is_eu_country("NO") and not is_eu_country("KEN")


# ---- (e) Wording ------------------------------------------------------------------------------

def test_wording_reports_both_totals_and_the_plan_when_recorded() -> None:
    words = advise(replace(NORDLYS, prerequisites=ALL_DONE)).wording_for(Audience.CONSUMERS)
    assert str(words[0]) == ("In 2025 Nordlys Kundesenter AS emitted 400 t CO2e (market-based; 250 t "
                             "location-based) under the GHG Protocol.")
    assert str(words[1]) == "We are cutting our own emissions first, following a reduction plan with targets."


def test_vcmi_wording_only_for_business_with_a_tier() -> None:
    data = replace(NORDLYS, prerequisites=ALL_DONE)
    assert not any("VCMI" in str(w) for w in advise(data).wording_for(Audience.CONSUMERS))
    business = advise(replace(data, audience=Audience.BUSINESS)).wording_for(Audience.BUSINESS)
    assert any(str(w).startswith("Nordlys Kundesenter AS makes a VCMI Carbon Integrity Silver claim for 2025")
               for w in business)


def test_credits_retired_on_several_days_name_each_day_with_its_credits() -> None:
    december = replace(AFFORESTATION, tonnes=Decimal(12), retired_on=date(2025, 12, 10))
    january = replace(AFFORESTATION, tonnes=Decimal(5), retired_on=date(2026, 1, 15), serials="")
    february = replace(AFFORESTATION, tonnes=Decimal(3), retired_on=date(2026, 2, 1), serials="")
    sentence = str(advise(replace(NORDLYS, credits=(january, december, february)))
                   .wording_for(Audience.CONSUMERS)[-1])
    assert ("For its 2025 emissions, Nordlys Kundesenter AS retired 20 verified carbon credits (20 t CO2e, "
            "afforestation, Verra VCS, serials " + AFFORESTATION.serials + "; retired 12 on 10 December "
            "2025, 5 on 15 January 2026 and 3 on 1 February 2026) to finance") in sentence


def test_dates_in_sentences_name_the_month() -> None:
    assert [str(long_date(date(2026, month, 4))) for month in (1, 5, 12)] == [
        "4 January 2026", "4 May 2026", "4 December 2026"]


def test_no_credits_no_credit_wording() -> None:
    words = advise(replace(NORDLYS, credits=())).wording_for(Audience.CONSUMERS)
    assert not any("credits" in str(w) for w in words)


def test_the_permanent_note() -> None:
    assert str(advise(NORDLYS).credits_note) == \
        "Credits are reported beside the emissions and never deducted from them."
