"""The GHG inventory report of a reporting year, assembled without Django (issue 13 §1, §4, §5).

In the structure of the GHG Protocol Corporate Standard, chapter 9 ("Reporting"), and ISO 14064-1:
the organisation and its boundaries, the period, the base year and its recalculation policy, the
scopes and scope 3 categories included and excluded with reasons (the year's relevance screening),
methods and data quality per category, the factors with their sources and dataset versions, both
scope 2 figures, the uncertainty, the change from last year split into an activity effect and a
factor effect, intensities, targets and progress, credits reported apart (never deducted) and every
line. :func:`assemble` turns plain inputs into a frozen tree; the web renders it in a language.

Reproducible: nothing here reads the clock. ``made_on`` is an input — a closed year's report passes
the day it was closed, so the same closed year gives the same report whenever it is made.

The change from last year (the convention of :mod:`klimabok.core.recalc`): ``bridge`` is last year's
activity data valued with this year's factors (and GWP set); the **factor effect** is
``bridge − last year`` and the **activity effect** ``this year − bridge``. They add up to the change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np

from klimabok.core.claims import RetiredCredit
from klimabok.core.engine import AccountResult, Totals, compute_account_columns
from klimabok.core.engine.intensity import Intensity
from klimabok.core.engine.scopes import BUCKETS, line_label
from klimabok.core.errors import KlimabokError
from klimabok.core.factors.catalogue import Catalogue
from klimabok.core.scope3_screening import CategoryScreening
from klimabok.core.uncertainty import Range

#: GHG Protocol Corporate Standard ch. 5: the base year is recalculated when a structural change, a
#: change in methods or a discovered error moves its total by this share or more (klimabok's plans).
RECALCULATION_THRESHOLD_PERCENT = 5
#: What the report says when the organisation has recorded no consolidation approach.
DEFAULT_CONSOLIDATION = "operational_control"


@dataclass(frozen=True)
class TargetInput:
    """A reduction target and how the report's year stands against it (plain figures from the plan)."""

    name: str
    coverage: str
    base_year: int
    target_year: int
    reduction_percent: Decimal
    progress_year: int | None = None
    change_percent: float | None = None     #: positive = below the base year
    required_percent: float | None = None   #: what the pathway asks by ``progress_year``
    on_track: bool | None = None


@dataclass(frozen=True)
class NextStep:
    """A measure of the plan not done yet: the board's "next steps"."""

    title: str
    status: str
    owner: str = ""
    deadline: date | None = None


@dataclass(frozen=True)
class ReportInput:
    organisation: str
    org_number: str
    year: int
    closed: bool
    #: the report's date: the day the year was closed (closed years), else the day it is made (draft)
    made_on: date
    account: AccountResult
    catalogue: Catalogue
    consolidation: str = ""                      #: "" = not recorded: operational control is said
    previous: AccountResult | None = None
    screening: Sequence[CategoryScreening] = ()
    targets: Sequence[TargetInput] = ()
    credits: Sequence[RetiredCredit] = ()
    next_steps: Sequence[NextStep] = ()
    fte: float | None = None
    revenue_mnok: float | None = None
    floor_area_m2: float | None = None


@dataclass(frozen=True)
class CategoryRow:
    """A category of the account: tonnes, share of the market-based total, method and data quality."""

    key: str                   #: a key of ``AccountResult.by_category`` ("scope_1", "scope_3.6", …)
    t_co2e: float
    share: float               #: of the total it counts in (location or market; scope 2 its own view)
    lines: int
    methods: tuple[str, ...]   #: "activity" (measured quantities), "spend" (NOK × kg CO2e/NOK)
    data_quality: float        #: tier 1–5, weighted by tonnes


@dataclass(frozen=True)
class Scope3Row:
    """A scope 3 category: in the account or not, and what the screening recorded."""

    category: int
    included: bool              #: the account has lines in it
    t_co2e: float
    relevance: str              #: Relevance value
    criterion: str
    reason: str


@dataclass(frozen=True)
class FactorRow:
    key: str
    name: str
    unit: str
    kg_co2e_per_unit: float
    year: int
    source: str
    source_ref: str
    dataset: str                #: "dataset@version", or "" for a built-in
    lines: int
    name_nb: str = ""           #: the bokmål name, where the factor has one


