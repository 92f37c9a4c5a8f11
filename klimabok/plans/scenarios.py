"""The plan computed: each measure's effect on the account, the cost curve's rows, a scenario's pathway.

What other parts of the plan call (the target page's pathway chart, the API, the CLI, the exports):

- :func:`plan_effects` ``(organisation, view=…)`` — every measure of the organisation that is not
  dropped, applied in the default order (start year, then creation) on the latest closed year's
  account: a :class:`PlanEffects` with one :class:`MeasureRow` per measure (its effect, the
  remaining baseline after it, or why it could not be computed);
- :func:`scenario_effects` ``(scenario)`` — the same for a scenario's chosen measures, in the
  scenario's order (``ScenarioMeasure.position``) with the scenario's start years;
- :func:`scenario_projection` ``(scenario, target)`` — the scenario against a target: business as
  usual (flat at the target's base-year value), the target pathway, the scenario's pathway (each
  measure's tonnes *inside the target's boundary* — a flight measure does nothing for a scope 1+2
  target — ramped in from its start year) and the share of the gap closed in the target year
  (:func:`klimabok.core.plan.costs.gap_closed`): "this plan closes 64 % of the gap to the 2030
  target". A :class:`Projection`, or None for an intensity target (its pathway needs each year's
  denominator; not projected yet).

Measures act on the **latest closed year** (its figures no longer move). A measure's ``acts_on``
narrows what it acts on: scope labels (``scope_3.6``) and activity starts (``flight.``,
``spend.it_telecom``) choose the lines of the generic kind; for the other kinds, the activity starts
and ``site:<name>`` entries narrow the kind's own lines to those lines (guarantees of origin for the
Drammen office only). A measure whose lines are missing, or whose parameters no longer fit, is shown
with its problem instead of breaking the page; the others are computed without it.

**The plan** — what the target pages, the dashboard, a measure's effect and the claims page count
(:func:`plan_choice`, :func:`the_plan`): a scenario when the organisation has one (the one asked for,
else the most recently updated), otherwise every measure planned, in progress or done
(:data:`PLAN_STATUSES`) in the default order. Against a target, a measure counts only its tonnes inside
the target's boundary (:meth:`MeasureEffect.t_in` with :func:`target_labels`), ramped in from its start
year (:func:`boundary_pathway`): the one rule the scenario pages and the target pages share, so both say
the same "this plan closes N % of the gap".

A closed year's plan lines and its figures by scope are kept in memory per process, keyed by what would
change them (the year's close time, its pinned datasets and its last recalculation), so the cost curve,
the target pages and the dashboard do not recompute a large account on every request.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.utils.translation import gettext_noop

from klimabok.account.cache import cached
from klimabok.account.read_models import load_account
from klimabok.accounts.models import Organisation
from klimabok.core.errors import InputErrors, KlimabokError
from klimabok.core.messages import Message
from klimabok.core.plan.costs import GapClosed, MaccBlock, View, gap_closed, macc, ramp_share
from klimabok.core.plan.measures import (
    MeasureEffect,
    MeasureInput,
    PlanLines,
    apply_in_sequence,
    plan_lines,
    validate_measure,
)
from klimabok.core.plan.pathway import SCOPE_LABELS
from klimabok.core.plan.pathway import Target as CoreTarget
from klimabok.core.plan.sbti import InventoryFacts
from klimabok.inventory.models import ActivityEntry, ReportingYear
from klimabok.plans.models import Measure, Scenario, Status, Target
from klimabok.plans.services.measures import SITE_PREFIX

__all__ = [
    "PLAN_STATUSES",
    "SITE_PREFIX",
    "MeasureRow",
    "PlanChoice",
    "PlanEffects",
    "Projection",
    "ThePlan",
    "boundary_pathway",
    "closed_year_facts",
    "effects_of",
    "latest_closed_year",
    "measure_input",
    "plan_choice",
    "plan_effects",
    "projection_of",
    "projections",
    "scenario_effects",
    "scenario_projection",
    "target_labels",
    "the_plan",
    "year_lines",
]

#: The measures that make the plan without a scenario: decided on, under way or done (not ideas, not
#: dropped).
PLAN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.DONE)


def latest_closed_year(organisation: Organisation) -> ReportingYear | None:
    """The organisation's latest closed reporting year (the one measures act on), or None."""
    return (
        ReportingYear.objects.filter(organisation=organisation, status=ReportingYear.Status.CLOSED)
        .defer("closed_lines")  # the closed account's lines as JSON: large, and not what a plan reads
        .order_by("-year")
        .first()
    )


