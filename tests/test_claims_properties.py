"""Properties of the claim rules: VCMI tier boundaries, and credits never netted off the account."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from klimabok.core.claims import (
    AccountTotals,
    Audience,
    ClaimsInput,
    CreditKind,
    Prerequisites,
    RetiredCredit,
    advise,
    reported_tonnes,
    vcmi,
    vcmi_tier,
)
from klimabok.core.messages import Message, message

ALL_DONE = Prerequisites(public_inventory=True, sbt_validated=True, on_track=True, management_plan=True,
                         claim_verified=True)
TODAY = date(2026, 11, 28)

whole_kg_tonnes = st.integers(min_value=1, max_value=10_000_000).map(lambda kg: Decimal(kg) / 1000)


def totals_with_market(market: Decimal, location: Decimal | None = None) -> AccountTotals:
    loc = float(location if location is not None else market)
    return AccountTotals(scope_1=0.0, scope_2_location=0.0, scope_2_market=0.0, scope_3=float(market),
                         total_location=loc, total_market=float(market))


def ccp(tonnes: Decimal, year: int = 2025) -> RetiredCredit:
    return RetiredCredit(tonnes=tonnes, for_year=year, retired_on=date(year + 1, 3, 1), standard="Verra VCS",
                         kind=CreditKind.REMOVAL, ccp_label=True)


def claims(totals: AccountTotals | None, credits: tuple[RetiredCredit, ...],
           prerequisites: Prerequisites = ALL_DONE, audience: Audience = Audience.BUSINESS) -> ClaimsInput:
    return ClaimsInput("Nordlys Kundesenter AS", 2025, totals, credits, prerequisites, audience, TODAY)


@given(remaining=st.integers(min_value=1, max_value=1_000_000),
       boundary=st.sampled_from([(20, "silver"), (60, "gold"), (100, "platinum")]))
def test_exactly_at_a_boundary_is_that_tier_and_one_credit_less_is_the_tier_below(
        remaining: int, boundary: tuple[int, str]) -> None:
    # remaining × 100 t keeps the boundary whole: 20 % of 100·r t is exactly 20·r credits.
    percent, tier = boundary
    base = Decimal(remaining * 100)
    at = vcmi(claims(totals_with_market(base), (ccp(Decimal(percent * remaining)),)))
    assert at.tier == tier and at.share_percent == percent
    below = vcmi(claims(totals_with_market(base), (ccp(Decimal(percent * remaining - 1)),)))
    assert below.tier == {"silver": None, "gold": "silver", "platinum": "gold"}[tier]


@given(market=whole_kg_tonnes, share=st.decimals(min_value=0, max_value=300, places=3))
def test_the_share_is_ccp_credits_over_remaining_market_based_emissions(market: Decimal,
                                                                        share: Decimal) -> None:
    credits = (market * share / 100).quantize(Decimal("0.001"))
    advice = vcmi(claims(totals_with_market(market, location=market * 3), (ccp(credits),)))
    assert advice.base_t == reported_tonnes(float(market))
    assert advice.share_percent == credits * 100 / advice.base_t
    expected = ("platinum" if credits * 100 >= 100 * market else "gold" if credits * 100 >= 60 * market
                else "silver" if credits * 100 >= 20 * market else None)
    assert advice.tier == expected == vcmi_tier(credits * 100 / market)


@given(market=whole_kg_tonnes, credits=whole_kg_tonnes,
       done=st.tuples(st.booleans(), st.booleans(), st.booleans()).filter(lambda t: not all(t)))
def test_no_tier_without_every_prerequisite(market: Decimal, credits: Decimal,
                                            done: tuple[bool, bool, bool]) -> None:
    prerequisites = Prerequisites(public_inventory=done[0], sbt_validated=done[1], on_track=done[2],
                                  management_plan=True, claim_verified=True)
    advice = vcmi(claims(totals_with_market(market), (ccp(credits),), prerequisites))
    assert advice.tier is None
    assert len(advice.missing) == 3 - sum(done)


def figures(value: object) -> list[str]:
    """Every number and text the advice holds (recursively), as the page could show it."""
    if isinstance(value, Message):
        return [str(value), *map(str, value.params.values())]
    if isinstance(value, Decimal | int | float | str):
        return [str(value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [f for field in dataclasses.fields(value) for f in figures(getattr(value, field.name))]
    if isinstance(value, tuple | list):
        return [f for item in value for f in figures(item)]
    return []


@given(market=st.integers(min_value=10_000, max_value=1_000_000),
       location=st.integers(min_value=10_000, max_value=1_000_000),
       credits=st.integers(min_value=1, max_value=9_000), audience=st.sampled_from(list(Audience)),
       prerequisites=st.sampled_from([Prerequisites(), ALL_DONE]))
def test_the_advice_never_reports_emissions_minus_credits(
        market: int, location: int, credits: int, audience: Audience, prerequisites: Prerequisites) -> None:
    # Totals ≥ 10 000 t keep "total − credits" apart from the years; a location total that happens
    # to equal market − credits is a real figure of the account, not a netted one.
    assume(location not in (market - credits, market + credits))
    # A total of exactly twice the credits makes "total − credits" the credits figure itself,
    # which the advice rightly shows (e.g. 10 000 t emitted, 5 000 t retired).
    assume(2 * credits not in (market, location))
    # A difference equal to a year the advice names (2025, and 2026 of the retirement date) is that
    # year, not a netted figure.
    assume(not {market - credits, location - credits} & {TODAY.year - 1, TODAY.year})
    data = claims(totals_with_market(Decimal(market), Decimal(location)), (ccp(Decimal(credits)),),
                  prerequisites, audience)
    netted = {str(Decimal(total - credits)) for total in (market, location)}
    netted |= {f"{n}.000" for n in netted}
    shown = figures(advise(data))
    assert not netted & set(shown)
    assert not any(n in text.split() for text in shown for n in netted)


def test_the_netting_check_sees_figures_inside_sentences_and_parameters() -> None:
    """What the property relies on: a netted 400 − 138 = 262 t would be found, as text or parameter."""
    sentence = message("%(organisation)s: net %(net)s t", organisation="Nordlys", net="262")
    assert {"Nordlys: net 262 t", "262"} <= set(figures((sentence,)))
    shown = figures(advise(claims(totals_with_market(Decimal(400)), (ccp(Decimal(138)),))))
    assert "400.000" in shown and "138" in shown and "262" not in shown
