"""What the target pages, the dashboard's pathway, a measure's effect and the claims page read of the plan.

A read model like :mod:`klimabok.plans.read_models` (no writes), kept apart from it because it is the
half that *computes*: it loads every year's tonnes by scope once (:func:`load_years`), then asks the core
(:mod:`klimabok.core.plan`) for the pathway, progress, business as usual, the plan's projected pathway,
the science-based rules and each measure's effect.

- A target's **boundary** is its coverage (scope 1+2, scope 1, scope 2, chosen scope 3 categories) in a
  scope 2 view; a year's **actual** emissions are the account's tonnes in that boundary and view.
- The **view** (``location`` or ``market``) of a page may differ from the target's own scope 2 method:
  in its own method the target's line starts from its recorded base value (a recalculation changes it);
  in the other view, from the base year's account in that view, cut by the same shares.
- An **intensity** target's line in tonnes is its intensity pathway × each year's denominator (FTE,
  revenue in MNOK, floor area), the latest known one held for the years ahead; its progress compares
  intensities. ``base_t_co2e`` of an intensity target holds the base year's tonnes.
- The **plan** is :func:`klimabok.plans.scenarios.the_plan`: a scenario when the organisation has one (the
  one asked for, else the most recently updated), otherwise the measures planned, in progress or done;
  computed on the latest closed year's whole account (:mod:`klimabok.plans.scenarios` is the one place
  measures are turned into effects), and counted against a target only for the tonnes inside its
  boundary (:func:`klimabok.plans.scenarios.boundary_pathway`), so a target page and a scenario page say
  the same share of the gap.

A closed year's figures come from the per-process cache of :mod:`klimabok.plans.scenarios`; only open
years are computed on each request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal

import numpy as np

from klimabok.account.cache import cached
from klimabok.account.read_models import account_inputs, load_year_accounts
from klimabok.accounts.models import Organisation
from klimabok.core.engine import AccountResult, compute_account
from klimabok.core.errors import KlimabokError
from klimabok.core.messages import Message
from klimabok.core.plan.costs import GapClosed, gap_closed
from klimabok.core.plan.lines import PlanLines
from klimabok.core.plan.measures import MeasureEffect
from klimabok.core.plan.pathway import (
    BaseYearCheck,
    Progress,
    business_as_usual,
    progress,
    recalculation_needed,
)
from klimabok.core.plan.pathway import Target as CoreTarget
from klimabok.core.plan.sbti import RULESETS, InventoryFacts, Proposal, RuleResult, check_targets, propose
from klimabok.inventory.catalogues import current_catalogue
from klimabok.inventory.models import ReportingYear, Site
from klimabok.inventory.read_models import load_entries
from klimabok.plans.models import Measure, Scenario, Status, Target
from klimabok.plans.scenarios import (
    PLAN_STATUSES,
    MeasureRow,
    ThePlan,
    boundary_pathway,
    closed_year_facts,
    effects_of,
    plan_choice,
    target_labels,
    the_plan,
    year_lines,
)

__all__ = ["PLAN_STATUSES", "ThePlan", "the_plan"]

View = Literal["location", "market"]
VIEWS: tuple[View, ...] = ("location", "market")
#: The intensity denominators of ``Target.metric`` as the core names them.
DENOMINATORS: dict[str, str] = {
    str(Target.Metric.PER_FTE): "fte",
    str(Target.Metric.PER_MNOK): "revenue_mnok",
    str(Target.Metric.PER_M2): "floor_area_m2",
}
#: Business as usual: flat, or following one of the years' facts.
BAU_MODES = ("flat", "fte", "revenue")
DEFAULT_RULESET = "sbti-near-term-v1"


def covers_of(target: Target) -> frozenset[str]:
    """The core's scope labels of a target's coverage (``scope_1``, ``scope_2``, ``scope_3.6``…)."""
    return target_labels(target)


def coverage_of(covers: Iterable[str]) -> tuple[str, list[int]]:
    """A set of scope labels as a target's ``coverage`` and scope 3 categories (for a proposal)."""
    labels = set(covers)
    categories = sorted(int(label.split(".")[1]) for label in labels if label.startswith("scope_3."))
    if categories:
        return Target.Coverage.SCOPE_3, categories
    if labels == {"scope_1"}:
        return Target.Coverage.SCOPE_1, []
    if labels == {"scope_2"}:
        return Target.Coverage.SCOPE_2, []
    return Target.Coverage.SCOPE_1_2, []