@dataclass(frozen=True)
class Change:
    """This year against the previous one (market-based totals), split into activity and factor effect."""

    previous_year: int
    previous: Totals
    current: Totals
    #: None when last year's data cannot be valued with this year's factors (a key this year lacks)
    factor_effect: float | None
    activity_effect: float | None
    by_category: tuple[tuple[str, float, float], ...]   #: key, last year, this year


@dataclass(frozen=True)
class Source:
    activity: str
    t_co2e: float
    share: float


@dataclass(frozen=True)
class CreditsSummary:
    tonnes: Decimal
    removals: Decimal
    rows: tuple[RetiredCredit, ...]


@dataclass(frozen=True, eq=False)
class AppendixLines:
    """Every result line (one per input line and factor component) as arrays and small lookup tables,
    so a 100,000-line year costs no Python object per line until a row is printed.

    Row ``r``: input line ``index[r]`` (its ``refs[index[r]]``, ``quantity[r]`` in ``units[unit[r]]``),
    factor component ``component[r]`` (its ``labels``, ``factor_keys``, ``source_refs`` and
    ``datasets`` entry) and ``t_co2e[r]``.
    """

    index: np.ndarray
    component: np.ndarray
    quantity: np.ndarray
    unit: np.ndarray
    t_co2e: np.ndarray
    refs: Sequence[str]
    units: tuple[str, ...]
    labels: tuple[str, ...]
    factor_keys: tuple[str, ...]
    source_refs: tuple[str, ...]
    datasets: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.index)

    def row(self, r: int) -> tuple[int, str, str, float, str, str, str, float]:
        """Row ``r``: input line number (1-based), ref, factor key, quantity, unit, label, source row,
        tonnes."""
        i, c = int(self.index[r]), int(self.component[r])
        return (i + 1, self.refs[i] if self.refs else "", self.factor_keys[c], float(self.quantity[r]),
                self.units[int(self.unit[r])], self.labels[c], self.source_refs[c], float(self.t_co2e[r]))


@dataclass(frozen=True)
class InventoryReport:
    organisation: str
    org_number: str
    year: int
    period: tuple[date, date]
    draft: bool
    made_on: date
    consolidation: str
    consolidation_recorded: bool
    gwp_set: str
    base_year: int | None
    recalculation_threshold_percent: int
    totals: Totals
    uncertainty: dict[str, Range]
    biogenic_co2_t: float
    categories: tuple[CategoryRow, ...]
    scope3: tuple[Scope3Row, ...]
    datasets: tuple[str, ...]
    factors: tuple[FactorRow, ...]
    change: Change | None
    intensities: dict[str, Intensity]
    targets: tuple[TargetInput, ...]
    credits: CreditsSummary
    largest_sources: tuple[Source, ...]
    next_steps: tuple[NextStep, ...]
    lines: AppendixLines
    input_lines: int

    @property
    def empty(self) -> bool:
        return self.input_lines == 0


def _categories(account: AccountResult) -> tuple[CategoryRow, ...]:
    """Per category: tonnes, share, input lines, methods and the tonne-weighted data-quality tier,
    from the line table's arrays (no object per line)."""
    totals, table, lines = account.totals, account.table, account.line_table
    row_line, row_component = lines.line, lines.component
    row_t = np.abs(lines.kg_co2e) / 1000
    tier = np.asarray(account.columns.data_quality)[row_line].astype(np.float64)
    refs = account.columns.refs
    spend_line = (np.fromiter((r.startswith("spend:") for r in refs), dtype=bool, count=len(refs))
                  if refs else np.zeros(len(account.columns), dtype=bool))
    rows = []
    for key, tonnes in account.by_category().items():
        bucket = BUCKETS.index(key)
        selected = table.buckets[row_component, bucket] > 0
        in_lines = np.unique(row_line[selected])
        spend = spend_line[in_lines]
        methods = tuple(m for m, present in (("activity", bool((~spend).any())), ("spend", bool(spend.any())))
                        if present)
        weight = float(row_t[selected].sum())
        quality = float((row_t[selected] * tier[selected]).sum()) / weight if weight else 0.0
        total = totals.total_location if key == "scope_2_location" else totals.total_market
        rows.append(CategoryRow(key, tonnes, tonnes / total if total else 0.0, len(in_lines), methods,
                                quality))
    return tuple(rows)