@dataclass(frozen=True)
class _ClosedYear:
    lines: PlanLines
    facts: InventoryFacts


def _closed_year(year: ReportingYear) -> _ClosedYear:
    def compute() -> _ClosedYear:
        account = load_account(year)
        return _ClosedYear(plan_lines(account), InventoryFacts.from_account(account))

    found = cached("year", year, compute)
    assert isinstance(found, _ClosedYear)
    return found


def year_lines(year: ReportingYear) -> PlanLines:
    """The plan lines of closed ``year`` (its account computed once per process and state of the year).

    Raises the account's ``KlimabokError`` when it does not compute."""
    return _closed_year(year).lines


def closed_year_facts(year: ReportingYear) -> InventoryFacts:
    """Closed ``year``'s tonnes by scope (location- and market-based scope 2, scope 3 by category), from
    the same per-process cache as :func:`year_lines`. Raises the account's ``KlimabokError``."""
    return _closed_year(year).facts


# --- A measure as the core takes it -----------------------------------------------------------------


def _refs_matching(lines: PlanLines, prefixes: Sequence[str]) -> set[str]:
    """Refs of the lines whose activity starts with one of ``prefixes``."""
    codes = [i for i, activity in enumerate(lines.activities) if activity.startswith(tuple(prefixes))]
    if not codes or not lines.refs:
        return set()
    rows = np.flatnonzero(np.isin(lines.activity_codes, codes) & lines.first)  # a line's first part
    return {lines.refs[i] for i in rows.tolist()}


def measure_input(
    measure: Measure,
    lines: PlanLines,
    *,
    start_year: int | None = None,
    site_refs: dict[str, set[str]] | None = None,
) -> tuple[MeasureInput, Message | None]:
    """``measure`` as the core's :class:`MeasureInput` on ``lines``, and a problem when its ``acts_on``
    matches no line (then it acts on nothing and is left out of the sequence)."""
    labels = tuple(line for line in measure.acts_on if line.startswith("scope_"))
    sites = [line.removeprefix(SITE_PREFIX) for line in measure.acts_on if line.startswith(SITE_PREFIX)]
    prefixes = tuple(
        line for line in measure.acts_on if not line.startswith("scope_") and not line.startswith(SITE_PREFIX)
    )
    refs: set[str] | None = None
    if sites:
        refs = set().union(*((site_refs or {}).get(site, set()) for site in sites))
    if prefixes and measure.kind != "generic":
        matching = _refs_matching(lines, prefixes)
        refs = matching if refs is None else refs & matching
    problem = None
    if refs is not None and not refs:
        problem = Message(gettext_noop("no line of the account matches the lines it acts on"))
    costs = dict(
        capex_nok=float(measure.capex_nok),
        opex_delta_nok_per_year=float(measure.opex_delta_nok),
        lifetime_years=measure.lifetime_years,
        discount_rate=float(measure.discount_rate_percent / Decimal(100)),
    )
    return (
        MeasureInput(
            id=measure.pk,
            kind=measure.kind,
            start_year=start_year or measure.start_year,
            params=dict(measure.params),
            ramp_years=measure.ramp_years,
            refs=tuple(sorted(refs)) if refs else (),
            activity_prefixes=prefixes if measure.kind == "generic" else (),
            scope_labels=labels if measure.kind == "generic" else (),
            **costs,  # type: ignore[arg-type]
        ),
        problem,
    )


