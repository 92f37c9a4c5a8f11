"""Known answers for the cost curve on hand-made lines, the effect split by scope, and the suggested kinds."""

from __future__ import annotations

import pytest

from klimabok.core.plan.costs import macc
from klimabok.core.plan.measures import MeasureInput, PlanLine, apply_in_sequence
from klimabok.core.plan.suggest import measure_query, suggested_kind


def line(activity: str, label: str, quantity: float, location: float, market: float) -> PlanLine:
    return PlanLine(ref=f"entry:{activity}", activity=activity, scope_label=label, quantity=quantity, unit="",
                    kg_co2e_location=location, kg_co2e_market=market)


# A diesel car (2,000 kg), Norwegian electricity (1,500 kg location-, 40,000 kg market-based) and
# short-haul flights (5,000 kg): 8,500 kg location-based, 47,000 kg market-based.
LINES = [line("car.average.diesel.km", "scope_1", 10_000, 2_000, 2_000),
         line("electricity.no", "scope_2", 100_000, 1_500, 40_000),
         line("flight.short_haul.economy", "scope_3.6", 20_000, 5_000, 5_000)]
MEASURES = [
    # guarantees of origin for all kWh: 40 t market-based, 0 location; 20,000 NOK a year → 500 NOK/t
    MeasureInput(id="goo", kind="guarantees_of_origin", start_year=2026, params={"share": 100},
                 opex_delta_nok_per_year=20_000),
    # 40 % fewer short-haul flights: 2 t in both views, saving 30,000 NOK a year → −15,000 NOK/t
    MeasureInput(id="flights", kind="fewer_flights", start_year=2026, params={"short_haul_pct": 40},
                 opex_delta_nok_per_year=-30_000),
    # 10 % less electricity after the guarantees: 0.15 t location-based (10 % of 1.5 t), 0 market-based
    # (the guarantees left none); 10,000 NOK over 10 years at 0 % = 1,000 NOK a year → 6,666.67 NOK/t
    MeasureInput(id="efficiency", kind="energy_efficiency", start_year=2027, params={"pct": 10},
                 capex_nok=10_000, lifetime_years=10),
]


def test_the_cost_curve_puts_savings_first_and_leaves_out_what_avoids_nothing_in_the_view() -> None:
    effects = apply_in_sequence(LINES, MEASURES)
    market = macc(effects, "market")
    assert [(b.id, b.x_start, b.x_end) for b in market] == [("flights", 0.0, 2.0), ("goo", 2.0, 42.0)]
    assert [b.nok_per_tonne for b in market] == pytest.approx([-15_000.0, 500.0])
    location = macc(effects, "location")
    assert [b.id for b in location] == ["flights", "efficiency"]  # the guarantees avoid nothing here
    assert location[1].x_start == pytest.approx(2.0) and location[1].x_end == pytest.approx(2.15)
    assert location[1].nok_per_tonne == pytest.approx(1_000 / 0.15)
    # the remaining baseline after each, market-based: 47 − 40 = 7 t, − 2 = 5 t, − 0 = 5 t
    assert [e.remaining_t_market for e in effects] == pytest.approx([7.0, 5.0, 5.0])
    assert [e.remaining_t_location for e in effects] == pytest.approx([8.5, 6.5, 6.35])


def test_each_effect_splits_by_scope_label_and_sums_to_its_tonnes() -> None:
    goo, flights, efficiency = apply_in_sequence(LINES, MEASURES)
    assert dict(goo.t_by_label) == {"scope_2": pytest.approx((0.0, 40.0))}
    assert dict(flights.t_by_label) == {"scope_3.6": pytest.approx((2.0, 2.0))}
    assert dict(efficiency.t_by_label) == {"scope_2": pytest.approx((0.15, 0.0))}
    assert flights.t_in({"scope_1", "scope_2"}, "market") == 0.0  # nothing for a scope 1+2 target
    assert goo.t_in({"scope_1", "scope_2"}, "market") == pytest.approx(40.0)


def test_an_electric_car_brings_its_kwh_in_under_scope_2() -> None:
    # 10,000 diesel km out (2 t scope 1); 10,000 km × 0.2 kWh/km = 2,000 kWh in at the account's own
    # electricity factor (1,500 / 100,000 = 0.015 location, 40,000 / 100,000 = 0.4 market):
    # +0.03 t and +0.8 t scope 2.
    (cars,) = apply_in_sequence(LINES, [MeasureInput(id="ev", kind="electric_cars", start_year=2026,
                                                     params={"share": 100, "kwh_per_km": 0.2})])
    assert cars.t_by_label["scope_1"] == pytest.approx((2.0, 2.0))
    assert cars.t_by_label["scope_2"] == pytest.approx((-0.03, -0.8))
    assert cars.t_market_per_year == pytest.approx(2.0 - 0.8)


@pytest.mark.parametrize(("activity", "kind"), [
    ("car.medium.diesel.litres", "electric_cars"), ("electricity.no", "energy_efficiency"),
    ("flight.domestic.economy", "fewer_flights"), ("commute.bus.local", "homeworking_policy"),
    ("waste.mixed.incineration", "waste_sorting"), ("spend.it_telecom", "supplier_engagement"),
    ("fuel.diesel", "generic"), ("refrigerant.r410a", "generic")])
def test_a_source_suggests_a_kind(activity: str, kind: str) -> None:
    assert suggested_kind(activity) == kind


def test_the_measure_query_names_the_source_and_where_it_came_from() -> None:
    assert measure_query("flight.domestic.economy", "Innenlandsfly", 2024) == {
        "title": "Innenlandsfly", "kind": "fewer_flights", "acts_on": "flight.domestic.economy",
        "from": "account:2024:flight.domestic.economy"}
