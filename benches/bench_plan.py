"""Benchmark: a plan of 200 measures over a 100,000-line account, beside the account itself.

Input: the engine benchmark's realistic mix (:func:`bench_engine.make_input`: ~50 activities of the
shipped catalogue, 5 sites, reporting year 2025) at 100,000 lines, and 200 measures cycling through
every kind of the catalogue (electric cars, guarantees of origin, fewer flights, rail, video
meetings, homeworking, waste sorting, energy efficiency, floor area, canteen, supplier engagement,
generic cuts), each with a cost, a start year and a ramp.

- ``bare account`` (baseline): :func:`compute_account_columns` and every figure the account page
  shows (the engine benchmark's ``full_account``).
- ``plan`` — the headline: from the computed account, its plan lines (:func:`plan_lines`), the 200
  measures applied in sequence (:func:`apply_in_sequence`), the cost curve and the scenario pathway
  2024–2035. Goal (issue 11): under :data:`GOAL_SECONDS`.
- ``account + plan``: both, as a plan page that computes the account first would.
"""

from __future__ import annotations

from typing import Any

from bench_engine import YEAR, Section, full_account, make_input, measure

from klimabok.core.engine import compute_account_columns
from klimabok.core.factors.catalogue import default_catalogue
from klimabok.core.plan.costs import macc, scenario_pathway
from klimabok.core.plan.measures import MeasureInput, apply_in_sequence, plan_lines

N_LINES = 100_000
N_MEASURES = 200
REPEATS = 20
HEADLINE = "plan: plan lines + 200 measures in sequence + MACC + scenario"
GOAL_SECONDS = 0.200

KINDS: tuple[tuple[str, dict[str, object]], ...] = (
    ("electric_cars", {"share": 20, "kg_per_kwh_location": 0.015, "kg_per_kwh_market": 0.40491}),
    ("guarantees_of_origin", {"share": 10}),
    ("fewer_flights", {"short_haul_pct": 5, "long_haul_pct": 5}),
    ("rail_instead_of_flights", {"share": 10, "rail_kg_per_passenger_km": 0.035}),
    ("video_meetings", {"pct": 5}),
    ("homeworking_policy", {"extra_home_days": 0.5, "fte": 400, "kg_per_fte_hour": 0.33378}),
    ("waste_sorting", {"share": 10, "sorted_kg_per_tonne": 6.4}),
    ("energy_efficiency", {"pct": 3}),
    ("less_floor_area", {"pct": 2}),
    ("canteen_menu", {"pct": 5}),
    ("supplier_engagement", {"categories": 3, "pct": 5}),
    ("generic", {"pct": 2}),
)


def measures(n: int = N_MEASURES) -> list[MeasureInput]:
    out = []
    for i in range(n):
        kind, params = KINDS[i % len(KINDS)]
        out.append(MeasureInput(id=i, kind=kind, params=params, start_year=2026 + i % 5, ramp_years=i % 3,
                                capex_nok=10_000.0 * (i % 7), opex_delta_nok_per_year=1_000.0 * (i % 5 - 2),
                                lifetime_years=5 + i % 10, discount_rate=0.04,
                                activity_prefixes=("hotel.", "commute.") if kind == "generic" else ()))
    return out


def run(n: int = N_LINES) -> list[Section]:
    catalogue = default_catalogue()
    columns, _ = make_input(catalogue, n)
    plan = measures()
    computed = compute_account_columns(columns, year=YEAR, catalogue=catalogue)
    full_account(computed)
    baseline = {year: computed.totals.total_market for year in range(2024, 2036)}

    def account() -> Any:
        return full_account(compute_account_columns(columns, year=YEAR, catalogue=catalogue))

    def plan_only() -> Any:
        effects = apply_in_sequence(plan_lines(computed), plan)
        return macc(effects), scenario_pathway(baseline, effects)

    def both() -> Any:
        result = compute_account_columns(columns, year=YEAR, catalogue=catalogue)
        full_account(result)
        effects = apply_in_sequence(plan_lines(result), plan)
        return macc(effects), scenario_pathway(baseline, effects)

    return [Section(f"{n:,} account lines, {len(plan)} measures", measure([
        ("bare account: compute_account_columns + every figure", account, REPEATS),
        (HEADLINE, plan_only, REPEATS),
        ("account + plan", both, REPEATS),
    ], n))]