# --- The plan's effects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureRow:
    """A measure where it stands in the sequence (``position`` from 1): its effect, or its problems."""

    measure: Measure
    position: int
    start_year: int
    effect: MeasureEffect | None
    problems: tuple[Message, ...] = ()

    def t_per_year(self, view: View) -> float:
        return self.effect.t_per_year(view) if self.effect else 0.0

    def nok_per_tonne(self, view: View) -> float | None:
        return self.effect.nok_per_tonne(view) if self.effect else None

    @property
    def t_location(self) -> float:
        return self.t_per_year("location")

    @property
    def t_market(self) -> float:
        return self.t_per_year("market")

    @property
    def annual_cost_nok(self) -> float | None:
        return self.effect.annual_cost_nok if self.effect else None

    @property
    def remaining_t_location(self) -> float | None:
        return self.effect.remaining_t_location if self.effect else None

    @property
    def remaining_t_market(self) -> float | None:
        return self.effect.remaining_t_market if self.effect else None

    @property
    def notes(self) -> tuple[Message, ...]:
        return (self.effect.notes if self.effect else ()) + self.problems


@dataclass(frozen=True)
class PlanEffects:
    """Measures applied in sequence on ``year``'s account (``year`` None: no closed year yet;
    ``problem`` says why nothing was computed)."""

    year: ReportingYear | None
    rows: list[MeasureRow] = field(default_factory=list)
    baseline_t_location: float = 0.0
    baseline_t_market: float = 0.0
    problem: Message | None = None

    def effects(self) -> list[MeasureEffect]:
        return [row.effect for row in self.rows if row.effect is not None]

    def baseline_t(self, view: View) -> float:
        return self.baseline_t_location if view == "location" else self.baseline_t_market

    def blocks(self, view: View) -> list[MaccBlock]:
        """The cost curve in ``view`` (:func:`klimabok.core.plan.costs.macc`); block ids are measure pks."""
        return macc(self.effects(), view)

    def total_t(self, view: View) -> float:
        return sum(row.t_per_year(view) for row in self.rows)

    @property
    def total_location(self) -> float:
        return self.total_t("location")

    @property
    def total_market(self) -> float:
        return self.total_t("market")

    def row_of(self, measure_pk: int) -> MeasureRow | None:
        return next((row for row in self.rows if row.measure.pk == measure_pk), None)


def _site_refs(year: ReportingYear, measures: Sequence[Measure]) -> dict[str, set[str]]:
    """``{site name: refs of the year's entries there}`` for the sites the measures name (one query)."""
    names = {
        line.removeprefix(SITE_PREFIX) for m in measures for line in m.acts_on if line.startswith(SITE_PREFIX)
    }
    if not names:
        return {}
    out: dict[str, set[str]] = {name: set() for name in names}
    for pk, site in ActivityEntry.objects.filter(reporting_year=year, site__name__in=names).values_list(
        "pk", "site__name"
    ):
        out[site].add(f"entry:{pk}")
    return out


def _sequence(
    year: ReportingYear, lines: PlanLines, chosen: Sequence[tuple[Measure, int]]
) -> list[MeasureRow]:
    """Apply ``(measure, start year)`` in order; a measure the core refuses is left out with its problems."""
    site_refs = _site_refs(year, [m for m, _ in chosen])
    inputs: dict[int, MeasureInput] = {}
    problems: dict[int, list[Message]] = {}
    for measure, start in chosen:
        item, problem = measure_input(measure, lines, start_year=start, site_refs=site_refs)
        found = [problem] if problem else [text for _field, text in validate_measure(item, lines)]
        if found:
            problems[measure.pk] = found
        else:
            inputs[measure.pk] = item
    effects: dict[int, MeasureEffect] = {}
    while True:
        order = [inputs[m.pk] for m, _ in chosen if m.pk in inputs]
        try:
            computed = apply_in_sequence(lines, order)
        except InputErrors as exc:  # a factor the account cannot give: leave that measure out, retry
            bad = {str(error.source) for error in exc.errors}
            left_out = [pk for pk in inputs if f"measure {pk}" in bad]
            if not left_out:
                raise
            for pk in left_out:
                problems.setdefault(pk, []).extend(
                    e.problem if isinstance(e.problem, Message) else Message(str(e.problem))
                    for e in exc.errors
                    if str(e.source) == f"measure {pk}"
                )
                del inputs[pk]
            continue
        effects = {int(effect.id): effect for effect in computed}
        break
    return [
        MeasureRow(measure, position, start, effects.get(measure.pk), tuple(problems.get(measure.pk, ())))
        for position, (measure, start) in enumerate(chosen, start=1)
    ]