# --- Years ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearFigures:
    """One reporting year: its tonnes by scope (None when its account cannot be computed: ``error``) and
    its facts."""

    reporting_year: ReportingYear
    summary: InventoryFacts | None
    error: str = ""
    fte: float | None = None
    revenue_mnok: float | None = None
    floor_area_m2: float | None = None

    @property
    def year(self) -> int:
        return self.reporting_year.year

    @property
    def closed(self) -> bool:
        return self.reporting_year.is_closed

    @property
    def computed(self) -> bool:
        return self.summary is not None

    def facts(self, submission_year: int | None = None) -> InventoryFacts | None:
        if self.summary is None:
            return None
        return replace(self.summary, submission_year=submission_year) if submission_year else self.summary

    def covered(self, covers: Iterable[str], view: View) -> float | None:
        """Tonnes in the boundary ``covers`` and scope 2 ``view``; None without an account."""
        return self.summary.covered_t(set(covers), view) if self.summary is not None else None

    def denominator(self, metric: str) -> float | None:
        """The year's FTE, MNOK revenue or m² for an intensity ``metric``; None when not recorded (or 0)."""
        amounts = {"fte": self.fte, "revenue_mnok": self.revenue_mnok, "floor_area_m2": self.floor_area_m2}
        amount = amounts.get(DENOMINATORS.get(metric, ""))
        return amount if amount else None


def _float(value: Decimal | None, scale: float = 1.0) -> float | None:
    return float(value) / scale if value is not None else None


def load_years(organisation: Organisation) -> list[YearFigures]:
    """Every reporting year of ``organisation`` with its tonnes by scope, oldest first: a closed year's
    from the per-process cache (:func:`klimabok.plans.scenarios.closed_year_facts`), an open year's
    computed now (three queries, and the entries of a closed year not cached yet)."""
    years = list(
        ReportingYear.objects.filter(organisation=organisation).defer("closed_lines").order_by("year")
    )
    summaries: dict[int, InventoryFacts | str] = {}
    for year in years:
        if year.is_closed and year.closed_at is not None:
            try:
                summaries[year.pk] = closed_year_facts(year)
            except KlimabokError as exc:
                summaries[year.pk] = str(exc)
    for pk, result in load_year_accounts(y for y in years if y.pk not in summaries).items():
        summaries[pk] = (
            InventoryFacts.from_account(result) if isinstance(result, AccountResult) else str(result)
        )
    site_area = sum(
        (
            s.floor_area_m2
            for s in Site.objects.filter(organisation=organisation)
            if s.floor_area_m2 is not None
        ),
        Decimal(0),
    )
    out = []
    for year in years:
        summary = summaries[year.pk]
        area = year.floor_area_m2 if year.floor_area_m2 is not None else (site_area or None)
        out.append(
            YearFigures(
                year,
                summary if isinstance(summary, InventoryFacts) else None,
                summary if isinstance(summary, str) else "",
                _float(year.fte),
                _float(year.revenue_nok, 1_000_000),
                _float(area),
            )
        )
    return out


def closed_years(years: Sequence[YearFigures]) -> list[YearFigures]:
    return [y for y in years if y.closed and y.computed]


def figures_of(years: Sequence[YearFigures], year: int) -> YearFigures | None:
    return next((y for y in years if y.year == year), None)


# --- A target's base year ---------------------------------------------------------------------------


def base_value(
    figures: YearFigures | None, coverage: str, scope3_categories: list[int], method: View
) -> float | None:
    """The base year's tonnes for a coverage: what a new target records as ``base_t_co2e``."""
    if figures is None:
        return None
    probe = Target(coverage=coverage, scope3_categories=scope3_categories)
    return figures.covered(covers_of(probe), method)


@dataclass(frozen=True)
class BaseParts:
    """How the base value is made: each scope label's tonnes in the target's method, and their sum."""

    parts: list[tuple[str, float]]
    total: float


