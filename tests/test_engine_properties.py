"""Invariants of the engine (Hypothesis): aggregation, partition, unit and split invariance, uncertainty."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_fixtures import tiny_catalogue

from klimabok.core.engine import AccountResult, ActivityLine, Totals, compute_account

CATALOGUE = tiny_catalogue()
#: activity → units a user may give it in
UNITS = {
    "diesel": ("litres", "l", "m3"),
    "electricity.no": ("kWh", "MWh", "GJ"),
    "district_heating": ("kWh", "MWh"),
    "flight.short": ("passenger_km", "pkm"),
    "hotel.night": ("room_night", "nights"),
    "homeworking": ("fte_hour",),
    "waste.mixed": ("tonne", "kg"),
    "taxi": ("km", "miles"),
}

line = st.sampled_from(sorted(UNITS)).flatmap(lambda activity: st.builds(
    ActivityLine, activity=st.just(activity),
    quantity=st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(UNITS[activity]), site=st.sampled_from(["", "Oslo", "Bergen"]),
    data_quality=st.integers(min_value=1, max_value=5)))
lines = st.lists(line, max_size=30)


def compute(ls: list[ActivityLine], gwp_set: str = "AR5") -> AccountResult:
    return compute_account(ls, year=2025, catalogue=CATALOGUE, gwp_set=gwp_set)


def close(a: Totals, b: Totals) -> bool:
    return all(math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9) for x, y in
               zip(a.as_tuple(), b.as_tuple(), strict=True))


@given(lines)
def test_result_lines_sum_to_the_totals(ls: list[ActivityLine]) -> None:
    result = compute(ls)
    location = sum(r.t_co2e for r in result.lines if r.scope_label != "scope_2_market")
    market = sum(r.t_co2e for r in result.lines if r.scope_label != "scope_2_location")
    assert location == pytest.approx(result.totals.total_location, rel=1e-9, abs=1e-9)
    assert market == pytest.approx(result.totals.total_market, rel=1e-9, abs=1e-9)


@given(lines)
def test_scopes_partition_and_categories_sum_to_the_totals(ls: list[ActivityLine]) -> None:
    result = compute(ls)
    t = result.totals
    assert t.scope_1 + t.scope_2_location + t.scope_3 == pytest.approx(t.total_location, rel=1e-12)
    assert t.scope_1 + t.scope_2_market + t.scope_3 == pytest.approx(t.total_market, rel=1e-12)
    categories = result.by_category()
    assert sum(v for k, v in categories.items() if k != "scope_2_market") == pytest.approx(
        t.total_location, rel=1e-12, abs=1e-12)
    assert sum(v for k, v in categories.items() if k.startswith("scope_3.")) == pytest.approx(
        t.scope_3, rel=1e-12, abs=1e-12)


@given(lines)
def test_sites_sum_to_the_totals(ls: list[ActivityLine]) -> None:
    result = compute(ls)
    sites = list(result.by_site().values())
    summed = Totals(*(sum(column) for column in zip(*(s.as_tuple() for s in sites), strict=True))) \
        if sites else Totals(0, 0, 0, 0, 0, 0)
    assert close(summed, result.totals)
    assert sum(r.t_co2e for r in result.by_activity("location")) == pytest.approx(
        result.totals.total_location, rel=1e-9, abs=1e-9)


@given(lines, st.data())
def test_splitting_a_line_in_halves_leaves_the_totals(ls: list[ActivityLine], data: st.DataObject) -> None:
    if not ls:
        return
    i = data.draw(st.integers(min_value=0, max_value=len(ls) - 1))
    half = ActivityLine(ls[i].activity, ls[i].quantity / 2, ls[i].unit, ls[i].site)
    assert close(compute([*ls[:i], half, half, *ls[i + 1:]]).totals, compute(ls).totals)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.sampled_from(
    [("electricity.no", "MWh", "kWh", 1000), ("diesel", "m3", "litres", 1000),
     ("waste.mixed", "tonne", "kg", 1000), ("district_heating", "GJ", "kWh", 1 / 0.0036)]))
def test_the_unit_a_quantity_is_given_in_does_not_matter(q: float, case: tuple[str, str, str, float]) -> None:
    activity, big, small, ratio = case
    a = compute([ActivityLine(activity, q, big)]).totals
    b = compute([ActivityLine(activity, q * ratio, small)]).totals
    assert close(a, b)


@given(lines)
def test_ar5_and_ar6_differ_only_by_ch4_and_n2o(ls: list[ActivityLine]) -> None:
    ar5, ar6 = compute(ls, "AR5"), compute(ls, "AR6")
    ch4 = sum(r.kg_ch4 for r in ar5.lines if r.scope_label != "scope_2_market")
    n2o = sum(r.kg_n2o for r in ar5.lines if r.scope_label != "scope_2_market")
    # AR6 − AR5: CH4 27.9 − 28 = −0.1, N2O 273 − 265 = +8 (kg CO2e per kg gas)
    expected = (ch4 * -0.1 + n2o * 8) / 1000
    assert ar6.totals.total_location - ar5.totals.total_location == pytest.approx(expected, abs=1e-6)


@given(lines)
def test_uncertainty_range_contains_the_total(ls: list[ActivityLine]) -> None:
    result = compute(ls)
    for name, r in result.uncertainty.items():
        assert r.low <= getattr(result.totals, name) <= r.high


@settings(max_examples=20)
@given(line.filter(lambda ln: ln.quantity > 1e-3), st.integers(min_value=2, max_value=50))
def test_independent_lines_narrow_the_relative_range(one: ActivityLine, n: int) -> None:
    single = compute([one]).uncertainty["total_market"]
    many = compute([one] * n).uncertainty["total_market"]
    # n equal independent lines: half-width grows with √n, the total with n → relative u/√n
    assert many.relative == pytest.approx(single.relative / math.sqrt(n), rel=1e-9)