def effects_of(organisation: Organisation, chosen: Sequence[tuple[Measure, int]]) -> PlanEffects:
    """``(measure, start year)`` applied in that order on the latest closed year's account."""
    year = latest_closed_year(organisation)
    if year is None:
        return PlanEffects(
            None, problem=Message(gettext_noop("Close a year first: measures act on the latest closed year."))
        )
    try:
        lines = year_lines(year)
    except KlimabokError:
        return PlanEffects(
            year,
            problem=Message(gettext_noop("The account of %(year)s does not compute."), {"year": year.year}),
        )
    return PlanEffects(
        year,
        _sequence(year, lines, chosen),
        float(lines.kg_location.sum()) / 1000,
        float(lines.kg_market.sum()) / 1000,
    )


def default_order(measures: Sequence[Measure]) -> list[Measure]:
    """The order measures apply in outside a scenario: by start year, then as they were created."""
    return sorted(measures, key=lambda m: (m.start_year, m.pk))


def plan_effects(organisation: Organisation) -> PlanEffects:
    """Every measure of ``organisation`` that is not dropped, in the default order, on the latest
    closed year's account (owners loaded)."""
    measures = list(
        Measure.objects.filter(organisation=organisation)
        .exclude(status=Status.DROPPED)
        .select_related("owner")
    )
    return effects_of(organisation, [(m, m.start_year) for m in default_order(measures)])


def scenario_effects(scenario: Scenario) -> PlanEffects:
    """``scenario``'s measures in its order and with its start years, on the latest closed year's account
    (a dropped measure stays out of the sequence)."""
    choices = list(scenario.choices.select_related("measure__owner").order_by("position", "pk"))
    chosen = [(c.measure, c.start_year) for c in choices if c.measure.status != Status.DROPPED]
    return effects_of(scenario.organisation, chosen)


# --- A scenario against a target --------------------------------------------------------------------


def target_labels(target: Target) -> frozenset[str]:
    """The scope labels of ``target``'s coverage (as the core's plan lines name them)."""
    if target.coverage == Target.Coverage.SCOPE_1_2:
        return frozenset({"scope_1", "scope_2"})
    if target.coverage == Target.Coverage.SCOPE_1:
        return frozenset({"scope_1"})
    if target.coverage == Target.Coverage.SCOPE_2:
        return frozenset({"scope_2"})
    return frozenset(f"scope_3.{int(c)}" for c in target.scope3_categories or []) & frozenset(SCOPE_LABELS)


@dataclass(frozen=True)
class Projection:
    """A scenario against a target, year by year from the base year to the target year (tonnes)."""

    target: Target
    view: View
    years: list[int]
    business_as_usual: dict[int, float]
    target_pathway: dict[int, float]
    scenario_pathway: dict[int, float]
    #: Each computed measure's tonnes a year inside the target's boundary, by measure pk.
    t_in_boundary: dict[int, float]
    gap: GapClosed

    @property
    def share_percent(self) -> float:
        """The share of the gap closed in the target year, in per cent (64.0)."""
        return 100 * self.gap.share

    @property
    def already_met(self) -> bool:
        """Business as usual already meets the target (there is no gap to close)."""
        return self.gap.gap_t <= 0

    @property
    def rows(self) -> list[tuple[int, float, float, float]]:
        """``(year, business as usual, target pathway, scenario)`` for each year."""
        return [
            (y, self.business_as_usual[y], self.target_pathway[y], self.scenario_pathway[y])
            for y in self.years
        ]


def boundary_pathway(
    baseline: Mapping[int, float], effects: PlanEffects, labels: Collection[str], view: View
) -> dict[int, float]:
    """``baseline`` (business as usual) less each computed measure's tonnes a year inside ``labels`` (a
    target's boundary) in ``view``, ramped in from its start year, never below zero: the plan's pathway
    against a target, on the target pages and the scenario pages alike."""
    inside = [
        (row.effect.t_in(labels, view), row.start_year, row.measure.ramp_years)
        for row in effects.rows
        if row.effect is not None
    ]
    return {
        year: max(0.0, t - sum(cut * ramp_share(year, start, ramp) for cut, start, ramp in inside))
        for year, t in sorted(baseline.items())
    }