def base_parts(figures: YearFigures, target: Target) -> BaseParts | None:
    facts = figures.facts()
    if facts is None:
        return None
    method: View = "location" if target.scope2_method == "location" else "market"
    parts = [
        (label, facts.emissions_in(label, method)) for label in sorted(covers_of(target), key=_label_order)
    ]
    return BaseParts(parts, sum(t for _label, t in parts))


def _label_order(label: str) -> tuple[int, int]:
    if label.startswith("scope_3."):
        return 3, int(label.split(".")[1])
    return (1, 0) if label == "scope_1" else (2, 0)


def account_with_current_factors(reporting_year: ReportingYear) -> AccountResult:
    """The year's entries and spend lines valued with today's catalogue, whatever the year pinned
    (what ``account.services.recalculate_with_current_factors`` would make of it, without saving)."""
    lines, catalogue_now, _parts = account_inputs(
        reporting_year, load_entries(reporting_year), current_catalogue()
    )
    return compute_account(
        lines, year=reporting_year.year, catalogue=catalogue_now, gwp_set=reporting_year.gwp_set
    )


@dataclass(frozen=True)
class BaseCheck:
    """The recorded base value beside the base year computed now (its pinned factors) and with today's
    factors, each with the core's verdict on whether it calls for a recalculation (≥ 5 %)."""

    recorded_t: float
    now: BaseYearCheck | None
    current_factors: BaseYearCheck | None
    error: str = ""

    @property
    def needed(self) -> bool:
        return any(check is not None and check.needed for check in (self.now, self.current_factors))

    @property
    def suggested_t(self) -> float:
        """What a recalculation would record: today's factors when they move it, else the account now."""
        for check in (self.current_factors, self.now):
            if check is not None and check.needed:
                return check.new_t
        return self.recorded_t


def current_factor_facts(reporting_year: ReportingYear) -> InventoryFacts:
    """The year's tonnes by scope with today's factors (:func:`account_with_current_factors`), kept per
    process, data revision of the year and versions of the factor library's datasets."""
    catalogue_refs = tuple(dataset.ref for dataset in current_catalogue().datasets)

    def compute() -> InventoryFacts:
        return InventoryFacts.from_account(account_with_current_factors(reporting_year))

    found = cached("current_factors", reporting_year, compute, catalogue_refs)
    assert isinstance(found, InventoryFacts)
    return found


def base_check(target: Target, figures: YearFigures | None) -> BaseCheck:
    recorded = float(target.base_t_co2e)
    method: View = "location" if target.scope2_method == "location" else "market"
    covers = covers_of(target)
    now = figures.covered(covers, method) if figures is not None else None
    error = figures.error if figures is not None else ""
    current: float | None = None
    try:
        current = current_factor_facts(target.base_year).covered_t(set(covers), method)
    except KlimabokError as exc:
        error = error or str(exc)
    return BaseCheck(
        recorded,
        recalculation_needed(recorded, now) if now is not None else None,
        recalculation_needed(recorded, current) if current is not None else None,
        error,
    )


# --- The pathway of a target ------------------------------------------------------------------------


@dataclass(frozen=True)
class PathwayRow:
    year: int
    actual_t: float | None
    closed: bool
    target_t: float | None
    bau_t: float | None
    plan_t: float | None


@dataclass(frozen=True)
class TargetPathway:
    """A target's pathway in one view: every year's row, the latest closed year's progress, the share of
    the gap the plan closes by the target year, and what was assumed (``notes``: English templates
    turned into the page's language by the view). ``plan`` is the plan the line was drawn with (None:
    no plan asked for), and ``inside`` each of its computed measures' tonnes a year inside the target's
    boundary in this view, by measure pk."""

    target: Target
    view: View
    bau_mode: str
    base_t: float
    rows: list[PathwayRow]
    progress: Progress | None
    gap: GapClosed | None
    plan: ThePlan | None
    notes: list[str] = field(default_factory=list)
    inside: dict[int, float] = field(default_factory=dict)

    @property
    def plan_rows(self) -> list[tuple[MeasureRow, float | None]]:
        """Each measure of the plan in its order, with its tonnes inside the boundary (None: not computed)."""
        if self.plan is None:
            return []
        return [(row, self.inside.get(row.measure.pk)) for row in self.plan.effects.rows]

    @property
    def in_own_method(self) -> bool:
        return self.view == self.target.scope2_method


