"""Invariants of the engine (Hypothesis): aggregation, partition, unit and split invariance, uncertainty."""

from __future__ import annotations

import math
from collections import Counter
from contextlib import ExitStack
from typing import TypedDict
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from klimabok.core.engine import AccountResult, ActivityLine, Totals, compute_account
from klimabok.core.engine import cells as engine_cells
from klimabok.core.engine.resolve import factor_co2e, factor_flags, resolve_group
from klimabok.core.engine.result import View
from klimabok.core.engine.scopes import BUCKETS, TOTAL_NAMES, TOTAL_WEIGHTS, factor_buckets
from klimabok.core.factors.model import Factor
from klimabok.core.messages import Message
from klimabok.core.uncertainty import TIER_UNCERTAINTY_95, factor_uncertainty
from tests.test_engine_fixtures import tiny_catalogue

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
def test_copies_of_a_line_keep_its_relative_range(one: ActivityLine, n: int) -> None:
    single = compute([one]).uncertainty["total_market"]
    many = compute([one] * n).uncertainty["total_market"]
    # n copies share the activity-data source (same activity and tier) and the factors: every
    # half-width grows with n like the total, so the relative range stays (before: u/√n)
    assert many.relative == pytest.approx(single.relative, rel=1e-9)


class Reference(TypedDict):
    """What :func:`per_line_reference` sums, in kg."""

    buckets: NDArray[np.float64]
    used: set[int]
    sites: dict[str, NDArray[np.float64]]
    activities: dict[str, list[float]]
    half_widths: NDArray[np.float64]
    flags: dict[Message, int]


def per_line_reference(ls: list[ActivityLine]) -> Reference:
    """The account the slow way: every line and factor component on its own, in kg."""
    buckets, used = np.zeros(18), set[int]()
    sites: dict[str, NDArray[np.float64]] = {}
    activities: dict[str, list[float]] = {}  # activity → [kg location, kg market, lines]
    flags = Counter[Message]()
    by_source: dict[tuple[str, int], NDArray[np.float64]] = {}  # (activity, tier) → kg per total
    by_factor: dict[Factor, NDArray[np.float64]] = {}
    for ln in ls:
        components, problems = resolve_group(ln.activity, ln.unit, catalogue=CATALOGUE, year=2025)
        assert not problems
        kg = np.zeros(18)
        for factor, conversion in components:
            component = np.zeros(18)
            for b in factor_buckets(factor):
                component[b] = ln.quantity * conversion * factor_co2e(factor, "AR5")
                used.add(b)
            kg += component
            by_factor[factor] = by_factor.get(factor, np.zeros(len(TOTAL_NAMES))) + component @ TOTAL_WEIGHTS
            flags.update(factor_flags(factor, year=2025, gwp_set="AR5"))
        line_totals = kg @ TOTAL_WEIGHTS
        buckets += kg
        sites[ln.site] = sites.get(ln.site, np.zeros(18)) + kg
        row = activities.setdefault(ln.activity, [0.0, 0.0, 0])
        row[0], row[1], row[2] = row[0] + line_totals[4], row[1] + line_totals[5], row[2] + 1
        source = (ln.activity, ln.data_quality)
        by_source[source] = by_source.get(source, np.zeros(len(TOTAL_NAMES))) + line_totals
    # correlated within a source and within a factor (linear), independent between them (quadrature)
    squares = sum(((TIER_UNCERTAINTY_95[tier] * kg) ** 2 for (_, tier), kg in by_source.items()),
                  np.zeros(len(TOTAL_NAMES)))
    squares += sum(((factor_uncertainty(f) * kg) ** 2 for f, kg in by_factor.items()),
                   np.zeros(len(TOTAL_NAMES)))
    return Reference(buckets=buckets, used=used, sites=sites, activities=activities,
                     half_widths=np.sqrt(squares), flags={f: n for f, n in flags.items() if n})


@settings(max_examples=60)
@given(lines, st.sampled_from(["direct", "renumbered", "chunked"]))
def test_cell_sums_give_the_same_account_as_a_loop_over_lines(ls: list[ActivityLine], path: str) -> None:
    # "renumbered": every label space counts as too large to address directly;
    # "chunked": the lines are summed three at a time.
    limits = {"direct": {"DIRECT_CELLS": engine_cells.DIRECT_CELLS}, "renumbered": {"DIRECT_CELLS": 0},
              "chunked": {"CHUNK_LINES": 3}}[path]
    with ExitStack() as patches:
        for name, value in limits.items():
            patches.enter_context(mock.patch.object(engine_cells, name, value))
        result = compute(ls)
    expected = per_line_reference(ls)
    kg = result.kg_by_group.sum(axis=0) if len(ls) else np.zeros(18)
    assert kg == pytest.approx(expected["buckets"], rel=1e-12, abs=1e-9)
    assert close(result.totals, Totals.from_bucket_kg(expected["buckets"]))
    assert sorted(result.by_category()) == sorted(
        label for b, label in enumerate(BUCKETS) if b in expected["used"])
    sites = expected["sites"]
    assert list(result.by_site()) == [s for s in result.columns.sites if s in sites]
    for site, totals in result.by_site().items():
        assert close(totals, Totals.from_bucket_kg(sites[site]))
    activities = expected["activities"]
    views: tuple[tuple[View, int], ...] = (("location", 0), ("market", 1))
    for view, column in views:
        ranked = result.by_activity(view)
        assert {r.activity: r.lines for r in ranked} == {a: int(v[2]) for a, v in activities.items()}
        for r in ranked:
            assert r.t_co2e == pytest.approx(activities[r.activity][column] / 1000, rel=1e-9, abs=1e-12)
        assert [r.t_co2e for r in ranked] == sorted((r.t_co2e for r in ranked), reverse=True)
    for name, half_width in zip(TOTAL_NAMES, expected["half_widths"].tolist(), strict=True):
        assert result.uncertainty[name].plus_minus == pytest.approx(half_width / 1000, rel=1e-9, abs=1e-9)
    assert result.flag_counts() == expected["flags"]