def projection_of(effects: PlanEffects, target: Target) -> Projection | None:
    """``effects`` against ``target`` (None for an intensity target)."""
    if target.metric != Target.Metric.ABSOLUTE:
        return None
    view: View = "location" if target.scope2_method == Target.Scope2Method.LOCATION else "market"
    labels = target_labels(target)
    core = CoreTarget(
        base_year=target.base_calendar_year,
        target_year=target.target_year,
        reduction=float(target.reduction_percent) / 100,
        base_t=float(target.base_t_co2e),
        covers=labels,
        scope_2_method=view,
        name=target.name,
    )
    years = list(range(target.base_calendar_year, target.target_year + 1))
    bau = {year: core.base_t for year in years}
    pathway = {year: core.value_in(year) for year in years}
    inside = {row.measure.pk: row.effect.t_in(labels, view) for row in effects.rows if row.effect is not None}
    scenario = boundary_pathway(bau, effects, labels, view)
    return Projection(
        target,
        view,
        years,
        bau,
        pathway,
        scenario,
        inside,
        gap_closed(pathway, bau, scenario, target.target_year),
    )


def projections(effects: PlanEffects, targets: Sequence[Target]) -> list[Projection]:
    """``effects`` against each absolute target (none without a computed account)."""
    if effects.year is None or effects.problem is not None:
        return []
    return [p for target in targets if (p := projection_of(effects, target)) is not None]


def scenario_projection(scenario: Scenario, target: Target) -> Projection | None:
    """``scenario`` against ``target``: its pathway and the share of the gap it closes in the target year."""
    return projection_of(scenario_effects(scenario), target)


# --- The plan: a scenario, or the measures decided on --------------------------------------------------


@dataclass(frozen=True)
class PlanChoice:
    """Which measures make the plan: ``scenario``'s (one of the organisation's ``scenarios``, most recently
    updated first), or with no scenario every measure planned, in progress or done; ``chosen`` is each
    ``(measure, start year)`` in the order they apply."""

    scenario: Scenario | None
    scenarios: list[Scenario]
    chosen: list[tuple[Measure, int]]
    #: The scenario was asked for (``?scenario=``) rather than taken as the most recently updated one.
    asked: bool = False


#: ``?scenario=`` for the measures planned, in progress or done even when scenarios exist.
BY_STATUS = "status"


def plan_choice(organisation: Organisation, scenario: str | int | None = None) -> PlanChoice:
    """The plan of ``organisation``: the scenario of pk ``scenario`` (another organisation's, or an unknown
    one, counts as not asked), else the most recently updated scenario, else — or with ``scenario`` =
    :data:`BY_STATUS` — the measures planned, in progress or done by start year. Two queries."""
    scenarios = list(Scenario.objects.filter(organisation=organisation).order_by("-updated_at", "-pk"))
    wanted = str(scenario) if scenario is not None else ""
    chosen_scenario = next((s for s in scenarios if str(s.pk) == wanted), None)
    asked = chosen_scenario is not None or (wanted == BY_STATUS and bool(scenarios))
    if chosen_scenario is None and wanted != BY_STATUS and scenarios:
        chosen_scenario = scenarios[0]
    if chosen_scenario is not None:
        choices = chosen_scenario.choices.select_related("measure__owner").order_by("position", "pk")
        chosen = [(c.measure, c.start_year) for c in choices if c.measure.status != Status.DROPPED]
        return PlanChoice(chosen_scenario, scenarios, chosen, asked)
    measures = default_order(
        list(
            Measure.objects.filter(organisation=organisation, status__in=PLAN_STATUSES).select_related(
                "owner"
            )
        )
    )
    return PlanChoice(None, scenarios, [(m, m.start_year) for m in measures], asked)


@dataclass(frozen=True)
class ThePlan:
    """The plan (:class:`PlanChoice`) computed on the latest closed year's account."""

    choice: PlanChoice
    effects: PlanEffects

    @property
    def scenario(self) -> Scenario | None:
        return self.choice.scenario


def the_plan(organisation: Organisation, scenario: str | int | None = None) -> ThePlan:
    """:func:`plan_choice` with each measure's effect (:class:`PlanEffects`), as a scenario's page computes
    it (:func:`scenario_effects`)."""
    choice = plan_choice(organisation, scenario)
    return ThePlan(choice, effects_of(organisation, choice.chosen))