def core_target(target: Target, base_t: float, view: View) -> CoreTarget:
    metric = str(target.metric)
    return CoreTarget(
        base_year=target.base_calendar_year,
        target_year=target.target_year,
        reduction=float(target.reduction_percent) / 100,
        base_t=base_t,
        covers=covers_of(target),
        scope_2_method=view,
        kind="absolute" if metric == Target.Metric.ABSOLUTE else "intensity",
        denominator=DENOMINATORS.get(metric),
        name=target.name,
    )


def _held(known: dict[int, float], years: Iterable[int]) -> dict[int, float]:
    """``known`` carried to each of ``years``: the latest earlier value, else the earliest later one."""
    out = {}
    ordered = sorted(known.items())
    for year in years:
        earlier = [v for y, v in ordered if y <= year]
        out[year] = earlier[-1] if earlier else ordered[0][1]
    return out


def target_pathway(
    target: Target,
    years: Sequence[YearFigures],
    view: View,
    *,
    bau_mode: str = "flat",
    plan: ThePlan | None = None,
) -> TargetPathway:
    """The pathway of ``target`` in ``view`` over the base year to the target year (and every later year
    with an account), with actual emissions, business as usual and ``plan`` (its measures' tonnes inside
    the target's boundary, :func:`klimabok.plans.scenarios.boundary_pathway`)."""
    covers = covers_of(target)
    notes: list[str] = []
    base_figures = figures_of(years, target.base_calendar_year)
    if view == target.scope2_method or base_figures is None or not base_figures.computed:
        base_t = float(target.base_t_co2e)
    else:
        base_t = base_figures.covered(covers, view) or 0.0
        notes.append("other_view")
    last = max([target.target_year, *(y.year for y in years if y.computed)])
    span = list(range(min([target.base_calendar_year, *(y.year for y in years)]), last + 1))
    ahead = [y for y in span if y >= target.base_calendar_year]
    actual = {y.year: t for y in years if (t := y.covered(covers, view)) is not None}
    closed = {y.year for y in years if y.closed}
    metric = str(target.metric)
    absolute = metric == Target.Metric.ABSOLUTE
    line: dict[int, float] = {}
    measured: dict[int, float] = {y: actual[y] for y in actual if y in closed}
    if absolute:
        core = core_target(target, base_t, view)
        line = {y: core.value_in(y) for y in ahead}
    else:
        denominators = {y.year: d for y in years if (d := y.denominator(metric)) is not None}
        if target.base_calendar_year in denominators and denominators:
            held = _held(denominators, ahead)
            core = core_target(target, base_t / denominators[target.base_calendar_year], view)
            line = {y: core.value_in(y) * held[y] for y in ahead}
            measured = {y: t / denominators[y] for y, t in measured.items() if y in denominators}
            notes.append("intensity")
        else:
            core = core_target(target, 0.0, view)
            measured = {}
            notes.append("no_denominator")
    # Business as usual, from the base year's tonnes in this view.
    driver = None
    if bau_mode in ("fte", "revenue"):
        key = "fte" if bau_mode == "fte" else "revenue_mnok"
        known = {y.year: amount for y in years if (amount := getattr(y, key))}
        if target.base_calendar_year in known:
            driver = known
        else:
            notes.append("bau_flat")
            bau_mode = "flat"
    bau = business_as_usual(base_t, target.base_calendar_year, ahead, driver=driver)
    effects = plan.effects.effects() if plan is not None else []
    inside = (
        {row.measure.pk: row.effect.t_in(covers, view) for row in plan.effects.rows if row.effect is not None}
        if plan is not None
        else {}
    )
    plan_line = (
        boundary_pathway(bau, plan.effects, covers, view) if plan is not None and effects else dict(bau)
    )
    gap = gap_closed(line, bau, plan_line, target.target_year) if line and effects else None
    progress_now = progress(measured, core) if measured and (absolute or "intensity" in notes) else None
    rows = [
        PathwayRow(
            y, actual.get(y), y in closed, line.get(y), bau.get(y), plan_line.get(y) if effects else None
        )
        for y in span
    ]
    return TargetPathway(target, view, bau_mode, base_t, rows, progress_now, gap, plan, notes, inside)