def _scope3(account: AccountResult, screening: Sequence[CategoryScreening]) -> tuple[Scope3Row, ...]:
    by_category = account.by_category()
    recorded = {s.category: s for s in screening}
    rows = []
    for category in range(1, 16):
        s = recorded.get(category, CategoryScreening(category))
        key = f"scope_3.{category}"
        rows.append(Scope3Row(category, key in by_category, by_category.get(key, 0.0), str(s.relevance),
                              str(s.criterion) if s.criterion else "", s.reason))
    return tuple(rows)


def _factors(account: AccountResult) -> tuple[FactorRow, ...]:
    table = account.table
    lines = account.line_counts[table.group].tolist()
    per_unit = table.co2e.tolist()
    seen: dict[tuple[str, str, int], FactorRow] = {}
    for factor, n, kg in zip(table.factors, lines, per_unit, strict=True):
        dataset = f"{factor.dataset_id}@{factor.dataset_version}" if factor.dataset_id else ""
        id_ = (factor.key, dataset, factor.year)
        old = seen.get(id_)
        seen[id_] = FactorRow(factor.key, factor.name, factor.unit, kg, factor.year, factor.source,
                              factor.source_ref, dataset, n + (old.lines if old else 0), factor.name_nb)
    return tuple(sorted(seen.values(), key=lambda f: (f.dataset, f.key, f.year)))


def _change(account: AccountResult, previous: AccountResult | None, catalogue: Catalogue) -> Change | None:
    if previous is None or not len(previous.columns):
        return None
    factor_effect = activity_effect = None
    try:
        bridge = compute_account_columns(previous.columns, year=account.year, catalogue=catalogue,
                                         gwp_set=account.gwp_set)
    except KlimabokError:
        bridge = None
    if bridge is not None:
        factor_effect = bridge.totals.total_market - previous.totals.total_market
        activity_effect = account.totals.total_market - bridge.totals.total_market
    before, after = previous.by_category(), account.by_category()
    keys = [k for k in BUCKETS if k in before or k in after]
    return Change(previous.year, previous.totals, account.totals, factor_effect, activity_effect,
                  tuple((k, before.get(k, 0.0), after.get(k, 0.0)) for k in keys))


def _appendix(account: AccountResult) -> AppendixLines:
    lines, columns, factors = account.line_table, account.columns, account.table.factors
    return AppendixLines(
        index=lines.line, component=lines.component, quantity=columns.quantities[lines.line],
        unit=columns.unit_codes[lines.line], t_co2e=lines.kg_co2e / 1000, refs=columns.refs,
        units=tuple(columns.units), labels=tuple(line_label(f) for f in factors),
        factor_keys=tuple(f.key for f in factors), source_refs=tuple(f.source_ref for f in factors),
        datasets=tuple(f"{f.dataset_id}@{f.dataset_version}" if f.dataset_id else "" for f in factors))


def assemble(data: ReportInput) -> InventoryReport:
    """The report's content: every figure it prints, computed once from ``data``."""
    account = data.account
    year = data.year
    base_years = sorted({t.base_year for t in data.targets})
    retired = tuple(c for c in data.credits if c.for_year == year)
    removals = sum((c.tonnes for c in retired if str(c.kind) == "removal"), Decimal(0))
    ranked = account.by_activity() if len(account.columns) else []
    return InventoryReport(
        organisation=data.organisation,
        org_number=data.org_number,
        year=year,
        period=(date(year, 1, 1), date(year, 12, 31)),
        draft=not data.closed,
        made_on=data.made_on,
        consolidation=data.consolidation or DEFAULT_CONSOLIDATION,
        consolidation_recorded=bool(data.consolidation),
        gwp_set=account.gwp_set,
        base_year=base_years[0] if base_years else None,
        recalculation_threshold_percent=RECALCULATION_THRESHOLD_PERCENT,
        totals=account.totals,
        uncertainty=account.uncertainty if len(account.columns) else {},
        biogenic_co2_t=account.biogenic_co2_t,
        categories=_categories(account),
        scope3=_scope3(account, data.screening),
        datasets=account.datasets,
        factors=_factors(account),
        change=_change(account, data.previous, data.catalogue),
        intensities=account.intensities(fte=data.fte, revenue_mnok=data.revenue_mnok,
                                        floor_area_m2=data.floor_area_m2),
        targets=tuple(data.targets),
        credits=CreditsSummary(sum((c.tonnes for c in retired), Decimal(0)), removals, retired),
        largest_sources=tuple(Source(r.activity, r.t_co2e, r.share) for r in ranked[:3]),
        next_steps=tuple(data.next_steps),
        lines=_appendix(account),
        input_lines=len(account.columns),
    )
