"""Measures computed from an account's lines, in sequence on what is left (klimabok.core.plan.measures)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klimabok.core.engine import ActivityLine, compute_account
from klimabok.core.errors import InputErrors
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.core.plan.costs import gap_closed, macc, scenario_pathway
from klimabok.core.plan.measures import (
    MEASURE_KINDS,
    MeasureInput,
    PlanLine,
    apply_in_sequence,
    plan_lines,
    validate_measure,
    validate_params,
)


def line(activity: str, quantity: float, location: float, market: float | None = None, *, ref: str = "",
         label: str = "scope_3.1", unit: str = "") -> PlanLine:
    return PlanLine(ref=ref or activity, activity=activity, scope_label=label, quantity=quantity, unit=unit,
                    kg_co2e_location=location, kg_co2e_market=location if market is None else market)


def measure(kind: str, **params: object) -> MeasureInput:
    return MeasureInput(id=kind, kind=kind, start_year=2026, params=params)


# A diesel car and Norwegian electricity, as the engine values them for 2025:
#   car.average.diesel.km: 10,000 km × 0.17304 (DESNZ 2025 ID 4_301_3069_4_1) = 1,730.4 kg scope 1
#                          + 10,000 km × 0.04146 WTT (ID 26_904_3069_4_1) = 414.6 kg scope 3.3,
#                          2,145 kg in all, both views
#   electricity.no: 100,000 kWh × 0.015 (NVE, klimadeklarasjon 2023: 15 g/kWh) = 1,500 kg location
#                   100,000 kWh × 0.40491 (AIB residual mix, Scope2_Electricity_NO_kWh_2021)
#                   = 40,491 kg market
CAR = ActivityLine("car.average.diesel.km", 10_000, "km", ref="entry:1")
POWER = ActivityLine("electricity.no", 100_000, "kWh", ref="entry:2")


@pytest.fixture(scope="module")
def lines() -> list[PlanLine]:
    return list(plan_lines(compute_account([CAR, POWER], year=2025, catalogue=default_catalogue())))


def test_plan_lines_carry_both_views_of_each_scope_of_each_account_line(lines: list[PlanLine]) -> None:
    # the car line in two parts, one per scope label; the kWh in one: scope 2's location- and
    # market-based components are two views of the same kWh
    car, car_wtt, power = lines
    assert (car.ref, car.scope_label, car.unit, car.index) == ("entry:1", "scope_1", "km", 0)
    assert car.kg_co2e_location == car.kg_co2e_market == pytest.approx(1_730.4)
    assert (car_wtt.ref, car_wtt.scope_label, car_wtt.quantity, car_wtt.index) == ("entry:1", "scope_3.3",
                                                                                  10_000, 0)
    assert car_wtt.kg_co2e_location == car_wtt.kg_co2e_market == pytest.approx(414.6)
    assert (power.scope_label, power.index) == ("scope_2", 1)
    assert power.kg_co2e_location == pytest.approx(1_500.0)
    assert power.kg_co2e_market == pytest.approx(40_491.0)


# 1,000 l of diesel in 2025 (DESNZ 2025, in tests/data/desnz):
#   combustion, scope 1, ID 1_101_1011_8_1: 2.57082 kg CO2e/l → 2,570.82 kg
#   well-to-tank, scope 3.3, ID 11_101_1011_8_1: 0.61101 kg CO2e/l → 611.01 kg
DIESEL = ActivityLine("fuel.diesel", 1_000, "litres", ref="entry:3")


def test_half_the_diesel_is_half_of_each_scope_and_a_scope_1_2_target_counts_the_combustion_only() -> None:
    diesel = plan_lines(compute_account([DIESEL], year=2025, catalogue=default_catalogue()))
    less = MeasureInput(id="less", kind="generic", start_year=2026, params={"pct": 50},
                        activity_prefixes=("fuel.",))
    (effect,) = apply_in_sequence(diesel, [less])
    # 0.5 × 2,570.82 kg = 1.28541 t scope 1; 0.5 × 611.01 kg = 0.305505 t scope 3.3; 1.590915 t in all
    assert effect.t_by_label.keys() == {"scope_1", "scope_3.3"}
    assert effect.t_by_label["scope_1"] == pytest.approx((1.28541, 1.28541))
    assert effect.t_by_label["scope_3.3"] == pytest.approx((0.305505, 0.305505))
    assert effect.t_market_per_year == effect.t_location_per_year == pytest.approx(1.590915)
    assert effect.t_in({"scope_1", "scope_2"}, "market") == pytest.approx(1.28541)
    assert effect.t_in({"scope_1", "scope_2"}, "location") == pytest.approx(1.28541)
    assert effect.t_in({"scope_3.3"}, "market") == pytest.approx(0.305505)
    assert effect.line_index.tolist() == [0, 1]  # both parts of the one diesel line


def test_a_cut_on_a_scope_cuts_that_scope_s_part_of_the_lines() -> None:
    diesel = plan_lines(compute_account([DIESEL], year=2025, catalogue=default_catalogue()))
    wtt = MeasureInput(id="wtt", kind="generic", start_year=2026, params={"pct": 50},
                       scope_labels=("scope_3.3",))
    (effect,) = apply_in_sequence(diesel, [wtt])
    # 0.5 × 611.01 kg well-to-tank; the 2,570.82 kg burnt stay
    assert effect.t_by_label.keys() == {"scope_3.3"}
    assert effect.t_by_label["scope_3.3"] == pytest.approx((0.305505, 0.305505))
    assert effect.remaining_t_market == pytest.approx(2.57082 + 0.305505)


def test_electric_cars_then_guarantees_of_origin_count_the_new_kwh_once(lines: list[PlanLine]) -> None:
    ev = MeasureInput(id="ev", kind="electric_cars", start_year=2026, params={"kwh_per_km": 0.2},
                      capex_nok=100_000, lifetime_years=10, opex_delta_nok_per_year=-4_000)
    ev_effect, goo_effect = apply_in_sequence(lines, [ev, measure("guarantees_of_origin")])
    # EV: 2,145 kg of diesel out; 10,000 km (read once, not once per part) × 0.2 kWh/km = 2,000 kWh
    # in, at the account's own electricity: 2,000 × 0.015 = 30 kg location, 2,000 × 0.40491 = 809.82 kg
    # market
    assert ev_effect.t_location_per_year == pytest.approx((2_145 - 30) / 1000)
    assert ev_effect.t_market_per_year == pytest.approx((2_145 - 809.82) / 1000)
    (added,) = ev_effect.added
    assert added.quantity == pytest.approx(2_000) and (added.unit, added.scope_label) == ("kWh", "scope_2")
    # by scope: the combustion out of scope 1, its well-to-tank out of scope 3.3, the kWh into scope 2
    assert ev_effect.t_by_label.keys() == {"scope_1", "scope_3.3", "scope_2"}
    assert ev_effect.t_by_label["scope_1"] == pytest.approx((1.7304, 1.7304))
    assert ev_effect.t_by_label["scope_3.3"] == pytest.approx((0.4146, 0.4146))
    assert ev_effect.t_by_label["scope_2"] == pytest.approx((-0.030, -0.80982))
    # a scope 1+2 target counts 1,730.4 − 809.82 kg market-based, 1,730.4 − 30 kg location-based
    assert ev_effect.t_in({"scope_1", "scope_2"}, "market") == pytest.approx(0.92058)
    assert ev_effect.t_in({"scope_1", "scope_2"}, "location") == pytest.approx(1.7004)
    # (100,000 / 10 years + (−4,000)) NOK a year / 1.33518 t = 4,493.77 NOK/t (market)
    assert ev_effect.nok_per_tonne_market == pytest.approx(6_000 / 1.33518)
    # GoO: the market kg of all electricity left, the EV's kWh included: 40,491 + 809.82; location untouched
    assert goo_effect.t_market_per_year == pytest.approx(41.30082)
    assert goo_effect.t_location_per_year == 0.0
    assert str(goo_effect.notes[0]) == ("guarantees of origin change the market-based figure only; "
                                        "the location-based figure is unchanged")
    # No double count: together they remove the whole market-based total (2,145 + 40,491 kg), no more
    assert ev_effect.t_market_per_year + goo_effect.t_market_per_year == pytest.approx(42.636)
    assert goo_effect.remaining_t_market == pytest.approx(0.0)
    assert goo_effect.remaining_t_location == pytest.approx(1.530)  # 1,500 + the EV's 30 kg
    # the account's kWh line (after the car's two parts) and the EV's (plan line n + 0, n = 3)
    assert goo_effect.line_index.tolist() == [2, 3]


def test_the_other_order_gives_the_same_total(lines: list[PlanLine]) -> None:
    goo, ev = apply_in_sequence(lines, [measure("guarantees_of_origin"), measure("electric_cars")])
    # GoO first: 40,491 kg; the EV's kWh then carry the 0 kg market-based factor left: 2,145 kg
    assert goo.t_market_per_year == pytest.approx(40.491) and ev.t_market_per_year == pytest.approx(2.145)
    assert goo.t_market_per_year + ev.t_market_per_year == pytest.approx(42.636)


HAND_MADE = [
    line("flight.short_haul.economy", 10_000, 1_500.0, label="scope_3.6", ref="trip:1"),
    line("flight.long_haul.economy", 20_000, 3_000.0, label="scope_3.6", ref="trip:2"),
    line("flight.domestic.average", 1_000, 250.0, label="scope_3.6", ref="trip:3"),
    line("hotel.no", 10, 100.0, label="scope_3.6"),
    line("commute.car.average.petrol.km", 50_000, 8_000.0, label="scope_3.7"),
    line("waste.mixed.incineration", 10, 100.0, label="scope_3.5"),
    line("goods.food_and_drink", 2, 1_000.0),
    line("spend.food_entertainment", 100_000, 500.0),
    line("spend.it_telecom", 300_000, 3_000.0),
    line("spend.advisory_services", 200_000, 2_000.0),
    line("spend.office_supplies", 50_000, 500.0),
    line("spend.electricity_heat", 200_000, 5_000.0, label="scope_2"),
    line("spend.rent_premises", 1_000_000, 1_000.0),
]


@pytest.mark.parametrize(("kind", "params", "kg"), [
    # 50 % of short haul (1,500 kg) + 10 % of long haul (3,000 kg) = 750 + 300
    ("fewer_flights", {"short_haul_pct": 50, "long_haul_pct": 10}, 1_050.0),
    # half of the domestic flight (125 kg) out; 500 passenger.km × 0.03 kg by rail in: 125 − 15
    ("rail_instead_of_flights", {"share": 50, "rail_kg_per_passenger_km": 0.03}, 110.0),
    # 20 % of flights and hotel nights: 0.2 × (1,500 + 3,000 + 250 + 100)
    ("video_meetings", {"pct": 20}, 970.0),
    # 1 of 5 office days at home: 20 % of 8,000 kg commuting = 1,600 kg out; 10 FTE × 1 day × 46 weeks
    # × 7.5 h = 3,450 FTE-hours × 0.33378 kg (DESNZ 2025 homeworking, ID 32_603_9999_12_1) = 1,151.541 in
    ("homeworking_policy", {"extra_home_days": 1, "fte": 10, "kg_per_fte_hour": 0.33378}, 1_600 - 1_151.541),
    # 60 % of 10 t residual (60 kg) sorted: 6 t × 2 kg/t = 12 kg
    ("waste_sorting", {"share": 60, "sorted_kg_per_tonne": 2.0}, 48.0),
    # 30 % lower per meal: 0.3 × (1,000 + 500)
    ("canteen_menu", {"pct": 30}, 450.0),
    # the two largest spend categories but electricity (IT 3,000, advisory 2,000) 25 % lower
    ("supplier_engagement", {"categories": 2, "pct": 25}, 1_250.0),
    # 20 % less floor area: 20 % of the rent (1,000 kg)
    ("less_floor_area", {"pct": 20}, 200.0),
])
def test_each_measure_on_hand_made_lines(kind: str, params: dict[str, object], kg: float) -> None:
    (effect,) = apply_in_sequence(HAND_MADE, [measure(kind, **params)])
    assert effect.t_location_per_year == pytest.approx(kg / 1000)
    assert effect.t_market_per_year == pytest.approx(kg / 1000)


def test_the_generic_measure_cuts_the_lines_chosen() -> None:
    cut = MeasureInput(id=1, kind="generic", start_year=2026, params={"pct": 50},
                       activity_prefixes=("spend.office",), refs=())
    (effect,) = apply_in_sequence(HAND_MADE, [cut])
    assert effect.t_market_per_year == pytest.approx(0.25)  # 50 % of 500 kg
    by_ref = MeasureInput(id=2, kind="generic", start_year=2026, params={"pct": 100}, refs=("trip:2",))
    (effect,) = apply_in_sequence(HAND_MADE, [by_ref])
    assert effect.t_market_per_year == pytest.approx(3.0) and effect.line_index.tolist() == [1]
    by_category = MeasureInput(id=3, kind="generic", start_year=2026, params={"pct": 10},
                               scope_labels=("scope_3.6",))
    (effect,) = apply_in_sequence(HAND_MADE, [by_category])
    assert effect.t_market_per_year == pytest.approx(0.485)  # 10 % of 1,500 + 3,000 + 250 + 100


def test_flights_cut_twice_are_cut_on_what_is_left() -> None:
    fewer, video = apply_in_sequence(HAND_MADE, [measure("fewer_flights", long_haul_pct=50),
                                                 measure("video_meetings", pct=50)])
    # fewer: 50 % of 3,000 = 1,500; video: 50 % of what is left: (1,500 + 1,500 + 250 + 100) × 0.5 = 1,675
    assert fewer.t_market_per_year == pytest.approx(1.5)
    assert video.t_market_per_year == pytest.approx(1.675)


def test_cost_curve_scenario_and_gap(lines: list[PlanLine]) -> None:
    ev = MeasureInput(id="ev", kind="electric_cars", start_year=2026, ramp_years=2, capex_nok=100_000,
                      lifetime_years=10)
    goo = MeasureInput(id="goo", kind="guarantees_of_origin", start_year=2027, opex_delta_nok_per_year=8_000)
    effects = apply_in_sequence(lines, [ev, goo])
    # NOK/t market: GoO 8,000 / 41.30082 = 193.70; EV 10,000 / 1.33518 = 7,489.6: GoO first
    blocks = macc(effects)
    assert [b.id for b in blocks] == ["goo", "ev"]
    assert blocks[1].x_start == pytest.approx(41.30082) and blocks[1].x_end == pytest.approx(42.636)
    baseline = {2025: 42.636, 2026: 42.636, 2027: 42.636, 2030: 42.636}
    scenario = scenario_pathway(baseline, effects)
    # 2026: half the EV (ramp 2 years): 42.636 − 1.33518 / 2; 2027 on: everything → 0
    assert scenario[2026] == pytest.approx(42.636 - 0.66759) and scenario[2030] == pytest.approx(0.0)
    target = {2030: 42.636 * (1 - 0.252)}
    closed = gap_closed(target, baseline, scenario, 2030)
    assert closed.share == pytest.approx(1 / 0.252)
    partial = gap_closed({2026: 30.0}, baseline, scenario, 2026)
    # (0.66759) / (42.636 − 30) = 5.3 %
    assert str(partial.message) == "this plan closes 5.3 % of the gap to the 2026 target"


# --- bad input ----------------------------------------------------------------------------------------

def test_bad_parameters_are_named_by_field() -> None:
    assert [(k, str(m)) for k, m in validate_params("electric_cars", {"kwh_per_km": 3})] == [
        ("kwh_per_km", "Electricity use of the electric cars must be between 0.05 and 0.5 kWh/km, got 3")]
    assert [str(m) for _, m in validate_params("teleport", {})] == ["unknown kind of measure 'teleport'"]
    problems = dict(validate_params("homeworking_policy", {"fte": "ten", "colour": 1}))
    assert str(problems["colour"]) == "unknown parameter 'colour'"
    assert str(problems["extra_home_days"]) == "Extra days at home per week is required"
    assert str(problems["fte"]) == "Employees (FTE) under the policy must be a number"
    assert dict(validate_params("homeworking_policy", {"fte": 5, "extra_home_days": 4, "office_days_now": 3}))
    whole = dict(validate_params("supplier_engagement", {"categories": 2.5, "pct": 10}))
    assert str(whole["categories"]) == "Number of the largest spend categories must be a whole number"


def test_bad_measures_are_refused_whole() -> None:
    absurd = MeasureInput(id=7, kind="generic", start_year=1990, params={"pct": 10}, capex_nok=1e12,
                          refs=("entry:404",), lifetime_years=0, discount_rate=0.9)
    problems = dict(validate_measure(absurd, apply_lines := _lines()))
    assert str(problems["capex_nok"]) == "a cost of 1,000,000,000,000 NOK is not plausible for a measure"
    assert str(problems["refs"]) == "no line of the account has entry:404"
    assert {"start_year", "lifetime_years", "discount_rate"} <= set(problems)
    with pytest.raises(InputErrors) as raised:
        apply_in_sequence(apply_lines, [measure("fewer_flights"), absurd])
    assert all(e.source == "measure 7" for e in raised.value.errors)


def test_a_factor_the_account_lacks_must_be_given() -> None:
    with pytest.raises(InputErrors) as raised:
        apply_in_sequence(HAND_MADE, [measure("rail_instead_of_flights")])
    (error,) = raised.value.errors
    assert error.field == "rail_kg_per_passenger_km"
    assert str(error.problem) == ("the account has no national rail line to take its factor from: "
                                  "give the kg CO2e per unit")


def _lines() -> list[PlanLine]:
    return list(HAND_MADE)


def test_every_kind_has_a_name_and_valid_defaults() -> None:
    for kind in MEASURE_KINDS.values():
        assert str(kind.name) and kind.params
        for param in kind.params:
            assert param.default is None or param.minimum <= param.default <= param.maximum


# --- invariants ----------------------------------------------------------------------------------------

CUTS = st.sampled_from([("generic", {"pct": 30}), ("energy_efficiency", {"pct": 20}),
                        ("guarantees_of_origin", {"share": 50}), ("fewer_flights", {"short_haul_pct": 40}),
                        ("video_meetings", {"pct": 25}), ("canteen_menu", {"pct": 10})])
ANY = st.one_of(CUTS, st.sampled_from([("electric_cars", {"kwh_per_km": 0.5, "kg_per_kwh_location": 0.015,
                                                         "kg_per_kwh_market": 0.4}),
                                       ("homeworking_policy", {"extra_home_days": 2, "fte": 50,
                                                               "kg_per_fte_hour": 0.3}),
                                       ("supplier_engagement", {"categories": 1, "pct": 50})]))
def _parts(drawn: list[tuple[str, float, float, float, float | None]]) -> list[PlanLine]:
    """Account lines as plan lines: a second, well-to-tank part (scope 3.3, ``wtt`` kg) when drawn."""
    out = []
    for k, (activity, q, loc, mkt, wtt) in enumerate(drawn):
        out.append(PlanLine(ref=f"entry:{k}", activity=activity,
                            scope_label="scope_2" if activity.startswith("el") else "x", quantity=q, unit="",
                            kg_co2e_location=loc, kg_co2e_market=mkt, index=k))
        if wtt is not None:
            out.append(PlanLine(ref=f"entry:{k}", activity=activity, scope_label="scope_3.3", quantity=q,
                                unit="", kg_co2e_location=wtt, kg_co2e_market=wtt, index=k))
    return out


PLAN_LINES = st.lists(st.tuples(
    st.sampled_from(["electricity.no", "flight.short_haul.economy", "car.medium.petrol.km",
                     "commute.bus.local", "goods.food_and_drink", "spend.it_telecom", "homeworking",
                     "waste.mixed.landfill"]),
    st.floats(0, 1e5), st.floats(0, 1e4), st.floats(0, 1e4), st.none() | st.floats(0, 1e3)),
    min_size=1, max_size=12).map(_parts)


def _inputs(chosen: list[tuple[str, dict[str, object]]]) -> list[MeasureInput]:
    return [MeasureInput(id=i, kind=kind, start_year=2026, params=params, activity_prefixes=("electricity",))
            for i, (kind, params) in enumerate(chosen)]


@settings(max_examples=60, deadline=None)
@given(PLAN_LINES, st.lists(ANY, max_size=6))
def test_the_sequence_accounts_for_every_tonne(plan: list[PlanLine],
                                               chosen: list[tuple[str, dict[str, object]]]) -> None:
    effects = apply_in_sequence(plan, _inputs(chosen))
    baseline = sum(p.kg_co2e_market for p in plan) / 1000
    added = sum(a.kg_co2e_market for e in effects for a in e.added) / 1000
    removed = sum(e.t_market_per_year for e in effects)
    left = effects[-1].remaining_t_market if effects else baseline
    assert removed == pytest.approx(baseline - left, abs=1e-6)
    assert removed <= baseline + added + 1e-6  # never more than there was
    assert all(e.remaining_t_market >= -1e-9 and e.remaining_t_location >= -1e-9 for e in effects)
    for e in effects:  # every tonne under one scope label
        by_label = e.t_by_label.values()
        assert sum(pair[0] for pair in by_label) == pytest.approx(e.t_location_per_year, abs=1e-6)
        assert sum(pair[1] for pair in by_label) == pytest.approx(e.t_market_per_year, abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(PLAN_LINES, st.lists(CUTS, min_size=2, max_size=4))
def test_percentage_cuts_remove_the_same_total_in_any_order(
        plan: list[PlanLine], chosen: list[tuple[str, dict[str, object]]]) -> None:
    totals = {round(sum(e.t_market_per_year for e in apply_in_sequence(plan, _inputs(list(order)))), 6)
              for order in itertools.permutations(chosen)}
    assert max(totals) - min(totals) < 1e-5


def test_annualised_cost_with_and_without_a_discount_rate() -> None:
    from klimabok.core.plan.costs import annual_cost, capital_recovery_factor
    # CRF(5 %, 8 years) = 0.05 × 1.05⁸ / (1.05⁸ − 1) = 0.05 × 1.4774554 / 0.4774554 = 0.1547218
    assert capital_recovery_factor(0.05, 8) == pytest.approx(0.1547218, rel=1e-6)
    # 400,000 NOK × 0.1547218 − 20,000 NOK saved a year = 41,888.73 NOK a year
    assert annual_cost(400_000, -20_000, 8, 0.05) == pytest.approx(41_888.73, abs=0.01)
    assert annual_cost(100_000, 0, 10, 0.0) == 10_000  # rate 0: capex / lifetime