# --- Science-based targets --------------------------------------------------------------------------


def submission_year(targets: Iterable[Target], today: date) -> int:
    """The year the targets count as submitted: the SBTi validation's, else this year."""
    validated = [t.sbti_validated_on.year for t in targets if t.sbti_validated_on is not None]
    return min(validated) if validated else today.year


def sbti_targets(targets: Iterable[Target]) -> list[CoreTarget]:
    return [
        core_target(t, float(t.base_t_co2e), "location" if t.scope2_method == "location" else "market")
        for t in targets
    ]


def sbti_check(
    figures: YearFigures, targets: Sequence[Target], ruleset: str, today: date
) -> list[RuleResult]:
    """Each rule of ``ruleset`` on the targets of one base year (the set a company submits together)."""
    facts = figures.facts(submission_year=submission_year(targets, today))
    if facts is None:
        return []
    return check_targets(facts, sbti_targets(targets), RULESETS[ruleset])


def sbti_proposal(figures: YearFigures, ruleset: str, today: date) -> Proposal | None:
    """The minimum targets ``ruleset`` asks for, from the base year's account (submitted this year)."""
    facts = figures.facts(submission_year=max(today.year, figures.year + 1))
    return propose(facts, RULESETS[ruleset]) if facts is not None else None


# --- A measure's effect -----------------------------------------------------------------------------


@dataclass(frozen=True)
class LineGroup:
    """The lines of one activity a measure acts on, in the year its effect is computed on."""

    activity: str
    unit: str
    quantity: float
    t_location: float
    t_market: float


@dataclass(frozen=True)
class Realised:
    """A done measure's realised change: its lines' tonnes in the latest closed year before it started
    and in the first closed year from its start, beside the planned effect."""

    before_year: int
    after_year: int
    before: tuple[float, float]
    after: tuple[float, float]

    def change(self, view: View) -> float:
        column = 0 if view == "location" else 1
        return self.before[column] - self.after[column]


@dataclass(frozen=True)
class MeasureEffectPage:
    """A measure's computed effect where it sits in the plan's sequence (``scenario``: the plan's scenario,
    None for the measures planned, in progress or done), and what it realised."""

    measure: Measure
    year: int | None
    effect: MeasureEffect | None
    position: int
    count: int
    in_plan: bool
    lines: list[LineGroup]
    activities: list[str]
    realised: Realised | None
    realised_problem: str
    problem: Message | None
    scenario: Scenario | None = None


def _activities_of(effect: MeasureEffect, lines: PlanLines) -> list[LineGroup]:
    groups: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    n = len(lines)
    seen: set[int] = set()  # an account line's quantity once, however many of its parts (scopes) it cut
    for index in effect.line_index.tolist():
        if index >= n:
            continue
        key = (lines.activities[lines.activity_codes[index]], lines.units[lines.unit_codes[index]])
        group = groups[key]
        line = int(lines.line[index])
        if line not in seen:
            seen.add(line)
            group[0] += float(lines.quantity[index])
        group[1] += float(lines.kg_location[index]) / 1000
        group[2] += float(lines.kg_market[index]) / 1000
    return [LineGroup(a, u, q, loc, mar) for (a, u), (q, loc, mar) in sorted(groups.items())]


def activity_tonnes(lines: PlanLines, activities: Iterable[str]) -> tuple[float, float]:
    """Tonnes (location, market) of the lines of ``activities``."""
    wanted = [code for code, key in enumerate(lines.activities) if key in set(activities)]
    mask = np.isin(lines.activity_codes, wanted)
    return float(lines.kg_location[mask].sum()) / 1000, float(lines.kg_market[mask].sum()) / 1000


def realised_change(
    measure: Measure, activities: list[str], closed: Sequence[ReportingYear]
) -> tuple[Realised | None, str]:
    """For a done measure: its lines' tonnes in the latest closed year before its start year and in the
    first closed year from it (``closed``: the closed years, oldest first); None with the reason when that
    cannot be matched."""
    if measure.status != Status.DONE:
        return None, ""
    before = [y for y in closed if y.year < measure.start_year]
    after = [y for y in closed if y.year >= measure.start_year]
    if not before or not after:
        return None, "no_years"
    if not activities:
        return None, "no_lines"
    first, second = before[-1], after[0]
    try:
        then_lines, now_lines = year_lines(first), year_lines(second)
    except KlimabokError:
        return None, "no_match"
    if not set(then_lines.activities) & set(activities):
        return None, "no_match"
    then, now = activity_tonnes(then_lines, activities), activity_tonnes(now_lines, activities)
    return Realised(first.year, second.year, then, now), ""


def measure_effect(measure: Measure) -> MeasureEffectPage:
    """The measure where it stands in the plan (:func:`klimabok.plans.scenarios.the_plan`) on the latest
    closed year's lines; a measure outside the plan (an idea, dropped, not in the scenario) after all of
    the plan's measures."""
    organisation = measure.organisation
    plan = the_plan(organisation)
    chosen = list(plan.choice.chosen)
    in_plan = any(m.pk == measure.pk for m, _start in chosen)
    effects = plan.effects
    if not in_plan:
        chosen.append((measure, measure.start_year))
        effects = effects_of(organisation, chosen)
    position = next(i for i, (m, _start) in enumerate(chosen) if m.pk == measure.pk) + 1
    row = effects.row_of(measure.pk)
    year = effects.year
    problem = effects.problem or (row.problems[0] if row is not None and row.problems else None)
    if year is None or row is None or row.effect is None:
        return MeasureEffectPage(
            measure,
            year.year if year is not None else None,
            None,
            position,
            len(chosen),
            in_plan,
            [],
            [],
            None,
            "",
            problem if year is not None else None,
            plan.scenario,
        )
    groups = _activities_of(row.effect, year_lines(year))
    activities = sorted({g.activity for g in groups})
    closed = list(
        ReportingYear.objects.filter(organisation=organisation, status=ReportingYear.Status.CLOSED)
        .defer("closed_lines")
        .order_by("year")
    )
    realised, why = realised_change(measure, activities, closed)
    return MeasureEffectPage(
        measure,
        year.year,
        row.effect,
        position,
        len(chosen),
        in_plan,
        groups,
        activities,
        realised,
        why,
        None,
        plan.scenario,
    )


# --- What the claims page reads -----------------------------------------------------------------------


@dataclass(frozen=True)
class TargetStanding:
    """A target and whether the latest closed year (up to the claim's year) is at or below its pathway."""

    target: Target
    progress: Progress | None

    @property
    def on_track(self) -> bool:
        return self.progress is not None and self.progress.on_track


@dataclass(frozen=True)
class PlanFacts:
    """What the plan says for a claim: the targets and their standing, the management plan (targets with
    the plan's measures: a scenario's, or those planned, in progress or done — :func:`plan_choice`), and the
    SBTi validations recorded (date, evidence)."""

    standings: list[TargetStanding]
    measures: int
    validated: list[Target]

    @property
    def has_targets(self) -> bool:
        return bool(self.standings)

    @property
    def has_plan(self) -> bool:
        return self.has_targets and self.measures > 0

    @property
    def on_track(self) -> bool:
        return self.has_targets and all(s.on_track for s in self.standings)


def plan_facts(organisation: Organisation, up_to_year: int) -> PlanFacts:
    """The plan's facts for claims about ``up_to_year``: progress is judged on the closed years up to it."""
    targets = list(Target.objects.filter(organisation=organisation).select_related("base_year"))
    measures = len(plan_choice(organisation).chosen)
    if not targets:
        return PlanFacts([], measures, [])
    years = [y for y in load_years(organisation) if y.year <= up_to_year]
    standings = []
    for target in targets:
        view: View = "location" if target.scope2_method == "location" else "market"
        pathway = target_pathway(target, years, view)
        standings.append(TargetStanding(target, pathway.progress))
    return PlanFacts(standings, measures, [t for t in targets if t.sbti_validated_on is not None])
